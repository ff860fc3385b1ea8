import type { CustomerStatus } from './entities/customer.entity';

/**
 * A customer as other modules see it: a plain read model, never the TypeORM entity (which stays
 * inside this module, so no other module can save it or lazy-load from it).
 */
export interface CustomerRecord {
  id: string;
  /** Always lower-cased. */
  email: string;
  firstName: string;
  lastName: string;
  accountRefId: string | null;
  status: CustomerStatus;
}
