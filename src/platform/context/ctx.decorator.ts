import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { RequestContext } from './request-context';

export const CTX_KEY = 'cbapiCtx';

/** A request (Fastify's) as this module sees it: its id, and the context stored on it. */
interface ContextCarrier {
  id?: unknown;
  [CTX_KEY]?: RequestContext;
}

/** The request's context as built by the auth guard (anonymous before it). */
export function contextOf(request: object): RequestContext {
  const carrier = request as ContextCarrier;
  return carrier[CTX_KEY] ?? RequestContext.anonymous(String(carrier.id));
}

export function setContext(request: object, ctx: RequestContext): void {
  (request as ContextCarrier)[CTX_KEY] = ctx;
}

/** Injects the request context into a controller method: `list(@Ctx() ctx: RequestContext)`. */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext) => contextOf(host.switchToHttp().getRequest()));
