import type { RequestContext } from '../../platform/context/request-context';

/** What tickets need to know about a customer: where to e-mail it. */
export interface TicketCustomerContact {
  email: string;
  name: string;
}

/**
 * The tickets module's ports: the customer record a ticket is about, the tenant's own people (who
 * hear from customers when a department names no address), and the mail queue. Bound in
 * tickets.module.ts to the services the customers, identity and notifications modules export.
 */
export interface TicketParties {
  /** The customer of ctx's tenant and mode, or null when there is none. */
  customerContact(ctx: RequestContext, customerId: string): Promise<TicketCustomerContact | null>;
  /** The tenant's owners' and admins' e-mail addresses. */
  staffRecipients(ctx: RequestContext): Promise<string[]>;
}

export interface TicketMail {
  /** Queues the `ticket` template (inside ctx's transaction); the same dedupe key never sends twice. */
  send(ctx: RequestContext, message: { to: string[]; data: Record<string, unknown>; dedupeKey: string }): Promise<void>;
}

export const TICKET_PARTIES = Symbol('TICKET_PARTIES');
export const TICKET_MAIL = Symbol('TICKET_MAIL');
