import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { RequestContext } from './request-context';

export const CTX_KEY = 'cbapiCtx';

/** The request's context as built by the auth guard (anonymous before it). */
export function contextOf(request: any): RequestContext {
  return (request[CTX_KEY] as RequestContext | undefined) ?? RequestContext.anonymous(String(request.id));
}

export function setContext(request: any, ctx: RequestContext): void {
  request[CTX_KEY] = ctx;
}

/** Injects the request context into a controller method: `list(@Ctx() ctx: RequestContext)`. */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext) => contextOf(host.switchToHttp().getRequest()));
