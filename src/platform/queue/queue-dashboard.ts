import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QUEUES, type QueueName } from './queues';
import type { QueueService } from './queue.service';

export const DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'cbapi_ops';

/** Decides whether a bearer token may see the dashboard: 'ok', or the HTTP status to refuse with. */
export type DashboardAuthorizer = (token: string) => Promise<'ok' | 401 | 403>;

/**
 * Bull Board at /admin/queues. Browsers cannot send a bearer header to a page, so
 * `/admin/queues?token=<access token>` checks the token once and keeps it in an HttpOnly,
 * SameSite=Strict cookie limited to the dashboard's path; every request is checked again.
 */
export async function mountQueueDashboard(fastify: FastifyInstance, queues: QueueService, authorize: DashboardAuthorizer): Promise<void> {
  // Required here, not at the top: Bull Board (~115 ms of start-up) is loaded only by an API that
  // mounts the dashboard (OPERATOR_TENANT_ID set).
  /* eslint-disable @typescript-eslint/no-require-imports -- deferred on purpose (see above) */
  const { createBullBoard } = require('@bull-board/api') as typeof import('@bull-board/api');
  const { BullMQAdapter } = require('@bull-board/api/bullMQAdapter') as typeof import('@bull-board/api/bullMQAdapter');
  const { FastifyAdapter } = require('@bull-board/fastify') as typeof import('@bull-board/fastify');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: (Object.keys(QUEUES) as QueueName[]).map((name) => new BullMQAdapter(queues.queue(name))),
    serverAdapter,
  });
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const query = request.query as { token?: string };
        const token = bearer(request) ?? query.token ?? cookie(request, COOKIE);
        if (!token) return refuse(reply, 401);
        const verdict = await authorize(token).catch(() => 401 as const);
        if (verdict !== 'ok') return refuse(reply, verdict);
        if (query.token) {
          reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(query.token)}; Path=${DASHBOARD_PATH}; HttpOnly; SameSite=Strict`);
          return reply.redirect(DASHBOARD_PATH);
        }
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
}

function refuse(reply: FastifyReply, status: 401 | 403) {
  const code = status === 401 ? 'authentication_error' : 'authorization_error';
  const message = status === 401 ? 'Operator authentication required' : 'Only owners and admins of the operator tenant may see the queues';
  const requestId = String(reply.request.id);
  return reply.status(status).send({ error: { code, message, request_id: requestId }, meta: { request_id: requestId } });
}

function bearer(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
