import type { FastifyInstance } from 'fastify';
import { nameServerSpan, tracingEnabled } from './tracing';

/**
 * The http instrumentation sees only the raw URL; Fastify knows the route template. Naming the
 * server span `POST /api/v1/products/:id` (and setting http.route) groups traces by route
 * without ids in the name.
 */
export function nameServerSpansByRoute(fastify: FastifyInstance): void {
  if (!tracingEnabled()) return;
  fastify.addHook('onRequest', async (request) => {
    nameServerSpan(request.method, request.routeOptions.url);
  });
}
