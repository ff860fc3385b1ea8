import { createHash } from 'node:crypto';

/** `<prefix>` + 16 digits derived from the shipment id: the same shipment always gets the same number. */
export function deterministicTrackingNumber(prefix: string, shipmentId: string): string {
  const digest = createHash('sha256').update(shipmentId).digest();
  return prefix + (digest.readBigUInt64BE(0) % 10n ** 16n).toString().padStart(16, '0');
}
