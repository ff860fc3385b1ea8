export const TICKET_STATUSES = ['open', 'answered', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketAuthorType = 'staff' | 'customer';

/** A ticket waits for whoever did not speak last: staff spoke → `answered`, the customer spoke → `open`. */
export function statusAfterMessage(author: TicketAuthorType): TicketStatus {
  return author === 'staff' ? 'answered' : 'open';
}

/**
 * The statuses a reply by `author` may start from. The customer may reply to any ticket (a reply
 * reopens a closed one); staff may not reply to a closed ticket: the customer reopens it.
 */
export function replyableFrom(author: TicketAuthorType): readonly TicketStatus[] {
  return author === 'customer' ? TICKET_STATUSES : ['open', 'answered'];
}

/** Closing is possible from every status but `closed`. */
export const CLOSABLE_FROM: readonly TicketStatus[] = ['open', 'answered'];
