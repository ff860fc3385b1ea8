import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import { contextOf, setContext } from '../context/ctx.decorator';
import { IDEMPOTENCY_OUTSIDE_TRANSACTION } from './idempotency-outside-transaction.decorator';
import { IdempotencyService } from './idempotency.service';
import { fingerprintPath } from './request-fingerprint';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
const IDEMPOTENT_METHODS = new Set(['POST', 'PATCH', 'PUT']);
/** Set on the request by the first (outermost) instance, so a second registration passes through. */
const APPLIED = Symbol('cbapi.idempotencyApplied');

/**
 * `Idempotency-Key` on POST, PATCH and PUT of an authenticated route (the ctx has a tenant; the
 * header is ignored on anonymous routes such as login and elsewhere). Register it as the
 * OUTERMOST global interceptor, before EnvelopeInterceptor: the body it stores and replays is
 * then the full enveloped response, and a replay never reaches the inner interceptors or the
 * handler. The route runs inside the idempotency transaction: the request's ctx is swapped for
 * one carrying that transaction's manager, so `@Ctx()` services join it — except routes marked
 * `@IdempotencyOutsideTransaction()` (they call a card processor): those run outside it, between
 * a committed claim of the key and the storing of their response (see executeOutsideTransaction).
 *
 * The fingerprint is method + URL path + query string sorted by parameter name + canonical JSON
 * body (as received, before validation pipes).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { [APPLIED]?: true }>();
    const header = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (header === undefined || !IDEMPOTENT_METHODS.has(request.method)) return next.handle();
    const ctx = contextOf(request);
    if (!ctx.tenantId || request[APPLIED]) return next.handle();
    request[APPLIED] = true;

    const key = Array.isArray(header) ? header.join(', ') : header; // the service rejects '' and > 255 chars (400)
    const method = request.method;
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (method === 'POST' ? 201 : 200);
    const fingerprint = { method, path: fingerprintPath(request.url), body: request.body };
    const reply = context.switchToHttp().getResponse<FastifyReply>();

    if (this.reflector.get<boolean | undefined>(IDEMPOTENCY_OUTSIDE_TRANSACTION, context.getHandler())) {
      return defer(async () => {
        const result = await this.idempotency.executeOutsideTransaction(ctx, key, fingerprint, async () => {
          const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
          return { status, body };
        });
        if (result.replayed) {
          reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
          reply.status(result.status);
        }
        return result.body;
      });
    }

    // defer: nothing runs until Nest subscribes; the promise is the whole transaction.
    return defer(async () => {
      try {
        const result = await this.idempotency.execute(ctx, key, fingerprint, async (txCtx) => {
          setContext(request, txCtx);
          const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
          return { status, body };
        });
        if (result.replayed) {
          reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
          reply.status(result.status);
        }
        return result.body;
      } finally {
        // The transaction is over: nothing after this point may query through its manager.
        setContext(request, ctx);
      }
    });
  }
}
