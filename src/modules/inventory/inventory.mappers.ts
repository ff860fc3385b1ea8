import type { Schemas } from '../../platform/openapi/schemas';
import type { LocationEntity } from './entities/location.entity';
import type { StockAlertEntity } from './entities/stock-alert.entity';
import type { StockLevelEntity } from './entities/stock-level.entity';
import type { StockMovementEntity } from './entities/stock-movement.entity';

export function toLocation(l: LocationEntity): Schemas['Location'] {
  return { id: l.id, name: l.name, code: l.code, address: l.address, created_at: l.createdAt.toISOString() };
}

export function toMovement(mv: StockMovementEntity): Schemas['StockMovement'] {
  return {
    id: mv.id,
    product_id: mv.productId,
    variant_id: mv.variantKey === '' ? null : mv.variantKey,
    location_id: mv.locationId,
    kind: mv.kind,
    reason: mv.reason,
    on_hand_delta: mv.quantityOnHandDelta,
    reserved_delta: mv.quantityReservedDelta,
    note: mv.note,
    reference: mv.reference,
    created_at: mv.createdAt.toISOString(),
  };
}

export function toAlert(a: StockAlertEntity): Schemas['StockAlert'] {
  return {
    id: a.id,
    product_id: a.productId,
    location_id: a.locationId,
    threshold: a.threshold,
    state: a.state,
    created_at: a.createdAt.toISOString(),
  };
}

/** Per-location sums of a set of levels, in location order. */
function byLocation(levels: StockLevelEntity[]): Schemas['StockAtLocation'][] {
  const sums = new Map<string, { on_hand: number; reserved: number }>();
  for (const l of levels) {
    const s = sums.get(l.locationId) ?? { on_hand: 0, reserved: 0 };
    s.on_hand += l.onHand;
    s.reserved += l.reserved;
    sums.set(l.locationId, s);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([location_id, s]) => ({ location_id, on_hand: s.on_hand, reserved: s.reserved, available: s.on_hand - s.reserved }));
}

function totals(levels: StockLevelEntity[]) {
  const on = levels.reduce((n, l) => n + l.onHand, 0);
  const res = levels.reduce((n, l) => n + l.reserved, 0);
  return { total_on_hand: on, total_reserved: res, total_available: on - res };
}

/** A product's stock: totals and locations over the product and all its variants, then per variant. */
export function toInventory(productId: string, levels: StockLevelEntity[]): Schemas['Inventory'] {
  const variantKeys = [...new Set(levels.filter((l) => l.variantKey !== '').map((l) => l.variantKey))].sort();
  return {
    product_id: productId,
    ...totals(levels),
    locations: byLocation(levels),
    variants: variantKeys.map((key) => {
      const own = levels.filter((l) => l.variantKey === key);
      return { variant_id: key, ...totals(own), locations: byLocation(own) };
    }),
  };
}
