import type { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { RequestContext, type Mode } from '../platform/context/request-context';
import { RollupsService } from '../modules/analytics/rollups.service';

export const ANALYTICS_REBUILD_USAGE = `  npm run cli -- analytics:rebuild --tenant ten_… [--mode live|test]
    Recomputes the tenant's analytics facts and rollups from its orders (both modes unless --mode).`;

/** Options of `analytics:rebuild`, or an error message. */
export function rebuildOptions(args: string[]): { tenant: string; modes: Mode[] } | string {
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, mode: { type: 'string' } } });
  if (!values.tenant) return 'analytics:rebuild needs --tenant';
  if (values.mode !== undefined && values.mode !== 'live' && values.mode !== 'test') return '--mode must be live or test';
  return { tenant: values.tenant, modes: values.mode ? [values.mode as Mode] : ['live', 'test'] };
}

/** Rebuilds each mode in its own transaction; prints how many orders each had. */
export async function rebuildAnalytics(app: INestApplicationContext, options: { tenant: string; modes: Mode[] }, out: (line: string) => void): Promise<void> {
  const rollups = app.get(RollupsService);
  for (const mode of options.modes) {
    const started = Date.now();
    const { orders } = await rollups.rebuild(RequestContext.system('analytics-rebuild', options.tenant, mode));
    out(`analytics ${options.tenant} ${mode}: ${orders} order(s) rolled up in ${Date.now() - started} ms`);
  }
}
