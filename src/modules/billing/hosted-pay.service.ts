import { Injectable } from '@nestjs/common';
import { DomainError } from '../../platform/errors/domain-errors';
import { describeWait, type HostedAnswer } from '../../platform/hosted-page/hosted-page';
import type { Schemas } from '../../platform/openapi/schemas';
import { HostedCheckoutService } from '../payments/hosted-checkout.service';
import { HostedCardAttempts } from './hosted-card-attempts';
import { hostedPageCsp, renderInvoicePage, renderNotFoundPage, renderTooManyRequestsPage, STRIPE_FORM_TARGET } from './invoice.page';
import { HostedInvoicesService, type HostedInvoice } from './hosted-invoices.service';
import { InvoiceSettlementService } from './invoice-settlement.service';
import { RedirectDomainsService } from './redirect-domains.service';
import { returnUrlOrigin } from './redirect-policy';

/** Parses the card form; a message for the payer when it is incomplete. Never echoes the number. */
export function parseCardForm(body: unknown, now = new Date()): { card: Schemas['CardInput'] } | { error: string } {
  const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).replace(/[\s-]/g, '') : '');
  const number = field('number');
  const month = field('exp_month');
  let year = field('exp_year');
  const cvc = field('cvc');
  if (!/^\d{12,19}$/.test(number)) return { error: 'Enter a card number of 12 to 19 digits.' };
  if (!/^\d{1,2}$/.test(month) || Number(month) < 1 || Number(month) > 12) return { error: 'Enter the expiry month as a number from 1 to 12.' };
  if (/^\d{2}$/.test(year)) year = String(Math.floor(now.getUTCFullYear() / 100) * 100 + Number(year));
  if (!/^\d{4}$/.test(year)) return { error: 'Enter the expiry year, e.g. 2030.' };
  if (!/^\d{3,4}$/.test(cvc)) return { error: 'Enter the 3 or 4 digit CVC.' };
  return { card: { number, exp_month: Number(month), exp_year: Number(year), cvc } };
}

/**
 * The hosted invoice page `GET /pay/{token}` and its card form `POST /pay/{token}`: the visitor
 * has no credentials, the token alone decides tenant, mode and invoice. Unknown, malformed and
 * expired tokens answer the same 404 page. A POST that presents a complete card counts against the
 * invoice's card-attempt cap before the processor is called; over the cap → 429 page.
 */
@Injectable()
export class HostedPayService {
  constructor(
    private readonly hostedInvoices: HostedInvoicesService,
    private readonly settlement: InvoiceSettlementService,
    private readonly cardAttempts: HostedCardAttempts,
    private readonly checkout: HostedCheckoutService,
    private readonly redirectDomains: RedirectDomainsService,
  ) {}

  async page(requestId: string, token: string, returnedFromCheckout = false): Promise<HostedAnswer> {
    const hosted = await this.hostedInvoices.resolveToken(token, requestId);
    if (!hosted) return { status: 404, html: renderNotFoundPage() };
    // Coming back from Stripe Checkout proves nothing: the invoice is paid only once Stripe's event confirms it.
    const confirming = returnedFromCheckout && hosted.invoice.status === 'open'
      ? { kind: 'info' as const, text: 'Thank you. Your payment is being confirmed; this page shows the invoice as paid once it is.' }
      : undefined;
    return { status: 200, html: this.render(token, hosted, confirming), headers: await this.pageHeaders(hosted) };
  }

  async pay(requestId: string, token: string, body: unknown): Promise<HostedAnswer> {
    const hosted = await this.hostedInvoices.resolveToken(token, requestId);
    if (!hosted) return { status: 404, html: renderNotFoundPage() };
    if (hosted.invoice.status !== 'open' && hosted.invoice.status !== 'uncollectible') {
      return { status: 409, html: this.render(token, hosted) };
    }
    if (!hosted.canPayOnline) return { status: 409, html: this.render(token, hosted) };
    if (this.checkout.available(hosted.ctx)) {
      const url = await this.checkout.start(hosted.ctx, {
        invoiceId: hosted.invoice.id, amount: hosted.invoice.amount_due, currency: hosted.invoice.currency, description: `Invoice ${hosted.invoice.number}`,
        customerId: hosted.invoice.customer_id, returnUrl: hosted.invoice.hosted_invoice_url ?? pagePath(token), attemptKey: requestId,
      });
      return { status: 303, location: url };
    }
    const form = parseCardForm(body);
    if ('error' in form) return { status: 400, html: this.render(token, hosted, { kind: 'error', text: form.error }), headers: await this.pageHeaders(hosted) };
    const attempt = await this.cardAttempts.take(hosted.ctx, hosted.invoice.id);
    if (!attempt.allowed) {
      return {
        status: 429,
        html: renderTooManyRequestsPage(describeWait(attempt.retryAfterSeconds), 'card_attempts'),
        headers: { 'Retry-After': String(attempt.retryAfterSeconds) },
      };
    }
    let invoice;
    try {
      invoice = await this.settlement.pay(hosted.ctx, hosted.invoice.id, form.card);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const fresh = (await this.hostedInvoices.resolveToken(token, requestId)) ?? hosted;
      if (err.code === 'conflict') {
        // Still open: another payment of this invoice is being processed (it holds what is owed).
        const stillOwed = fresh.invoice.status === 'open' || fresh.invoice.status === 'uncollectible';
        const text = stillOwed ? 'Another payment for this invoice is in progress. Reload this page in a moment.' : 'This invoice cannot be paid any more.';
        return { status: 409, html: this.render(token, fresh, { kind: 'error', text }), headers: await this.pageHeaders(fresh) };
      }
      const text = err.code === 'validation_error' ? (err.details?.[0]?.message ?? 'The card was not accepted.') : 'The payment could not be completed.';
      return { status: 400, html: this.render(token, fresh, { kind: 'error', text: `Payment not accepted: ${text}` }), headers: await this.pageHeaders(fresh) };
    }
    if (invoice.status === 'paid') return { status: 303, location: (await this.redirectDomains.stillAllowed(hosted.ctx, invoice.return_url)) ?? pagePath(token) };
    const text = invoice.last_payment_error?.message ?? 'This card needs an authentication step this page cannot complete. Please use another card.';
    return { status: 200, html: this.render(token, { ...hosted, invoice }, { kind: 'error', text: `Payment declined: ${text}` }), headers: await this.pageHeaders(hosted) };
  }

  /** The page's CSP: its form may end at the invoice's (still allowed) return URL, and at Stripe when paying live. */
  private async pageHeaders(hosted: HostedInvoice): Promise<Record<string, string>> {
    const returnTo = returnUrlOrigin(await this.redirectDomains.stillAllowed(hosted.ctx, hosted.invoice.return_url));
    const stripe = hosted.ctx.mode === 'live' && hosted.canPayOnline ? STRIPE_FORM_TARGET : null;
    return { 'Content-Security-Policy': hostedPageCsp([returnTo, stripe]) };
  }

  private render(token: string, hosted: HostedInvoice, message?: { kind: 'error' | 'info'; text: string }): string {
    return renderInvoicePage({
      invoice: hosted.invoice,
      formAction: pagePath(token),
      testMode: hosted.ctx.mode === 'test',
      canPayOnline: hosted.canPayOnline,
      checkout: this.checkout.available(hosted.ctx),
      message,
    });
  }
}

function pagePath(token: string): string {
  return `/pay/${encodeURIComponent(token)}`;
}
