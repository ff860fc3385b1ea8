import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, ValidationError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { ProductsService } from '../catalog/products.service';
import { CustomersService } from '../customers/customers.service';
import { INVOICES, type CheckoutInvoice, type InvoicesPort } from './invoices.port';
import type { CheckoutLinkEntity } from './entities/service.entity';
import { ServicesRepository } from './services.repository';
import { ServicesService } from './services.service';

/** What a checkout POST ended in: an invoice to pay on its hosted page, or a free subscription already active. */
export type CheckoutOutcome =
  | { kind: 'invoice'; invoice: CheckoutInvoice; reused: boolean; url: string }
  | { kind: 'subscribed'; service: Schemas['Service'] };

type Found = { kind: 'invoice'; invoice: CheckoutInvoice; reused: boolean } | { kind: 'subscribed'; service: Schemas['Service'] };

/** Statuses whose service still belongs to the customer; a terminated one no longer counts. */
const HELD = ['pending', 'active', 'past_due', 'suspended'];

/** Messages the page shows; they name no internal id. */
export const CHECKOUT_MESSAGES = {
  notForSale: 'This offer is no longer available. Ask the seller for a new link.',
  nothingToPay: 'This product has no price to pay online. Ask the seller for a new link.',
  alreadySubscribed: 'This account already has this subscription; there is nothing to pay.',
} as const;

/**
 * What `POST /r/{token}` does once the link is known to be live: the customer of the link's
 * account reference (found, or created with the e-mail), then a `pending` service of the link's
 * tier (its first invoice is issued by ServicesService) or an open invoice for the product.
 *
 * Idempotent checkout — the rule: a link may be posted again (double click, back button, a second
 * tab), and that must not bill the customer twice. So before creating anything we look for what an
 * earlier POST left unpaid, for the same customer and the same offer, and hand that back:
 *  - subscription: a service of this customer on this product and tier (not terminated) that has
 *    an open/uncollectible invoice → that invoice (this also covers a past-due or dunning-suspended
 *    service: paying the open invoice is what fixes it). Such a service that owes nothing (active,
 *    or suspended by staff) → 409: buying it again would make a second subscription. A pending
 *    service with no open invoice left (its invoice was voided) is abandoned; a new one is created.
 *  - product: an unpaid invoice of this customer not tied to a service whose only line is this
 *    product → that invoice. Once paid, a new POST is a new purchase (the rule only holds while the
 *    first one is unpaid).
 * The lookup and the creation run in one transaction under an advisory lock on (tenant, mode,
 * account reference, offer), so two concurrent POSTs cannot both miss and both create.
 */
@Injectable()
export class CheckoutPurchaseService {
  constructor(
    private readonly tx: TransactionService,
    private readonly repo: ServicesRepository,
    private readonly customers: CustomersService,
    private readonly services: ServicesService,
    private readonly products: ProductsService,
    private readonly clock: Clock,
    @Inject(INVOICES) private readonly invoices: InvoicesPort,
  ) {}

  /** `ctx` is the link's tenant and mode; `email` is the link's, else the one the form gave (already validated). */
  async purchase(ctx: RequestContext, link: CheckoutLinkEntity, email: string): Promise<CheckoutOutcome> {
    return this.tx.run(ctx, async (txCtx) => {
      await this.repo.lockCheckoutOffer(txCtx, link.accountRefId, link.productId, link.tierId);
      const customer = await this.customers.findOrCreateByEmailAndRef(txCtx, email, link.accountRefId);
      const outcome = link.kind === 'subscription' && link.tierId
        ? await this.subscribe(txCtx, customer.id, link.productId, link.tierId)
        : await this.buy(txCtx, customer.id, link.productId);
      if (outcome.kind !== 'invoice') return outcome;
      // A reused invoice may be older than its hosted link's lifetime: ask billing for a live one.
      return { ...outcome, url: await this.invoices.liveHostedUrl(txCtx, outcome.invoice.id) };
    });
  }

  private async subscribe(ctx: RequestContext, customerId: string, productId: string, tierId: string): Promise<Found> {
    const held = (await this.services.servicesOfCustomer(ctx, customerId, { productId }))
      .filter((s) => s.tierId === tierId && HELD.includes(s.status));
    for (const service of held) {
      const open = await this.invoices.findOpenInvoiceForService(ctx, service.id);
      if (open) return { kind: 'invoice', invoice: await this.invoices.get(ctx, open.id), reused: true };
    }
    if (held.some((s) => s.status !== 'pending')) throw new ConflictError(CHECKOUT_MESSAGES.alreadySubscribed, 'tier');
    const tier = (await this.products.listTiers(ctx, productId)).find((t) => t.id === tierId);
    if (!tier) throw new ValidationError(CHECKOUT_MESSAGES.notForSale, [{ field: 'tier', message: 'tier no longer exists' }]);
    // ServicesService validates the product (a live subscription product) and issues the first invoice.
    const service = await this.services.create(ctx, { customer_id: customerId, product_id: productId, tier: tier.label_name });
    if (!service.latest_invoice_id) return { kind: 'subscribed', service }; // free first period: already active
    return { kind: 'invoice', invoice: await this.invoices.get(ctx, service.latest_invoice_id), reused: false };
  }

  private async buy(ctx: RequestContext, customerId: string, productId: string): Promise<Found> {
    const open = await this.invoices.list(ctx, { kind: 'offset', page: 1, perPage: 100 }, { sort: 'created_at', order: 'desc' }, { customerId, status: 'unpaid' });
    const earlier = open.items.find((i) => !i.service_id && i.lines.length === 1 && i.lines[0].product_id === productId);
    if (earlier) return { kind: 'invoice', invoice: earlier, reused: true };
    const product = await this.products.get(ctx, productId);
    if (product.status !== 'active' || product.type === 'subscription') {
      throw new ValidationError(CHECKOUT_MESSAGES.notForSale, [{ field: 'product', message: `type ${product.type}, status ${product.status}` }]);
    }
    // A zero-amount invoice would be "open" with nothing to charge; the hosted page cannot settle it.
    if (product.price <= 0) throw new ValidationError(CHECKOUT_MESSAGES.nothingToPay, [{ field: 'product', message: 'price is 0' }]);
    const invoice = await this.invoices.createInvoice(ctx, {
      customerId,
      currency: product.currency,
      lines: [{ description: product.name, quantity: 1, unit_amount: product.price, product_id: product.id }],
      dueDate: this.clock.now(),
      sendToCustomer: false,
    });
    return { kind: 'invoice', invoice: await this.invoices.get(ctx, invoice.id), reused: false };
  }
}
