import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { contextOf } from '../../platform/context/ctx.decorator';
import type { Mode } from '../../platform/context/request-context';
import { ValidationError } from '../../platform/errors/domain-errors';
import { webhookUrlProblem } from './webhook-url';

const CHECKED = Symbol('cbapi.checkedWebhookUrl');
/** Longer URLs are left to the body validation (MaxLength 2048), never resolved. */
const MAX_URL_LENGTH = 2048;

/** Proof that a URL passed the full check (DNS and SSRF) for a mode; only the preflight makes one. */
export interface CheckedWebhookUrl {
  readonly url: string;
  readonly mode: Mode;
  readonly [CHECKED]: true;
}

/**
 * Checks a webhook body's `url` (resolving its host, refusing private addresses) as a guard,
 * so before the idempotency interceptor opens the request's transaction: no DNS lookup ever
 * holds a database connection in a transaction. The service inside takes the proof it made.
 */
@Injectable()
export class WebhookUrlPreflight implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const url: unknown = request.body?.url;
    if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return true;
    const ctx = contextOf(request);
    const problem = await webhookUrlProblem(url, ctx.mode, this.config.WEBHOOK_ALLOW_PRIVATE_URLS);
    if (problem) throw new ValidationError(`url ${problem}`, [{ field: 'url', message: problem }]);
    request[CHECKED] = { url, mode: ctx.mode, [CHECKED]: true } satisfies CheckedWebhookUrl;
    return true;
  }
}

/** The preflight's proof for this request's body `url`, when it had one. */
export const CheckedUrl = createParamDecorator(
  (_: unknown, host: ExecutionContext): CheckedWebhookUrl | undefined => host.switchToHttp().getRequest()[CHECKED],
);
