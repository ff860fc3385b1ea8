import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import type { PayableTarget, PaymentFailure, PaymentSummary } from '../payments/payment-targets';
import { HostedInvoicesService, type HostedInvoice } from './hosted-invoices.service';
import type { CreateInvoiceInput } from './create-invoice.types';
import { InvoiceCreationService } from './invoice-creation.service';
import { InvoiceRecordsService, type InvoicePaidListener } from './invoice-records.service';
import { InvoiceSettlementService } from './invoice-settlement.service';
import type { InvoiceFilters, InvoiceSort } from './invoices.repository';

export type { HostedInvoice } from './hosted-invoices.service';
export type { InvoicePaidListener } from './invoice-records.service';

/**
 * The billing module's single entry point, for its controllers and for other modules (the
 * subscriptions module binds its `INVOICES` port to this class): `createInvoice`,
 * `payWithDefaultMethod`, `hostedUrl`, `liveHostedUrl`, `onInvoicePaid`,
 * `findOpenInvoiceForService` (the hosted checkout also reads with `get` and `list`). It only
 * delegates, so callers never depend on how issuing, settlement and hosted links are split.
 */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly creation: InvoiceCreationService,
    private readonly settlement: InvoiceSettlementService,
    private readonly records: InvoiceRecordsService,
    private readonly hosted: HostedInvoicesService,
  ) {}

  // --- the exported contract

  /** Creates an invoice from lines, inside the caller's transaction when there is one; records `invoice.created`. */
  createInvoice(ctx: RequestContext, input: CreateInvoiceInput): Promise<Schemas['Invoice']> {
    return this.creation.createInvoice(ctx, input);
  }

  /** = `invoice.hosted_invoice_url`. */
  hostedUrl(invoice: Schemas['Invoice']): string {
    return invoice.hosted_invoice_url;
  }

  /**
   * Like `hostedUrl`, but for a payer about to be sent there now (the hosted checkout reusing an
   * older open invoice): mints a fresh link when the invoice's current one has expired or is about to.
   */
  liveHostedUrl(ctx: RequestContext, invoiceId: string): Promise<string> {
    return this.hosted.liveUrl(ctx, invoiceId);
  }

  /** `listener` runs inside the transaction that marks an invoice paid; a throw rolls the payment back. */
  onInvoicePaid(listener: InvoicePaidListener): void {
    this.records.onInvoicePaid(listener);
  }

  /** The newest open (or uncollectible) invoice of a service, or null. */
  findOpenInvoiceForService(ctx: RequestContext, serviceId: string): Promise<Schemas['Invoice'] | null> {
    return this.creation.findOpenInvoiceForService(ctx, serviceId);
  }

  /** See `InvoiceSettlementService.payWithDefaultMethod`: a failed charge is `paid: false`, not an error. Outside any transaction. */
  payWithDefaultMethod(ctx: RequestContext, invoiceId: string): Promise<{ paid: boolean; invoice: Schemas['Invoice'] }> {
    return this.settlement.payWithDefaultMethod(ctx, invoiceId);
  }

  /** For the renewal job's stuck charge claims: paid, a payment at the processor, the last attempt failed, or none tried. */
  paymentStateOf(ctx: RequestContext, invoiceId: string): Promise<'paid' | 'processing' | 'failed' | 'none'> {
    return this.settlement.paymentStateOf(ctx, invoiceId);
  }

  // --- reads and issuing

  list(ctx: RequestContext, page: PageQuery, sort: { sort: InvoiceSort; order: SortOrder }, filters: InvoiceFilters): Promise<Page<Schemas['Invoice']>> {
    return this.creation.list(ctx, page, sort, filters);
  }

  get(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.creation.get(ctx, id);
  }

  /** `POST /invoices`. */
  createFromRequest(ctx: RequestContext, body: Schemas['CreateInvoiceRequest']): Promise<Schemas['Invoice']> {
    return this.creation.createFromRequest(ctx, body);
  }

  finalize(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.creation.finalize(ctx, id);
  }

  send(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.creation.send(ctx, id);
  }

  // --- money

  /** `POST /invoices/{id}/pay` (also the hosted page's form). */
  pay(ctx: RequestContext, id: string, card: Schemas['CardInput'] | undefined): Promise<Schemas['Invoice']> {
    return this.settlement.pay(ctx, id, card);
  }

  refund(ctx: RequestContext, id: string, amount?: number, reason?: string): Promise<Schemas['Invoice']> {
    return this.settlement.refund(ctx, id, amount, reason);
  }

  void(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.settlement.void(ctx, id);
  }

  markUncollectible(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.settlement.markUncollectible(ctx, id);
  }

  // --- the payment target ('invoice') and the hosted page

  lockPayable(ctx: RequestContext, invoiceId: string, currency: string): Promise<PayableTarget> {
    return this.settlement.lockPayable(ctx, invoiceId, currency);
  }

  lockForPayment(ctx: RequestContext, invoiceId: string): Promise<void> {
    return this.settlement.lock(ctx, invoiceId);
  }

  onPaymentChanged(ctx: RequestContext, invoiceId: string, summary: PaymentSummary, failure?: PaymentFailure): Promise<void> {
    return this.settlement.onPaymentChanged(ctx, invoiceId, summary, failure);
  }

  resolveToken(token: string, requestId: string): Promise<HostedInvoice | null> {
    return this.hosted.resolveToken(token, requestId);
  }
}
