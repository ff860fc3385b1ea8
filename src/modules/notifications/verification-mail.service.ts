import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { VerificationMailer } from '../identity/verification-mail.port';
import { MailService } from './mail.service';

/** Binds identity's VERIFICATION_MAILER: the sign-up link goes out as live mail, the one an unverified tenant may send. */
@Injectable()
export class VerificationMailService implements VerificationMailer {
  constructor(private readonly mail: MailService) {}

  async sendVerificationLink(ctx: RequestContext, mail: { to: string; tenantName: string; url: string; expiresAt: Date; dedupeKey: string }): Promise<void> {
    await this.mail.enqueue(ctx, {
      template: 'verify_email',
      to: [mail.to],
      data: { tenant_name: mail.tenantName, url: mail.url, expires_at: mail.expiresAt.toISOString() },
      dedupeKey: mail.dedupeKey,
      beforeVerification: true,
    });
  }
}
