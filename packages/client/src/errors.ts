import type { components } from './schema';

export type ErrorCode = components['schemas']['Error']['error']['code'];
export type FieldIssue = components['schemas']['FieldIssue'];

/**
 * An answer outside 2xx, as the API's error envelope describes it. Branch on `code` (stable), show
 * `message`, and quote `requestId` to support. A body that is not the envelope (a proxy's HTML
 * page, say) keeps its status and gets code `unexpected_response`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'unexpected_response',
    message: string,
    readonly requestId: string | null,
    readonly field?: string,
    readonly details: FieldIssue[] = [],
    /** The parsed body as received. */
    readonly body?: unknown,
  ) {
    super(message);
  }

  /** snake_case alias, as the envelope spells it. */
  get request_id(): string | null {
    return this.requestId;
  }

  static fromResponse(response: Response, body: unknown): ApiError {
    const requestId = response.headers.get('x-request-id');
    const envelope = (body as { error?: Partial<components['schemas']['Error']['error']> } | undefined)?.error;
    if (envelope && typeof envelope.code === 'string' && typeof envelope.message === 'string') {
      return new ApiError(response.status, envelope.code, envelope.message, envelope.request_id ?? requestId, envelope.field, envelope.details ?? [], body);
    }
    const text = typeof body === 'string' ? body.slice(0, 200) : '';
    return new ApiError(response.status, 'unexpected_response', `HTTP ${response.status}${text ? `: ${text}` : ''}`, requestId, undefined, [], body);
  }
}
