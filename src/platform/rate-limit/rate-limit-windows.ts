import type { RateLimits, WindowLimitName } from '../context/request-context';
import type { RateLimitKind } from './rate-limit.service';
import type { WindowCheck } from './window-limiter';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface WindowSubject {
  kind: RateLimitKind;
  /** The credential's id; its per-minute bucket keeps the key `<kind>:<credential>`. */
  credential: string;
  tenantId: string;
  mode: string;
}

/**
 * The windows one request counts against: the credential's and the tenant's (per mode), each per
 * minute (a bucket of `burstFactor` minutes) and, where the plan caps them, per UTC hour and day.
 * A credential's own lower limits narrow its windows only; the tenant's stay the plan's.
 */
export function windowChecks(subject: WindowSubject, limits: RateLimits, nowMs: number): WindowCheck[] {
  const { kind, credential, tenantId, mode } = subject;
  const noun = kind === 'write' ? 'writes' : 'reads';
  const burst = limits.burstFactor ?? 2;
  const plan = {
    minute: kind === 'write' ? limits.writesPerMinute : limits.readsPerMinute,
    hour: (kind === 'write' ? limits.writesPerHour : limits.readsPerHour) ?? null,
    day: (kind === 'write' ? limits.writesPerDay : limits.readsPerDay) ?? null,
  };
  const own = (window: 'minute' | 'hour' | 'day'): number | null => {
    const override = limits.credential?.[`${noun}_per_${window}` as WindowLimitName];
    const base = plan[window];
    if (override === undefined) return base;
    return base === null ? override : Math.min(base, override);
  };
  const checks: WindowCheck[] = [];
  const add = (who: 'key' | 'tenant', window: 'minute' | 'hour' | 'day', limit: number | null): void => {
    if (limit === null) return;
    const owner = who === 'key' ? credential : `tenant:${tenantId}:${mode}`;
    const label = `${who === 'key' ? "this credential's" : "the tenant's"} ${noun} per ${window} (${limit})`;
    if (window === 'minute') {
      const key = who === 'key' ? `${kind}:${credential}` : `${kind}:${owner}`;
      checks.push({ kind: 'bucket', key, label, limit, capacity: Math.max(1, Math.floor(burst * limit)) });
      return;
    }
    const size = window === 'hour' ? HOUR_MS : DAY_MS;
    const index = Math.floor(nowMs / size);
    checks.push({ kind: 'fixed', key: `${kind}:${owner}:${window}:${index}`, label, limit, windowEndMs: (index + 1) * size });
  };
  for (const window of ['minute', 'hour', 'day'] as const) {
    add('key', window, own(window));
    add('tenant', window, plan[window]);
  }
  return checks;
}
