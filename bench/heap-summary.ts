import { readFileSync } from 'node:fs';

/**
 * What holds a V8 heap, from a .heapsnapshot (the DevTools format): self size by constructor, and the
 * objects that retain the most (dominator tree, weak edges ignored, as DevTools computes "retained
 * size") with the path that keeps each alive. `node -r ts-node/register/transpile-only
 * bench/heap-summary.ts FILE.heapsnapshot [top]`; bench/memory.ts calls it on the snapshots it takes.
 */
interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapSummary {
  totalMb: number;
  nodes: number;
  byConstructor: { name: string; count: number; selfMb: number }[];
  retainers: { what: string; retainedMb: number; selfMb: number; path: string }[];
}

const MB = 1024 * 1024;

export function summarizeHeapSnapshot(file: string, top = 25): HeapSummary {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const meta = snap.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [nType, nName, nSelf, nEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f));
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const count = snap.nodes.length / nf;

  // Edges of node i are edges[firstEdge[i] .. firstEdge[i+1]), in edge-field units.
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += snap.nodes[i * nf + nEdges] * ef;
    firstEdge[i + 1] = e;
  }
  const weak = edgeTypes.indexOf('weak');
  const shortcut = edgeTypes.indexOf('shortcut');
  const strong = (e: number) => snap.edges[e + eType] !== weak && snap.edges[e + eType] !== shortcut;
  const target = (e: number) => snap.edges[e + eTo] / nf;

  // Depth-first post order from the root (node 0) over strong edges.
  const postOrder = new Uint32Array(count);
  const orderOf = new Int32Array(count).fill(-1);
  const visited = new Uint8Array(count);
  const stack = new Uint32Array(count);
  const cursor = new Uint32Array(count);
  let sp = 0;
  let n = 0;
  stack[sp++] = 0;
  visited[0] = 1;
  cursor[0] = firstEdge[0];
  while (sp > 0) {
    const v = stack[sp - 1];
    let pushed = false;
    while (cursor[v] < firstEdge[v + 1]) {
      const e = cursor[v];
      cursor[v] += ef;
      if (!strong(e)) continue;
      const w = target(e);
      if (visited[w]) continue;
      visited[w] = 1;
      cursor[w] = firstEdge[w];
      stack[sp++] = w;
      pushed = true;
      break;
    }
    if (!pushed) {
      sp--;
      orderOf[v] = n;
      postOrder[n++] = v;
    }
  }

  // Predecessors (strong edges between reachable nodes), compressed.
  const predCount = new Uint32Array(count + 1);
  for (let v = 0; v < count; v++) {
    if (!visited[v]) continue;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += ef) if (strong(e)) predCount[target(e) + 1]++;
  }
  for (let i = 0; i < count; i++) predCount[i + 1] += predCount[i];
  const preds = new Uint32Array(predCount[count]);
  const fill = predCount.slice(0, count);
  for (let v = 0; v < count; v++) {
    if (!visited[v]) continue;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += ef) if (strong(e)) preds[fill[target(e)]++] = v;
  }

  // Cooper–Harvey–Kennedy iterative dominators over reverse post order.
  const idom = new Int32Array(count).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (orderOf[a] < orderOf[b]) a = idom[a];
      while (orderOf[b] < orderOf[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = n - 2; k >= 0; k--) {
      const v = postOrder[k];
      let dom = -1;
      for (let p = predCount[v]; p < predCount[v + 1]; p++) {
        const u = preds[p];
        if (idom[u] === -1) continue;
        dom = dom === -1 ? u : intersect(u, dom);
      }
      if (dom !== -1 && idom[v] !== dom) {
        idom[v] = dom;
        changed = true;
      }
    }
  }

  const self = (v: number) => snap.nodes[v * nf + nSelf];
  const retained = new Float64Array(count);
  for (let k = 0; k < n; k++) {
    const v = postOrder[k];
    retained[v] += self(v);
    if (v !== 0) retained[idom[v]] += retained[v];
  }

  const typeOf = (v: number) => nodeTypes[snap.nodes[v * nf + nType]];
  const label = (v: number) => {
    const name = snap.strings[snap.nodes[v * nf + nName]] ?? '';
    const type = typeOf(v);
    const shown = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? JSON.stringify(name.slice(0, 40)) : name.slice(0, 60);
    return `${type}:${shown}`;
  };
  const edgeName = (e: number) => {
    const kind = edgeTypes[snap.edges[e + eType]];
    const value = snap.edges[e + eName];
    return kind === 'element' || kind === 'hidden' ? `[${value}]` : String(snap.strings[value] ?? value);
  };
  /** The chain of first strong retainers up to a root, named by edge, for reading "who keeps this". */
  const pathTo = (v: number) => {
    const parts: string[] = [];
    let current = v;
    for (let depth = 0; depth < 7 && current !== 0; depth++) {
      let found = -1;
      for (let p = predCount[current]; p < predCount[current + 1] && found === -1; p++) {
        const u = preds[p];
        for (let e = firstEdge[u]; e < firstEdge[u + 1]; e += ef) if (strong(e) && target(e) === current) found = e;
        if (found !== -1) {
          parts.push(`${label(u).slice(0, 50)}.${edgeName(found)}`);
          current = u;
        }
      }
      if (found === -1) break;
    }
    return parts.join(' ← ');
  };

  const byName = new Map<string, { count: number; self: number }>();
  let total = 0;
  for (let v = 0; v < count; v++) {
    if (!visited[v]) continue;
    total += self(v);
    const type = typeOf(v);
    const key = type === 'object' || type === 'closure' ? `${type}:${snap.strings[snap.nodes[v * nf + nName]]}` : `(${type})`;
    const entry = byName.get(key) ?? { count: 0, self: 0 };
    entry.count++;
    entry.self += self(v);
    byName.set(key, entry);
  }

  // The largest retainers that are not merely a root or a container of another listed one.
  const candidates = Array.from({ length: count }, (_, v) => v)
    .filter((v) => visited[v] && v !== 0 && typeOf(v) !== 'synthetic' && retained[v] > 256 * 1024)
    .sort((a, b) => retained[b] - retained[a]);
  const retainers: HeapSummary['retainers'] = [];
  for (const v of candidates) {
    if (retainers.length >= top) break;
    retainers.push({ what: label(v), retainedMb: retained[v] / MB, selfMb: self(v) / MB, path: pathTo(v) });
  }
  return {
    totalMb: total / MB,
    nodes: count,
    byConstructor: [...byName.entries()]
      .map(([name, e]) => ({ name, count: e.count, selfMb: e.self / MB }))
      .sort((a, b) => b.selfMb - a.selfMb)
      .slice(0, top),
    retainers,
  };
}

export function renderHeapSummary(title: string, s: HeapSummary): string {
  const lines = [`### ${title}: ${s.totalMb.toFixed(1)} MB reachable in ${s.nodes.toLocaleString('en')} nodes`, '', 'Self size by constructor:', ''];
  for (const c of s.byConstructor) lines.push(`- ${c.selfMb.toFixed(2)} MB  ${c.count.toLocaleString('en')} × ${c.name}`);
  lines.push('', 'Largest retained sizes (dominator tree):', '');
  for (const r of s.retainers) lines.push(`- ${r.retainedMb.toFixed(2)} MB (self ${r.selfMb.toFixed(2)})  ${r.what}  ← ${r.path}`);
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: heap-summary.ts FILE.heapsnapshot [top]');
  console.log(renderHeapSummary(file, summarizeHeapSnapshot(file, Number(top ?? 25))));
}
