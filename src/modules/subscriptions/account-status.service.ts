import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { DomainError, InvalidRequestError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { isDeliverableEmail } from '../../platform/validation/email';
import { ProductsService } from '../catalog/products.service';
import { CustomersService } from '../customers/customers.service';
import { INVOICES, type InvoicesPort } from './invoices.port';
import type { ServiceEntity } from './entities/service.entity';
import { LIVE_STATUSES } from './service-status';
import { ServicesRepository } from './services.repository';

/** The seed's messages (003), verbatim. */
export const RESOLVER_ERRORS = {
  provide: 'Provide product_name or both subscription_name and tier_name',
  productNotFound: 'Product not found',
  emailForSubscription: 'email is required when using subscription_name and tier_name',
  emailForSaas: 'email is required when using a saas_only product',
  subscriptionNotFound: 'Subscription product not found',
  tierNotFound: 'Subscription tier not found',
} as const;

function notFound(message: string): DomainError {
  return new DomainError('not_found', message);
}

/** The resolver's and the checkout form's e-mail check: the platform's one e-mail validator. */
export function isEmailAddress(value: string): boolean {
  return isDeliverableEmail(value);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The SaaS-facing reads of subscriptions (seed 003): account status, the fix-subscription link
 * and the public URL resolver that mints hosted checkout links.
 */
@Injectable()
export class AccountStatusService {
  constructor(
    private readonly repo: ServicesRepository,
    private readonly customers: CustomersService,
    private readonly products: ProductsService,
    private readonly clock: Clock,
    @Inject(INVOICES) private readonly invoices: InvoicesPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The customer with this account reference (this tenant and mode), or 404. */
  private async customerOf(ctx: RequestContext, accountRefId: string): Promise<Schemas['Customer']> {
    const page = await this.customers.list(ctx, { kind: 'offset', page: 1, perPage: 1 }, { sort: 'created_at', order: 'asc' }, { accountRefId });
    const customer = page.items[0];
    if (!customer || customer.account_ref_id !== accountRefId) throw new NotFoundError('account', accountRefId);
    return customer;
  }

  /** The subscription product labelled `label` and its tiers; 404 with the seed's message. */
  private async subscriptionTiers(ctx: RequestContext, label: string): Promise<Schemas['ProductTier'][]> {
    try {
      return await this.products.listTiersByLabel(ctx, label);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') throw notFound(RESOLVER_ERRORS.subscriptionNotFound);
      throw err;
    }
  }

  async status(ctx: RequestContext, accountRefId: string, subscription?: string, tier?: string): Promise<Schemas['AccountSubscriptionStatus'] | Schemas['AccountStatusList']> {
    if (tier !== undefined && subscription === undefined) throw new InvalidRequestError('tier requires subscription', 'tier');
    const customer = await this.customerOf(ctx, accountRefId);
    if (subscription !== undefined) {
      const tiers = await this.subscriptionTiers(ctx, subscription);
      const productId = tiers[0]?.product_id;
      if (tier !== undefined && !tiers.some((t) => t.label_name === tier)) throw notFound(RESOLVER_ERRORS.tierNotFound);
      const services = productId ? await this.repo.servicesOfCustomer(ctx, customer.id, { productId, tier }) : [];
      const service = services[0];
      if (!service) throw new NotFoundError('subscription of this account', subscription);
      const [entry] = await this.describe(ctx, [service]);
      return { account_ref_id: accountRefId, customer_email: customer.email, ...entry };
    }
    const services = await this.repo.servicesOfCustomer(ctx, customer.id);
    const subscriptions = await this.describe(ctx, services);
    return { account_ref_id: accountRefId, customer_email: customer.email, subscriptions, total_subscriptions: subscriptions.length };
  }

  /** `GET /subscriptions/fix`: the hosted page of the open invoice of a past-due/suspended/pending service, or null (204). */
  async fix(ctx: RequestContext, accountRefId: string, subscriptionName: string, tierName: string): Promise<Schemas['FixSubscriptionLink'] | null> {
    const customer = await this.customerOf(ctx, accountRefId);
    const tiers = await this.subscriptionTiers(ctx, subscriptionName);
    const tier = tiers.find((t) => t.label_name === tierName);
    if (!tier) throw notFound(RESOLVER_ERRORS.tierNotFound);
    const services = await this.repo.servicesOfCustomer(ctx, customer.id, { productId: tier.product_id, tier: tierName });
    if (services.length === 0) throw new NotFoundError('subscription of this account', `${subscriptionName}/${tierName}`);
    for (const service of services) {
      if (!['past_due', 'suspended', 'pending'].includes(service.status)) continue;
      const invoice = await this.invoices.findOpenInvoiceForService(ctx, service.id);
      if (invoice) return { url: this.invoices.hostedUrl(invoice) };
    }
    return null;
  }

  /**
   * `GET /resolve/public-url`: validates per the seed and mints a checkout link. Only `saas_only`
   * products (single, or the subscription product) resolve; any other answers the seed's 404 as if it
   * did not exist, and a saas_only one needs `email` — so every link minted now carries the buyer's.
   */
  async resolve(ctx: RequestContext, q: { accountRefId?: string; productName?: string; subscriptionName?: string; tierName?: string; email?: string }): Promise<Schemas['PublicUrl']> {
    if (!q.accountRefId) throw new ValidationError('account_ref_id is required', [{ field: 'account_ref_id', message: 'required' }]);
    const bySubscription = q.subscriptionName !== undefined && q.tierName !== undefined;
    if ((q.productName === undefined) === !bySubscription || (q.productName !== undefined && (q.subscriptionName !== undefined || q.tierName !== undefined))) {
      throw new ValidationError(RESOLVER_ERRORS.provide, [{ field: 'product_name', message: RESOLVER_ERRORS.provide }]);
    }
    if (q.email !== undefined && !isEmailAddress(q.email)) {
      throw new ValidationError('email must be an e-mail address', [{ field: 'email', message: 'not an e-mail address' }]);
    }
    let link: { kind: 'product' | 'subscription'; productId: string; tierId: string | null };
    if (bySubscription) {
      if (q.email === undefined) throw new ValidationError(RESOLVER_ERRORS.emailForSubscription, [{ field: 'email', message: RESOLVER_ERRORS.emailForSubscription }]);
      const subscription = await this.products.findByLabel(ctx, q.subscriptionName!);
      // Only saas_only entries resolve; any other is answered as if it did not exist (seed 003).
      if (!subscription?.saas_only) throw notFound(RESOLVER_ERRORS.subscriptionNotFound);
      const tiers = await this.subscriptionTiers(ctx, q.subscriptionName!);
      const tier = tiers.find((t) => t.label_name === q.tierName);
      if (!tier) throw notFound(RESOLVER_ERRORS.tierNotFound);
      link = { kind: 'subscription', productId: tier.product_id, tierId: tier.id };
    } else {
      const product = await this.findProduct(ctx, q.productName!);
      if (!product?.saas_only) throw notFound(RESOLVER_ERRORS.productNotFound);
      if (q.email === undefined) {
        throw new ValidationError(RESOLVER_ERRORS.emailForSaas, [{ field: 'email', message: RESOLVER_ERRORS.emailForSaas }]);
      }
      link = { kind: 'product', productId: product.id, tierId: null };
    }
    const token = randomBytes(32).toString('base64url');
    await this.repo.insertLink(ctx, {
      tokenHash: hashToken(token),
      ...link,
      accountRefId: q.accountRefId,
      email: q.email?.toLowerCase() ?? null,
      expiresAt: new Date(this.clock.now().getTime() + this.config.CHECKOUT_LINK_TTL_HOURS * 3_600_000),
    });
    return { type: 'redirect', url: `${this.baseUrl()}/r/${token}` };
  }

  /** A sellable (active) product by label_name (the SaaS seed's way), else SKU, else exact name (case-insensitive). */
  private async findProduct(ctx: RequestContext, name: string): Promise<Schemas['Product'] | null> {
    const byLabel = await this.products.findByLabel(ctx, name);
    if (byLabel?.status === 'active') return byLabel;
    try {
      const bySku = await this.products.get(ctx, name);
      if (bySku.status === 'active') return bySku;
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
    }
    const page = await this.products.list(ctx, { kind: 'offset', page: 1, perPage: 50 }, { sort: 'name', order: 'asc' }, { search: name, status: 'active' });
    return page.items.find((p) => p.name.toLowerCase() === name.toLowerCase()) ?? null;
  }

  private baseUrl(): string {
    return (this.config.PUBLIC_BASE_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/+$/, '');
  }

  private async describe(ctx: RequestContext, services: ServiceEntity[]): Promise<Schemas['AccountSubscription'][]> {
    const tiersByProduct = new Map<string, Schemas['ProductTier'][]>();
    const labelByProduct = new Map<string, string | null>();
    const out: Schemas['AccountSubscription'][] = [];
    for (const s of services) {
      if (!tiersByProduct.has(s.productId)) {
        tiersByProduct.set(s.productId, await this.products.listTiers(ctx, s.productId));
        labelByProduct.set(s.productId, (await this.products.get(ctx, s.productId)).label_name ?? null);
      }
      const t = tiersByProduct.get(s.productId)!.find((x) => x.id === s.tierId);
      out.push({
        service_id: s.id,
        status: s.status,
        is_active: LIVE_STATUSES.includes(s.status),
        billing_cycle: s.billingCycle,
        price: s.price,
        currency: s.currency,
        current_period_end: s.currentPeriodEnd.toISOString(),
        created_at: s.createdAt.toISOString(),
        updated_at: s.updatedAt.toISOString(),
        subscription_tier: {
          label_name: t?.label_name ?? s.tier,
          name: t?.name ?? s.tier,
          description: t?.description ?? null,
          price: t?.price ?? s.price,
          currency: t?.currency ?? s.currency,
          billing_cycle: t?.billing_cycle ?? s.billingCycle,
          features: t?.features ?? [],
          is_popular: t?.is_popular ?? false,
          product_id: s.productId,
          subscription_name: labelByProduct.get(s.productId) ?? null,
        },
      });
    }
    return out;
  }
}
