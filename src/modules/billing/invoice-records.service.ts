import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { NotFoundError } from '../../platform/errors/domain-errors';
import { parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { PortBindings } from '../../platform/ports/port-bindings';
import { EventsService } from '../events/events.service';
import type { InvoiceEntity } from './entities/invoice.entity';
import { INVOICE_PAID_LISTENERS, type InvoicePaidListener } from './invoice-paid.port';
import { InvoiceLinksService } from './invoice-links.service';
import { toInvoice } from './invoices.mappers';
import { InvoicesRepository } from './invoices.repository';

/**
 * What the invoice services share: loading an invoice within the caller's scope, showing it as
 * the API does, and the one place an invoice becomes paid — an invoice is paid on creation (zero
 * total), on finalize or by a payment, and all three must emit `invoice.paid` and call the
 * bindings of INVOICE_PAID_LISTENERS (invoice-paid.port.ts).
 */
@Injectable()
export class InvoiceRecordsService {
  constructor(
    private readonly repo: InvoicesRepository,
    private readonly events: EventsService,
    private readonly links: InvoiceLinksService,
    private readonly bindings: PortBindings,
  ) {}

  async paid(ctx: RequestContext, invoice: Schemas['Invoice']): Promise<void> {
    await this.events.record(ctx, 'invoice.paid', invoice);
    for (const listener of this.bindings.all<InvoicePaidListener>(INVOICE_PAID_LISTENERS)) await listener.onInvoicePaid(ctx, invoice);
  }

  async present(ctx: RequestContext, invoice: InvoiceEntity): Promise<Schemas['Invoice']> {
    return (await this.presentMany(ctx, [invoice]))[0];
  }

  async presentMany(ctx: RequestContext, invoices: InvoiceEntity[]): Promise<Schemas['Invoice'][]> {
    const ids = invoices.map((i) => i.id);
    const lines = await this.repo.linesOf(ctx, ids);
    const tokens = await this.repo.newestTokens(ctx, ids);
    return invoices.map((i) => toInvoice(i, lines.get(i.id) ?? [], this.links.urlFor(tokens.get(i.id))));
  }

  /** The invoice of this tenant and mode (and, for a customer user, of its customer), or 404. */
  async getOrThrow(ctx: RequestContext, id: string): Promise<InvoiceEntity> {
    const invoice = await this.repo.findInvoice(ctx, parseIdOr404(id, 'inv', 'invoice'));
    const scope = ctx.customerScope;
    if (!invoice || (scope !== null && invoice.customerId !== scope)) throw new NotFoundError('invoice', id);
    return invoice;
  }

  async lockOr404(ctx: RequestContext, id: string): Promise<InvoiceEntity> {
    const invoice = await this.repo.lockInvoice(ctx, parseIdOr404(id, 'inv', 'invoice'));
    const scope = ctx.customerScope;
    if (!invoice || (scope !== null && invoice.customerId !== scope)) throw new NotFoundError('invoice', id);
    return invoice;
  }

  async reload(ctx: RequestContext, id: string): Promise<InvoiceEntity> {
    const invoice = await this.repo.findInvoice(ctx, id);
    if (!invoice) throw new Error(`invoice ${id} vanished inside its transaction`);
    return invoice;
  }
}
