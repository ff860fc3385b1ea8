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

export function errorEnvelope(
  requestId: string,
  code: string,
  message: string,
  field?: string,
  details?: FieldIssue[],
): ErrorBody {
  const error: ErrorBody['error'] = { code, message, request_id: requestId };
  if (field) error.field = field;
  if (details && details.length > 0) error.details = details;
  return { error, meta: { request_id: requestId } };
}
