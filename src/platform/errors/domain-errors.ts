/** The error codes of the API contract and the HTTP status each one answers with. */
export const ERROR_STATUS = {
  invalid_request: 400,
  authentication_error: 401,
  authorization_error: 403,
  not_found: 404,
  conflict: 409,
  validation_error: 422,
  idempotency_error: 422,
  amount_too_small: 422,
  rate_limit_exceeded: 429,
  server_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  field: string;
  message: string;
}

/** A failure the client can act on. Services throw these; one filter turns them into the envelope. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: FieldIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export class InvalidRequestError extends DomainError {
  constructor(message: string, field?: string) {
    super('invalid_request', message, field);
  }
}

export class AuthenticationError extends DomainError {
  constructor(message = 'Authentication required: send Authorization: Bearer <token>') {
    super('authentication_error', message);
  }
}

export class AuthorizationError extends DomainError {
  constructor(message = 'This credential is not allowed to perform this request') {
    super('authorization_error', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(resource: string, id?: string) {
    super('not_found', id === undefined ? `${resource} not found` : `No such ${resource}: '${id}'`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, field?: string, details?: FieldIssue[]) {
    super('conflict', message, field, details);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details: FieldIssue[] = [], field?: string) {
    super('validation_error', message, field ?? details[0]?.field, details);
  }
}

/** A 422 about one field: `invalid('amount', 'must be positive')` → message "amount: must be positive", details naming the field. */
export function invalid(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

export class IdempotencyError extends DomainError {
  constructor(message: string) {
    super('idempotency_error', message);
  }
}

export class RateLimitError extends DomainError {
  /** `which` names the limit that refused, e.g. "the tenant's reads per hour (1000)". */
  constructor(retryAfterSeconds: number, which?: string) {
    super('rate_limit_exceeded', `Rate limit exceeded${which ? ` (${which})` : ''}; retry after ${retryAfterSeconds} s`, undefined, undefined, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}
