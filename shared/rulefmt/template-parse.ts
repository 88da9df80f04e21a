// Template parsing: text and {{ actions }} into a tree of nodes (pipelines of commands of
// operands), with Go's trim markers and comments. Unknown functions and unsupported actions are
// CanopyError('bad_data') naming `where`, so bad templates fail when a file is loaded.
import { CanopyError } from '../errors.ts';
import { FUNCS, type Value } from './template-funcs.ts';

export type Operand =
  | { k: 'lit'; v: Value }
  | { k: 'var'; name: string; fields: string[] }
  | { k: 'dot'; fields: string[] }
  | { k: 'fn'; name: string }
  | { k: 'sub'; p: Pipeline };
export type Command = Operand[];
export type Pipeline = Command[];

export type Node =
  | { k: 'text'; s: string }
  | { k: 'out'; p: Pipeline }
  | { k: 'set'; name: string; p: Pipeline }
  | { k: 'tmpl'; name: string; p: Pipeline | null }
  | Block;

export interface Block {
  k: 'if' | 'with' | 'range';
  branches: { cond: Pipeline | null; body: Node[] }[];
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

export function parse(s: string, where: string): Node[] {
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
    const lx: Lexer = new Lexer(s, where);
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
