import { Module } from '@nestjs/common';
import { EVENT_SUBSCRIBER } from '../events/event-subscriber.port';
import { VERIFICATION_MAILER } from '../identity/verification-mail.port';
import { IdentityModule } from '../identity/identity.module';
import { AlertsService } from './alerts.service';
import { InventoryAlertSubscriber } from './inventory-alert.subscriber';
import { MailProcessor } from './mail.processor';
import { MailQuota } from './mail-quota';
import { MailService } from './mail.service';
import { MailTransportService } from './mail-transport.service';
import { NotificationsRepository } from './notifications.repository';
import { OutboundEmailsRetention } from './outbound-emails.retention';
import { VerificationMailService } from './verification-mail.service';

/** E-mail: the outbound_emails outbox, the mail queue's handlers, templates, and inventory alerts (an events subscriber). */
@Module({
  imports: [IdentityModule],
  providers: [
    NotificationsRepository, MailQuota, MailService, MailTransportService, MailProcessor, AlertsService, InventoryAlertSubscriber, OutboundEmailsRetention, VerificationMailService,
    { provide: EVENT_SUBSCRIBER, useExisting: InventoryAlertSubscriber },
    { provide: VERIFICATION_MAILER, useExisting: VerificationMailService },
  ],
  exports: [MailService, AlertsService],
})
export class NotificationsModule {}
