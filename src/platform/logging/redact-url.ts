/** What a redacted value is replaced with in logs. */
export const REDACTED = '[redacted]';

/**
 * Path prefixes whose next segment is a bearer credential: the hosted invoice page
 * (`/pay/{token}`) and the hosted checkout page (`/r/{token}`). Anyone holding the URL can pay
 * or buy, so the segment never reaches a log.
 */
const TOKEN_PATH = /^(\/(?:pay|r))\/[^/?#]+/;

/** Query parameters whose value is a credential, matched on the name: token, secret, password, key, … */
const SECRET_PARAM = /token|secret|password|passwd|key|signature|code|auth/i;

/**
 * The URL as it may be logged: token-bearing path segments and credential-like query values
 * replaced by `[redacted]`, everything else (route, ids, other filters) kept for debugging.
 */
export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0];
  if (origin) return origin + redactUrl(url.slice(origin.length) || '/');
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at)).replace(TOKEN_PATH, `$1/${REDACTED}`);
  if (at < 0) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
