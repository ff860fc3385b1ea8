import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { Mode, RequestContext } from '../../platform/context/request-context';
import { OutboundEmailEntity, type OutboundEmailStatus } from './entities/outbound-email.entity';

export interface NewOutboundEmail {
  id: string;
  template: string;
  recipients: string[];
  subject: string;
  data: Record<string, unknown>;
  dedupeKey: string;
  /** Counted against the send quota by the caller already (the send route). */
  quotaTaken?: boolean;
}

export interface EmailRef {
  id: string;
  tenantId: string;
  mode: Mode;
  status: OutboundEmailStatus;
}

/** How long a worker's claim on a row lasts; longer than any SMTP exchange (nodemailer times out first). */
export const CLAIM_SECONDS = 120;

/**
 * Queries of the notifications module. Tenant-facing writes go through `ctx.tenant`/`ctx.mode`;
 * the worker's calls are keyed by row id plus the tenant and mode the job carries, and
 * `findStaleQueued` is the one maintenance scan across tenants.
 */
@Injectable()
export class NotificationsRepository extends TenantScopedRepository {
  /** INSERT … ON CONFLICT DO NOTHING on (tenant, mode, dedupe_key); returns the new or the existing row. */
  async insertIfAbsent(ctx: RequestContext, row: NewOutboundEmail): Promise<EmailRef & { created: boolean }> {
    const m = this.m(ctx);
    const inserted: { id: string; status: OutboundEmailStatus }[] = await m.query(
      `INSERT INTO outbound_emails (id, tenant_id, mode, template, recipients, subject, data, dedupe_key, status, attempts, quota_taken)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7::jsonb, $8, 'queued', 0, $9)
       ON CONFLICT (tenant_id, mode, dedupe_key) DO NOTHING
       RETURNING id, status`,
      [row.id, ctx.tenant, ctx.mode, row.template, row.recipients, row.subject, JSON.stringify(row.data), row.dedupeKey, row.quotaTaken ?? false],
    );
    if (inserted.length > 0) return { id: inserted[0].id, tenantId: ctx.tenant, mode: ctx.mode, status: inserted[0].status, created: true };
    const existing = await m.findOneOrFail(OutboundEmailEntity, {
      where: { tenantId: ctx.tenant, mode: ctx.mode, dedupeKey: row.dedupeKey },
      select: { id: true, status: true },
    });
    return { id: existing.id, tenantId: ctx.tenant, mode: ctx.mode, status: existing.status, created: false };
  }

  find(ctx: RequestContext, id: string): Promise<OutboundEmailEntity | null> {
    return this.m(ctx).findOneBy(OutboundEmailEntity, { id, tenantId: ctx.tenant, mode: ctx.mode });
  }

  /**
   * Takes the row for one send attempt: only a `queued` row nobody else holds (or whose holder's
   * claim expired). Counts the attempt. Null when the row is missing, done, or held by another job.
   */
  async claim(ctx: RequestContext, id: string): Promise<OutboundEmailEntity | null> {
    const rows: { id: string }[] = await this.m(ctx).query(
      `UPDATE outbound_emails SET locked_until = now() + make_interval(secs => $4), attempts = attempts + 1
       WHERE id = $1 AND tenant_id = $2 AND mode = $3 AND status = 'queued' AND (locked_until IS NULL OR locked_until < now())
       RETURNING id`,
      [id, ctx.tenant, ctx.mode, CLAIM_SECONDS],
    );
    return rows.length > 0 ? this.find(ctx, id) : null;
  }

  async markDone(ctx: RequestContext, id: string, status: 'sent' | 'recorded', messageId: string | null): Promise<void> {
    await this.m(ctx).update(
      OutboundEmailEntity,
      { id, tenantId: ctx.tenant, mode: ctx.mode },
      { status, messageId, error: null, lockedUntil: null, sentAt: () => 'now()' },
    );
  }

  /** Records a failed attempt and releases the claim; `final` marks the row failed for good. */
  async markAttemptFailed(ctx: RequestContext, id: string, error: string, final: boolean): Promise<void> {
    await this.m(ctx).update(
      OutboundEmailEntity,
      { id, tenantId: ctx.tenant, mode: ctx.mode, status: 'queued' },
      { error: error.slice(0, 2000), lockedUntil: null, ...(final ? { status: 'failed' as const } : {}) },
    );
  }

  /** A row the send route inserted and then could not count against the quota: it never existed. */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).delete(OutboundEmailEntity, { id, tenantId: ctx.tenant, mode: ctx.mode, status: 'queued' });
  }

  async markQuotaTaken(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).update(OutboundEmailEntity, { id, tenantId: ctx.tenant, mode: ctx.mode }, { quotaTaken: true, deferredUntil: null });
  }

  /** Over quota: the row stays queued, released, and waits until `until`; the attempt is not counted. */
  async defer(ctx: RequestContext, id: string, until: Date): Promise<void> {
    await this.m(ctx).query(
      `UPDATE outbound_emails SET deferred_until = $4, locked_until = NULL, attempts = greatest(attempts - 1, 0)
       WHERE id = $1 AND tenant_id = $2 AND mode = $3 AND status = 'queued'`,
      [id, ctx.tenant, ctx.mode, until],
    );
  }

  /**
   * Maintenance, across tenants: queued rows that no worker holds, older than `olderThanSeconds`
   * (a lost job) or deferred until `now` or earlier (their quota window has passed; `now` is the
   * injected clock's, as the quota windows are).
   */
  async findStaleQueued(ctx: RequestContext, olderThanSeconds: number, limit: number, now: Date = new Date()): Promise<{ id: string; tenantId: string; mode: Mode }[]> {
    const rows: { id: string; tenant_id: string; mode: Mode }[] = await this.tx.acrossTenants('mail_requeue_sweep', (m) => m.query(
      `SELECT id, tenant_id, mode FROM outbound_emails
       WHERE status = 'queued'
         AND ((deferred_until IS NULL AND created_at < now() - make_interval(secs => $1)) OR deferred_until <= $3)
         AND (locked_until IS NULL OR locked_until < now())
       ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit, now],
    ), ctx);
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, mode: r.mode }));
  }
}
