import {
  CANCELLABLE, EFFECTS, ORDER_STATUSES, TRANSITIONS, allowedNext, canTransition, hasCapturedPayment, paymentStatusFor,
  type OrderStatus,
} from './order-status';

describe('order state machine', () => {
  const valid: [OrderStatus, OrderStatus][] = [
    ['pending', 'confirmed'], ['confirmed', 'processing'], ['processing', 'shipped'], ['shipped', 'delivered'],
    ['pending', 'cancelled'], ['confirmed', 'cancelled'], ['processing', 'cancelled'],
    ['pending', 'refunded'], ['confirmed', 'refunded'], ['processing', 'refunded'], ['shipped', 'refunded'],
    ['delivered', 'refunded'], ['cancelled', 'refunded'],
  ];

  it('accepts exactly the listed transitions (every pair checked)', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const expected = valid.some(([f, t]) => f === from && t === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
  });

  it('never allows staying in place, and refunded is terminal', () => {
    for (const s of ORDER_STATUSES) expect(canTransition(s, s)).toBe(false);
    expect(allowedNext('refunded')).toEqual([]);
    expect(allowedNext('delivered')).toEqual(['refunded']);
  });

  it('cancels only from pending, confirmed and processing', () => {
    expect([...CANCELLABLE]).toEqual(['pending', 'confirmed', 'processing']);
  });

  it('describes effects as data: ship commits, cancel releases, deliver fulfils, refund refunds after payment', () => {
    expect(EFFECTS.shipped).toMatchObject({ stock: 'commit' });
    expect(EFFECTS.cancelled).toMatchObject({ stock: 'release', event: 'order.cancelled' });
    expect(EFFECTS.delivered).toMatchObject({ fulfil: true, event: 'order.fulfilled' });
    expect(EFFECTS.refunded).toMatchObject({ refund: true, requiresCapturedPayment: true, event: 'order.refunded' });
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it('guards refunds on captured money', () => {
    expect(hasCapturedPayment({ amountPaid: 0, amountRefunded: 0 })).toBe(false);
    expect(hasCapturedPayment({ amountPaid: 100, amountRefunded: 40 })).toBe(true);
    expect(hasCapturedPayment({ amountPaid: 100, amountRefunded: 100 })).toBe(false);
  });

  it('derives the payment status from captured and refunded money', () => {
    expect(paymentStatusFor(1000, { captured: 0, refunded: 0, lastAttempt: null })).toBe('pending');
    expect(paymentStatusFor(1000, { captured: 0, refunded: 0, lastAttempt: 'failed' })).toBe('failed');
    expect(paymentStatusFor(1000, { captured: 400, refunded: 0, lastAttempt: 'succeeded' })).toBe('pending');
    expect(paymentStatusFor(1000, { captured: 1000, refunded: 0, lastAttempt: 'succeeded' })).toBe('paid');
    expect(paymentStatusFor(1000, { captured: 1000, refunded: 1, lastAttempt: 'succeeded' })).toBe('partially_refunded');
    expect(paymentStatusFor(1000, { captured: 1000, refunded: 1000, lastAttempt: 'succeeded' })).toBe('refunded');
  });
});
