import type { Schemas } from '../../platform/openapi/schemas';
import type { TicketDepartmentEntity, TicketEntity, TicketMessageEntity } from './entities/ticket.entity';

export function toTicket(t: TicketEntity): Schemas['Ticket'] {
  return {
    id: t.id,
    customer_id: t.customerId,
    subject: t.subject,
    priority: t.priority,
    status: t.status,
    department: t.department,
    message_count: t.messageCount,
    last_reply_at: t.lastReplyAt.toISOString(),
    last_reply_by: t.lastReplyBy,
    closed_at: t.closedAt?.toISOString() ?? null,
    livemode: t.mode === 'live',
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

export function toTicketMessage(m: TicketMessageEntity): Schemas['TicketMessage'] {
  return { id: m.id, author_type: m.authorType, author_id: m.authorId, body: m.body, created_at: m.createdAt.toISOString() };
}

export function toTicketDetail(t: TicketEntity, messages: readonly TicketMessageEntity[]): Schemas['TicketDetail'] {
  return { ...toTicket(t), messages: messages.map(toTicketMessage) };
}

export function toTicketDepartment(d: TicketDepartmentEntity): Schemas['TicketDepartment'] {
  return { key: d.key, name: d.name, email: d.email };
}
