import { addYears } from './domain-expiry';

const at = (iso: string) => new Date(iso);

describe('addYears (domain terms)', () => {
  it('keeps the day and time of day', () => {
    expect(addYears(at('2026-05-17T10:11:12.345Z'), 3).toISOString()).toBe('2029-05-17T10:11:12.345Z');
  });

  it('lands February 29 on February 28 in a common year, and keeps it in a leap year', () => {
    expect(addYears(at('2028-02-29T09:00:00Z'), 1).toISOString()).toBe('2029-02-28T09:00:00.000Z');
    expect(addYears(at('2028-02-29T09:00:00Z'), 4).toISOString()).toBe('2032-02-29T09:00:00.000Z');
    // A renewal counts from the current expiry: the 28th stays the 28th.
    expect(addYears(at('2029-02-28T09:00:00Z'), 3).toISOString()).toBe('2032-02-28T09:00:00.000Z');
  });

  it('crosses a leap day without drifting', () => {
    expect(addYears(at('2027-03-01T00:00:00Z'), 1).toISOString()).toBe('2028-03-01T00:00:00.000Z');
    expect(addYears(at('2027-02-28T00:00:00Z'), 1).toISOString()).toBe('2028-02-28T00:00:00.000Z');
  });
});
