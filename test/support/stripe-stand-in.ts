import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { decodeStripeForm } from './stripe-form';
import type { CheckoutSession, RecordedRequest, StripeParams } from './stripe-records';

/** What one of Stripe's documented test payment methods does (https://docs.stripe.com/testing). */
type Behaviour = 'succeeds' | 'declined' | 'insufficient_funds' | 'three_d_secure' | 'charge_customer_fail';

const TEST_METHODS: Readonly<Record<string, Behaviour>> = {
  pm_card_visa: 'succeeds',
  pm_card_mastercard: 'succeeds',
  pm_card_amex: 'succeeds',
  pm_card_createDispute: 'succeeds',
  pm_card_chargeDeclined: 'declined',
  pm_card_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  pm_card_threeDSecure2Required: 'three_d_secure',
  // Attaches to a customer, then every charge of it declines (Stripe's "attach succeeds, charge fails").
  pm_card_chargeCustomerFail: 'charge_customer_fail',
};
const BRANDS: Readonly<Record<string, string>> = { pm_card_mastercard: 'mastercard', pm_card_amex: 'amex' };

/** The parameters each endpoint takes (a subset of the SDK's `*CreateParams` types); anything else is refused as Stripe does. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'POST /v1/payment_intents': ['amount', 'currency', 'payment_method', 'automatic_payment_methods', 'confirm', 'capture_method', 'customer', 'setup_future_usage', 'off_session', 'metadata', 'expand', 'description'],
  'POST /v1/payment_intents/:id/capture': ['amount_to_capture', 'expand'],
  'POST /v1/refunds': ['payment_intent', 'amount', 'metadata', 'reason'],
  'POST /v1/customers': ['email', 'name', 'metadata'],
  'POST /v1/payment_methods/:id/detach': [],
  'POST /v1/checkout_sessions': ['mode', 'line_items', 'success_url', 'cancel_url', 'metadata', 'customer', 'customer_email', 'client_reference_id', 'payment_intent_data', 'expires_at'],
};

class StripeHttpError extends Error {
  constructor(readonly status: number, readonly body: Record<string, unknown>) {
    super(String(body.message));
  }
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);


/**
 * A local stand-in for the Stripe API endpoints the adapter uses (a real HTTP server the official
 * SDK talks to via STRIPE_API_BASE): PaymentIntents (create+confirm, retrieve, capture, search),
 * Refunds, Customers, PaymentMethods and Checkout Sessions, keyed on Stripe's `pm_card_…` test
 * payment methods. Responses are shaped like Stripe's; POSTs replay by Idempotency-Key like
 * Stripe's. The helpers play the parts that happen elsewhere: the payer's browser (3-D Secure,
 * Checkout), the bank (disputes) and Stripe's webhook sender (signed events).
 */
export class StripeStandIn {
  readonly secretKey = 'sk_test_standin';
  readonly webhookSecret = 'whsec_standin';
  readonly requests: RecordedRequest[] = [];
  readonly intents = new Map<string, Stripe.PaymentIntent>();
  private readonly refunds = new Map<string, Stripe.Refund>();
  private readonly methods = new Map<string, { behaviour: Behaviour; brand: string; customer: string | null }>();
  private readonly sessions = new Map<string, CheckoutSession>();
  private readonly disputes = new Map<string, Stripe.Dispute>();
  private readonly replies = new Map<string, { status: number; body: unknown }>();
  private readonly stripe = new Stripe('sk_test_standin');
  private server: Server | undefined;
  private fault: { pattern: RegExp; times: number; carriedOut?: (request: RecordedRequest) => void } | null = null;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The environment the API needs to use this stand-in as Stripe. */
  env(): Record<string, string> {
    return { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: this.secretKey, STRIPE_WEBHOOK_SECRET: this.webhookSecret, STRIPE_API_BASE: this.base };
  }

  /** The next `times` requests matching `pattern` are carried out, then their answer is lost (the connection dies). */
  loseAnswers(pattern: RegExp, times: number): void {
    this.fault = { pattern, times };
  }

  /**
   * The next request matching `pattern` is carried out and never answered: the caller waits (until
   * it is killed). Resolves once it has been carried out, e.g. the charge captured.
   */
  holdAnswer(pattern: RegExp): Promise<RecordedRequest> {
    return new Promise((carriedOut) => {
      this.fault = { pattern, times: 1, carriedOut };
    });
  }

  calls(method: string, pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path));
  }

  // --- the payer's browser, the bank, Stripe's webhook sender

  /** The payer completes the 3-D Secure challenge in the browser (Stripe.js `handleNextAction`). */
  authenticate(intentId: string): void {
    const pi = this.intent(intentId);
    pi.status = pi.capture_method === 'manual' ? 'requires_capture' : 'succeeded';
    if (pi.status === 'requires_capture') pi.amount_capturable = pi.amount;
    else pi.amount_received = pi.amount;
    pi.next_action = null;
  }

  /** The payer fails the 3-D Secure challenge: Stripe sends the PaymentIntent back to requires_payment_method. */
  failAuthentication(intentId: string): void {
    const pi = this.intent(intentId);
    const message = 'We are unable to authenticate your payment method.';
    Object.assign(pi, { status: 'requires_payment_method', next_action: null, last_payment_error: { type: 'card_error', code: 'payment_intent_authentication_failure', message } });
  }

  /** The payer pays a Checkout Session with `method` on Stripe's page: a succeeded PaymentIntent, and the session complete. */
  completeCheckout(sessionId: string, method = 'pm_card_visa'): CheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    const pi = this.createIntent({
      amount: session.amount_total, currency: session.currency, payment_method: method, confirm: true,
      metadata: session.payment_intent_data?.metadata ?? {}, customer: session.customer ?? undefined,
      setup_future_usage: session.payment_intent_data?.setup_future_usage,
    });
    Object.assign(session, { status: 'complete', payment_status: pi.status === 'succeeded' ? 'paid' : 'unpaid', payment_intent: pi.id });
    return session;
  }

  /** The bank opens a dispute on a captured payment. */
  dispute(intentId: string, reason = 'fraudulent'): Stripe.Dispute {
    const pi = this.intent(intentId);
    const dispute = {
      id: id('du'), object: 'dispute', amount: pi.amount_received, currency: pi.currency, charge: pi.latest_charge as string,
      payment_intent: pi.id, reason, status: 'needs_response', created: now(), livemode: false, metadata: {}, is_charge_refundable: false,
    } as unknown as Stripe.Dispute;
    this.disputes.set(dispute.id, dispute);
    return dispute;
  }

  /** The bank decides a dispute. */
  closeDispute(disputeId: string, status: 'won' | 'lost'): Stripe.Dispute {
    const dispute = this.disputes.get(disputeId)!;
    dispute.status = status;
    return dispute;
  }

  /** Someone refunds in the Stripe Dashboard (no metadata of ours). */
  refundInDashboard(intentId: string, amount: number): Stripe.Refund {
    return this.refund({ payment_intent: intentId, amount: String(amount), reason: 'requested_by_customer' });
  }

  /** A Charge as charge.* events carry it. */
  charge(intentId: string): Record<string, unknown> {
    const pi = this.intent(intentId);
    const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === pi.id).reduce((sum, r) => sum + r.amount, 0);
    return {
      id: pi.latest_charge, object: 'charge', amount: pi.amount, amount_captured: pi.amount_received, amount_refunded: refunded,
      refunded: refunded >= pi.amount_received, currency: pi.currency, payment_intent: pi.id, metadata: pi.metadata, status: 'succeeded', livemode: false,
    };
  }

  /** An Event envelope as Stripe sends it. */
  event(type: string, object: unknown): Record<string, unknown> {
    return {
      id: id('evt'), object: 'event', api_version: Stripe.API_VERSION, created: now(), livemode: false, pending_webhooks: 1,
      request: { id: null, idempotency_key: null }, type, data: { object },
    };
  }

  /** The raw body and `Stripe-Signature` header of a delivery of `event`, signed with the endpoint secret. */
  signed(event: Record<string, unknown>, secret = this.webhookSecret): { body: string; signature: string } {
    const body = JSON.stringify(event, null, 2);
    return { body, signature: this.stripe.webhooks.generateTestHeaderString({ payload: body, secret }) };
  }

  intent(intentId: string): Stripe.PaymentIntent {
    const pi = this.intents.get(intentId);
    if (!pi) throw new StripeHttpError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${intentId}'`, param: 'intent' });
    return pi;
  }

  // --- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const params = decodeStripeForm(req.method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString('utf8')) as StripeParams;
    const key = req.headers['idempotency-key'] as string | undefined;
    const recorded: RecordedRequest = { method: req.method ?? '', path: url.pathname, params, idempotencyKey: key };
    this.requests.push(recorded);
    let reply: { status: number; body: unknown };
    const replayed = key ? this.replies.get(`${req.method} ${url.pathname} ${key}`) : undefined;
    if (req.headers.authorization !== `Bearer ${this.secretKey}`) {
      reply = { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } } };
    } else if (replayed) {
      reply = replayed;
    } else {
      try {
        reply = { status: 200, body: this.route(req.method ?? '', url.pathname, params) };
      } catch (err) {
        if (!(err instanceof StripeHttpError)) throw err;
        reply = { status: err.status, body: { error: { ...err.body, doc_url: `https://docs.stripe.com/error-codes/${err.body.code ?? ''}` } } };
      }
      if (key && req.method === 'POST') this.replies.set(`${req.method} ${url.pathname} ${key}`, reply);
    }
    if (this.fault && this.fault.times > 0 && this.fault.pattern.test(`${req.method} ${url.pathname}`)) {
      this.fault.times -= 1;
      if (this.fault.carriedOut) this.fault.carriedOut(recorded); // held: the connection stays open, unanswered
      else req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': id('req'), ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
    res.end(JSON.stringify(reply.body));
  }

  private route(method: string, path: string, params: StripeParams): unknown {
    let parts = path.split('/').filter(Boolean); // ['v1', resource, id?, action?]
    if (parts[1] === 'checkout') parts = ['v1', 'checkout_sessions', ...parts.slice(3)];
    const shape = `${method} /${parts.map((p, i) => (i === 2 && !['search'].includes(p) ? ':id' : p)).join('/')}`;
    const allowed = ALLOWED[shape];
    if (allowed) {
      const unknown = Object.keys(params).find((k) => !allowed.includes(k));
      if (unknown) throw new StripeHttpError(400, { type: 'invalid_request_error', message: `Received unknown parameter: ${unknown}`, param: unknown });
    }
    switch (shape) {
      case 'POST /v1/payment_intents':
        return this.expand(this.createIntent(params), params.expand);
      case 'GET /v1/payment_intents/:id':
        return this.expand(this.intent(parts[2]), params.expand);
      case 'GET /v1/payment_intents/search':
        return this.search(String(params.query ?? ''));
      case 'POST /v1/payment_intents/:id/capture':
        return this.capture(parts[2], params.amount_to_capture === undefined ? undefined : Number(params.amount_to_capture));
      case 'POST /v1/refunds':
        return this.refund(params);
      case 'GET /v1/refunds':
        return { object: 'list', url: '/v1/refunds', has_more: false, data: [...this.refunds.values()].filter((r) => !params.payment_intent || r.payment_intent === params.payment_intent) };
      case 'POST /v1/customers':
        return { id: id('cus'), object: 'customer', email: params.email ?? null, name: params.name ?? null, metadata: params.metadata ?? {}, created: now(), livemode: false };
      case 'GET /v1/payment_methods/:id':
        return this.method(parts[2]);
      case 'POST /v1/payment_methods/:id/detach': {
        const method = this.method(parts[2]);
        this.methods.get(parts[2])!.customer = null;
        return { ...method, customer: null };
      }
      case 'GET /v1/disputes/:id': {
        const dispute = this.disputes.get(parts[2]);
        if (!dispute) throw new StripeHttpError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such dispute: '${parts[2]}'` });
        return dispute;
      }
      case 'POST /v1/checkout_sessions':
        return this.createSession(params);
      case 'GET /v1/checkout_sessions/:id':
        return this.retrieveSession(parts[2], params.expand);
      default:
        throw new StripeHttpError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` });
    }
  }

  private createIntent(params: StripeParams): Stripe.PaymentIntent {
    const amount = Number(params.amount);
    if (!Number.isInteger(amount) || amount < 1) throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'parameter_invalid_integer', message: 'Invalid integer', param: 'amount' });
    if (['bhd', 'jod', 'kwd', 'omr', 'tnd'].includes(params.currency as string) && amount % 10 !== 0) {
      throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'invalid_amount', message: 'Three-decimal amounts must end in 0', param: 'amount' });
    }
    const method = this.concreteMethod(String(params.payment_method ?? ''), (params.customer as string | undefined) ?? null);
    const pi = {
      id: id('pi'), object: 'payment_intent', amount, amount_capturable: 0, amount_received: 0, currency: params.currency,
      capture_method: params.capture_method ?? 'automatic_async', confirmation_method: 'automatic', customer: params.customer ?? null,
      payment_method: method.id, payment_method_types: ['card'], automatic_payment_methods: params.automatic_payment_methods ?? null, setup_future_usage: params.setup_future_usage ?? null,
      metadata: params.metadata ?? {}, status: 'requires_confirmation', client_secret: `${id('pi')}_secret_${id('x')}`, created: now(), livemode: false,
      latest_charge: null, last_payment_error: null, next_action: null, description: params.description ?? null,
    } as unknown as Stripe.PaymentIntent;
    this.intents.set(pi.id, pi);
    if (params.confirm !== 'true' && params.confirm !== true) return pi;
    const offSession = params.off_session === 'true' || params.off_session === true;
    const decline = (code: string, declineCode: string, message: string) => {
      Object.assign(pi, { status: 'requires_payment_method', last_payment_error: { type: 'card_error', code, decline_code: declineCode, message } });
      throw new StripeHttpError(402, { type: 'card_error', code, decline_code: declineCode, message, payment_intent: pi, charge: id('ch') });
    };
    switch (method.behaviour) {
      case 'declined':
        return decline('card_declined', 'generic_decline', 'Your card was declined.');
      case 'insufficient_funds':
        return decline('card_declined', 'insufficient_funds', 'Your card has insufficient funds.');
      case 'charge_customer_fail':
        return decline('card_declined', 'generic_decline', 'Your card was declined.');
      case 'three_d_secure':
        if (offSession) return decline('authentication_required', 'authentication_required', 'This payment requires authentication.');
        Object.assign(pi, { status: 'requires_action', next_action: { type: 'use_stripe_sdk', use_stripe_sdk: {} } });
        return pi;
      default:
        Object.assign(pi, { latest_charge: id('ch') });
        if (pi.capture_method === 'manual') Object.assign(pi, { status: 'requires_capture', amount_capturable: amount });
        else Object.assign(pi, { status: 'succeeded', amount_received: amount });
        return pi;
    }
  }

  /** Like Stripe, a `pm_card_…` test method used with a customer becomes a concrete, attached `pm_…` of its own. */
  private concreteMethod(name: string, customer: string | null): { id: string; behaviour: Behaviour } {
    const known = this.methods.get(name);
    if (known) {
      if (known.customer && known.customer !== customer) throw new StripeHttpError(400, { type: 'invalid_request_error', message: 'The PaymentMethod belongs to another customer', param: 'payment_method' });
      return { id: name, behaviour: known.behaviour };
    }
    const behaviour = TEST_METHODS[name];
    if (!behaviour) throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'resource_missing', message: `No such PaymentMethod: '${name}'`, param: 'payment_method' });
    const concrete = id('pm');
    this.methods.set(concrete, { behaviour, brand: BRANDS[name] ?? 'visa', customer });
    return { id: concrete, behaviour };
  }

  private method(methodId: string): Stripe.PaymentMethod {
    const method = this.methods.get(methodId);
    if (!method) throw new StripeHttpError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such PaymentMethod: '${methodId}'`, param: 'payment_method' });
    return {
      id: methodId, object: 'payment_method', type: 'card', customer: method.customer, created: now(), livemode: false, metadata: {},
      card: { brand: method.brand, last4: method.brand === 'amex' ? '8431' : '4242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, funding: 'credit', country: 'US' },
    } as unknown as Stripe.PaymentMethod;
  }

  private expand(pi: Stripe.PaymentIntent, expand: unknown): Stripe.PaymentIntent {
    const paths = Array.isArray(expand) ? expand : [];
    return paths.includes('payment_method') && typeof pi.payment_method === 'string' ? { ...pi, payment_method: this.method(pi.payment_method) } : pi;
  }

  private search(query: string): unknown {
    const match = /^metadata\['([\w]+)'\]:'([^']*)'$/.exec(query.trim());
    if (!match) throw new StripeHttpError(400, { type: 'invalid_request_error', message: `Unsupported search query: ${query}`, param: 'query' });
    const data = [...this.intents.values()].filter((pi) => pi.metadata[match[1]] === match[2]);
    return { object: 'search_result', url: '/v1/payment_intents/search', has_more: false, next_page: null, data };
  }

  private capture(intentId: string, amount: number | undefined): Stripe.PaymentIntent {
    const pi = this.intent(intentId);
    if (pi.status !== 'requires_capture') {
      throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: `This PaymentIntent could not be captured because it has a status of ${pi.status}.` });
    }
    if (amount !== undefined && amount > pi.amount_capturable) {
      throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'amount_too_large', message: 'The amount to capture is greater than the amount capturable', param: 'amount_to_capture' });
    }
    Object.assign(pi, { status: 'succeeded', amount_received: amount ?? pi.amount_capturable, amount_capturable: 0 });
    return pi;
  }

  private refund(params: StripeParams): Stripe.Refund {
    const pi = this.intent(String(params.payment_intent));
    const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === pi.id).reduce((sum, r) => sum + r.amount, 0);
    const amount = params.amount === undefined ? pi.amount_received - refunded : Number(params.amount);
    if (pi.status !== 'succeeded' || amount > pi.amount_received - refunded) {
      throw new StripeHttpError(400, { type: 'invalid_request_error', code: 'amount_too_large', message: `Refund amount (${amount}) is greater than the unrefunded amount on the charge`, param: 'amount' });
    }
    const refund = {
      id: id('re'), object: 'refund', amount, currency: pi.currency, payment_intent: pi.id, charge: pi.latest_charge, status: 'succeeded',
      reason: params.reason ?? null, metadata: params.metadata ?? {}, created: now(),
    } as unknown as Stripe.Refund;
    this.refunds.set(refund.id, refund);
    return refund;
  }

  private retrieveSession(sessionId: string, expand: unknown): Record<string, unknown> {
    const session = this.sessions.get(sessionId);
    if (!session) throw new StripeHttpError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such checkout.session: '${sessionId}'` });
    const { payment_intent_data: _hidden, ...visible } = session;
    const paths = Array.isArray(expand) ? expand : [];
    if (!session.payment_intent || !paths.some((p) => String(p).startsWith('payment_intent'))) return visible;
    const pi = this.intent(session.payment_intent);
    return { ...visible, payment_intent: paths.includes('payment_intent.payment_method') ? this.expand(pi, ['payment_method']) : pi };
  }

  private createSession(params: StripeParams): Record<string, unknown> {
    const lines = params.line_items ?? [];
    const amount = lines.reduce((sum, l) => sum + Number(l.price_data?.unit_amount ?? 0) * Number(l.quantity ?? 1), 0);
    const sessionId = id('cs_test');
    const session: CheckoutSession = {
      id: sessionId, object: 'checkout.session', mode: params.mode, status: 'open', payment_status: 'unpaid', amount_total: amount,
      currency: lines[0]?.price_data?.currency ?? null, url: `${this.base}/c/pay/${sessionId}`, success_url: params.success_url,
      cancel_url: params.cancel_url ?? null, metadata: params.metadata ?? {}, client_reference_id: params.client_reference_id ?? null,
      customer: params.customer ?? null, payment_intent: null, payment_intent_data: params.payment_intent_data, created: now(), livemode: false,
    };
    this.sessions.set(sessionId, session);
    const { payment_intent_data: _hidden, ...visible } = session;
    return visible;
  }
}
