import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { AlertsService } from './alerts.service';
import { MailProcessor } from './mail.processor';
import { MailService } from './mail.service';
import { MailTransportService } from './mail-transport.service';
import { NotificationsRepository } from './notifications.repository';
import { OutboundEmailsRetention } from './outbound-emails.retention';

/** E-mail: the outbound_emails outbox, the mail queue's handlers, templates, and inventory alerts. */
@Module({
  imports: [IdentityModule],
  providers: [NotificationsRepository, MailService, MailTransportService, MailProcessor, AlertsService, OutboundEmailsRetention],
  exports: [MailService, AlertsService],
})
export class NotificationsModule {}
