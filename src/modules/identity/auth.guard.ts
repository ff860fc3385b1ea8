import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_POLICY, type AuthPolicy } from '../../platform/auth/auth.decorator';
import { authorize } from '../../platform/auth/authorize';
import { setContext } from '../../platform/context/ctx.decorator';
import { RequestContext } from '../../platform/context/request-context';
import { AuthenticationError } from '../../platform/errors/domain-errors';
import { AuthFailureLimiter } from '../../platform/rate-limit/auth-failure-limiter';
import { AuthService } from './auth.service';
import { looksLikeApiKey } from './secrets';
import { OAUTH_ACCESS_TOKEN_PREFIX } from './oauth-access-tokens.port';

/**
 * Runs first on every route: builds the request context from the bearer credential and enforces
 * the route's @Auth policy. An API route that forgot its policy is refused, never left open.
 * Requests that fail authentication draw from a per-client-IP bucket (429 once it is empty).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly failures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const base = RequestContext.anonymous(String(request.id));
    setContext(request, base);
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [context.getHandler(), context.getClass()]);
    if (!policy) {
      if (request.url.startsWith('/api/')) throw new AuthenticationError('Route has no access policy');
      return true;
    }
    if (policy.public) return true;

    let ctx: RequestContext;
    try {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      if (!match) throw new AuthenticationError();
      // An API key or an OAuth token costs a database lookup: an address that has used up its failures waits first.
      // (A JWT is checked by signature, so forged ones cost no lookup and need no check up front.)
      if (looksLikeApiKey(match[1]) || match[1].startsWith(OAUTH_ACCESS_TOKEN_PREFIX)) await this.failures.assertOpen(request.ip, reply);
      ctx = await this.auth.authenticate(base, match[1], request.ip);
    } catch (err) {
      if (err instanceof AuthenticationError) await this.failures.recordFailure(request.ip, reply);
      throw err;
    }
    setContext(request, ctx);
    authorize(ctx, policy);
    return true;
  }
}
