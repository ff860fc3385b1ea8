import { Clock } from './clock';

describe('Clock', () => {
  it('runs on system time until set, then stays put and advances on demand', () => {
    const clock = new Clock();
    const before = Date.now();
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(before);
    clock.set(new Date('2026-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(clock.advance(86_400_000).toISOString()).toBe('2026-01-02T00:00:00.000Z');
    clock.reset();
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(before);
  });
});
