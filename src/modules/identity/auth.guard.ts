import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AUTH_POLICY, type AuthPolicy } from '../../platform/auth/auth.decorator';
import { authorize } from '../../platform/auth/authorize';
import { setContext } from '../../platform/context/ctx.decorator';
import { RequestContext } from '../../platform/context/request-context';
import { AuthenticationError } from '../../platform/errors/domain-errors';
import { AuthService } from './auth.service';

/**
 * Runs first on every route: builds the request context from the bearer credential and enforces
 * the route's @Auth policy. An API route that forgot its policy is refused, never left open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const base = RequestContext.anonymous(String(request.id));
    setContext(request, base);
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [context.getHandler(), context.getClass()]);
    if (!policy) {
      if (request.url.startsWith('/api/')) throw new AuthenticationError('Route has no access policy');
      return true;
    }
    if (policy.public) return true;

    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new AuthenticationError();
    const ctx = await this.auth.authenticate(base, match[1]);
    setContext(request, ctx);
    authorize(ctx, policy);
    return true;
  }
}
