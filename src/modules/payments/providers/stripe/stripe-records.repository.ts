import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { scopedManager, scopeOf } from '../../../../database/tenant-scope';
import type { RequestContext } from '../../../../platform/context/request-context';

export type StripeLinkKind = 'customer' | 'dispute' | 'refund' | 'checkout';

/**
 * `stripe_links` and `stripe_webhook_events`. Autocommit on the pool (never the caller's
 * transaction): what Stripe did is true whatever becomes of our transaction afterwards.
 */
@Injectable()
export class StripeRecordsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(ctx: RequestContext) {
    return scopedManager(this.dataSource, scopeOf(ctx));
  }

  /** Links a Stripe object to ours unless one is linked already; returns the Stripe id that is linked. */
  async link(ctx: RequestContext, kind: StripeLinkKind, localId: string, stripeId: string): Promise<string> {
    await this.db(ctx).query(
      `INSERT INTO stripe_links (tenant_id, mode, stripe_id, kind, local_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [ctx.tenant, ctx.mode, stripeId, kind, localId],
    );
    return (await this.stripeIdOf(ctx, kind, localId)) ?? stripeId;
  }

  /**
   * Inside the caller's transaction (the one recording what the Stripe object means for us): links it,
   * or answers false when the Stripe object was linked already — then it was recorded before.
   */
  async linkOnce(txCtx: RequestContext, kind: StripeLinkKind, localId: string, stripeId: string): Promise<boolean> {
    if (!txCtx.manager) throw new Error('linkOnce runs inside the transaction that records the object');
    const rows: unknown[] = await txCtx.manager.query(
      `INSERT INTO stripe_links (tenant_id, mode, stripe_id, kind, local_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING stripe_id`,
      [txCtx.tenant, txCtx.mode, stripeId, kind, localId],
    );
    return rows.length > 0;
  }

  async stripeIdOf(ctx: RequestContext, kind: StripeLinkKind, localId: string): Promise<string | null> {
    const rows: { stripe_id: string }[] = await this.db(ctx).query(
      'SELECT stripe_id FROM stripe_links WHERE tenant_id = $1 AND mode = $2 AND kind = $3 AND local_id = $4',
      [ctx.tenant, ctx.mode, kind, localId],
    );
    return rows[0]?.stripe_id ?? null;
  }

  async localIdOf(ctx: RequestContext, kind: StripeLinkKind, stripeId: string): Promise<string | null> {
    const rows: { local_id: string }[] = await this.db(ctx).query(
      'SELECT local_id FROM stripe_links WHERE tenant_id = $1 AND mode = $2 AND kind = $3 AND stripe_id = $4',
      [ctx.tenant, ctx.mode, kind, stripeId],
    );
    return rows[0]?.local_id ?? null;
  }

  /** Notes a received event; false when it was processed before (a redelivery). */
  async receive(ctx: RequestContext, eventId: string, type: string): Promise<boolean> {
    const rows: { processed_at: Date | null }[] = await this.db(ctx).query(
      `INSERT INTO stripe_webhook_events (tenant_id, mode, event_id, type) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, mode, event_id) DO UPDATE SET type = EXCLUDED.type
       RETURNING processed_at`,
      [ctx.tenant, ctx.mode, eventId, type],
    );
    return rows[0]?.processed_at === null;
  }

  async processed(ctx: RequestContext, eventId: string): Promise<void> {
    await this.db(ctx).query(
      'UPDATE stripe_webhook_events SET processed_at = now() WHERE tenant_id = $1 AND mode = $2 AND event_id = $3 AND processed_at IS NULL',
      [ctx.tenant, ctx.mode, eventId],
    );
  }
}
