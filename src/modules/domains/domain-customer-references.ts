import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { blockerIfAny, type CustomerBlocker, type CustomerReferences } from '../customers/customer-references.port';
import { DomainsRepository } from './domains.repository';

/**
 * Domains' answer to the customers module: a domain still registered to the customer (active,
 * expired but renewable, or leaving by transfer) names its registrant, so the customer stays.
 */
@Injectable()
export class DomainCustomerReferences implements CustomerReferences {
  constructor(private readonly repo: DomainsRepository) {}

  async blockersOf(ctx: RequestContext, customerId: string): Promise<CustomerBlocker[]> {
    return blockerIfAny('domains', await this.repo.countOfCustomer(ctx, customerId), 'domain', 'domains');
  }
}
