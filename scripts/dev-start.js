'use strict';
// `npm start`: runs the compiled API (with the worker in-process) on this machine. Starts an
// embedded PostgreSQL and a private redis-server only when DATABASE_URL / REDIS_URL are not set,
// runs the migrations, seeds a demo tenant when the seed script exists, and prints where things are.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, '.data');
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

// Set before anything from dist/ loads: the app reads (and caches) its config from process.env once.
process.env.NODE_ENV ||= 'development';
process.env.WORKER_IN_PROCESS ||= 'true';
process.env.CORS_ORIGINS ??= 'http://localhost:5173,http://127.0.0.1:5173,http://localhost:3000,http://localhost:4200'; // dev front-end servers (Vite, Next/CRA, Angular)
// No load balancer in front of a dev server: Ctrl-C need not wait for one to notice the drain.
process.env.SHUTDOWN_DRAIN_DELAY_MS ||= '0';

const stoppers = []; // undo steps, run in reverse order (app first, databases last)
const where = []; // "where data lives" lines for the banner
let shuttingDown = false;

const say = (line = '') => process.stdout.write(`${line}\n`);

async function stopAll() {
  let ok = true;
  for (const stop of stoppers.splice(0).reverse()) {
    try {
      await stop();
    } catch (err) {
      ok = false;
      process.stderr.write(`while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  return ok;
}

// Our handler stays registered for the whole run, so a second Ctrl-C cannot kill us before the
// databases are stopped. The app drains on api.close() (startApi installs no signal handlers here).
async function onSignal(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  say(`\n${signal} received, stopping...`);
  process.exit((await stopAll()) ? 0 : 1);
}
for (const signal of SIGNALS) process.on(signal, onSignal);

// The embedded PostgreSQL and private redis-server come from dist/src/dev/, which the e2e setup
// (test/support/test-services.ts) uses too.
const dev = (file) => require(path.join(ROOT, 'dist/src/dev', file));

// A service we started that dies under the running app: say so in one line and stop the rest.
function onServiceLost(what, logFile) {
  return (code, signal) => {
    if (shuttingDown) return;
    shuttingDown = true;
    process.stderr.write(`npm start: ${what} stopped unexpectedly (${signal || `exit code ${code}`}; see ${logFile}); run npm start again\n`);
    stopAll().finally(() => process.exit(1));
  };
}

async function startPostgres() {
  const { placePostgres, startEmbeddedPostgres } = dev('embedded-postgres.js');
  const port = Number(process.env.PG_PORT || 54329);
  const logFile = path.join(DATA, 'postgres.log');
  // As root, PostgreSQL runs as the `postgres` OS user; when that user cannot reach this folder
  // (a clone below /root or a 0700 `mktemp -d`), the cluster lives in a per-project folder of /var/tmp.
  const placement = placePostgres(path.join(DATA, 'postgres'), ROOT);
  const started = Date.now();
  const pg = await startEmbeddedPostgres({ placement, port, password: 'postgres', logFile, detached: true });
  stoppers.push(() => pg.stop());
  pg.onUnexpectedExit(onServiceLost('the embedded PostgreSQL', path.relative(ROOT, logFile)));

  const { Client } = require('pg');
  const client = new Client({ connectionString: pg.url('postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'cbapi'`);
    if (!rowCount) await client.query('CREATE DATABASE cbapi');
  } finally {
    await client.end();
  }
  say(`PostgreSQL ${pg.initialised ? 'initialised and started' : 'started'} in ${Date.now() - started} ms`);
  // Migrations run as the owner; the app connects as the runtime role (row-level security binds it),
  // with a password made for this run (runMigrations lets the role log in with it).
  process.env.MIGRATION_DATABASE_URL = pg.url('cbapi');
  process.env.DATABASE_URL = `postgres://cbapi_app:${crypto.randomBytes(18).toString('hex')}@127.0.0.1:${port}/cbapi`;
  const home = placement.movedTo
    ? `${placement.dataDir}/ (outside the project: the postgres OS user cannot reach ${ROOT}; delete ${placement.movedTo} to start over)`
    : `${path.relative(ROOT, placement.dataDir)}/`;
  where.push(`PostgreSQL  ${home} (port ${port}, log ${path.relative(ROOT, logFile)}), kept between runs`);
}

async function startRedis() {
  const { startPrivateRedis } = dev('private-redis.js');
  const dir = path.join(DATA, 'redis');
  const redis = await startPrivateRedis({ port: Number(process.env.REDIS_PORT || 6389), dir, portHint: 'REDIS_PORT' });
  stoppers.push(() => redis.stop());
  redis.onUnexpectedExit(onServiceLost('the private redis-server', path.relative(ROOT, path.join(dir, 'redis.log'))));
  process.env.REDIS_URL = redis.url;
  where.push(`Redis       private redis-server on port ${redis.port}, in memory only (log ${path.relative(ROOT, dir)}/redis.log)`);
}

// Outside production, secrets nobody set are generated once per data directory and kept in
// .data/secrets.json (owner-only), so a dev server never signs tokens with a value published in
// the source, and its pay links and sessions survive a restart. Production must set its own:
// the config refuses the development defaults there.
function ensureDevSecrets() {
  if (process.env.NODE_ENV === 'production') return;
  const file = path.join(DATA, 'secrets.json');
  let stored = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (err.code !== 'ENOENT') throw new Error(`${path.relative(ROOT, file)} is unreadable (${err.message}); delete it to generate new secrets`);
  }
  let changed = false;
  const missing = ['JWT_SECRET', 'HASH_SECRET'].filter((name) => !process.env[name]);
  if (missing.length === 0) return;
  for (const name of missing) {
    if (typeof stored[name] !== 'string' || stored[name].length < 32) {
      stored[name] = crypto.randomBytes(32).toString('hex');
      changed = true;
    }
    process.env[name] = stored[name];
  }
  if (changed) fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  where.push(`Secrets     ${path.relative(ROOT, file)} (${missing.join(', ')}: generated once for this data directory)`);
}

// The banner must not print a password someone put in their own DATABASE_URL / REDIS_URL.
function redact(url) {
  try { const u = new URL(url); if (u.password) u.password = '***'; return u.toString(); } catch { return '(unparseable URL)'; }
}

async function runMigrations() {
  require('reflect-metadata');
  const { DataSource } = require('typeorm');
  // dataSourceOptions resolves its migrations glob relative to itself: dist/migrations/*.js here.
  const { dataSourceOptions } = require(path.join(ROOT, 'dist/src/database/data-source-options.js'));
  const { allowRuntimeLogin } = require(path.join(ROOT, 'dist/src/database/row-level-security.js'));
  const ownerUrl = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
  const dataSource = new DataSource(dataSourceOptions({ DATABASE_URL: ownerUrl, DATABASE_POOL_SIZE: 2 }));
  try {
    await dataSource.initialize();
  } catch (err) {
    throw new Error(`cannot connect to PostgreSQL at ${redact(ownerUrl)}: ${err.message}`);
  }
  try {
    const ran = await dataSource.runMigrations();
    say(ran.length ? `Migrations applied: ${ran.map((m) => m.name).join(', ')}` : 'Migrations: up to date');
    // When DATABASE_URL names the runtime role (cbapi_app), it may now log in with its password.
    await allowRuntimeLogin(dataSource, process.env.DATABASE_URL);
  } finally {
    await dataSource.destroy();
  }
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist/src/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm start does it)');
  fs.mkdirSync(DATA, { recursive: true });
  ensureDevSecrets();

  if (process.env.DATABASE_URL) where.push(`PostgreSQL  ${redact(process.env.DATABASE_URL)} (from DATABASE_URL)`);
  else await startPostgres();
  if (process.env.REDIS_URL) where.push(`Redis       ${redact(process.env.REDIS_URL)} (from REDIS_URL)`);
  else await startRedis();

  await runMigrations();

  // No SMTP server configured: catch development mail in .data/mail instead of sending it anywhere.
  if (!process.env.SMTP_URL) {
    const { startDevMailCatcher } = require(path.join(ROOT, 'dist/src/modules/notifications/dev-mail-catcher.js'));
    const catcher = await startDevMailCatcher({ dir: path.join(DATA, 'mail') });
    process.env.SMTP_URL = catcher.url;
    process.env.SANDBOX_SMTP_URL ||= catcher.url;
    stoppers.push(() => catcher.close());
    where.push(`Mail        ${catcher.dir} (every e-mail the API sends, as .eml files)`);
  }

  // The demo seed is optional: a build without it simply starts with an empty database. Its lines
  // (the demo API key) are printed with the banner, below the app's startup logs, where they are seen.
  let seedLines = [];
  const seedFile = path.join(ROOT, 'dist/src/cli/seed-demo.js');
  if (fs.existsSync(seedFile)) {
    const { seedDemo } = require(seedFile);
    if (typeof seedDemo === 'function') seedLines = (await seedDemo()).lines;
  }

  const { startApi } = require(path.join(ROOT, 'dist/src/main.js'));
  const api = await startApi();
  stoppers.push(() => api.close());

  say();
  say(`Commerce & Billing API is up (NODE_ENV=${process.env.NODE_ENV}, worker in-process: ${process.env.WORKER_IN_PROCESS})`);
  say(`  API         ${api.url}/api/v1`);
  say(`  Swagger UI  ${api.url}/docs`);
  say(`  Health      ${api.url}/health/ready`);
  for (const line of where) say(`  ${line}`);
  for (const line of seedLines) say(line);
  say('Press Ctrl-C to stop.');
}

main().catch(async (err) => {
  if (shuttingDown) return; // a signal arrived mid-startup; onSignal is already cleaning up
  shuttingDown = true;
  await stopAll();
  // Printed last, so the one line that matters is not buried under log lines from the teardown.
  const message = (err instanceof Error ? err.message : String(err)).split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
  process.stderr.write(`npm start failed: ${message}\n`);
  process.exit(1);
});
