/*
 * Where a payer may be sent after paying on a hosted page: the rule as pure functions. A path on
 * this server is always safe; an absolute URL only on a host the tenant allowed — so the operator's
 * domain cannot be made the first hop of a phishing link.
 */

/** A path on this server: `/…`, but not `//host` or `/\host` (browsers read both as another host). */
export function isLocalPath(url: string): boolean {
  return /^\/(?![/\\])/.test(url) && !/[\s\\]/.test(url);
}

/** Whether `host` is named by `pattern`: equal, or a subdomain for `*.example.com` (not example.com itself). */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (pattern.startsWith('*.')) return h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1;
  return h === pattern;
}

/** An http(s) URL's parsed form, or null. */
function httpUrl(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : null;
  } catch {
    return null;
  }
}

/** Whether a `return_url` may be used with these allowed domains (none → only local paths). */
export function isAllowedReturnUrl(url: string, allowedDomains: readonly string[]): boolean {
  if (isLocalPath(url)) return true;
  const parsed = httpUrl(url);
  if (!parsed || parsed.username || parsed.password) return false;
  return allowedDomains.some((pattern) => hostMatches(parsed.hostname, pattern));
}

/** The origin a form submission may end at for this return URL (for CSP form-action), or null for a local path. */
export function returnUrlOrigin(url: string | null): string | null {
  if (!url || isLocalPath(url)) return null;
  return httpUrl(url)?.origin ?? null;
}
