import { REDACTED } from './redact-url';

/**
 * Fields blanked wherever they sit one level inside a log line (`{ body: { password } }`,
 * `{ user: { access_token } }`): what pino's `*.password`-style redact paths did.
 */
export const SECRET_FIELDS = ['password', 'access_token', 'refresh_token', 'secret', 'card', 'cvc'] as const;

/** How each field's key is written in a pino line: a line holding none of them is passed on untouched. */
const KEY_MARKERS = SECRET_FIELDS.map((field) => `"${field}":`);

/**
 * A finished pino line (JSON and a newline) with every secret field one level down blanked.
 * pino's own redaction cloned every object of every line and re-parsed its ten paths per call
 * (~8% of a trivial request's CPU); this costs six substring tests per line and parses only the
 * rare line that names a secret field. A line that cannot be parsed is replaced, never passed on.
 */
export function redactSecretFields(line: string): string {
  if (!KEY_MARKERS.some((marker) => line.includes(marker))) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${JSON.stringify({ level: 50, time: Date.now(), msg: 'log line withheld: it names a secret field and could not be redacted' })}\n`;
  }
  for (const value of Object.values(entry)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const nested = value as Record<string, unknown>;
    for (const field of SECRET_FIELDS) if (Object.hasOwn(nested, field)) nested[field] = REDACTED;
  }
  return `${JSON.stringify(entry)}\n`;
}

/** A response's headers as they may be logged: a cookie being set is a credential. */
export function redactSetCookie(headers: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!headers || headers['set-cookie'] === undefined) return headers;
  return { ...headers, 'set-cookie': REDACTED };
}
