import { Injectable } from '@nestjs/common';
import { Clock } from '../../platform/clock/clock';
import { RequestContext } from '../../platform/context/request-context';
import { DomainError } from '../../platform/errors/domain-errors';
import type { HostedAnswer } from '../../platform/hosted-page/hosted-page';
import type { Schemas } from '../../platform/openapi/schemas';
import { ProductsService } from '../catalog/products.service';
import { hashToken, isEmailAddress } from './account-status.service';
import { CHECKOUT_MESSAGES, CheckoutPurchaseService } from './checkout-purchase.service';
import { renderCheckoutPage, renderLinkNotFound, renderSubscribed, type CheckoutView } from './checkout.page';
import type { CheckoutLinkEntity } from './entities/service.entity';
import { ServicesRepository } from './services.repository';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A live link with the tenant context it acts in and what it sells, as the catalog has it now. */
interface LiveLink {
  link: CheckoutLinkEntity;
  ctx: RequestContext;
  product: Schemas['Product'];
  tier: Schemas['ProductTier'] | undefined;
}

/**
 * What the hosted checkout page `GET /r/{token}` and its form `POST /r/{token}` answer (served by
 * CheckoutController; public: the token is the credential). Unknown, malformed and expired tokens
 * all answer the same 404 page, GET and POST alike, so a token's existence is not revealed. The
 * POST (CheckoutPurchaseService) ends in a 303 to the invoice's hosted page `/pay/…`.
 */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly repo: ServicesRepository,
    private readonly products: ProductsService,
    private readonly purchases: CheckoutPurchaseService,
    private readonly clock: Clock,
  ) {}

  /** `GET /r/{token}`: the offer with its form. */
  async render(requestId: string, token: string): Promise<HostedAnswer> {
    const live = await this.load(requestId, token);
    if (!live) return { status: 404, html: renderLinkNotFound() };
    return { status: 200, html: renderCheckoutPage(this.view(live, token)) };
  }

  /**
   * `POST /r/{token}`: the link says what is bought and for which account; the form adds only an
   * e-mail, and only when the link has none (the link's own e-mail wins over anything posted).
   */
  async checkout(requestId: string, token: string, body: unknown): Promise<HostedAnswer> {
    const live = await this.load(requestId, token);
    if (!live) return { status: 404, html: renderLinkNotFound() };
    let email = live.link.email;
    if (!email) {
      const posted = (typeof body === 'object' && body !== null ? (body as Record<string, unknown>).email : undefined);
      const typed = typeof posted === 'string' ? posted.trim().slice(0, 254) : '';
      if (!isEmailAddress(typed)) {
        const message = typed ? 'Enter a valid e-mail address, e.g. name@example.com.' : 'Enter your e-mail address.';
        return { status: 400, html: renderCheckoutPage({ ...this.view(live, token), emailValue: typed, message }) };
      }
      email = typed.toLowerCase();
    }
    try {
      const outcome = await this.purchases.purchase(live.ctx, live.link, email);
      if (outcome.kind === 'subscribed') {
        return { status: 200, html: renderSubscribed({ productName: live.product.name, tierName: live.tier?.name ?? null, accountRefId: live.link.accountRefId }) };
      }
      // A relative Location: /pay is served by this same server, so the payer stays on the host
      // (and port) it reached us on, whatever PUBLIC_BASE_URL says.
      return { status: 303, location: new URL(outcome.url).pathname };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // The offer vanished from the catalog since the page was shown: the link is dead.
      if (err.code === 'not_found') return { status: 404, html: renderLinkNotFound() };
      if (err.code !== 'conflict' && err.code !== 'validation_error') throw err;
      // Domain messages name internal ids; the payer sees one of ours.
      const message = err.code === 'conflict'
        ? (err.message === CHECKOUT_MESSAGES.alreadySubscribed ? err.message : 'This checkout could not be completed. Please try again.')
        : (Object.values<string>(CHECKOUT_MESSAGES).includes(err.message) ? err.message : CHECKOUT_MESSAGES.notForSale);
      return { status: err.code === 'conflict' ? 409 : 422, html: renderCheckoutPage({ ...this.view(live, token), message, canCheckout: false }) };
    }
  }

  /** The link behind a token with its product and tier, or null: malformed, unknown, expired, or its offer gone. */
  private async load(requestId: string, token: string): Promise<LiveLink | null> {
    const clean = token.replace(/\/$/, '');
    if (!TOKEN.test(clean)) return null;
    const link = await this.repo.findLinkByHash(RequestContext.anonymous(requestId), hashToken(clean));
    if (!link || link.expiresAt <= this.clock.now()) return null;
    const ctx = RequestContext.system('checkout', link.tenantId, link.mode, requestId);
    const product = await this.products.get(ctx, link.productId).catch(() => null);
    if (!product) return null;
    const tier = link.tierId ? (await this.products.listTiers(ctx, product.id)).find((t) => t.id === link.tierId) : undefined;
    if (link.tierId && !tier) return null;
    return { link, ctx, product, tier };
  }

  private view({ link, product, tier }: LiveLink, token: string): CheckoutView {
    return {
      kind: link.kind,
      productName: product.name,
      description: tier?.description ?? product.description ?? null,
      tierName: tier?.name ?? null,
      price: tier?.price ?? product.price,
      currency: tier?.currency ?? product.currency,
      billingCycle: tier?.billing_cycle ?? null,
      features: tier?.features ?? [],
      accountRefId: link.accountRefId,
      email: link.email,
      livemode: link.mode === 'live',
      expiresAt: link.expiresAt,
      formAction: `/r/${encodeURIComponent(token.replace(/\/$/, ''))}`,
    };
  }
}
