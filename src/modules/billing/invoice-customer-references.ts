import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { blockerIfAny, type CustomerBlocker, type CustomerReferences } from '../customers/customer-references.port';
import { UNPAID_STATUSES } from './invoice-status';
import { InvoicesRepository } from './invoices.repository';

/** Billing's answer to the customers module: unpaid and draft invoices keep a customer from being deleted. */
@Injectable()
export class InvoiceCustomerReferences implements CustomerReferences {
  constructor(private readonly repo: InvoicesRepository) {}

  async blockersOf(ctx: RequestContext, customerId: string): Promise<CustomerBlocker[]> {
    const unpaid = await this.repo.countOfCustomerInStatuses(ctx, customerId, UNPAID_STATUSES);
    const drafts = await this.repo.countOfCustomerInStatuses(ctx, customerId, ['draft']);
    return [
      ...blockerIfAny('invoices', unpaid, 'unpaid invoice', 'unpaid invoices'),
      ...blockerIfAny('invoices', drafts, 'draft invoice', 'draft invoices'),
    ];
  }
}
