import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import type { RequestContext } from '../../../../platform/context/request-context';
import type {
  AuthorizeMethodRequest, AuthorizeRequest, AuthorizeResult, AuthorizeSavedRequest, CaptureResult, CheckoutRequest, ConfirmResult, PaymentProvider,
  ProcessorRecord, ReusableMethod,
} from '../payment-provider.port';
import { fromStripeAmount, toStripeAmount, UnsupportedStripeAmount } from './stripe-amounts';
import { STRIPE_CLIENT } from './stripe-client';
import { CUSTOMER_KEY, INTENT_KEY, INVOICE_KEY, ownerMetadata, REFUND_KEY } from './stripe-metadata';
import { StripeRecordsRepository } from './stripe-records.repository';

/** A saved method's reusable reference: the Stripe customer it is attached to, and its id. */
const SAVED_SEPARATOR = '|';

/**
 * The live card processor: our intents map onto Stripe PaymentIntents (always `capture_method:
 * manual`, so authorization and capture stay the two steps our records know, each with its own
 * idempotency key from `processorKeys`), refunds onto Refunds, saved methods onto a Stripe Customer
 * with an attached PaymentMethod. Cards never pass through here: the payer's browser gives Stripe
 * the card and us a `pm_…` id. Stripe's 4xx answers are definitive (no money moved, same answer on
 * a retry with the key); network failures and 5xx are thrown: the answer is lost and the
 * reconciliation job asks Stripe (`lookup`, by the metadata we put on every PaymentIntent).
 */
@Injectable()
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';

  constructor(
    @Inject(STRIPE_CLIENT) private readonly client: Stripe | null,
    private readonly records: StripeRecordsRepository,
  ) {}

  private get stripe(): Stripe {
    if (!this.client) throw new Error('Stripe is not configured (PAYMENT_PROVIDER=stripe, STRIPE_SECRET_KEY)');
    return this.client;
  }

  /** Raw cards never reach a live processor: the service refuses them first; this is the safety net. */
  async authorize(_ctx: RequestContext, _request: AuthorizeRequest): Promise<AuthorizeResult> {
    return { outcome: 'declined', code: 'raw_card_refused', message: 'Live payments take a Stripe payment method id (payment_method_id), never a card number.' };
  }

  async authorizeMethod(ctx: RequestContext, request: AuthorizeMethodRequest): Promise<AuthorizeResult> {
    const customer = request.customerId ? await this.customerFor(ctx, request.customerId) : null;
    return this.createIntent(ctx, request, {
      payment_method: request.paymentMethodId,
      ...(customer ? { customer, setup_future_usage: 'off_session' as const } : {}),
    });
  }

  async authorizeSaved(ctx: RequestContext, request: AuthorizeSavedRequest): Promise<AuthorizeResult> {
    const [customer, paymentMethod] = request.methodRef.split(SAVED_SEPARATOR);
    return this.createIntent(ctx, request, { customer, payment_method: paymentMethod, off_session: true });
  }

  private async createIntent(
    ctx: RequestContext,
    request: { intentId: string; amount: number; currency: string },
    source: Pick<Stripe.PaymentIntentCreateParams, 'payment_method' | 'customer' | 'setup_future_usage' | 'off_session'>,
  ): Promise<AuthorizeResult> {
    let amount: number;
    try {
      amount = toStripeAmount(request.amount, request.currency);
    } catch (err) {
      if (err instanceof UnsupportedStripeAmount) return { outcome: 'declined', code: 'amount_not_supported', message: err.message };
      throw err;
    }
    const params: Stripe.PaymentIntentCreateParams = {
      amount,
      currency: request.currency,
      ...source,
      confirm: true,
      capture_method: 'manual',
      // No redirect-based method, so a server-side confirmation needs no return_url.
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: ownerMetadata(ctx.tenant, ctx.mode, { [INTENT_KEY]: request.intentId }),
    };
    try {
      return this.authorizationOf(await this.stripe.paymentIntents.create(params, { idempotencyKey: request.intentId }));
    } catch (err) {
      const declined = declineOf(err);
      if (declined) return declined;
      throw err;
    }
  }

  private authorizationOf(pi: Stripe.PaymentIntent): AuthorizeResult {
    switch (pi.status) {
      case 'requires_capture':
      case 'succeeded':
      case 'processing':
        return { outcome: 'authorized', processorRef: pi.id };
      case 'requires_action':
        return { outcome: 'requires_action', processorRef: pi.id };
      default:
        return { outcome: 'declined', code: pi.last_payment_error?.code ?? 'card_declined', message: pi.last_payment_error?.message ?? `The payment is ${pi.status}.` };
    }
  }

  /** 3-D Secure happens in the payer's browser (Stripe.js); confirming asks Stripe how it went. */
  async confirm(_ctx: RequestContext, _idempotencyKey: string, processorRef: string): Promise<ConfirmResult> {
    const pi = await this.stripe.paymentIntents.retrieve(processorRef);
    if (pi.status === 'requires_action') return { outcome: 'requires_action' };
    const result = this.authorizationOf(pi);
    return result.outcome === 'declined' ? result : { outcome: 'authorized' };
  }

  async capture(_ctx: RequestContext, idempotencyKey: string, processorRef: string, amount: number, currency: string): Promise<CaptureResult> {
    await this.stripe.paymentIntents.capture(processorRef, { amount_to_capture: toStripeAmount(amount, currency) }, { idempotencyKey });
    // Disputes arrive later, as charge.dispute.created events.
    return {};
  }

  async refund(ctx: RequestContext, idempotencyKey: string, processorRef: string, amount: number, currency: string): Promise<void> {
    await this.stripe.refunds.create(
      { payment_intent: processorRef, amount: toStripeAmount(amount, currency), metadata: ownerMetadata(ctx.tenant, ctx.mode, { [REFUND_KEY]: idempotencyKey }) },
      { idempotencyKey },
    );
  }

  /**
   * What Stripe did for one of our keys (`processorKeys`): the PaymentIntent is found by our intent
   * id in its metadata (or by `processorRef`), a refund among its PaymentIntent's refunds.
   */
  async lookup(ctx: RequestContext, idempotencyKey: string, processorRef?: string | null): Promise<ProcessorRecord | null> {
    if (idempotencyKey.startsWith('re_')) {
      if (!processorRef) return null;
      const refunds = await this.stripe.refunds.list({ payment_intent: processorRef, limit: 100 });
      const refund = refunds.data.find((r) => r.metadata?.[REFUND_KEY] === idempotencyKey && r.status !== 'failed' && r.status !== 'canceled');
      return refund ? { operation: 'refund', amount: fromStripeAmount(refund.amount, refund.currency) } : null;
    }
    const [intentId, step] = idempotencyKey.split(':');
    const pi = await this.findIntent(ctx, intentId, processorRef ?? null);
    if (!pi) return null;
    const authorized = this.authorizationOf(pi);
    switch (step) {
      case undefined:
        // A 3-D Secure completed meanwhile still answered requires_action to the authorization itself.
        return { operation: 'authorize', result: pi.next_action || pi.status === 'requires_action' ? { outcome: 'requires_action', processorRef: pi.id } : authorized };
      case 'confirm':
        if (pi.status === 'requires_action') return null;
        return { operation: 'confirm', result: authorized.outcome === 'declined' ? authorized : { outcome: 'authorized' } };
      case 'capture':
        return pi.status === 'succeeded' ? { operation: 'capture', amount: fromStripeAmount(pi.amount_received, pi.currency), result: {} } : null;
      default:
        return null;
    }
  }

  private async findIntent(ctx: RequestContext, intentId: string, processorRef: string | null): Promise<Stripe.PaymentIntent | null> {
    if (processorRef) return this.stripe.paymentIntents.retrieve(processorRef);
    const found = await this.stripe.paymentIntents.search({ query: `metadata['${INTENT_KEY}']:'${intentId}'`, limit: 10 });
    // One Stripe account serves every tenant: only an intent created for this tenant and mode counts.
    return found.data.find((pi) => pi.metadata.cbapi_tenant === ctx.tenant && pi.metadata.cbapi_mode === ctx.mode) ?? null;
  }

  /** The Stripe customer and card that paid `processorRef`, when Stripe kept the card for later (setup_future_usage). */
  async reusableMethod(_ctx: RequestContext, processorRef: string): Promise<ReusableMethod | null> {
    const pi = await this.stripe.paymentIntents.retrieve(processorRef, { expand: ['payment_method'] });
    const method = pi.payment_method;
    const customer = typeof pi.customer === 'string' ? pi.customer : pi.customer?.id;
    if (!customer || !method || typeof method === 'string' || !method.card) return null;
    return {
      ref: `${customer}${SAVED_SEPARATOR}${method.id}`, brand: method.card.brand, last4: method.card.last4,
      expMonth: method.card.exp_month, expYear: method.card.exp_year,
    };
  }

  async forgetMethod(_ctx: RequestContext, methodRef: string): Promise<void> {
    const [, paymentMethod] = methodRef.split(SAVED_SEPARATOR);
    if (paymentMethod) await this.stripe.paymentMethods.detach(paymentMethod);
  }

  /** A Stripe Checkout Session for what an invoice still owes; the card it takes is kept for renewals. */
  async startCheckout(ctx: RequestContext, request: CheckoutRequest): Promise<string> {
    const customer = request.customerId ? await this.customerFor(ctx, request.customerId) : null;
    const metadata = ownerMetadata(ctx.tenant, ctx.mode, { [INVOICE_KEY]: request.invoiceId });
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        line_items: [{ quantity: 1, price_data: { currency: request.currency, unit_amount: toStripeAmount(request.amount, request.currency), product_data: { name: request.description } } }],
        success_url: `${request.returnUrl}?checkout=complete`,
        cancel_url: request.returnUrl,
        client_reference_id: request.invoiceId,
        metadata,
        ...(customer ? { customer } : {}),
        payment_intent_data: { metadata, ...(customer ? { setup_future_usage: 'off_session' as const } : {}) },
      },
      { idempotencyKey: `checkout:${request.invoiceId}:${request.attemptKey}` },
    );
    if (!session.url) throw new Error(`Stripe Checkout Session ${session.id} has no url`);
    return session.url;
  }

  /** Our customer's Stripe customer, created on first use (outside any transaction) and linked. */
  private async customerFor(ctx: RequestContext, customerId: string): Promise<string> {
    const linked = await this.records.stripeIdOf(ctx, 'customer', customerId);
    if (linked) return linked;
    const created = await this.stripe.customers.create(
      { metadata: ownerMetadata(ctx.tenant, ctx.mode, { [CUSTOMER_KEY]: customerId }) },
      { idempotencyKey: `customer:${ctx.tenant}:${ctx.mode}:${customerId}` },
    );
    return this.records.link(ctx, 'customer', customerId, created.id);
  }
}

/** Stripe's definitive refusals (card errors, invalid requests): no money moved, and the same key answers the same. */
function declineOf(err: unknown): Extract<AuthorizeResult, { outcome: 'declined' }> | null {
  if (!(err instanceof Stripe.errors.StripeError)) return null;
  if (err.rawType === 'card_error') {
    const specific = err.decline_code && err.decline_code !== 'generic_decline' && err.code === 'card_declined' ? err.decline_code : err.code;
    return { outcome: 'declined', code: specific ?? 'card_declined', message: err.message };
  }
  if (err.rawType === 'invalid_request_error' && err.statusCode !== undefined && err.statusCode < 409) {
    return { outcome: 'declined', code: err.code ?? 'invalid_request', message: err.message };
  }
  return null;
}
