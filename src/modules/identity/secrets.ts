import { createHash, randomBytes } from 'node:crypto';
import type { Mode } from '../../platform/context/request-context';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

const API_KEY = /^ck_(live|test)_([A-Za-z0-9]{12})([A-Za-z0-9]{20})$/;

/** `ck_live_<12-char lookup><20-char secret>`: the lookup finds the row, the hash of the whole key proves it. */
export function newApiKeySecret(mode: Mode): { secret: string; lookup: string } {
  const body = randomAlphanumeric(32);
  return { secret: `ck_${mode}_${body}`, lookup: body.slice(0, 12) };
}

export function parseApiKey(token: string): { mode: Mode; lookup: string } | null {
  const m = API_KEY.exec(token);
  return m ? { mode: m[1] as Mode, lookup: m[2] } : null;
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('ck_live_') || token.startsWith('ck_test_');
}

export function newRefreshToken(): string {
  return `crt_${randomBytes(32).toString('base64url')}`;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 × 62: rejecting bytes above it keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}
