import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { EventsService } from '../events/events.service';
import type { TicketDepartmentEntity, TicketEntity, TicketMessageEntity } from './entities/ticket.entity';
import { TICKET_MAIL, TICKET_PARTIES, type TicketMail, type TicketParties } from './ticket-parties.port';
import { CLOSABLE_FROM, replyableFrom, statusAfterMessage, type TicketAuthorType } from './ticket-status';
import { toTicket, toTicketDetail, toTicketMessage } from './tickets.mappers';
import { TicketsRepository, type TicketFilters, type TicketSort } from './tickets.repository';

interface Author {
  type: TicketAuthorType;
  id: string | null;
}

/**
 * Support tickets: opening, replies from either side (a customer reply reopens a closed ticket),
 * closing, and the reads. Each change runs in one transaction with its event and the e-mail to the
 * other party (an outbound_emails row, sent by the worker).
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    @Inject(TICKET_PARTIES) private readonly parties: TicketParties,
    @Inject(TICKET_MAIL) private readonly mail: TicketMail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // --- reads
  async list(ctx: RequestContext, page: PageQuery, sort: { sort: TicketSort; order: SortOrder }, filters: TicketFilters): Promise<Page<Schemas['Ticket']>> {
    const scope = ctx.customerScope;
    if (scope !== null) filters = { ...filters, customerId: filters.customerId !== undefined && filters.customerId !== scope ? '-' : scope };
    return (await this.repo.listTickets(ctx, page, sort, filters)).map(toTicket);
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['TicketDetail']> {
    const ticket = await this.getOrThrow(ctx, id);
    return toTicketDetail(ticket, await this.repo.messagesOf(ctx, ticket.id));
  }

  /** The ticket of this tenant and mode (and, for a customer, of its own customer), or 404. */
  private async getOrThrow(ctx: RequestContext, id: string, forUpdate = false): Promise<TicketEntity> {
    const tid = parseIdOr404(id, 'tkt', 'ticket');
    const ticket = forUpdate ? await this.repo.findTicketForUpdate(ctx, tid) : await this.repo.findTicket(ctx, tid);
    const scope = ctx.customerScope;
    if (!ticket || (scope !== null && ticket.customerId !== scope)) throw new NotFoundError('ticket', id);
    return ticket;
  }

  // --- changes
  async create(ctx: RequestContext, body: Schemas['CreateTicketRequest']): Promise<Schemas['TicketDetail']> {
    const author = authorOf(ctx);
    return this.tx.run(ctx, async (txCtx) => {
      const scope = txCtx.customerScope;
      const customer = scope === null || scope === body.customer_id ? await this.parties.customerContact(txCtx, body.customer_id) : null;
      if (!customer) throw new NotFoundError('customer', body.customer_id);
      const department = body.department !== undefined ? await this.repo.findDepartment(txCtx, body.department) : null;
      if (body.department !== undefined && !department) {
        throw new ValidationError(`No such ticket department: '${body.department}'`, [{ field: 'department', message: 'must be a key of GET /settings/ticket-departments' }]);
      }
      const now = new Date();
      const ticket = await this.repo.insertTicket(txCtx, {
        id: newId('tkt'),
        customerId: body.customer_id,
        subject: body.subject,
        priority: body.priority,
        status: statusAfterMessage(author.type),
        department: department?.key ?? null,
        messageCount: 1,
        lastReplyAt: now,
        lastReplyBy: author.type,
        closedAt: null,
      });
      const message = await this.addMessage(txCtx, ticket, author, body.body);
      await this.events.record(txCtx, 'ticket.created', { ...toTicket(ticket), message: toTicketMessage(message) });
      await this.mailOtherParty(txCtx, ticket, author, { event: 'created', body: body.body, dedupeKey: `ticket-message:${message.id}`, customerEmail: customer.email, department });
      return toTicketDetail(ticket, [message]);
    });
  }

  /** Staff cannot answer a closed ticket (409); a customer's reply reopens it. */
  async reply(ctx: RequestContext, id: string, body: Schemas['ReplyTicketRequest']): Promise<Schemas['TicketDetail']> {
    const author = authorOf(ctx);
    return this.tx.run(ctx, async (txCtx) => {
      const ticket = await this.getOrThrow(txCtx, id, true);
      const from = replyableFrom(author.type);
      if (!from.includes(ticket.status)) {
        throw new ConflictError(`Ticket ${ticket.id} is ${ticket.status}: staff cannot reply until the customer reopens it by replying`, 'status');
      }
      const message = await this.addMessage(txCtx, ticket, author, body.body);
      const updated = await this.repo.update(txCtx, ticket.id, from, {
        status: statusAfterMessage(author.type),
        messageCount: ticket.messageCount + 1,
        lastReplyAt: message.createdAt,
        lastReplyBy: author.type,
        closedAt: null,
      });
      if (!updated) throw new ConflictError(`Ticket ${ticket.id} changed meanwhile; try again`);
      await this.events.record(txCtx, 'ticket.replied', { ...toTicket(updated), message: toTicketMessage(message) });
      await this.mailOtherParty(txCtx, updated, author, { event: 'replied', body: body.body, dedupeKey: `ticket-message:${message.id}` });
      return toTicketDetail(updated, await this.repo.messagesOf(txCtx, ticket.id));
    });
  }

  async close(ctx: RequestContext, id: string): Promise<Schemas['TicketDetail']> {
    const author = authorOf(ctx);
    return this.tx.run(ctx, async (txCtx) => {
      const ticket = await this.getOrThrow(txCtx, id, true);
      const closed = await this.repo.update(txCtx, ticket.id, CLOSABLE_FROM, { status: 'closed', closedAt: new Date() });
      if (!closed) throw new ConflictError(`Ticket ${ticket.id} is already closed; a customer reply reopens it`, 'status');
      await this.events.record(txCtx, 'ticket.closed', toTicket(closed));
      const by = author.type === 'staff' ? 'support' : 'the customer';
      await this.mailOtherParty(txCtx, closed, author, {
        event: 'closed',
        body: `This ticket was closed by ${by}. A reply from the customer reopens it.`,
        dedupeKey: `ticket-closed:${closed.id}:${closed.closedAt!.toISOString()}`,
      });
      return toTicketDetail(closed, await this.repo.messagesOf(txCtx, ticket.id));
    });
  }

  private addMessage(ctx: RequestContext, ticket: TicketEntity, author: Author, body: string): Promise<TicketMessageEntity> {
    return this.repo.insertMessage(ctx, { id: newId('tkm'), ticketId: ticket.id, authorType: author.type, authorId: author.id, body });
  }

  /**
   * Staff wrote → the customer is e-mailed; the customer wrote → the ticket's department address, else
   * the tenant's owners and admins. The row joins the change's transaction (dedupe key: the message).
   */
  private async mailOtherParty(
    ctx: RequestContext,
    ticket: TicketEntity,
    author: Author,
    mail: { event: 'created' | 'replied' | 'closed'; body: string; dedupeKey: string; customerEmail?: string; department?: TicketDepartmentEntity | null },
  ): Promise<void> {
    let to: string[];
    if (author.type === 'staff') {
      const email = mail.customerEmail ?? (await this.parties.customerContact(ctx, ticket.customerId))?.email;
      to = email ? [email] : [];
    } else {
      const department = mail.department !== undefined ? mail.department : ticket.department ? await this.repo.findDepartment(ctx, ticket.department) : null;
      to = department?.email ? [department.email] : await this.parties.staffRecipients(ctx);
    }
    if (to.length === 0) return; // nobody to tell (a customer without e-mail, a tenant without admins)
    await this.mail.send(ctx, {
      to,
      data: { subject: ticket.subject, body: mail.body, url: this.ticketUrl(ticket.id), ticket_id: ticket.id, event: mail.event },
      dedupeKey: mail.dedupeKey,
    });
  }

  private ticketUrl(id: string): string {
    const base = (this.config.PUBLIC_BASE_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/+$/, '');
    return `${base}/api/v1/tickets/${id}`;
  }
}

/** The customer side is a customer user or its personal token; staff is everyone else (staff users, API keys). */
function authorOf(ctx: RequestContext): Author {
  const { actor } = ctx;
  const side: TicketAuthorType = ctx.customerScope !== null ? 'customer' : 'staff';
  switch (actor.kind) {
    case 'user':
    case 'customer_token':
      return { type: side, id: actor.userId };
    case 'api_key':
      return { type: side, id: actor.keyId };
    default:
      return { type: side, id: null };
  }
}
