import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { Schemas } from '../../platform/openapi/schemas';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';

/**
 * Keeps a rotated refresh token's successor pair so that, within the reuse grace window, the same
 * pair can be handed to a second caller presenting the old token (two tabs, a retry).
 *
 * The pair holds live credentials, so it is stored encrypted under a key derived (HKDF) from
 * HASH_SECRET *and the old refresh token itself*: the database keeps only that token's hash, so
 * neither a copy of the table nor the server secret alone opens it — only someone presenting the
 * old token does, and that caller is exactly who the grace window answers. The row id is the
 * additional authenticated data, so a sealed value copied onto another row does not open.
 */
@Injectable()
export class RefreshSuccessorCipher {
  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'HASH_SECRET'>) {}

  seal(pair: Schemas['TokenPair'], oldRefreshToken: string, rowId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key(oldRefreshToken), iv);
    cipher.setAAD(Buffer.from(rowId));
    const data = Buffer.concat([cipher.update(JSON.stringify(pair), 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** The sealed pair, or null when it cannot be opened (another token, another row, a changed secret). */
  open(sealed: string, oldRefreshToken: string, rowId: string): Schemas['TokenPair'] | null {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || !data) return null;
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key(oldRefreshToken), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(rowId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Schemas['TokenPair'];
    } catch {
      return null;
    }
  }

  private key(oldRefreshToken: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.config.HASH_SECRET, oldRefreshToken, 'cbapi refresh successor v1', 32));
  }
}
