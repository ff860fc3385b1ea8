import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { DomainInvoiceInput, DomainInvoiceRef, DomainInvoicingPort } from '../domains/domain-invoicing.port';
import { InvoicesService } from './invoices.service';

/** Billing's side of the domains module's `DOMAIN_INVOICING` port: issuing through InvoicesService. */
@Injectable()
export class DomainInvoicingAdapter implements DomainInvoicingPort {
  constructor(private readonly invoices: InvoicesService) {}

  async issue(ctx: RequestContext, input: DomainInvoiceInput): Promise<DomainInvoiceRef> {
    const invoice = await this.invoices.createInvoice(ctx, {
      customerId: input.customerId, currency: input.currency, lines: input.lines, dueDate: input.dueDate, sendToCustomer: input.sendToCustomer,
    });
    return { id: invoice.id, status: invoice.status };
  }
}
