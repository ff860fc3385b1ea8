import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import { InvoiceLinksService } from './invoice-links.service';
import { InvoiceRecordsService } from './invoice-records.service';
import { InvoicesRepository } from './invoices.repository';
import { INVOICE_PAYMENTS, type InvoicePayments } from './payments.port';

/** What the hosted page needs about a token: the invoice, the context it lives in, and whether it can be paid online. */
export interface HostedInvoice {
  ctx: RequestContext;
  invoice: Schemas['Invoice'];
  canPayOnline: boolean;
}

/**
 * The public side of the hosted page `/pay/{token}`: the visitor has no credentials, so the token
 * alone decides the tenant and mode the invoice is read (and paid) in.
 */
@Injectable()
export class HostedInvoicesService {
  constructor(
    private readonly repo: InvoicesRepository,
    private readonly links: InvoiceLinksService,
    private readonly records: InvoiceRecordsService,
    @Inject(INVOICE_PAYMENTS) private readonly payments: InvoicePayments,
  ) {}

  /** The invoice behind a hosted-page token, or null when the token is malformed, unknown or expired. */
  async resolveToken(token: string, requestId: string): Promise<HostedInvoice | null> {
    const row = await this.links.findLive(token, requestId);
    if (!row) return null;
    const ctx = RequestContext.system('hosted-page', row.tenantId, row.mode, requestId);
    const invoice = await this.repo.findInvoice(ctx, row.invoiceId);
    if (!invoice) return null;
    return { ctx, invoice: await this.records.present(ctx, invoice), canPayOnline: this.payments.canPayOnline(ctx) };
  }
}
