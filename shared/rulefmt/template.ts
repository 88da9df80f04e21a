// The subset of Go's text/template that Prometheus rule labels and annotations use:
//   text, {{ pipeline }}, {{- trim -}}, {{/* comments */}}, {{ if }}/{{ else if }}/{{ else }}/{{ end }},
//   {{ range }}/{{ with }} (with {{ else }}), {{ template "name" . }} (names the caller provides),
//   {{ $x := pipeline }}, pipelines with `|`, parenthesised pipelines;
//   operands $labels.x, $externalLabels.x, $value, $externalURL, $, .Labels.x, .Value, ".", strings
//   ("…" and `…`), numbers, true/false;
//   functions humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp,
//   printf, toUpper, toLower, title, reReplaceAll, match, stripPort, eq/ne/lt/le/gt/ge,
//   and/or/not, len, index.
// Unsupported constructs (define, block, query, …) are rejected when the template is compiled,
// so a rule file with them fails at load, not at evaluation. Missing map keys print ""
// (Prometheus sets missingkey=zero). The same engine renders notifier titles and texts over
// Alertmanager's notification data (render()).
import { CanopyError } from '../errors.ts';
import {
  formatValue,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
  sprintf,
} from './go-format.ts';

export interface TemplateData {
  labels: Readonly<Record<string, string>>;
  externalLabels: Readonly<Record<string, string>>;
  value: number;
  externalURL?: string;
}

type Value = string | number | boolean | undefined | object;
interface TemplateRoot {
  Labels: Readonly<Record<string, string>>;
  ExternalLabels: Readonly<Record<string, string>>;
  Value: number;
  ExternalURL: string;
}

type Operand =
  | { k: 'lit'; v: Value }
  | { k: 'var'; name: string; fields: string[] }
  | { k: 'dot'; fields: string[] }
  | { k: 'fn'; name: string }
  | { k: 'sub'; p: Pipeline };
type Command = Operand[];
type Pipeline = Command[];

type Node =
  | { k: 'text'; s: string }
  | { k: 'out'; p: Pipeline }
  | { k: 'set'; name: string; p: Pipeline }
  | { k: 'tmpl'; name: string; p: Pipeline | null }
  | Block;

interface Block {
  k: 'if' | 'with' | 'range';
  branches: { cond: Pipeline | null; body: Node[] }[];
}

const FUNCS: Record<string, (...a: Value[]) => Value> = {
  humanize: (v) => humanize(num(v)),
  humanize1024: (v) => humanize1024(num(v)),
  humanizeDuration: (v) => humanizeDuration(num(v)),
  humanizePercentage: (v) => humanizePercentage(num(v)),
  humanizeTimestamp: (v) => humanizeTimestamp(num(v)),
  printf: (f, ...a) => sprintf(str(f), a),
  toUpper: (s) => str(s).toUpperCase(),
  toLower: (s) => str(s).toLowerCase(),
  title: (s) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  reReplaceAll: (re, repl, s) =>
    str(s).replace(new RegExp(str(re), 'g'), str(repl).replace(/\$\{?(\d+)\}?/g, '$$$1')),
  match: (re, s) => new RegExp(str(re)).test(str(s)),
  stripPort: (s) =>
    str(s)
      .replace(/:\d+$/, '')
      .replace(/^\[(.*)\]$/, '$1'),
  eq: (a, ...b) => b.some((x) => x === a),
  ne: (a, b) => a !== b,
  lt: (a, b) => cmp(a, b) < 0,
  le: (a, b) => cmp(a, b) <= 0,
  gt: (a, b) => cmp(a, b) > 0,
  ge: (a, b) => cmp(a, b) >= 0,
  and: (...a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
  not: (a) => !truthy(a),
  len: (a) =>
    typeof a === 'string'
      ? a.length
      : Array.isArray(a)
        ? a.length
        : a && typeof a === 'object'
          ? Object.keys(a).length
          : 0,
  join: (sep, a) => (Array.isArray(a) ? a.map((x) => str(x as Value)).join(str(sep)) : str(a)),
  safeHtml: (s) => str(s),
  index: (m, k) => (m && typeof m === 'object' ? ((m as Record<string, string>)[str(k)] ?? '') : ''),
};

function num(v: Value): number {
  if (typeof v === 'number') return v;
  const n = Number(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(n)) return n;
  throw new Error(`cannot convert ${JSON.stringify(v)} to a number`);
}
function str(v: Value): string {
  return typeof v === 'number'
    ? formatValue(v)
    : v === undefined
      ? ''
      : typeof v === 'object'
        ? print(v)
        : String(v);
}
function cmp(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = str(a);
  const y = str(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
function truthy(v: Value): boolean {
  return !(
    v === undefined ||
    v === null ||
    v === false ||
    v === 0 ||
    v === '' ||
    (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0)
  );
}
function print(v: Value): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return formatValue(v);
  if (Array.isArray(v)) return `[${v.map((x) => print(x as Value)).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${str((v as Record<string, Value>)[k])}`).join(' ')}]`;
  }
  return String(v);
}

class Lexer {
  i = 0;
  constructor(
    readonly s: string,
    readonly where: string,
  ) {}
  fail(msg: string): never {
    throw new CanopyError('bad_data', `${this.where}: template: ${msg}`);
  }
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  peek(): string {
    this.ws();
    return this.s[this.i] ?? '';
  }
  ident(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (!m) this.fail(`unexpected "${this.s[this.i] ?? 'end'}"`);
    this.i += m[0].length;
    return m[0];
  }
  fields(): string[] {
    const out: string[] = [];
    while (this.s[this.i] === '.' && /[A-Za-z_]/.test(this.s[this.i + 1] ?? '')) {
      this.i++;
      out.push(this.ident());
    }
    return out;
  }
  operand(): Operand {
    this.ws();
    const c = this.s[this.i];
    if (c === '"' || c === '`') {
      const end = c === '`' ? this.s.indexOf('`', this.i + 1) : findQuoteEnd(this.s, this.i);
      if (end < 0) this.fail('unterminated quoted string');
      const raw = this.s.slice(this.i, end + 1);
      this.i = end + 1;
      return { k: 'lit', v: c === '`' ? raw.slice(1, -1) : (JSON.parse(raw) as string) };
    }
    if (c === '(') {
      this.i++;
      const p = this.pipeline(')');
      if (this.peek() !== ')') this.fail('unclosed left paren');
      this.i++;
      return { k: 'sub', p };
    }
    if (c === '$') {
      this.i++;
      const name = /[A-Za-z_]/.test(this.s[this.i] ?? '') ? this.ident() : '';
      return { k: 'var', name, fields: this.fields() };
    }
    if (c === '.') {
      const f = this.fields();
      if (f.length === 0) this.i++;
      return { k: 'dot', fields: f };
    }
    const m = /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|0x[0-9a-fA-F]+)/.exec(this.s.slice(this.i));
    if (m) {
      this.i += m[0].length;
      return { k: 'lit', v: Number(m[0]) };
    }
    const id = this.ident();
    if (id === 'true' || id === 'false') return { k: 'lit', v: id === 'true' };
    if (id === 'nil') return { k: 'lit', v: undefined };
    if (!(id in FUNCS))
      this.fail(
        `function "${id}" not defined${id === 'query' ? ' (query is not supported in Canopy rule templates)' : ''}`,
      );
    return { k: 'fn', name: id };
  }
  pipeline(close: string): Pipeline {
    const p: Pipeline = [];
    let cmd: Command = [];
    for (;;) {
      const c = this.peek();
      if (
        c === '' ||
        c === close ||
        (close === '}' && this.s.startsWith('}}', this.i)) ||
        (close === '}' && this.s.startsWith('-}}', this.i))
      )
        break;
      if (c === '|') {
        if (cmd.length === 0) this.fail('missing command before |');
        p.push(cmd);
        cmd = [];
        this.i++;
        continue;
      }
      cmd.push(this.operand());
    }
    if (cmd.length === 0) this.fail('missing value for command');
    p.push(cmd);
    return p;
  }
}

function findQuoteEnd(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/** A compiled template; compile errors are CanopyError('bad_data') naming `where`. */
export type NamedTemplates = Readonly<Record<string, (dot: unknown) => string>>;

export class Template {
  private readonly nodes: Node[];

  constructor(
    readonly text: string,
    readonly where: string,
    private readonly named: NamedTemplates = {},
  ) {
    this.nodes = parse(text, where);
  }

  /** Renders over arbitrary data (`.` = dot, `$` = dot); errors render as a marker string. */
  render(dot: object): string {
    const out: string[] = [];
    try {
      run(this.nodes, dot, new Map<string, Value>([['', dot]]), out, this.named);
    } catch (e) {
      return `<error expanding template: ${(e as Error).message}>`;
    }
    return out.join('');
  }

  expand(d: TemplateData): string {
    const root: TemplateRoot = {
      Labels: d.labels,
      ExternalLabels: d.externalLabels,
      Value: d.value,
      ExternalURL: d.externalURL ?? '',
    };
    const vars = new Map<string, Value>([
      ['', root],
      ['labels', d.labels],
      ['externalLabels', d.externalLabels],
      ['value', d.value],
      ['externalURL', d.externalURL ?? ''],
    ]);
    const out: string[] = [];
    try {
      run(this.nodes, root, vars, out, this.named);
    } catch (e) {
      return `<error expanding template: ${(e as Error).message}>`;
    }
    return out.join('');
  }
}

function parse(s: string, where: string): Node[] {
  const root: Node[] = [];
  const stack: { node: Block; sawElse: boolean }[] = [];
  const cur = (): Node[] => {
    const top = stack[stack.length - 1];
    return top ? top.node.branches[top.node.branches.length - 1]!.body : root;
  };
  let i = 0;
  let trimNext = false;
  while (i < s.length) {
    const open = s.indexOf('{{', i);
    let text = open < 0 ? s.slice(i) : s.slice(i, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) cur().push({ k: 'text', s: text });
      break;
    }
    const trimLeft = s.startsWith('{{- ', open) || s.startsWith('{{-\t', open) || s.startsWith('{{-\n', open);
    if (trimLeft) text = text.replace(/\s+$/, '');
    if (text) cur().push({ k: 'text', s: text });
    const lx = new Lexer(s, where);
    lx.i = open + (trimLeft ? 3 : 2);
    if (s.startsWith('/*', lx.peek() === '/' ? lx.i : -1)) {
      const end = s.indexOf('*/', lx.i);
      if (end < 0) lx.fail('unclosed comment');
      lx.i = end + 2;
    } else {
      const m = /^(if|else|end|range|with|define|template|block)\b/.exec(s.slice(lx.i));
      const kw = m?.[1];
      if (kw === 'define' || kw === 'block') lx.fail(`{{${kw}}} is not supported in Canopy templates`);
      if (kw === 'template') {
        lx.i += 8;
        lx.ws();
        const name = lx.operand();
        if (name.k !== 'lit' || typeof name.v !== 'string')
          throw new CanopyError('bad_data', `${where}: template: template name must be a string`);
        const more = lx.peek() !== '}' && lx.peek() !== '-';
        cur().push({ k: 'tmpl', name: name.v, p: more ? lx.pipeline('}') : null });
      } else if (kw === 'if' || kw === 'with' || kw === 'range') {
        lx.i += kw.length;
        const node: Block = { k: kw, branches: [{ cond: lx.pipeline('}'), body: [] }] };
        cur().push(node);
        stack.push({ node, sawElse: false });
      } else if (kw === 'else') {
        lx.i += 4;
        const top = stack[stack.length - 1];
        if (!top || top.sawElse) lx.fail('unexpected {{else}}');
        if (/^\s*if\b/.test(s.slice(lx.i)) && top.node.k === 'if') {
          lx.ws();
          lx.i += 2;
          top.node.branches.push({ cond: lx.pipeline('}'), body: [] });
        } else {
          top.node.branches.push({ cond: null, body: [] });
          top.sawElse = true;
        }
      } else if (kw === 'end') {
        lx.i += 3;
        if (!stack.pop()) lx.fail('unexpected {{end}}');
      } else {
        const decl = /^\$([A-Za-z_][A-Za-z0-9_]*)\s*:?=/.exec(s.slice(lx.i));
        if (decl) {
          lx.i += decl[0].length;
          cur().push({ k: 'set', name: decl[1]!, p: lx.pipeline('}') });
        } else cur().push({ k: 'out', p: lx.pipeline('}') });
      }
    }
    lx.ws();
    if (s.startsWith('-}}', lx.i)) {
      trimNext = true;
      lx.i += 3;
    } else if (s.startsWith('}}', lx.i)) lx.i += 2;
    else lx.fail(`unexpected "${s.slice(lx.i, lx.i + 10)}" in action`);
    i = lx.i;
  }
  if (stack.length > 0)
    throw new CanopyError('bad_data', `${where}: template: unexpected EOF (an {{if}} has no {{end}})`);
  return root;
}

function field(v: Value, fields: readonly string[]): Value {
  for (const f of fields) {
    if (v === undefined || typeof v !== 'object') throw new Error(`can't evaluate field ${f}`);
    v = (v as Record<string, Value>)[f] ?? '';
  }
  return v;
}

function evalOperand(o: Operand, dot: Value, vars: Map<string, Value>): Value {
  switch (o.k) {
    case 'lit':
      return o.v;
    case 'var':
      if (!vars.has(o.name)) throw new Error(`undefined variable $${o.name}`);
      return field(vars.get(o.name), o.fields);
    case 'dot':
      return field(dot, o.fields);
    case 'sub':
      return evalPipeline(o.p, dot, vars);
    case 'fn':
      return FUNCS[o.name]!();
  }
}

function evalPipeline(p: Pipeline, dot: Value, vars: Map<string, Value>): Value {
  let prev: Value;
  let first = true;
  for (const cmd of p) {
    const head = cmd[0]!;
    if (head.k === 'fn') {
      const args = cmd.slice(1).map((o) => evalOperand(o, dot, vars));
      if (!first) args.push(prev);
      prev = FUNCS[head.name]!(...args);
    } else {
      if (cmd.length > 1 || !first) throw new Error(`can't give argument to non-function`);
      prev = evalOperand(head, dot, vars);
    }
    first = false;
  }
  return prev;
}

function run(
  nodes: readonly Node[],
  dot: Value,
  vars: Map<string, Value>,
  out: string[],
  named: NamedTemplates,
): void {
  for (const n of nodes) {
    switch (n.k) {
      case 'text':
        out.push(n.s);
        break;
      case 'out':
        out.push(print(evalPipeline(n.p, dot, vars)));
        break;
      case 'set':
        vars.set(n.name, evalPipeline(n.p, dot, vars));
        break;
      case 'tmpl': {
        const f = named[n.name];
        if (f) out.push(f(n.p ? evalPipeline(n.p, dot, vars) : undefined));
        break;
      }
      case 'if':
        for (const b of n.branches) {
          if (b.cond === null || truthy(evalPipeline(b.cond, dot, vars))) {
            run(b.body, dot, vars, out, named);
            break;
          }
        }
        break;
      case 'with': {
        const v = evalPipeline(n.branches[0]!.cond!, dot, vars);
        if (truthy(v)) run(n.branches[0]!.body, v, vars, out, named);
        else if (n.branches[1]) run(n.branches[1].body, dot, vars, out, named);
        break;
      }
      case 'range': {
        const v = evalPipeline(n.branches[0]!.cond!, dot, vars);
        const items: Value[] = Array.isArray(v)
          ? (v as Value[])
          : v && typeof v === 'object'
            ? Object.keys(v)
                .sort()
                .map((k) => (v as Record<string, Value>)[k])
            : [];
        if (items.length === 0 && n.branches[1]) run(n.branches[1].body, dot, vars, out, named);
        for (const it of items) run(n.branches[0]!.body, it, vars, out, named);
        break;
      }
    }
  }
}
