import type { RequestContext } from '../context/request-context';
import type { FieldIssue } from '../errors/domain-errors';
import { Page } from '../pagination/page';

export const API_VERSION = 'v1';

export function baseMeta(ctx: RequestContext) {
  return { request_id: ctx.requestId, api_version: API_VERSION, livemode: ctx.livemode };
}

/** `{data, meta}` for one object, or a list with its paging fields in `meta`. */
export function successEnvelope(ctx: RequestContext, body: unknown) {
  if (body instanceof Page) return { data: body.items, meta: { ...baseMeta(ctx), ...body.meta } };
  return { data: body, meta: baseMeta(ctx) };
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: FieldIssue[]; request_id: string };
  meta: { request_id: string };
}

/**
 * Bounds of an error body, as the spec states them: a message or field name can echo client input
 * (an unknown 10,000-character property name), and a body can break a rule in every array item.
 */
export const ERROR_LIMITS = { message: 1000, field: 200, details: 100 } as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function errorEnvelope(
  requestId: string,
  code: string,
  message: string,
  field?: string,
  details?: FieldIssue[],
): ErrorBody {
  const error: ErrorBody['error'] = { code, message: clip(message, ERROR_LIMITS.message), request_id: requestId };
  if (field) error.field = clip(field, ERROR_LIMITS.field);
  if (details && details.length > 0) {
    error.details = details
      .slice(0, ERROR_LIMITS.details)
      .map((d) => ({ field: clip(d.field, ERROR_LIMITS.field), message: clip(d.message, ERROR_LIMITS.message) }));
  }
  return { error, meta: { request_id: requestId } };
}
