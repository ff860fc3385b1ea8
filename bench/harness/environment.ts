import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { freshRuntimeDatabase } from '../database';
import { orderFixture, seedProducts, signUpTenant, webhookEndpoint, type OrderFixture, type Tenant } from './fixtures';
import { freePort, startProcess, stopProcess, type BenchProcess } from './processes';

const ROOT = resolve(__dirname, '..', '..');
const BUILD = join(ROOT, 'dist', 'bench-build');
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/6';

/** Compiles src and bench/processes (incrementally) into dist/bench-build: the processes run compiled, as in production. */
export function buildProcesses(): void {
  if (process.env.BENCH_SKIP_BUILD === '1') return;
  const started = Date.now();
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'bench', 'tsconfig.processes.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('tsc -p bench/tsconfig.processes.json failed');
  console.error(`built dist/bench-build in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * The NODE_OPTIONS the Dockerfile gives both production processes (V8 heap sizes): the benchmarked
 * API and worker run with the same, unless BENCH_NODE_FLAGS says otherwise ('' = V8's defaults).
 */
export function productionNodeOptions(): string {
  const line = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  if (!line) throw new Error('Dockerfile: no ENV NODE_OPTIONS="…" line');
  return line[1];
}

export interface BenchEnvironment {
  outDir: string;
  owner: Pool;
  api: BenchProcess;
  worker: BenchProcess;
  baseline: BenchProcess;
  receiver: BenchProcess;
  tenant: Tenant;
  /** The tenants a spread webhook burst deals its events over (`tenant` first), each with an endpoint at the receiver. */
  webhookTenantIds: string[];
  cursors: { apiCursor: string; baselineAfter: string };
  order: OrderFixture;
  /** Ports of the query counters (profile mode only). */
  counters?: { api: number; worker: number };
  url(p: BenchProcess, path: string): string;
  stop(): Promise<void>;
}

export interface EnvironmentOptions {
  outDir: string;
  /** --cpu-prof and the query counter in the API and the worker. */
  profile: boolean;
  /** Tenants with a webhook endpoint (1 = only the bench tenant). */
  webhookTenants: number;
  /** The V8 inspector of the API and the worker on these ports (bench/memory.ts reads heaps through it). */
  inspectPorts?: { api: number; worker: number };
}

/**
 * The processes of one benchmark run, each its own OS process: the API (production settings,
 * request logging at info into api.log, real rate limits set too high to trigger), the worker, the
 * plain baseline and the webhook receiver; on a fresh database (owner migrates, the runtime role
 * serves) and Redis db 6, flushed.
 */
export async function startEnvironment(options: EnvironmentOptions): Promise<BenchEnvironment> {
  mkdirSync(options.outDir, { recursive: true });
  const { ownerUrl, appUrl } = await freshRuntimeDatabase();
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  const owner = new Pool({ connectionString: ownerUrl, max: 4 });
  const started: BenchProcess[] = [];
  const stop = async () => {
    for (const p of started.reverse()) await stopProcess(p);
    await owner.end();
  };
  try {
    const counters = options.profile ? { api: await freePort(), worker: await freePort() } : undefined;
    const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? productionNodeOptions()).split(/\s+/).filter(Boolean);
    const nodeArgs = (port: number | undefined) => [...nodeFlags, ...(port === undefined ? [] : [`--inspect=127.0.0.1:${port}`])];
    const instrument = (name: 'api' | 'worker', counterPort?: number): { args: string[]; env: Record<string, string> } =>
      options.profile
        ? {
            args: ['--cpu-prof', '--cpu-prof-dir', join(options.outDir, 'profiles', name), '-r', join(BUILD, 'bench', 'processes', 'query-counter.js'), ...nodeArgs(options.inspectPorts?.[name])],
            env: { BENCH_QUERY_COUNTER_PORT: String(counterPort) },
          }
        : { args: nodeArgs(options.inspectPorts?.[name]), env: {} };
    const common = {
      DATABASE_URL: appUrl,
      MIGRATION_DATABASE_URL: ownerUrl,
      REDIS_URL,
      QUEUE_PREFIX: 'cbapibench',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      JWT_SECRET: randomBytes(32).toString('hex'),
      HASH_SECRET: randomBytes(32).toString('hex'),
      HOST: '127.0.0.1',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      SIGNUP_VERIFICATION: 'false',
      RATE_LIMIT_READS_PER_MINUTE: '100000000',
      RATE_LIMIT_WRITES_PER_MINUTE: '100000000',
      RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: '100000000',
    };
    const apiPort = await freePort();
    const apiTools = instrument('api', counters?.api);
    const api = await startProcess({
      name: 'API',
      args: [...apiTools.args, join(BUILD, 'bench', 'processes', 'api-server.js')],
      env: { ...common, ...apiTools.env, NODE_ENV: 'production', PORT: String(apiPort) },
      port: apiPort,
      readyPath: '/health/ready',
      logFile: join(options.outDir, 'api.log'),
    });
    started.push(api);
    const workerPort = await freePort();
    const workerTools = instrument('worker', counters?.worker);
    // Production refuses WEBHOOK_ALLOW_PRIVATE_URLS, and the receiver is on 127.0.0.1: the worker's
    // NODE_ENV is the one setting that differs (NODE_ENV only selects config checks).
    const worker = await startProcess({
      name: 'worker',
      args: [...workerTools.args, join(BUILD, 'src', 'worker.js')],
      env: { ...common, ...workerTools.env, NODE_ENV: 'development', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WORKER_HTTP_PORT: String(workerPort) },
      port: workerPort,
      readyPath: '/health',
      logFile: join(options.outDir, 'worker.log'),
    });
    started.push(worker);
    const receiverPort = await freePort();
    const receiver = await startProcess({
      name: 'receiver',
      args: [join(BUILD, 'bench', 'processes', 'receiver.js')],
      env: { PORT: String(receiverPort) },
      port: receiverPort,
      readyPath: '/stats',
      logFile: join(options.outDir, 'receiver.log'),
    });
    started.push(receiver);

    const apiBase = `http://127.0.0.1:${apiPort}`;
    const tenant = await signUpTenant(apiBase);
    const cursors = await seedProducts(owner, tenant.tenantId);
    const order = await orderFixture(apiBase, tenant.apiKey, owner);
    const webhookTenantIds = [tenant.tenantId];
    for (let i = 1; i < options.webhookTenants; i += 1) webhookTenantIds.push((await signUpTenant(apiBase)).tenantId);
    for (const tenantId of webhookTenantIds) await webhookEndpoint(owner, tenantId, `http://127.0.0.1:${receiverPort}/hook`);

    const baselinePort = await freePort();
    const baseline = await startProcess({
      name: 'baseline',
      args: [join(BUILD, 'bench', 'processes', 'plain-server.js')],
      env: {
        PORT: String(baselinePort),
        DATABASE_URL: process.env.BENCH_BASELINE_RLS === '0' ? ownerUrl : appUrl,
        DATABASE_POOL_SIZE: '10',
        BENCH_TENANT_ID: tenant.tenantId,
        BENCH_LOCATION_ID: order.locationId,
        BENCH_ORDER_EVENT: order.eventTemplate,
      },
      port: baselinePort,
      readyPath: '/health/ready',
      logFile: join(options.outDir, 'baseline.log'),
    });
    started.push(baseline);
    return {
      outDir: options.outDir, owner, api, worker, baseline, receiver, tenant, webhookTenantIds, cursors, order, counters,
      url: (p, path) => `http://127.0.0.1:${p.port}${path}`,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
