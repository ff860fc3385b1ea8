import { applyUpdate, canCancel } from './shipment-status';

describe('shipment status machine', () => {
  it('moves forward, repeats in place, refuses going back', () => {
    expect(applyUpdate('label_created', 'in_transit')).toBe('move');
    expect(applyUpdate('label_created', 'delivered')).toBe('move');
    expect(applyUpdate('in_transit', 'in_transit')).toBe('repeat');
    expect(applyUpdate('in_transit', 'exception')).toBe('move');
    expect(applyUpdate('exception', 'in_transit')).toBe('move');
    expect(applyUpdate('delivered', 'in_transit')).toBe('refused');
    expect(applyUpdate('delivered', 'delivered')).toBe('repeat');
    expect(applyUpdate('cancelled', 'in_transit')).toBe('refused');
  });

  it('cancels only before pickup', () => {
    expect(canCancel('label_created')).toBe(true);
    expect(canCancel('in_transit')).toBe(false);
    expect(canCancel('exception')).toBe(false);
    expect(canCancel('delivered')).toBe(false);
    expect(canCancel('cancelled')).toBe(false);
  });
});
