import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { APP_CONFIG, type AppConfig } from '../../../../config/config';
import { RequestContext } from '../../../../platform/context/request-context';
import { InvalidRequestError } from '../../../../platform/errors/domain-errors';
import type { Schemas } from '../../../../platform/openapi/schemas';
import { STRIPE_CLIENT } from './stripe-client';
import { StripeCheckoutReconciler } from './stripe-checkout-reconciler';
import { StripeEventReconciler } from './stripe-event-reconciler';
import { INTENT_KEY, ownerOf } from './stripe-metadata';
import { StripeRecordsRepository } from './stripe-records.repository';

/** What an event is about, once its PaymentIntent (ours) is known. */
interface Subject {
  owner: { tenantId: string; mode: 'live' | 'test' };
  /** Null for a Checkout Session's events (the session carries the owner). */
  stripeIntent: Stripe.PaymentIntent | null;
  sessionId?: string;
}

/**
 * `POST /webhooks/stripe`: verifies the Stripe-Signature over the raw body with the SDK, finds the
 * tenant and mode from the metadata we put on every PaymentIntent, and applies each Stripe event id
 * once (`stripe_webhook_events`). An event whose application fails answers 5xx, so Stripe delivers
 * it again; every step being guarded, the retry applies only what is still missing.
 */
@Injectable()
export class StripeWebhooksService {
  private readonly logger = new Logger('StripeWebhooks');

  constructor(
    @Inject(STRIPE_CLIENT) private readonly client: Stripe | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly records: StripeRecordsRepository,
    private readonly reconciler: StripeEventReconciler,
    private readonly checkout: StripeCheckoutReconciler,
  ) {}

  async receive(raw: Buffer | undefined, signature: string | undefined): Promise<Schemas['StripeWebhookReceipt']> {
    const secret = this.config.STRIPE_WEBHOOK_SECRET;
    if (!this.client || !secret) throw new InvalidRequestError('Stripe webhooks are not configured here (PAYMENT_PROVIDER=stripe, STRIPE_WEBHOOK_SECRET)');
    if (!raw || !signature) throw new InvalidRequestError('a Stripe event needs its raw JSON body and the Stripe-Signature header', 'Stripe-Signature');
    let event: Stripe.Event;
    try {
      event = this.client.webhooks.constructEvent(raw, signature, secret);
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeSignatureVerificationError)) throw err;
      throw new InvalidRequestError('the Stripe-Signature does not match the body (wrong secret, altered body or too old)', 'Stripe-Signature');
    }
    const receipt = { received: true as const, event_id: event.id, handled: false, duplicate: false };
    const subject = await this.subjectOf(event);
    if (!subject) return receipt;
    const ctx = RequestContext.system('stripe-webhooks', subject.owner.tenantId, subject.owner.mode, `stripe_${event.id}`);
    if (!(await this.records.receive(ctx, event.id, event.type))) return { ...receipt, handled: true, duplicate: true };
    const handled = await this.apply(ctx, event, subject);
    await this.records.processed(ctx, event.id);
    this.logger.log({ stripe_event: event.id, type: event.type, handled }, 'Stripe event applied');
    return { ...receipt, handled };
  }

  private async apply(ctx: RequestContext, event: Stripe.Event, subject: Subject): Promise<boolean> {
    if (event.type === 'checkout.session.completed') return subject.sessionId ? this.checkout.completed(ctx, subject.sessionId) : false;
    if (!subject.stripeIntent) return false;
    const intent = await this.reconciler.ourIntent(ctx, subject.stripeIntent.metadata[INTENT_KEY]);
    if (!intent) return false;
    switch (event.type) {
      case 'payment_intent.succeeded':
      case 'payment_intent.payment_failed':
      case 'payment_intent.amount_capturable_updated':
        await this.reconciler.settleIntent(ctx, intent, subject.stripeIntent.id);
        return true;
      case 'charge.refunded':
        await this.reconciler.refunded(ctx, intent);
        return true;
      case 'charge.dispute.created':
        await this.reconciler.disputeOpened(ctx, intent, event.data.object);
        return true;
      case 'charge.dispute.closed':
        await this.reconciler.disputeClosed(ctx, intent, event.data.object);
        return true;
      default:
        return false;
    }
  }

  /** The PaymentIntent an event is about (fetched when the event carries a Charge or Dispute), when we created it. */
  private async subjectOf(event: Stripe.Event): Promise<Subject | null> {
    const object = event.data.object as { object?: string; id?: string; metadata?: Record<string, string> | null; payment_intent?: unknown };
    if (object.object === 'checkout.session') {
      const owner = ownerOf(object.metadata);
      return owner && object.id ? { owner, stripeIntent: null, sessionId: object.id } : null;
    }
    let stripeIntent: Stripe.PaymentIntent | null = null;
    if (object.object === 'payment_intent') stripeIntent = object as unknown as Stripe.PaymentIntent;
    else if (object.object === 'charge' || object.object === 'dispute') {
      const ref = object.payment_intent;
      const id = typeof ref === 'string' ? ref : (ref as { id?: string } | null)?.id;
      if (id) stripeIntent = await this.client!.paymentIntents.retrieve(id);
    }
    const owner = ownerOf(stripeIntent?.metadata);
    return stripeIntent && owner ? { owner, stripeIntent } : null;
  }
}
