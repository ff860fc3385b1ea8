import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RequestContext } from '../../platform/context/request-context';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { MailService, type MailJobData } from './mail.service';
import { MailQuota } from './mail-quota';
import { MailTransportService } from './mail-transport.service';
import { NotificationsRepository } from './notifications.repository';
import { isMailTemplate, renderMail } from './templates';

/** The row is not visible yet (its transaction has not committed) or another job holds it: retry later. */
export class MailNotReadyError extends Error {}

export type MailSendResult = 'sent' | 'recorded' | 'deferred' | `skipped:${string}`;

/** Worker side of e-mail: `mail:send` delivers one row, `mail:requeue-stale` sweeps lost jobs. */
@Injectable()
export class MailProcessor {
  private readonly logger = new Logger('MailProcessor');

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly mail: MailService,
    private readonly transport: MailTransportService,
    private readonly quota: MailQuota,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Idempotent: a row already sent, recorded or failed is left alone, and the claim on the row
   * keeps two jobs from sending it at once. Live mail goes to SMTP_URL; test-mode mail goes to
   * SANDBOX_SMTP_URL when set, else it is only recorded — sandbox mail never reaches a real inbox.
   * At-least-once remains: a crash after the SMTP server accepted and before the row is marked
   * sent re-sends once the claim expires; the fixed Message-ID lets receivers drop the duplicate.
   */
  @JobHandler('mail', 'send')
  async send(data: MailJobData, job?: Job): Promise<MailSendResult> {
    const ctx = RequestContext.system('mail-send', data.tenant_id, data.mode, `job_mail_${data.email_id}`);
    const row = await this.repo.claim(ctx, data.email_id);
    if (!row) {
      const current = await this.repo.find(ctx, data.email_id);
      if (!current) throw new MailNotReadyError(`outbound e-mail ${data.email_id} not found (not committed yet?)`);
      if (current.status !== 'queued') return `skipped:${current.status}`;
      throw new MailNotReadyError(`outbound e-mail ${data.email_id} is being sent by another job`);
    }

    if (!row.quotaTaken && row.mode === 'live') {
      // Queued system mail (alerts, dunning, invoice mail) over the send quota waits, never dropped.
      const decision = await this.quota.take(ctx, row.recipients);
      if (!decision.allowed) {
        await this.repo.defer(ctx, row.id, decision.until);
        await this.quota.record(ctx, 'deferred');
        return 'deferred';
      }
      await this.repo.markQuotaTaken(ctx, row.id);
    }
    const smtpUrl = row.mode === 'live' ? this.config.SMTP_URL : this.config.SANDBOX_SMTP_URL;
    if (!smtpUrl) {
      await this.repo.markDone(ctx, row.id, 'recorded', null);
      return 'recorded';
    }
    try {
      if (!isMailTemplate(row.template)) throw new Error(`unknown mail template ${row.template}`);
      const rendered = renderMail(row.template, row.data);
      const messageId = await this.transport.send(smtpUrl, {
        from: this.config.MAIL_FROM,
        to: row.recipients,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId: `<${row.id}@${mailDomain(this.config.MAIL_FROM)}>`,
      });
      await this.repo.markDone(ctx, row.id, 'sent', messageId);
      return 'sent';
    } catch (err) {
      const maxAttempts = job?.opts.attempts ?? 1;
      const final = !job || job.attemptsMade + 1 >= maxAttempts;
      await this.repo.markAttemptFailed(ctx, row.id, (err as Error).message ?? String(err), final);
      this.logger.warn({ email_id: row.id, attempt: row.attempts, final, err: (err as Error).message }, 'mail send failed');
      throw err;
    }
  }

  /** Every minute (SCHEDULED_JOBS): queues rows whose job was lost. */
  @JobHandler('mail', 'requeue-stale')
  async requeueStale(data: { limit?: number } = {}): Promise<number> {
    const limit = Number.isInteger(data?.limit) && data.limit! > 0 ? data.limit! : 500;
    const ctx = new RequestContext('job_mail_requeue_stale', null, 'live', { kind: 'system', name: 'mail-requeue-stale' }, null);
    return this.mail.requeueStale(ctx, limit);
  }
}

function mailDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match ? match[1] : 'localhost';
}
