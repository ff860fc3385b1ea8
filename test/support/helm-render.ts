import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';

/**
 * Renders a Helm chart's templates offline, for CI where no `helm` binary can be installed. It
 * implements the subset of Go templates (and Sprig functions) deploy/helm/cbapi uses: actions with
 * `{{-`/`-}}` trimming, comments, pipelines, parentheses, variables, `if`/`else if`/`else`, `with`,
 * `range` (lists and maps, sorted keys), `define`/`include`, and the functions in FUNCTIONS. Anything
 * else throws, so a template using more than this fails the check instead of rendering wrongly.
 */

export class HelmFail extends Error {}

type Operand =
  | { t: 'lit'; v: unknown }
  | { t: 'field'; base: string; path: string[] } // base: '.' or a variable name like '$' or '$x'
  | { t: 'fn'; name: string }
  | { t: 'sub'; pipe: Command[] };
type Command = Operand[];
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipe: Command[] }
  | { kind: 'if'; branches: { cond: Command[] | null; body: Node[] }[] }
  | { kind: 'with'; pipe: Command[]; body: Node[]; otherwise: Node[] }
  | { kind: 'range'; keyVar?: string; valueVar?: string; pipe: Command[]; body: Node[]; otherwise: Node[] };
/** A rendered manifest: a Kubernetes object, its shape checked by the chart test against the Kubernetes schemas. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [field: string]: unknown };
  [field: string]: unknown;
}
/**
 * A template function. Templates pass whatever the values hold, unchecked as in Helm: each function
 * names the types it reads its arguments as, and the renderer calls it with the evaluated operands.
 */
type TemplateFunction = (...args: never[]) => unknown;

interface Scope {
  dot: unknown;
  vars: Record<string, unknown>;
}

const truthy = (v: unknown) =>
  !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0));
const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const indent = (n: number, s: unknown) => str(s).split('\n').map((l) => ' '.repeat(n) + l).join('\n');

function tokenizeTemplate(source: string): ({ text: string } | { action: string })[] {
  const parts: ({ text: string } | { action: string })[] = [];
  const re = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    let text = source.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1]) text = text.replace(/\s+$/, '');
    parts.push({ text });
    const body = m[2].trim();
    if (!body.startsWith('/*')) parts.push({ action: body });
    trimNext = Boolean(m[3]);
    last = re.lastIndex;
  }
  parts.push({ text: trimNext ? source.slice(last).replace(/^\s+/, '') : source.slice(last) });
  return parts;
}

function tokenizeExpr(expr: string): string[] {
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|:=|[()|,]|-?\d+(?:\.\d+)?|\$[\w]*(?:\.[\w]+)*|(?:\.[\w]+)+|\.|[A-Za-z_]\w*)/y;
  const tokens: string[] = [];
  let end = 0;
  for (let m = re.exec(expr); m; m = re.exec(expr)) {
    tokens.push(m[1]);
    end = re.lastIndex;
  }
  if (expr.slice(end).trim()) throw new Error(`cannot parse "${expr}" at "${expr.slice(end)}"`);
  return tokens;
}

function parsePipeline(tokens: string[], pos = { i: 0 }, closing?: string): Command[] {
  const commands: Command[] = [[]];
  while (pos.i < tokens.length) {
    const tok = tokens[pos.i++];
    const current = commands[commands.length - 1];
    if (tok === closing) return commands;
    if (tok === '|') commands.push([]);
    else if (tok === '(') current.push({ t: 'sub', pipe: parsePipeline(tokens, pos, ')') });
    else if (tok.startsWith('"')) current.push({ t: 'lit', v: JSON.parse(tok) });
    else if (tok.startsWith('`')) current.push({ t: 'lit', v: tok.slice(1, -1) });
    else if (/^-?\d/.test(tok)) current.push({ t: 'lit', v: Number(tok) });
    else if (tok === 'true' || tok === 'false') current.push({ t: 'lit', v: tok === 'true' });
    else if (tok === 'nil') current.push({ t: 'lit', v: null });
    else if (tok.startsWith('$')) {
      const [base, ...rest] = tok.split('.');
      current.push({ t: 'field', base, path: rest });
    } else if (tok.startsWith('.')) current.push({ t: 'field', base: '.', path: tok === '.' ? [] : tok.slice(1).split('.') });
    else if (/^[A-Za-z_]/.test(tok)) current.push({ t: 'fn', name: tok });
    else throw new Error(`unexpected "${tok}"`);
  }
  if (closing) throw new Error(`missing "${closing}"`);
  return commands;
}

export class ChartRenderer {
  private readonly defines = new Map<string, Node[]>();

  constructor(private readonly chartDir: string) {
    for (const file of this.templateFiles().filter((f) => path.basename(f).startsWith('_'))) this.parse(fs.readFileSync(file, 'utf8'));
  }

  templateFiles(): string[] {
    const dir = path.join(this.chartDir, 'templates');
    return fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
  }

  /** Every manifest of the chart for these values (merged over values.yaml), as parsed objects with their template file. */
  render(overrides: Record<string, unknown> = {}, release = { Name: 'shop', Namespace: 'default' }): { file: string; object: RenderedObject }[] {
    const chart = YAML.parse(fs.readFileSync(path.join(this.chartDir, 'Chart.yaml'), 'utf8'));
    const values = deepMerge(YAML.parse(fs.readFileSync(path.join(this.chartDir, 'values.yaml'), 'utf8')), overrides);
    const root = {
      Values: values,
      Release: { ...release, Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 },
      Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
    };
    const out: { file: string; object: RenderedObject }[] = [];
    for (const file of this.templateFiles().filter((f) => /\.ya?ml$/.test(f))) {
      const text = this.exec(this.parse(fs.readFileSync(file, 'utf8')), { dot: root, vars: { $: root } });
      for (const doc of text.split(/^---\s*$/m)) {
        const object: RenderedObject | null = YAML.parse(doc);
        if (object) out.push({ file: path.basename(file), object });
      }
    }
    return out;
  }

  private parse(source: string): Node[] {
    const parts = tokenizeTemplate(source);
    let i = 0;
    const block = (terminators: RegExp): { nodes: Node[]; end: string } => {
      const nodes: Node[] = [];
      while (i < parts.length) {
        const part = parts[i++];
        if ('text' in part) {
          if (part.text) nodes.push({ kind: 'text', text: part.text });
          continue;
        }
        const a = part.action;
        if (terminators.test(a)) return { nodes, end: a };
        let m: RegExpMatchArray | null;
        if ((m = a.match(/^define\s+"([^"]+)"$/))) this.defines.set(m[1], block(/^end$/).nodes);
        else if ((m = a.match(/^if\s+([\s\S]+)$/))) {
          const branches: { cond: Command[] | null; body: Node[] }[] = [];
          let cond: Command[] | null = parsePipeline(tokenizeExpr(m[1]));
          for (;;) {
            const { nodes: body, end } = block(/^(else|end)\b/);
            branches.push({ cond, body });
            if (end === 'end') break;
            const elseIf = end.match(/^else\s+if\s+([\s\S]+)$/);
            cond = elseIf ? parsePipeline(tokenizeExpr(elseIf[1])) : null;
          }
          nodes.push({ kind: 'if', branches });
        } else if ((m = a.match(/^(with|range)\s+([\s\S]+)$/))) {
          const decl = m[2].match(/^(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*([\s\S]+)$/);
          const pipe = parsePipeline(tokenizeExpr(decl ? decl[3] : m[2]));
          const first = block(/^(else|end)$/);
          const otherwise = first.end === 'else' ? block(/^end$/).nodes : [];
          if (m[1] === 'with') nodes.push({ kind: 'with', pipe, body: first.nodes, otherwise });
          else nodes.push({ kind: 'range', keyVar: decl?.[2] ? decl[1] : undefined, valueVar: decl ? decl[2] ?? decl[1] : undefined, pipe, body: first.nodes, otherwise });
        } else if (/^(else|end)\b/.test(a)) throw new Error(`unexpected {{ ${a} }}`);
        else nodes.push({ kind: 'output', pipe: parsePipeline(tokenizeExpr(a)) });
      }
      if (terminators.source !== '$^') throw new Error(`missing {{ end }} (${terminators.source})`);
      return { nodes, end: '' };
    };
    return block(/$^/).nodes;
  }

  private exec(nodes: Node[], scope: Scope): string {
    let out = '';
    for (const node of nodes) {
      if (node.kind === 'text') out += node.text;
      else if (node.kind === 'output') out += str(this.evalPipe(node.pipe, scope));
      else if (node.kind === 'if') {
        const branch = node.branches.find((b) => b.cond === null || truthy(this.evalPipe(b.cond, scope)));
        if (branch) out += this.exec(branch.body, scope);
      } else if (node.kind === 'with') {
        const value = this.evalPipe(node.pipe, scope);
        out += truthy(value) ? this.exec(node.body, { ...scope, dot: value }) : this.exec(node.otherwise, scope);
      } else {
        const value = this.evalPipe(node.pipe, scope);
        const entries: [unknown, unknown][] = Array.isArray(value)
          ? value.map((v, k) => [k, v])
          : value && typeof value === 'object' ? Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]]) : [];
        if (entries.length === 0) out += this.exec(node.otherwise, scope);
        for (const [key, item] of entries) {
          const vars = { ...scope.vars };
          if (node.keyVar) vars[node.keyVar] = key;
          if (node.valueVar) vars[node.valueVar] = item;
          out += this.exec(node.body, { dot: item, vars });
        }
      }
    }
    return out;
  }

  private evalPipe(pipe: Command[], scope: Scope): unknown {
    let piped: unknown[] = [];
    for (const command of pipe) {
      const [head, ...args] = command;
      let value: unknown;
      if (head.t === 'fn') {
        const fn = this.fn(head.name);
        value = fn(...args.map((a) => this.evalOperand(a, scope)), ...piped);
      } else {
        if (args.length || piped.length) throw new Error('a value cannot take arguments');
        value = this.evalOperand(head, scope);
      }
      piped = [value];
    }
    return piped[0];
  }

  private evalOperand(op: Operand, scope: Scope): unknown {
    if (op.t === 'lit') return op.v;
    if (op.t === 'sub') return this.evalPipe(op.pipe, scope);
    if (op.t === 'fn') return this.fn(op.name)();
    let value: unknown = op.base === '.' ? scope.dot : scope.vars[op.base];
    for (const key of op.path) value = value === undefined || value === null ? undefined : (value as Record<string, unknown>)[key];
    return value;
  }

  private fn(name: string): (...args: unknown[]) => unknown {
    const include = (template: string, data: unknown) => {
      const nodes = this.defines.get(template);
      if (!nodes) throw new Error(`no template "${template}"`);
      return this.exec(nodes, { dot: data, vars: { $: data } });
    };
    const FUNCTIONS: Record<string, TemplateFunction> = {
      include,
      quote: (...a: unknown[]) => a.map((x) => JSON.stringify(str(x))).join(' '),
      toString: (x: unknown) => str(x),
      default: (fallback: unknown, v: unknown) => (truthy(v) ? v : fallback),
      required: (message: string, v: unknown) => {
        if (v === undefined || v === null || v === '') throw new HelmFail(message);
        return v;
      },
      fail: (message: string) => {
        throw new HelmFail(message);
      },
      trunc: (n: number, s: unknown) => str(s).slice(0, n),
      trimSuffix: (suffix: string, s: unknown) => (str(s).endsWith(suffix) ? str(s).slice(0, -suffix.length) : str(s)),
      contains: (sub: unknown, s: unknown) => str(s).includes(str(sub)),
      printf: (format: string, ...args: unknown[]) => format.replace(/%[sdv]/g, () => str(args.shift())),
      list: (...a: unknown[]) => a,
      toYaml: (v: unknown) => (v && typeof v === 'object' && Object.keys(v).length === 0 ? (Array.isArray(v) ? '[]' : '{}') : YAML.stringify(v, { lineWidth: 0 }).trimEnd()),
      toJson: (v: unknown) => JSON.stringify(v),
      sha256sum: (s: unknown) => createHash('sha256').update(str(s)).digest('hex'),
      b64enc: (s: unknown) => Buffer.from(str(s)).toString('base64'),
      indent: (n: number, s: unknown) => indent(n, s),
      nindent: (n: number, s: unknown) => `\n${indent(n, s)}`,
      int: (x: unknown) => Math.trunc(Number(x)),
      mul: (a: unknown, b: unknown) => Number(a) * Number(b),
      add: (a: unknown, b: unknown) => Number(a) + Number(b),
      eq: (a: unknown, b: unknown) => a === b,
      ne: (a: unknown, b: unknown) => a !== b,
      // The chart compares numbers only (through `int`).
      lt: (a: number, b: number) => a < b,
      le: (a: number, b: number) => a <= b,
      gt: (a: number, b: number) => a > b,
      ge: (a: number, b: number) => a >= b,
      not: (x: unknown) => !truthy(x),
      and: (...a: unknown[]) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
      or: (...a: unknown[]) => a.find((x) => truthy(x)) ?? a[a.length - 1],
      empty: (x: unknown) => !truthy(x),
    };
    const fn = FUNCTIONS[name];
    if (!fn) throw new Error(`template function "${name}" is not supported by this renderer`);
    return fn as (...args: unknown[]) => unknown;
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isMap(over) || !isMap(base)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}
