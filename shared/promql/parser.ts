// Recursive-descent PromQL parser producing Canopy's AST. Operator precedence (low → high):
// or; and unless; comparisons; + -; * / % atan2; ^ (right-assoc). Unary +/- binds like *, so
// -a^b is -(a^b). Postfix [range], [range:step], offset and @ bind tightest.
import { Matcher, type MatchType } from '../matchers.ts';
import { METRIC_NAME } from '../labels.ts';
import { CanopyError } from '../errors.ts';
import type {
  AggregateOp,
  AtPreprocessor,
  BinaryOp,
  Expr,
  MatrixSelector,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
import { isSetOp } from './ast.ts';
import { describeToken, lex, unquote, type Token } from './lexer.ts';
import { parseDurationMs } from './duration.ts';
import { parseError } from './parse-error.ts';
import { FUNCTIONS } from './functions/signatures.ts';
import { checkAST } from './typecheck.ts';
import { formatGoFloat6 } from './functions/util.ts';

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};
const UNARY_PRECEDENCE = 5;

/**
 * Deepest nesting the parser accepts (parentheses, calls, aggregations, operator chains).
 * Prometheus has no such limit, but every pass over the tree here (type check, planner,
 * evaluator) recurses: 20,000 nested parentheses would overflow the stack (a 500) instead of
 * answering 400.
 */
export const MAX_DEPTH = 500;

class PromQLParser {
  private readonly toks: Token[];
  private i = 0;
  private depth = 0;
  /**
   * Aggregations being parsed: yacc's only error rule inside one is `aggregate_op error`, so an
   * unexpected token there without a nearer rule (offset, @, brackets…) says "in aggregation".
   */
  private aggDepth = 0;
  constructor(private readonly input: string) {
    this.toks = lex(input);
  }

  fail(pos: number, msg: string): never {
    throw parseError(this.input, pos, msg);
  }
  peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (t.type === 'ERROR') this.fail(t.pos, t.val);
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  unexpected(t: Token, context = '', expected = ''): never {
    if (t.type === 'ERROR') this.fail(t.pos, t.val);
    if (context === '' && this.aggDepth > 0) context = 'aggregation';
    // START and END are not keywords in Go's item table: they print as quoted text.
    const desc =
      t.type === 'KEYWORD' && (t.val === 'start' || t.val === 'end')
        ? JSON.stringify(this.input.slice(t.pos, t.end))
        : describeToken(t);
    let msg = `unexpected ${desc}`;
    if (context) msg += ` in ${context}`;
    if (expected) msg += `, expected ${expected}`;
    this.fail(t.pos, msg);
  }
  expect(type: Token['type'], context: string, expected?: string): Token {
    const t = this.peek();
    if (t.type !== type) this.unexpected(t, context, expected ?? JSON.stringify(type));
    return this.next();
  }

  parseTop(): Expr {
    if (this.peek().type === 'EOF') this.fail(0, 'no expression found in input');
    const e = this.parseBinary(0);
    const t = this.peek();
    if (t.type !== 'EOF') this.unexpected(t);
    return e;
  }

  parseBinary(minPrec: number): Expr {
    let lhs = this.parseUnary();
    // A chain a + b + c … nests left-deep: each operator adds a level to the tree.
    let chain = 0;
    while (true) {
      const t = this.peek();
      if (t.type !== 'OP') break;
      const prec = PRECEDENCE[t.val];
      if (prec === undefined || prec < minPrec) break;
      if (this.depth + ++chain > MAX_DEPTH) this.tooDeep(t);
      this.next();
      const op = t.val as BinaryOp;
      let returnBool = false;
      if (this.peek().type === 'KEYWORD' && this.peek().val === 'bool') {
        this.next();
        returnBool = true;
      }
      const matching = this.parseMatching(op);
      const rhs = this.parseBinary(op === '^' ? prec : prec + 1);
      lhs = { kind: 'BinaryExpr', op, lhs, rhs, returnBool, matching, start: lhs.start, end: rhs.end };
    }
    return lhs;
  }

  parseMatching(op: BinaryOp): VectorMatching {
    const m: VectorMatching = {
      card: isSetOp(op) ? 'many-to-many' : 'one-to-one',
      labels: [],
      on: false,
      include: [],
    };
    const t = this.peek();
    if (t.type !== 'KEYWORD' || (t.val !== 'on' && t.val !== 'ignoring')) return m;
    this.next();
    m.on = t.val === 'on';
    m.labels = this.parseGroupingLabels();
    const g = this.peek();
    if (g.type === 'KEYWORD' && (g.val === 'group_left' || g.val === 'group_right')) {
      this.next();
      m.card = g.val === 'group_left' ? 'many-to-one' : 'one-to-many';
      if (this.peek().type === '(') m.include = this.parseGroupingLabels();
    }
    return m;
  }

  parseGroupingLabels(): string[] {
    this.expect('(', 'grouping opts', '"("');
    const out: string[] = [];
    while (true) {
      const t = this.peek();
      if (t.type === ')') {
        this.next();
        return out;
      }
      if (!isLabelToken(t)) this.unexpected(t, 'grouping opts', 'label');
      this.next();
      out.push(
        t.type === 'KEYWORD' || t.type === 'AGGREGATOR' || t.type === 'OP'
          ? this.input.slice(t.pos, t.end)
          : t.val,
      );
      const s = this.peek();
      if (s.type === ',') this.next();
      else if (s.type !== ')') this.unexpected(s, 'grouping opts', '"," or ")"');
    }
  }

  tooDeep(t: Token): never {
    this.fail(t.pos, `expression nests more than ${MAX_DEPTH} levels deep`);
  }

  parseUnary(): Expr {
    if (++this.depth > MAX_DEPTH) this.tooDeep(this.peek());
    try {
      return this.parseUnaryAt();
    } finally {
      this.depth--;
    }
  }

  parseUnaryAt(): Expr {
    const t = this.peek();
    if (t.type === 'OP' && (t.val === '-' || t.val === '+')) {
      this.next();
      const operand = this.parseBinary(UNARY_PRECEDENCE + 1);
      if (operand.kind === 'NumberLiteral') {
        return { ...operand, val: t.val === '-' ? -operand.val : operand.val, start: t.pos };
      }
      return { kind: 'UnaryExpr', op: t.val, expr: operand, start: t.pos, end: operand.end };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  parsePrimary(): Expr {
    const t = this.peek();
    switch (t.type) {
      case 'NUMBER':
        this.next();
        return { kind: 'NumberLiteral', val: this.parseNumber(t), start: t.pos, end: t.end };
      case 'STRING':
        this.next();
        return { kind: 'StringLiteral', val: this.unquote(t), start: t.pos, end: t.end };
      case '(': {
        this.next();
        const e = this.parseBinary(0);
        const c = this.peek();
        if (c.type !== ')') this.unexpected(c);
        this.next();
        return { kind: 'ParenExpr', expr: e, start: t.pos, end: c.end };
      }
      case '{':
        return this.parseVectorSelector('', t.pos);
      case 'AGGREGATOR': {
        const nx = this.peek(1);
        if (nx.type === '(' || (nx.type === 'KEYWORD' && (nx.val === 'by' || nx.val === 'without')))
          return this.parseAggregate();
        // Otherwise the word is a metric name (`foo * sum`), as Prometheus' grammar allows.
        this.next();
        return this.parseVectorSelector(this.input.slice(t.pos, t.end), t.pos);
      }
      case 'OP':
        // and, or, unless name metrics too (Go's metric_identifier); atan2 does not.
        if (t.val !== 'and' && t.val !== 'or' && t.val !== 'unless') this.unexpected(t);
        if (this.peek(1).type === '(') this.unexpected(this.peek(1));
        this.next();
        return this.parseVectorSelector(this.input.slice(t.pos, t.end), t.pos);
      case 'KEYWORD':
        // Some keywords name metrics too (`offset{step="1s"}`), but not where a call would follow.
        if (!METRIC_KEYWORDS.has(t.val)) this.unexpected(t);
        if (this.peek(1).type === '(') this.unexpected(this.peek(1));
        this.next();
        return this.parseVectorSelector(this.input.slice(t.pos, t.end), t.pos);
      case 'IDENTIFIER':
        if (this.peek(1).type === '(') return this.parseCall();
        this.next();
        return this.parseVectorSelector(t.val, t.pos);
      case 'METRIC_IDENTIFIER':
        this.next();
        return this.parseVectorSelector(t.val, t.pos);
      default:
        this.unexpected(t);
    }
  }

  parseNumber(t: Token): number {
    const s = t.val;
    const lower = s.toLowerCase();
    if (lower === 'inf') return Infinity;
    if (lower === 'nan') return NaN;
    let v: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
    else if (/^0[0-7]+$/.test(s)) v = parseInt(s.slice(1), 8);
    else if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) v = Number(s);
    else
      this.fail(
        t.pos,
        `error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`,
      );
    return v;
  }

  unquote(t: Token): string {
    try {
      return unquote(t.val);
    } catch {
      this.fail(t.pos, `invalid syntax in string literal ${t.val}`);
    }
  }

  parseDuration(t: Token): number {
    let ms: number;
    try {
      ms = parseDurationMs(t.val);
    } catch (e) {
      this.fail(t.pos, (e as Error).message);
    }
    if (ms === 0) this.fail(t.pos, 'duration must be greater than 0');
    return ms;
  }

  parseVectorSelector(name: string, start: number): VectorSelector {
    const matchers: Matcher[] = [];
    let end = this.toks[this.i - 1]?.end ?? start;
    if (this.peek().type === '{') {
      this.next();
      while (true) {
        const t = this.peek();
        if (t.type === '}') {
          this.next();
          end = t.end;
          break;
        }
        if (t.type !== 'IDENTIFIER') this.unexpected(t, 'label matching', 'identifier or "}"');
        this.next();
        const opTok = this.peek();
        let op: MatchType;
        if (opTok.type === '=') op = '=';
        else if (opTok.type === '=~') op = '=~';
        else if (opTok.type === '!~') op = '!~';
        else if (opTok.type === 'OP' && opTok.val === '!=') op = '!=';
        else this.unexpected(opTok, 'label matching', 'label matching operator');
        this.next();
        const v = this.peek();
        if (v.type !== 'STRING') this.unexpected(v, 'label matching', 'string');
        this.next();
        const value = this.unquote(v);
        try {
          matchers.push(new Matcher(op, t.val, value));
        } catch (e) {
          this.fail(t.pos, e instanceof CanopyError ? e.message : String(e));
        }
        const s = this.peek();
        if (s.type === ',') this.next();
        else if (s.type !== '}') this.unexpected(s, 'label matching', '"," or "}"');
      }
    }
    if (name !== '') matchers.push(new Matcher('=', METRIC_NAME, name));
    return { kind: 'VectorSelector', name, matchers, offsetMs: 0, atMs: null, atPre: null, start, end };
  }

  parseCall(): Expr {
    const nameTok = this.next();
    // As yacc, the name is checked when the call is reduced: after its arguments parsed.
    const { args, end } = this.parseArgs('function call');
    const sig = FUNCTIONS.get(nameTok.val);
    if (!sig) this.fail(nameTok.pos, `unknown function with name ${JSON.stringify(nameTok.val)}`);
    return { kind: 'Call', func: sig.name, args, start: nameTok.pos, end };
  }

  parseArgs(context: string): { args: Expr[]; end: number } {
    this.expect('(', context, '"("');
    const args: Expr[] = [];
    while (true) {
      const t = this.peek();
      if (t.type === ')') {
        this.next();
        return { args, end: t.end };
      }
      args.push(this.parseBinary(0));
      const s = this.peek();
      if (s.type === ',') this.next();
      else if (s.type !== ')') this.unexpected(s);
    }
  }

  parseAggregate(): Expr {
    const opTok = this.next();
    const op = opTok.val as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let haveGrouping = false;
    const g = this.peek();
    if (g.type === 'KEYWORD' && (g.val === 'by' || g.val === 'without')) {
      this.next();
      without = g.val === 'without';
      grouping = this.parseGroupingLabels();
      haveGrouping = true;
    }
    if (this.peek().type !== '(') this.unexpected(this.peek(), 'aggregation', '"("');
    this.aggDepth++;
    const { args, end: argsEnd } = this.parseArgs('aggregation');
    this.aggDepth--;
    let end = argsEnd;
    const g2 = this.peek();
    if (g2.type === 'KEYWORD' && (g2.val === 'by' || g2.val === 'without')) {
      if (haveGrouping) this.unexpected(g2); // yacc reports a second grouping clause without context
      this.next();
      without = g2.val === 'without';
      grouping = this.parseGroupingLabels();
      end = this.toks[this.i - 1]!.end;
    }
    if (args.length === 0) this.fail(opTok.pos, 'no arguments for aggregate expression provided');
    const withParam = op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values';
    const want = withParam ? 2 : 1;
    if (args.length !== want) {
      this.fail(
        opTok.pos,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    }
    return {
      kind: 'AggregateExpr',
      op,
      expr: args[want - 1]!,
      param: withParam ? args[0]! : null,
      grouping,
      without,
      start: opTok.pos,
      end,
    };
  }

  parsePostfix(e: Expr): Expr {
    while (true) {
      const t = this.peek();
      if (t.type === '[') e = this.parseRangeOrSubquery(e);
      else if (t.type === 'KEYWORD' && t.val === 'offset') e = this.parseOffset(e);
      else if (t.type === '@') e = this.parseAt(e);
      else return e;
    }
  }

  parseRangeOrSubquery(e: Expr): Expr {
    this.next();
    const d = this.peek();
    if (d.type !== 'DURATION') this.unexpected(d, 'subquery or range selector', 'duration');
    this.next();
    const rangeMs = this.parseDuration(d);
    const t = this.peek();
    if (t.type === ']') {
      this.next();
      if (e.kind !== 'VectorSelector') this.fail(e.start, 'ranges only allowed for vector selectors');
      if (e.offsetMs !== 0) this.fail(e.start, 'no offset modifiers allowed before range');
      if (e.atMs !== null || e.atPre !== null) this.fail(e.start, 'no @ modifiers allowed before range');
      const ms: MatrixSelector = { kind: 'MatrixSelector', vs: e, rangeMs, start: e.start, end: t.end };
      return ms;
    }
    if (t.type !== ':') this.unexpected(t, 'subquery or range', '":" or "]"');
    this.next();
    let stepMs = 0;
    const s = this.peek();
    const hasStep = s.type === 'DURATION';
    if (hasStep) {
      this.next();
      stepMs = this.parseDuration(s);
    }
    const c = this.peek();
    // As yacc's expected-token list: a step may still follow the colon.
    if (c.type !== ']') this.unexpected(c, 'subquery selector', hasStep ? '"]"' : 'duration or "]"');
    this.next();
    const sq: SubqueryExpr = {
      kind: 'SubqueryExpr',
      expr: e,
      rangeMs,
      stepMs,
      offsetMs: 0,
      atMs: null,
      atPre: null,
      start: e.start,
      end: c.end,
    };
    return sq;
  }

  parseOffset(e: Expr): Expr {
    this.next();
    let sign = 1;
    const s = this.peek();
    if (s.type === 'OP' && s.val === '-') {
      this.next();
      sign = -1;
    }
    const d = this.peek();
    if (d.type !== 'DURATION') this.unexpected(d, 'offset', 'duration');
    this.next();
    const ms = sign * this.parseDuration(d);
    const target = e.kind === 'MatrixSelector' ? e.vs : e;
    if (target.kind !== 'VectorSelector' && target.kind !== 'SubqueryExpr') {
      this.fail(
        e.start,
        'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    if (target.offsetMs !== 0) this.fail(e.start, 'offset may not be set multiple times');
    target.offsetMs = ms;
    e.end = d.end;
    return e;
  }

  parseAt(e: Expr): Expr {
    this.next();
    const target = e.kind === 'MatrixSelector' ? e.vs : e;
    const t = this.peek();
    let atMs: number | null = null;
    let atPre: AtPreprocessor | null = null;
    let end: number;
    if (t.type === 'KEYWORD' && (t.val === 'start' || t.val === 'end')) {
      this.next();
      this.expect('(', '@', 'timestamp');
      end = this.expect(')', '@', 'timestamp').end;
      atPre = t.val;
    } else {
      let sign = 1;
      if (t.type === 'OP' && (t.val === '-' || t.val === '+')) {
        this.next();
        if (t.val === '-') sign = -1;
      }
      const n = this.peek();
      if (n.type !== 'NUMBER') this.unexpected(n, '@', 'timestamp');
      this.next();
      end = n.end;
      const sec = sign * this.parseNumber(n);
      if (!Number.isFinite(sec) || Math.abs(sec) >= 9.223372036854776e18) {
        this.fail(e.start, `timestamp out of bounds for @ modifier: ${formatGoFloat6(sec)}`);
      }
      atMs = Math.round(sec * 1000);
    }
    if (target.kind !== 'VectorSelector' && target.kind !== 'SubqueryExpr') {
      this.fail(
        e.start,
        '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
      );
    }
    if (target.atMs !== null || target.atPre !== null)
      this.fail(e.start, '@ <timestamp> may not be set multiple times');
    target.atMs = atMs;
    target.atPre = atPre;
    e.end = end;
    return e;
  }
}

/** Keywords Go's grammar accepts as metric names (metric_identifier). */
const METRIC_KEYWORDS = new Set(['by', 'without', 'offset', 'start', 'end']);

function isLabelToken(t: Token): boolean {
  if (t.type === 'IDENTIFIER' || t.type === 'KEYWORD' || t.type === 'AGGREGATOR') return true;
  return t.type === 'OP' && /^[a-z0-9_]+$/.test(t.val);
}

/** Parses and type-checks a PromQL expression; throws CanopyError('parse_error'). */
export function parseExpr(input: string): Expr {
  const e = new PromQLParser(input).parseTop();
  checkAST(input, e);
  return e;
}

/** Parses a series selector (`up{job="x"}`, `{__name__=~"a.*"}`) as the HTTP API's match[] does. */
export function parseMetricSelector(input: string): Matcher[] {
  const p = new PromQLParser(input);
  const t = p.peek();
  let vs!: VectorSelector;
  if (t.type === 'EOF') p.fail(0, 'no expression found in input');
  if (t.type === '{') vs = p.parseVectorSelector('', t.pos);
  else if (t.type === 'IDENTIFIER' || t.type === 'METRIC_IDENTIFIER') {
    p.next();
    vs = p.parseVectorSelector(t.val, t.pos);
  } else if (t.type === 'KEYWORD' || t.type === 'AGGREGATOR' || (t.type === 'OP' && /^[a-z]/.test(t.val))) {
    p.next();
    vs = p.parseVectorSelector(input.slice(t.pos, t.end), t.pos);
  } else p.unexpected(t);
  const rest = p.peek();
  if (rest.type !== 'EOF') p.unexpected(rest);
  checkAST(input, vs);
  return vs.matchers;
}
