import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Reads a V8 .cpuprofile (`node --cpu-prof`) and ranks where the time went inside a window:
 * self time per function and per module (npm package, app directory or Node internals), and the
 * inclusive time of the app's own functions. Used by `npm run bench -- profile`; on its own:
 *   node -r ts-node/register/transpile-only bench/profile-summary.ts FILE.cpuprofile [fromUs toUs]
 * (times on the profile's clock, CLOCK_MONOTONIC in µs, the same as process.hrtime on Linux).
 */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Ranked {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  /** sampled ms in the window, idle excluded */
  busyMs: number;
  idleMs: number;
  functions: Ranked[];
  modules: Ranked[];
  appInclusive: Ranked[];
}

const ROOT = resolve(__dirname, '..');
const BUILD = join(ROOT, 'dist', 'bench-build');

/** The path inside the repository (src/…, bench/…) of the project's own files, compiled or not; null for others. */
function projectPath(url: string): string | null {
  for (const prefix of [`${BUILD}/`, `${ROOT}/`]) if (url.startsWith(prefix) && !url.includes('/node_modules/')) return url.slice(prefix.length);
  return null;
}

const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** The npm package, the app directory (src/<area>/<dir>) or the Node subsystem a frame belongs to. */
export function moduleOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName) && !frame.url) return frame.functionName;
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return '(native / V8 builtins)';
  if (url.startsWith('node:')) return `node:${url.slice(5).replace(/^internal\//, '').split('/')[0]}`;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const own = projectPath(url);
  return own ? `app: ${own.split('/').slice(0, 3).join('/')}` : url;
}

function shortFile(url: string): string {
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) return clean.slice(nm + 14);
  return projectPath(clean) ?? clean;
}

function functionLabel(frame: CallFrame): string {
  if (!frame.url) return frame.functionName || '(anonymous native)';
  return `${frame.functionName || '(anonymous)'} ${shortFile(frame.url)}:${frame.lineNumber + 1}`;
}

function ranked(totals: Map<string, number>, denominatorMs: number, top: number): Ranked[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / 1000 / denominatorMs }));
}

/** The nearest caller outside Node's own code (who wrote to the socket or file), else the nearest with a source. */
function callerWithSource(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): CallFrame | undefined {
  let nearest: CallFrame | undefined;
  for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
    const frame = byId.get(p)!.callFrame;
    if (!frame.url) continue;
    nearest ??= frame;
    if (!frame.url.startsWith('node:')) return frame;
  }
  return nearest;
}

/** Summarises the samples taken between fromUs and toUs (the whole profile when omitted). */
export function summariseProfile(file: string, fromUs = -Infinity, toUs = Infinity, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    t += profile.timeDeltas[i];
    // A sample stands for the time until the next one.
    const duration = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t > toUs || duration <= 0) continue;
    const node = byId.get(profile.samples[i])!;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += duration;
      continue;
    }
    busyUs += duration;
    // Native frames (socket and file writes, builtins) count for the JavaScript that called them.
    const caller = node.callFrame.url || SPECIAL.has(node.callFrame.functionName) ? undefined : callerWithSource(node.id, byId, parent);
    const label = caller ? `${node.callFrame.functionName || '(native)'} ← ${functionLabel(caller)}` : functionLabel(node.callFrame);
    self.set(label, (self.get(label) ?? 0) + duration);
    const mod = caller ? `${moduleOf(caller)} (native)` : moduleOf(node.callFrame);
    modules.set(mod, (modules.get(mod) ?? 0) + duration);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (!moduleOf(frame).startsWith('app: src/')) continue;
      const name = functionLabel(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + duration);
    }
  }
  const busyMs = busyUs / 1000;
  return { busyMs, idleMs: idleUs / 1000, functions: ranked(self, busyMs, top), modules: ranked(modules, busyMs, top), appInclusive: ranked(inclusive, busyMs, top) };
}

export function renderSummary(s: ProfileSummary, top = 15): string {
  const table = (title: string, rows: Ranked[]) => [
    `| ${title} | ms | % of busy |`,
    '|---|---|---|',
    ...rows.slice(0, top).map((r) => `| \`${r.name.replace(/\|/g, '\\|')}\` | ${r.ms.toFixed(0)} | ${r.percent.toFixed(1)} |`),
  ].join('\n');
  return [
    `Busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms of the window.`,
    '',
    table('self time: module', s.modules),
    '',
    table('self time: function', s.functions),
    '',
    table('inclusive time: app function (src/)', s.appInclusive),
  ].join('\n');
}

if (require.main === module) {
  const [file, from, to] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [fromUs toUs]');
  console.log(renderSummary(summariseProfile(file, from ? Number(from) : -Infinity, to ? Number(to) : Infinity)));
}
