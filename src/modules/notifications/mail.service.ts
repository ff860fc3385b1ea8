import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { typeid } from 'typeid-js';
import type { RequestContext } from '../../platform/context/request-context';
import { ValidationError } from '../../platform/errors/domain-errors';
import { QueueService } from '../../platform/queue/queue.service';
import { isDeliverableEmail } from '../../platform/validation/email';
import { Clock } from '../../platform/clock/clock';
import { RateLimitError } from '../../platform/errors/domain-errors';
import { TenantVerificationService } from '../identity/tenant-verification.service';
import { MailQuota } from './mail-quota';
import { NotificationsRepository } from './notifications.repository';
import { isMailTemplate, renderMail, TemplateDataError, type MailTemplate } from './templates';

export interface MailMessage {
  template: MailTemplate;
  to: string[];
  data: Record<string, unknown>;
  /** Unique per tenant and mode: the same key never yields a second e-mail (e.g. the event id). */
  dedupeKey: string;
  /**
   * Over a live send quota: `refuse` (a tenant's own send request: 429, nothing queued; needs the
   * caller's transaction) or `defer` (system mail: queued, sent when the quota window has passed).
   */
  overQuota?: 'refuse' | 'defer';
  /** The sign-up verification link: the one live mail a tenant sends before its owner is verified. */
  beforeVerification?: boolean;
}

export interface EnqueuedMail {
  /** The outbound_emails row (`eml_…`). */
  id: string;
  /** False when a row with this dedupe key already existed: nothing new was queued. */
  created: boolean;
  status: 'queued' | 'sent' | 'recorded' | 'failed';
}

export interface MailJobData {
  email_id: string;
  tenant_id: string;
  mode: 'live' | 'test';
}

/** Retries of one send: 5 tries, 2 s, 4 s, 8 s, 16 s apart. */
export const MAIL_JOB_OPTIONS: JobsOptions = { attempts: 5, backoff: { type: 'exponential', delay: 2000 } };
/** A queued row older than this with no live job is queued again by `mail:requeue-stale`. */
export const STALE_AFTER_SECONDS = 60;

/** The BullMQ job id of a row: one job per row, so two jobs never race for the same e-mail. */
export function mailJobId(emailId: string): string {
  return `mail-${emailId}`;
}

/** Queues e-mails. Other modules call `enqueue` (invoices, tickets) or AlertsService (inventory). */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly queues: QueueService,
    private readonly quota: MailQuota,
    private readonly clock: Clock,
    private readonly verification: TenantVerificationService,
  ) {}

  /**
   * Inserts the e-mail row (inside the caller's transaction when `ctx` carries one) and queues
   * `mail:send`. Idempotent on `dedupeKey`: a second call returns the first row and sends nothing new.
   *
   * The row is the source of truth; the job is only a wake-up. Enqueueing after the insert can be
   * lost if the process dies in between (or Redis is down, or the caller's transaction commits
   * after the job first runs): the caller retries with the same dedupe key (the event relay does),
   * which re-enqueues the same job id safely, and `requeueStale` (every minute) re-enqueues any
   * row still queued after a minute. Hence a failed enqueue is logged here, not thrown.
   */
  async enqueue(ctx: RequestContext, message: MailMessage): Promise<EnqueuedMail> {
    if (!isMailTemplate(message.template)) throw new ValidationError(`unknown mail template ${String(message.template)}`, [{ field: 'template', message: 'unknown template' }]);
    const recipients = normaliseRecipients(message.to);
    if (typeof message.dedupeKey !== 'string' || message.dedupeKey.length === 0 || message.dedupeKey.length > 255) {
      throw new ValidationError('dedupeKey must be 1–255 characters', [{ field: 'dedupeKey', message: 'must be 1–255 characters' }]);
    }
    if (!message.beforeVerification) await this.verification.assertLiveAllowed(ctx, 'Live e-mail');
    let subject: string;
    try {
      subject = renderMail(message.template, message.data).subject;
    } catch (err) {
      if (err instanceof TemplateDataError) throw new ValidationError(err.message, [{ field: 'data', message: err.message }]);
      throw err;
    }
    const row = await this.repo.insertIfAbsent(ctx, {
      id: typeid('eml').toString(),
      template: message.template,
      recipients,
      subject,
      data: message.data,
      dedupeKey: message.dedupeKey,
      quotaTaken: message.overQuota === 'refuse',
    });
    if (row.created && message.overQuota === 'refuse') {
      const decision = await this.quota.take(ctx, recipients);
      if (!decision.allowed) {
        await this.repo.remove(ctx, row.id);
        await this.quota.record(ctx, 'refused');
        throw new RateLimitError(decision.retryAfterSeconds);
      }
    }
    if (row.status === 'queued') await this.wake({ email_id: row.id, tenant_id: row.tenantId, mode: row.mode });
    return { id: row.id, created: row.created, status: row.status };
  }

  /**
   * Re-enqueues queued rows older than a minute that no worker holds: a job lost between insert and
   * enqueue, or one that gave up while the row was not yet committed. Returns how many were queued.
   */
  async requeueStale(ctx: RequestContext, limit = 500): Promise<number> {
    const stale = await this.repo.findStaleQueued(ctx, STALE_AFTER_SECONDS, limit, this.clock.now());
    let queued = 0;
    for (const row of stale) {
      const job = await this.queues.queue('mail').getJob(mailJobId(row.id));
      if (job) {
        const state = await job.getState();
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue; // waiting, delayed or running
        await job.remove().catch(() => undefined); // a finished job keeps its id; make room for a new one
      }
      if (await this.wake({ email_id: row.id, tenant_id: row.tenantId, mode: row.mode })) queued++;
    }
    return queued;
  }

  private async wake(data: MailJobData): Promise<boolean> {
    try {
      await this.queues.enqueue('mail', 'send', data, { ...MAIL_JOB_OPTIONS, jobId: mailJobId(data.email_id) });
      return true;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, email_id: data.email_id }, 'could not enqueue mail:send; requeue-stale will retry');
      return false;
    }
  }
}

function normaliseRecipients(to: unknown): string[] {
  if (!Array.isArray(to)) throw new ValidationError('to must be a list of e-mail addresses', [{ field: 'to', message: 'must be a list' }]);
  // The domain is case-insensitive, the local part in principle is not: only the domain is folded.
  const fold = (a: string) => { const at = a.lastIndexOf('@'); return at < 0 ? a : a.slice(0, at) + a.slice(at).toLowerCase(); };
  const unique = [...new Set(to.map((a) => (typeof a === 'string' ? fold(a.trim()) : '')))];
  const bad = unique.filter((a) => !isDeliverableEmail(a));
  if (unique.length === 0 || bad.length > 0) {
    throw new ValidationError('to must hold at least one valid e-mail address', [{ field: 'to', message: bad.length ? `invalid: ${bad.join(', ')}` : 'empty' }]);
  }
  if (unique.length > 50) throw new ValidationError('at most 50 recipients', [{ field: 'to', message: 'at most 50 recipients' }]);
  return unique;
}
