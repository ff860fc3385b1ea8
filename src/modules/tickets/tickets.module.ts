import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { CustomersService } from '../customers/customers.service';
import { EventsModule } from '../events/events.module';
import { IdentityModule } from '../identity/identity.module';
import { TenantContactsService } from '../identity/tenant-contacts.service';
import { MailService } from '../notifications/mail.service';
import { NotificationsModule } from '../notifications/notifications.module';
import { NotFoundError } from '../../platform/errors/domain-errors';
import { TicketDepartmentsController } from './ticket-departments.controller';
import { TicketDepartmentsService } from './ticket-departments.service';
import { TICKET_MAIL, TICKET_PARTIES, type TicketMail, type TicketParties } from './ticket-parties.port';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

/**
 * Support tickets (the hosting API's tickets) and the tenant's ticket departments. Reaches customers,
 * the tenant's contacts and the mail queue only through its ports, bound here to what those modules export.
 */
@Module({
  imports: [EventsModule, CustomersModule, IdentityModule, NotificationsModule],
  controllers: [TicketsController, TicketDepartmentsController],
  providers: [
    TicketsRepository, TicketsService, TicketDepartmentsService,
    {
      provide: TICKET_PARTIES,
      inject: [CustomersService, TenantContactsService],
      useFactory: (customers: CustomersService, contacts: TenantContactsService): TicketParties => ({
        customerContact: (ctx, customerId) =>
          customers.getOrThrow(ctx, customerId).then(
            (c) => ({ email: c.email, name: `${c.firstName} ${c.lastName}`.trim() }),
            (err) => (err instanceof NotFoundError ? null : Promise.reject(err)),
          ),
        staffRecipients: (ctx) => contacts.alertRecipients(ctx),
      }),
    },
    {
      provide: TICKET_MAIL,
      inject: [MailService],
      useFactory: (mail: MailService): TicketMail => ({
        send: async (ctx, message) => {
          await mail.enqueue(ctx, { template: 'ticket', ...message });
        },
      }),
    },
  ],
  exports: [TicketsService],
})
export class TicketsModule {}
