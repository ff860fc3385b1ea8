/**
 * The shipment state machine as data.
 *
 *   label_created → in_transit → delivered
 *        │  └──────────┴─→ exception → in_transit | delivered
 *        └→ cancelled (before pickup only)
 *
 * A repeated update (in_transit while in_transit, exception while exception) is recorded in the
 * tracking history without moving the status or emitting another event.
 */
export const SHIPMENT_STATUSES = ['label_created', 'in_transit', 'delivered', 'exception', 'cancelled'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** Where a tracking event came from. */
export type TrackingSource = 'api' | 'carrier' | 'simulation';

/** What a carrier can report. */
export type TrackingUpdate = 'in_transit' | 'delivered' | 'exception';

export const SHIPMENT_TRANSITIONS: Readonly<Record<ShipmentStatus, readonly ShipmentStatus[]>> = {
  label_created: ['in_transit', 'delivered', 'exception', 'cancelled'],
  in_transit: ['delivered', 'exception'],
  exception: ['in_transit', 'delivered'],
  delivered: [],
  cancelled: [],
};

export const SHIPMENT_EVENT: Readonly<Record<TrackingUpdate, 'shipment.in_transit' | 'shipment.delivered' | 'shipment.exception'>> = {
  in_transit: 'shipment.in_transit',
  delivered: 'shipment.delivered',
  exception: 'shipment.exception',
};

/** 'move': a new status; 'repeat': the same status again (history only); 'refused': not allowed from here. */
export function applyUpdate(from: ShipmentStatus, update: TrackingUpdate): 'move' | 'repeat' | 'refused' {
  if (from === update) return 'repeat';
  return SHIPMENT_TRANSITIONS[from].includes(update) ? 'move' : 'refused';
}

export function canCancel(status: ShipmentStatus): boolean {
  return SHIPMENT_TRANSITIONS[status].includes('cancelled');
}
