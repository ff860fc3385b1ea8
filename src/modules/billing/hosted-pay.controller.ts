import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/errors/domain-errors';
import type { CardInput } from '../payments/providers/payment-provider';
import { HOSTED_PAGE_HEADERS, renderErrorPage, renderInvoicePage, renderNotFoundPage } from './hosted-page.html';
import { InvoicesService, type HostedInvoice } from './invoices.service';

type PayRequest = FastifyRequest<{ Params: { token: string }; Body: unknown }>;

/** Parses the card form; a message for the payer when it is incomplete. Never echoes the number. */
export function parseCardForm(body: unknown, now = new Date()): { card: CardInput } | { error: string } {
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
 * The hosted invoice page, outside `/api` (`GET /pay/{token}` and its form's `POST`), as plain
 * Fastify routes: the API's global prefix, guards and JSON envelope do not apply. Server-rendered,
 * every tenant-supplied text escaped; the token alone identifies tenant, mode and invoice.
 */
@Injectable()
export class HostedPayController {
  private readonly logger = new Logger('HostedPay');

  constructor(
    private readonly invoices: InvoicesService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Registers the routes on the HTTP server; a no-op in the worker, which has none. */
  mount(): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) return;
    const fastify = adapter.getInstance() as FastifyInstance;
    fastify.get('/pay/:token', (req: FastifyRequest<{ Params: { token: string } }>, reply) => this.show(req, reply));
    fastify.post('/pay/:token', (req: PayRequest, reply) => this.pay(req, reply));
  }

  private async show(req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply): Promise<void> {
    try {
      const hosted = await this.invoices.resolveToken(req.params.token, String(req.id));
      if (!hosted) return this.send(reply, 404, renderNotFoundPage());
      return this.send(reply, 200, this.page(req, hosted));
    } catch (err) {
      this.logger.error({ err, request_id: req.id }, 'hosted page failed');
      return this.send(reply, 500, renderErrorPage());
    }
  }

  private async pay(req: PayRequest, reply: FastifyReply): Promise<void> {
    try {
      const hosted = await this.invoices.resolveToken(req.params.token, String(req.id));
      if (!hosted) return this.send(reply, 404, renderNotFoundPage());
      if (hosted.invoice.status !== 'open' && hosted.invoice.status !== 'uncollectible') {
        return this.send(reply, 409, this.page(req, hosted));
      }
      if (!hosted.canPayOnline) return this.send(reply, 409, this.page(req, hosted));
      const form = parseCardForm(req.body);
      if ('error' in form) return this.send(reply, 400, this.page(req, hosted, { kind: 'error', text: form.error }));
      let invoice;
      try {
        invoice = await this.invoices.pay(hosted.ctx, hosted.invoice.id, form.card);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const fresh = (await this.invoices.resolveToken(req.params.token, String(req.id))) ?? hosted;
        if (err.code === 'conflict') return this.send(reply, 409, this.page(req, fresh, { kind: 'error', text: 'This invoice cannot be paid any more.' }));
        const text = err.code === 'validation_error' ? (err.details?.[0]?.message ?? 'The card was not accepted.') : 'The payment could not be completed.';
        return this.send(reply, 400, this.page(req, fresh, { kind: 'error', text: `Payment not accepted: ${text}` }));
      }
      if (invoice.status === 'paid') {
        reply.code(303).header('Location', invoice.return_url ?? this.path(req)).header('Cache-Control', 'no-store').send();
        return;
      }
      const text = invoice.last_payment_error?.message ?? 'This card needs an authentication step this page cannot complete. Please use another card.';
      return this.send(reply, 200, this.page(req, { ...hosted, invoice }, { kind: 'error', text: `Payment declined: ${text}` }));
    } catch (err) {
      this.logger.error({ err, request_id: req.id }, 'hosted payment failed');
      return this.send(reply, 500, renderErrorPage());
    }
  }

  private page(req: FastifyRequest<{ Params: { token: string } }>, hosted: HostedInvoice, message?: { kind: 'error' | 'info'; text: string }): string {
    return renderInvoicePage({
      invoice: hosted.invoice,
      formAction: this.path(req),
      testMode: hosted.ctx.mode === 'test',
      canPayOnline: hosted.canPayOnline,
      message,
    });
  }

  private path(req: FastifyRequest<{ Params: { token: string } }>): string {
    return `/pay/${encodeURIComponent(req.params.token)}`;
  }

  private send(reply: FastifyReply, status: number, html: string): void {
    reply.code(status).headers(HOSTED_PAGE_HEADERS).send(html);
  }
}
