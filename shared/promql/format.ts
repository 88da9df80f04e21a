// Canonical PromQL text for an expression (Prometheus's Expr.String()); parseExpr(formatExpr(e))
// yields an equivalent tree, so plan fragments can travel as text.
import { METRIC_NAME } from '../labels.ts';
import type { Expr, SubqueryExpr, VectorSelector } from './ast.ts';
import { formatDurationMs } from './duration.ts';

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const neg = s[0] === '-';
  const mant = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const [ip, fp = ''] = mant.split('.') as [string, string?];
  const digits = ip + fp;
  const point = ip.length + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}

function modifiers(e: VectorSelector | SubqueryExpr): string {
  let s = '';
  if (e.atMs !== null) s += ` @ ${(e.atMs / 1000).toFixed(3)}`;
  else if (e.atPre !== null) s += ` @ ${e.atPre}()`;
  if (e.offsetMs > 0) s += ` offset ${formatDurationMs(e.offsetMs)}`;
  else if (e.offsetMs < 0) s += ` offset -${formatDurationMs(-e.offsetMs)}`;
  return s;
}

function selectorText(e: VectorSelector): string {
  const ms = e.matchers.filter(
    (m) => !(e.name !== '' && m.name === METRIC_NAME && m.type === '=' && m.value === e.name),
  );
  if (ms.length === 0) return e.name;
  return `${e.name}{${ms.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(',')}}`;
}

const PREC: Record<string, number> = {
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

/** Wraps a binary operand in parentheses when a rewritten tree would otherwise re-parse differently. */
function operand(child: Expr, parentPrec: number, rightSide: boolean, rightAssoc: boolean): string {
  const s = formatExpr(child);
  // A negative literal left of ^ would re-parse as -(x ^ y).
  if (
    child.kind === 'NumberLiteral' &&
    !rightSide &&
    rightAssoc &&
    (child.val < 0 || Object.is(child.val, -0))
  )
    return `(${s})`;
  if (child.kind === 'UnaryExpr' && !rightSide && rightAssoc) return `(${s})`;
  if (child.kind !== 'BinaryExpr') return s;
  const p = PREC[child.op]!;
  const needs = p < parentPrec || (p === parentPrec && (rightSide ? !rightAssoc : rightAssoc));
  return needs ? `(${s})` : s;
}

export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'NumberLiteral':
      return formatFloat(e.val);
    case 'StringLiteral':
      return JSON.stringify(e.val);
    case 'VectorSelector':
      return selectorText(e) + modifiers(e);
    case 'MatrixSelector':
      return `${selectorText(e.vs)}[${formatDurationMs(e.rangeMs)}]${modifiers(e.vs)}`;
    case 'SubqueryExpr':
      return `${formatExpr(e.expr)}[${formatDurationMs(e.rangeMs)}:${e.stepMs ? formatDurationMs(e.stepMs) : ''}]${modifiers(e)}`;
    case 'ParenExpr':
      return `(${formatExpr(e.expr)})`;
    case 'UnaryExpr':
      return `${e.op}${operand(e.expr, 6, true, true)}`;
    case 'Call':
      return `${e.func}(${e.args.map(formatExpr).join(', ')})`;
    case 'AggregateExpr': {
      let s: string = e.op;
      if (e.without) s += ` without (${e.grouping.join(', ')}) `;
      else if (e.grouping.length > 0) s += ` by (${e.grouping.join(', ')}) `;
      return `${s}(${e.param ? formatExpr(e.param) + ', ' : ''}${formatExpr(e.expr)})`;
    }
    case 'BinaryExpr': {
      let m = '';
      const vm = e.matching;
      if (vm && (vm.labels.length > 0 || vm.on || vm.card === 'many-to-one' || vm.card === 'one-to-many')) {
        m = ` ${vm.on ? 'on' : 'ignoring'} (${vm.labels.join(', ')})`;
        if (vm.card === 'many-to-one' || vm.card === 'one-to-many') {
          m += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${vm.include.join(', ')})`;
        }
      }
      const p = PREC[e.op]!;
      const lhs = operand(e.lhs, p, false, e.op === '^');
      const rhs = operand(e.rhs, p, true, e.op === '^');
      return `${lhs} ${e.op}${e.returnBool ? ' bool' : ''}${m} ${rhs}`;
    }
  }
}
