import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'aes-256-gcm:v1';

/** How a sealed response body sits in `idempotency_keys.response_body` (jsonb). */
export interface SealedBody {
  sealed: typeof VERSION;
  iv: string;
  tag: string;
  data: string;
}

export class SealedBodyError extends Error {}

/**
 * Encrypts stored idempotent responses at rest (AES-256-GCM). A replay must hand the client the
 * very response it missed — including a new API key's or webhook endpoint's secret, shown only
 * once — so a redacted copy cannot serve it; encrypting every stored body (not only the ones
 * known to carry secrets) also covers customer data and needs no list of secret-bearing routes.
 *
 * The key is derived (HKDF) from HASH_SECRET, never from JWT_SECRET. The row's tenant, mode and
 * Idempotency-Key are the additional authenticated data, so a body copied onto another row does
 * not decrypt.
 */
@Injectable()
export class ResponseCipher {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'HASH_SECRET'>) {
    this.key = Buffer.from(hkdfSync('sha256', config.HASH_SECRET, '', 'cbapi idempotency response body v1', 32));
  }

  seal(body: unknown, context: string): SealedBody {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()]);
    return { sealed: VERSION, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  /**
   * The body a row stores. Rows written before bodies were sealed hold the plain JSON and are
   * returned as they are (they expire within 24 h of the upgrade).
   */
  open(stored: unknown, context: string): unknown {
    if (!isSealed(stored)) return stored;
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(stored.iv, 'base64'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8'));
    } catch (err) {
      throw new SealedBodyError('A stored idempotent response cannot be decrypted (HASH_SECRET changed, or the row was altered)', {
        cause: err,
      });
    }
  }
}

function isSealed(value: unknown): value is SealedBody {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as SealedBody).sealed === VERSION &&
    typeof (value as SealedBody).iv === 'string' &&
    typeof (value as SealedBody).tag === 'string' &&
    typeof (value as SealedBody).data === 'string'
  );
}
