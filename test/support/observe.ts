import { ownerDb } from './owner-db';
import type { DataOf, TypedApi } from './typed-api';

/**
 * What a test reads back to check an outcome: the tenant's events of a type, and the stock ledger
 * (every level next to the sum of its movements, read as the database owner).
 */

export type EventOf = DataOf<'/events', 'get'>[number];

/** The tenant's events of one type (newest first, up to 200), as `GET /events` lists them. */
export async function eventsOfType(api: TypedApi, type: string): Promise<EventOf[]> {
  const res = await api.get('/events', { query: { type, per_page: 200 } });
  if (res.status !== 200) throw new Error(`events: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

export interface LedgerRow {
  variant_key: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  on_hand_sum: number;
  reserved_sum: number;
}

/** For each stock level of the product: the ledger's deltas summed next to the level's columns. */
export async function stockLedger(tenantId: string, productId: string): Promise<LedgerRow[]> {
  return (await ownerDb()).query(
    `SELECT l.variant_key, l.location_id, l.on_hand, l.reserved,
            coalesce(sum(m.quantity_on_hand_delta), 0)::int AS on_hand_sum,
            coalesce(sum(m.quantity_reserved_delta), 0)::int AS reserved_sum
       FROM stock_levels l
       LEFT JOIN stock_movements m ON m.tenant_id = l.tenant_id AND m.mode = l.mode AND m.product_id = l.product_id
                                  AND m.variant_key = l.variant_key AND m.location_id = l.location_id
      WHERE l.tenant_id = $1 AND l.product_id = $2
      GROUP BY l.variant_key, l.location_id, l.on_hand, l.reserved`,
    [tenantId, productId],
  );
}
