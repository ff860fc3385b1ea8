import { Injectable } from '@nestjs/common';

/**
 * The current time, injectable so that time-driven rules (renewals, dunning, link expiry) can be
 * tested without sleeping: `set` freezes the clock at an instant, `advance` moves a frozen clock
 * on, `reset` returns to system time. Production code only calls `now()`.
 */
@Injectable()
export class Clock {
  private fixed: number | null = null;

  now(): Date {
    return new Date(this.fixed ?? Date.now());
  }

  /** Freezes the clock at `date` (tests). */
  set(date: Date): void {
    if (Number.isNaN(date.getTime())) throw new RangeError('Clock.set: invalid date');
    this.fixed = date.getTime();
  }

  /** Moves the clock on by `ms` (freezing it first at the current time when it was running). */
  advance(ms: number): Date {
    this.fixed = (this.fixed ?? Date.now()) + ms;
    return this.now();
  }

  /** Back to system time. */
  reset(): void {
    this.fixed = null;
  }
}
