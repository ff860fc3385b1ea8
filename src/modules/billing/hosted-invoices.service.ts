import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import { PaymentProviders } from '../payments/providers/payment-providers';
import { InvoiceLinksService } from './invoice-links.service';
import { InvoiceRecordsService } from './invoice-records.service';
import { InvoicesRepository } from './invoices.repository';

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
    private readonly providers: PaymentProviders,
  ) {}

  /** A hosted-page URL that stays live for a while: the current one, or a fresh one when it expired or is about to. */
  async liveUrl(ctx: RequestContext, invoiceId: string): Promise<string> {
    return this.links.urlOf(await this.links.forSending(ctx, invoiceId));
  }

  /** The invoice behind a hosted-page token, or null when the token is malformed, unknown or expired. */
  async resolveToken(token: string, requestId: string): Promise<HostedInvoice | null> {
    const row = await this.links.findLive(token, requestId);
    if (!row) return null;
    const ctx = RequestContext.system('hosted-page', row.tenantId, row.mode, requestId);
    const invoice = await this.repo.findInvoice(ctx, row.invoiceId);
    if (!invoice) return null;
    let canPayOnline = true;
    try {
      this.providers.for(ctx);
    } catch {
      canPayOnline = false;
    }
    return { ctx, invoice: await this.records.present(ctx, invoice), canPayOnline };
  }
}
