/**
 * Masks what looks like a credential in an error text before it is stored on an event and shown
 * by `GET /events/{id}`: webhook secrets, API keys, bearer tokens/JWTs, passwords in URLs.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\bwhsec_[A-Za-z0-9+/=]+/g, 'whsec_[redacted]')
    .replace(/\bck_(live|test)_[A-Za-z0-9_-]+/g, 'ck_$1_[redacted]')
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted jwt]')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+):[^@\s/]+@/gi, '$1:[redacted]@');
}
