import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { IdentityRepository } from './identity.repository';

/** Roles whose users receive a tenant's operational alerts (inventory, later billing). */
export const ALERT_RECIPIENT_ROLES = ['owner', 'admin'] as const;

/** Who to tell about a tenant's operations; used by notifications. */
@Injectable()
export class TenantContactsService {
  constructor(private readonly repo: IdentityRepository) {}

  /** The e-mail addresses of the tenant's owners and admins (`ctx.tenant`), oldest first. */
  alertRecipients(ctx: RequestContext): Promise<string[]> {
    return this.repo.userEmailsByRoles(ctx, ALERT_RECIPIENT_ROLES);
  }

  /** How many customer logins point at this customer record (they would be orphaned by its deletion). */
  customerLoginCount(ctx: RequestContext, customerId: string): Promise<number> {
    return this.repo.countCustomerUsers(ctx, customerId);
  }
}
