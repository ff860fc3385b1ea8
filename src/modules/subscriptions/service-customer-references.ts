import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { blockerIfAny, type CustomerBlocker, type CustomerReferences } from '../customers/customer-references.port';
import { ServicesRepository } from './services.repository';

/**
 * Subscriptions' answer to the customers module: a service that is not terminated (pending, active,
 * past due or suspended) still renews or can be resumed, so its customer cannot be deleted.
 */
@Injectable()
export class ServiceCustomerReferences implements CustomerReferences {
  constructor(private readonly repo: ServicesRepository) {}

  async blockersOf(ctx: RequestContext, customerId: string): Promise<CustomerBlocker[]> {
    const count = await this.repo.countOfCustomerNotIn(ctx, customerId, ['terminated']);
    return blockerIfAny('services', count, 'active service', 'active services');
  }
}
