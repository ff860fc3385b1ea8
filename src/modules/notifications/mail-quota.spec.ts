import { quotaWindows } from './mail-quota';

describe('mail quota windows', () => {
  it('the UTC day and clock hour of an instant, and when each ends', () => {
    const w = quotaWindows(new Date('2030-03-31T23:59:30.000Z'));
    expect(w.day).toBe('2030-03-31');
    expect(w.hour).toBe('2030-03-31T23');
    expect(w.dayEnds.toISOString()).toBe('2030-04-01T00:00:00.000Z');
    expect(w.hourEnds.toISOString()).toBe('2030-04-01T00:00:00.000Z');
    expect(quotaWindows(new Date('2030-04-01T10:15:00.000Z')).hourEnds.toISOString()).toBe('2030-04-01T11:00:00.000Z');
  });
});
