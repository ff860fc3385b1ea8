import { createHash, randomBytes } from 'node:crypto';
import { OAUTH_ACCESS_TOKEN_PREFIX } from '../identity/oauth-access-tokens.port';

/** Only hashes of client secrets, codes and tokens are stored; the prefixes tell them apart in logs and in the auth guard. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export type SecretKind = 'access' | 'refresh' | 'code' | 'client_secret';

const PREFIX: Record<SecretKind, string> = { access: OAUTH_ACCESS_TOKEN_PREFIX, refresh: 'ort_', code: 'ocd_', client_secret: 'ocs_' };

/** 256 random bits, base64url, behind the kind's prefix. */
export function newSecret(kind: SecretKind): string {
  return `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
}

export function isSecretOfKind(value: string, kind: SecretKind): boolean {
  return value.startsWith(PREFIX[kind]);
}
