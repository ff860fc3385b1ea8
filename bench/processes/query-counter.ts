import { createServer } from 'node:http';
import Redis from 'ioredis';
import { Client } from 'pg';

/**
 * Preloaded (`node -r …/query-counter.js`) into the API or worker by `npm run bench -- profile`:
 * counts every PostgreSQL round trip (pg `Client.query` call: pg sends one at a time per
 * connection) by statement shape, and every Redis command and round trip (a pipeline or MULTI is one
 * round trip). `GET http://127.0.0.1:$BENCH_QUERY_COUNTER_PORT/` answers the counts since the last
 * `?reset=1`. Changes no behaviour of the process.
 */
interface Counts {
  pgRoundTrips: number;
  pgStatements: number;
  pgByShape: Record<string, number>;
  redisRoundTrips: number;
  redisCommands: Record<string, number>;
}

let counts: Counts = empty();

function empty(): Counts {
  return { pgRoundTrips: 0, pgStatements: 0, pgByShape: {}, redisRoundTrips: 0, redisCommands: {} };
}

const shapes = new Map<string, string>();

/**
 * The statement with its literals and spacing folded, and long column lists (TypeORM's aliased
 * SELECT lists, INSERT column lists) shown as a count, so each query shape counts once and reads short.
 */
export function shapeOf(sql: string): string {
  const known = shapes.get(sql);
  if (known) return known;
  const shape = sql
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\bSELECT (DISTINCT )?(.{80,}?) FROM /, (_m, distinct: string | undefined, list: string) => `SELECT ${distinct ?? ''}[${list.split(',').length} columns] FROM `)
    .replace(/^INSERT INTO ("?\w+"?) ?\(([^)]{60,})\) VALUES \([^)]*\)/, (_m, table: string, cols: string) => `INSERT INTO ${table} [${cols.split(',').length} columns] VALUES (…)`)
    .slice(0, 300);
  if (shapes.size < 5000) shapes.set(sql, shape);
  return shape;
}

const originalQuery = Client.prototype.query;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- patched methods of pg and ioredis, called with their own arguments
type Patchable = Record<string, Function>;

(Client.prototype as unknown as Patchable).query = function countedQuery(this: Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === 'string' ? first : (first?.text ?? '');
  counts.pgRoundTrips += 1;
  // A simple-protocol string may carry several statements (START TRANSACTION; SELECT set_config…).
  counts.pgStatements += Math.max(1, text.split(/;\s*(?=\S)/).length);
  const shape = shapeOf(text);
  counts.pgByShape[shape] = (counts.pgByShape[shape] ?? 0) + 1;
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
};

const redisPrototype = (Redis as unknown as { prototype: Patchable }).prototype;
const originalSend = redisPrototype.sendCommand;
redisPrototype.sendCommand = function countedSend(this: unknown, command: { name: string }, stream?: unknown) {
  if (!stream) counts.redisRoundTrips += 1; // commands queued on a pipeline count with its exec
  counts.redisCommands[command.name] = (counts.redisCommands[command.name] ?? 0) + 1;
  return originalSend.call(this, command, stream);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pipelinePrototype = (require('ioredis/built/Pipeline') as { default: { prototype: Patchable } }).default.prototype;
const originalExec = pipelinePrototype.exec;
pipelinePrototype.exec = function countedExec(this: unknown, ...args: unknown[]) {
  counts.redisRoundTrips += 1;
  return originalExec.apply(this, args);
};

const port = Number(process.env.BENCH_QUERY_COUNTER_PORT);
if (port) {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(counts));
    if (req.url?.includes('reset=1')) counts = empty();
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
