import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RequestContext } from '../../platform/context/request-context';
import type { InvoicePageTokenEntity } from './entities/invoice.entity';
import { InvoicesRepository } from './invoices.repository';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** A link about to expire is replaced when the invoice is sent again. */
const RENEW_LINK_WITHIN_MS = 24 * 3600 * 1000;

/**
 * The hosted page links `/pay/{token}`. Only a nonce and the token's hash are stored, so a
 * database leak reveals no working link; the token is re-derived from the nonce under a key
 * from the server secret whenever an invoice is shown.
 */
@Injectable()
export class InvoiceLinksService {
  private readonly tokenKey: Buffer;

  constructor(
    private readonly repo: InvoicesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tokenKey = createHash('sha256').update(`invoice-page-token\0${config.HASH_SECRET}`).digest();
  }

  async mint(ctx: RequestContext, invoiceId: string): Promise<string> {
    const nonce = randomBytes(16).toString('base64url');
    const token = this.tokenOf(nonce);
    await this.repo.insertToken(ctx, {
      invoiceId,
      nonce,
      tokenHash: this.hashOf(token),
      expiresAt: new Date(Date.now() + this.config.HOSTED_PAGE_TTL_HOURS * 3600 * 1000),
    });
    return token;
  }

  /** The invoice's current token, or a fresh one when the current one is about to expire. */
  async forSending(ctx: RequestContext, invoiceId: string): Promise<string> {
    const current = (await this.repo.newestTokens(ctx, [invoiceId])).get(invoiceId);
    return current && current.expiresAt.getTime() - Date.now() > RENEW_LINK_WITHIN_MS
      ? this.tokenOf(current.nonce)
      : this.mint(ctx, invoiceId);
  }

  /** The live token row behind a link, or null when the token is malformed, unknown or expired. */
  async findLive(token: string, requestId: string): Promise<InvoicePageTokenEntity | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    return this.repo.findLiveTokenByHash(RequestContext.anonymous(requestId), this.hashOf(token));
  }

  urlOf(token: string): string {
    const base = (this.config.PUBLIC_BASE_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/+$/, '');
    return `${base}/pay/${token}`;
  }

  urlFor(token: InvoicePageTokenEntity | undefined): string {
    if (!token) throw new Error('invoice without a hosted page token');
    return this.urlOf(this.tokenOf(token.nonce));
  }

  /** 32 bytes, base64url: HMAC-SHA256 of the nonce under a key derived from the server secret. */
  private tokenOf(nonce: string): string {
    return createHmac('sha256', this.tokenKey).update(nonce).digest('base64url');
  }

  private hashOf(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
