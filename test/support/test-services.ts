import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, portAnswers } from '../../src/dev/dev-service';
import { placePostgres, startEmbeddedPostgres, type RunningPostgres } from '../../src/dev/embedded-postgres';
import { startPrivateRedis, type PrivateRedis } from '../../src/dev/private-redis';

const ROOT = path.resolve(__dirname, '..', '..');

export interface TestServices {
  databaseUrl: string;
  redisUrl: string;
  /** One line per service: where it is and whether this run started it. */
  notes: string[];
  /** Stops what this run started (nothing when it found both on the machine). */
  stop(): Promise<void>;
}

/**
 * Where the tests find PostgreSQL and Redis. TEST_DATABASE_URL / TEST_REDIS_URL win; else a server
 * answering on 127.0.0.1:5432 / :6379 (CI, developers' machines; TEST_PG_PORT / TEST_REDIS_PORT move
 * that probe); else this run starts its own embedded PostgreSQL and private redis-server, exactly
 * as `npm start` does (src/dev/), on free ports, with throwaway data.
 */
export async function ensureTestServices(options: { redis?: boolean } = {}): Promise<TestServices> {
  const stoppers: (() => Promise<void>)[] = [];
  const notes: string[] = [];
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) await s();
  };
  try {
    const databaseUrl = await ensurePostgres(stoppers, notes);
    const redisUrl = options.redis === false ? '' : await ensureRedis(stoppers, notes);
    return { databaseUrl, redisUrl, notes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function scratchDir(stoppers: (() => Promise<void>)[]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbapi-test-'));
  fs.chmodSync(dir, 0o755); // the postgres OS user (when we are root) must reach the data folder inside
  stoppers.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function ensurePostgres(stoppers: (() => Promise<void>)[], notes: string[]): Promise<string> {
  if (process.env.TEST_DATABASE_URL) {
    notes.push('PostgreSQL: TEST_DATABASE_URL');
    return process.env.TEST_DATABASE_URL;
  }
  const probe = Number(process.env.TEST_PG_PORT ?? 5432);
  if (await portAnswers(probe)) {
    notes.push(`PostgreSQL: the one on 127.0.0.1:${probe}`);
    return `postgres://postgres@127.0.0.1:${probe}/cbapi_test`;
  }
  const dir = await scratchDir(stoppers);
  const placement = placePostgres(path.join(dir, `test-postgres-${process.pid}`), ROOT);
  if (placement.movedTo) stoppers.push(async () => fs.rmSync(placement.dataDir, { recursive: true, force: true }));
  const port = await freePort();
  // Kept after the run (the scratch folder is not), for when it fails to start.
  const logFile = path.join(ROOT, '.data', 'test-postgres.log');
  fs.rmSync(logFile, { force: true });
  const pg: RunningPostgres = await startEmbeddedPostgres({
    placement,
    port,
    logFile,
    // Throwaway data: durability buys nothing here. Tests open many pools (files, child processes).
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: 300 },
  });
  stoppers.push(() => pg.stop());
  notes.push(`PostgreSQL: embedded, started for this run on port ${port} (nothing answered on ${probe})`);
  return pg.url('cbapi_test');
}

async function ensureRedis(stoppers: (() => Promise<void>)[], notes: string[]): Promise<string> {
  if (process.env.TEST_REDIS_URL) {
    notes.push('Redis: TEST_REDIS_URL');
    return process.env.TEST_REDIS_URL;
  }
  const probe = Number(process.env.TEST_REDIS_PORT ?? 6379);
  if (await portAnswers(probe)) {
    notes.push(`Redis: the one on 127.0.0.1:${probe}`);
    return `redis://127.0.0.1:${probe}/5`;
  }
  const dir = await scratchDir(stoppers);
  const redis: PrivateRedis = await startPrivateRedis({ port: await freePort(), dir, portHint: 'TEST_REDIS_URL', detached: false });
  stoppers.push(() => redis.stop());
  notes.push(`Redis: private redis-server started for this run on port ${redis.port} (nothing answered on ${probe})`);
  return `${redis.url}/5`;
}
