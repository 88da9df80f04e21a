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
import { FUNCS, print, truthy, type Value } from './template-funcs.ts';
import { parse, type Node, type Operand, type Pipeline } from './template-parse.ts';

export interface TemplateData {
  labels: Readonly<Record<string, string>>;
  externalLabels: Readonly<Record<string, string>>;
  value: number;
  externalURL?: string;
}

interface TemplateRoot {
  Labels: Readonly<Record<string, string>>;
  ExternalLabels: Readonly<Record<string, string>>;
  Value: number;
  ExternalURL: string;
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
