import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Public } from '../../platform/auth/auth.decorator';
import { RequestContext } from '../../platform/context/request-context';
import { OAuthCorsService } from './oauth-cors.service';
import { OAuthProtocolService, type ProtocolAnswer, type ProtocolRequest } from './oauth-protocol.service';

/**
 * The OAuth endpoints a client calls (outside /api/v1, answers in the RFCs' shapes, not the API
 * envelope): token, revocation, introspection and the server metadata. Public for the auth guard:
 * the client authenticates in the request itself; the per-IP limit of public routes applies. The token
 * and revocation answers carry CORS headers for a public client's registered origins (OAuthCorsService).
 */
@Controller()
export class OAuthProtocolController {
  constructor(
    private readonly protocol: OAuthProtocolService,
    private readonly cors: OAuthCorsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('oauth/token')
  async token(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(request, reply, (base, req) => this.protocol.token(base, req), { cors: true });
  }

  @Public()
  @Post('oauth/revoke')
  async revoke(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(request, reply, (base, req) => this.protocol.revoke(base, req), { cors: true });
  }

  @Public()
  @Post('oauth/introspect')
  async introspect(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(request, reply, (base, req) => this.protocol.introspect(base, req));
  }

  @Public()
  @Get('.well-known/oauth-authorization-server')
  metadata(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const issuer = this.config.PUBLIC_BASE_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
    reply.code(200).header('Cache-Control', 'public, max-age=300').send(this.protocol.metadata(issuer));
  }

  private async answer(
    request: FastifyRequest,
    reply: FastifyReply,
    handle: (base: RequestContext, req: ProtocolRequest) => Promise<ProtocolAnswer>,
    options: { cors: boolean } = { cors: false },
  ): Promise<void> {
    const base = RequestContext.anonymous(String(request.id));
    const req = protocolRequest(request);
    const answer = 'error' in req ? { status: 400, headers: { 'Cache-Control': 'no-store' }, body: req.error } : await handle(base, req);
    const cors = options.cors ? await this.cors.responseHeaders(base, request.headers.origin, 'error' in req ? null : req) : {};
    reply.code(answer.status).headers({ ...answer.headers, ...cors }).send(answer.body);
  }
}

/** The request as the library reads it; a repeated parameter is refused (RFC 6749 §3.1). */
export function protocolRequest(request: FastifyRequest): ProtocolRequest | { error: { error: string; error_description: string } } {
  const flat = (source: unknown, what: string): Record<string, string> | string => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries((source ?? {}) as Record<string, unknown>)) {
      if (Array.isArray(v)) return `Invalid request: \`${k}\` is repeated in the ${what}`;
      if (v !== undefined && v !== null) out[k] = String(v);
    }
    return out;
  };
  const body = typeof request.body === 'object' ? flat(request.body, 'body') : {};
  const query = flat(request.query, 'query');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  for (const part of [body, query]) if (typeof part === 'string') return { error: { error: 'invalid_request', error_description: part } };
  return { method: request.method, headers, query: query as Record<string, string>, body: body as Record<string, string> };
}
