import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';

/** Answers whether a customer record exists for ctx's tenant and mode. */
export type CustomerExists = (ctx: RequestContext, customerId: string) => Promise<boolean>;

/**
 * Lets the customers module (which depends on identity) tell identity whether a customer exists,
 * so a customer login cannot be linked to a record that is not there, without identity importing
 * customers.
 */
@Injectable()
export class CustomerRecords {
  private lookup?: CustomerExists;

  register(lookup: CustomerExists): void {
    this.lookup = lookup;
  }

  /** True when no customers module is loaded (nothing to check against) or the record exists. */
  async exists(ctx: RequestContext, customerId: string): Promise<boolean> {
    return this.lookup ? this.lookup(ctx, customerId) : true;
  }
}
