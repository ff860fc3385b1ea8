import { Injectable } from '@nestjs/common';
import { withCrossTenant } from '../../database/tenant-scope';
import type { EntityManager } from 'typeorm';
import type { Mode } from '../../platform/context/request-context';

/** An event the relay claimed, with what it needs to retry only the subscribers that failed. */
export interface ClaimedEvent {
  id: string;
  tenant_id: string;
  mode: Mode;
  type: string;
  data: { object: Record<string, unknown> };
  created_at: Date;
  relay_attempts: number;
  relay_pending: string[] | null;
  trace_parent: string | null;
}

/** How many due events the claim looks at to share one batch fairly between tenants. */
const FAIRNESS_WINDOW = 20;

/**
 * The relay's SQL on the events table. It crosses tenants by design: the relay serves every
 * tenant's outbox, and each claimed row carries its own tenant and mode, which every subscriber
 * then works under. Nothing here is reachable from a request.
 */
@Injectable()
export class OutboxRepository {
  /**
   * Claims due events: not relayed, not dead-lettered, and not waiting for a retry. Within the
   * oldest due events, tenants take turns (each tenant's oldest first, then each one's second…),
   * so one tenant's backlog cannot fill the batch. FOR UPDATE SKIP LOCKED lets relays run side by side.
   */
  claimDue(manager: EntityManager, limit: number): Promise<ClaimedEvent[]> {
    return withCrossTenant(manager, 'outbox_relay', (manager) => manager.query(
      `WITH due AS (
         SELECT id, tenant_id, created_at FROM events
          WHERE relayed_at IS NULL AND dead_lettered_at IS NULL AND (relay_retry_at IS NULL OR relay_retry_at <= now())
          ORDER BY created_at, id LIMIT $2
       ), turns AS (
         SELECT id, created_at, row_number() OVER (PARTITION BY tenant_id ORDER BY created_at, id) AS turn FROM due
       )
       SELECT e.id, e.tenant_id, e.mode, e.type, e.data, e.created_at, e.relay_attempts, e.relay_pending, e.trace_parent
         FROM events e JOIN turns t ON t.id = e.id
        ORDER BY t.turn, t.created_at, t.id
        LIMIT $1
        FOR UPDATE OF e SKIP LOCKED`,
      [limit, limit * FAIRNESS_WINDOW],
    ));
  }

  async markRelayed(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await withCrossTenant(manager, 'outbox_relay', (manager) => manager.query(
      `UPDATE events SET relayed_at = now(), relay_retry_at = NULL, relay_pending = NULL WHERE id = ANY($1::text[])`,
      [ids],
    ));
  }

  /** Records a failed try: retried at `retryAt` for the `pending` subscribers, or dead-lettered when `retryAt` is null. */
  async markFailed(manager: EntityManager, id: string, failure: { attempts: number; error: string; pending: string[]; retryAt: Date | null }): Promise<void> {
    await withCrossTenant(manager, 'outbox_relay', (manager) => manager.query(
      `UPDATE events SET relay_attempts = $2, relay_error = $3, relay_pending = $4::text[], relay_retry_at = $5,
              dead_lettered_at = CASE WHEN $5::timestamptz IS NULL THEN now() ELSE NULL END
        WHERE id = $1`,
      [id, failure.attempts, failure.error, failure.pending, failure.retryAt],
    ));
  }
}
