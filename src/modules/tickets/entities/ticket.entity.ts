import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { TicketAuthorType, TicketPriority, TicketStatus } from '../ticket-status';

/**
 * A support ticket of one customer. `status` moves only by guarded UPDATEs (`ticket-status.ts`);
 * `message_count`, `last_reply_at` and `last_reply_by` are kept with each message so lists need no join.
 */
@Entity('tickets')
@Index('idx_tickets_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_tickets_updated', ['tenantId', 'mode', 'updatedAt', 'id'])
@Index('idx_tickets_customer', ['tenantId', 'mode', 'customerId', 'createdAt'])
export class TicketEntity {
  /** Leads the primary key, as a distributed PostgreSQL (distribution column tenant_id) needs. */
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @IdColumn() id: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'text' }) priority: TicketPriority;
  @Column({ type: 'text' }) status: TicketStatus;
  /** A department key of the tenant when the ticket was opened (it stays if the department is removed later). */
  @Column({ type: 'text', nullable: true }) department: string | null;
  @Column({ name: 'message_count', type: 'integer' }) messageCount: number;
  @Column({ name: 'last_reply_at', type: 'timestamptz', precision: 3 }) lastReplyAt: Date;
  @Column({ name: 'last_reply_by', type: 'text' }) lastReplyBy: TicketAuthorType;
  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true }) closedAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

/** One message of a ticket's conversation: the opening message or a reply. */
@Entity('ticket_messages')
@Index('idx_ticket_messages_ticket', ['tenantId', 'mode', 'ticketId', 'createdAt'])
export class TicketMessageEntity {
  /** Leads the primary key, as a distributed PostgreSQL (distribution column tenant_id) needs. */
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @IdColumn() id: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'ticket_id', type: 'text' }) ticketId: string;
  @Column({ name: 'author_type', type: 'text' }) authorType: TicketAuthorType;
  /** The user (`usr_…`) or API key (`key_…`) that wrote it. */
  @Column({ name: 'author_id', type: 'text', nullable: true }) authorId: string | null;
  @Column({ type: 'text' }) body: string;
  @CreatedAt() createdAt: Date;
}

/** A department a tenant's tickets may name (per mode): configuration, not code. */
@Entity('ticket_departments')
export class TicketDepartmentEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @PrimaryColumn({ type: 'text' }) key: string;
  @Column({ type: 'text' }) name: string;
  /** Where customer messages of this department are e-mailed; null = the tenant's owners and admins. */
  @Column({ type: 'text', nullable: true }) email: string | null;
  @CreatedAt() createdAt: Date;
}
