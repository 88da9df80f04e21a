// The PromQL syntax tree Canopy evaluates (its own, independent of the grammar package).
// Positions are character offsets into the query text: [start, end).
import type { Matcher } from '../matchers.ts';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Prometheus's names for value types, as used in error messages. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return t;
  }
}

export interface PosRange {
  start: number;
  end: number;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'count_values'
  | 'quantile';

export const AGGREGATE_OPS: ReadonlySet<string> = new Set([
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'count_values',
  'quantile',
]);

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export function isComparisonOp(op: BinaryOp): op is ComparisonOp {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}
export function isSetOp(op: BinaryOp): op is SetOp {
  return op === 'and' || op === 'or' || op === 'unless';
}

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  card: Cardinality;
  /** Labels listed in on(...) / ignoring(...). */
  labels: string[];
  /** True for on(...), false for ignoring(...) or no clause. */
  on: boolean;
  /** Labels listed in group_left(...) / group_right(...). */
  include: string[];
}

export interface NumberLiteral extends PosRange {
  kind: 'NumberLiteral';
  val: number;
}
export interface StringLiteral extends PosRange {
  kind: 'StringLiteral';
  val: string;
}
/** `start()` / `end()` as the argument of @. */
export type AtPreprocessor = 'start' | 'end';

export interface VectorSelector extends PosRange {
  kind: 'VectorSelector';
  /** Metric name given before the braces ('' when absent). */
  name: string;
  /** All matchers, including the __name__ matcher made from `name`. */
  matchers: Matcher[];
  offsetMs: number;
  /** @ timestamp in ms, or null. */
  atMs: number | null;
  atPre: AtPreprocessor | null;
}
export interface MatrixSelector extends PosRange {
  kind: 'MatrixSelector';
  vs: VectorSelector;
  rangeMs: number;
}
export interface SubqueryExpr extends PosRange {
  kind: 'SubqueryExpr';
  expr: Expr;
  rangeMs: number;
  /** 0 = the engine's default evaluation interval. */
  stepMs: number;
  offsetMs: number;
  atMs: number | null;
  atPre: AtPreprocessor | null;
}
export interface UnaryExpr extends PosRange {
  kind: 'UnaryExpr';
  op: '-' | '+';
  expr: Expr;
}
export interface ParenExpr extends PosRange {
  kind: 'ParenExpr';
  expr: Expr;
}
export interface BinaryExpr extends PosRange {
  kind: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  /** Null when at least one side is a scalar. */
  matching: VectorMatching | null;
}
export interface Call extends PosRange {
  kind: 'Call';
  func: string;
  args: Expr[];
}
export interface AggregateExpr extends PosRange {
  kind: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  param: Expr | null;
  grouping: string[];
  without: boolean;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | UnaryExpr
  | ParenExpr
  | BinaryExpr
  | Call
  | AggregateExpr;

export function unwrapParens(e: Expr): Expr {
  while (e.kind === 'ParenExpr') e = e.expr;
  return e;
}
