// Builders for the syntax-tree nodes the rewrites produce (positions are zero: these nodes
// never came from query text).
import type { AggregateExpr, AggregateOp, BinaryExpr, BinaryOp, Expr } from '../../shared/promql/index.ts';

export function aggregate(
  op: AggregateOp,
  expr: Expr,
  grouping: string[],
  without: boolean,
  param: Expr | null = null,
): AggregateExpr {
  return { kind: 'AggregateExpr', op, expr, param, grouping: [...grouping], without, start: 0, end: 0 };
}

/** lhs op rhs between two vectors with the same label sets (default one-to-one matching). */
export function binaryOneToOne(op: BinaryOp, lhs: Expr, rhs: Expr): BinaryExpr {
  return {
    kind: 'BinaryExpr',
    op,
    lhs,
    rhs,
    returnBool: false,
    matching: { card: 'one-to-one', labels: [], on: false, include: [] },
    start: 0,
    end: 0,
  };
}

export function describeGrouping(a: AggregateExpr): string {
  if (a.grouping.length === 0 && !a.without) return '';
  return ` ${a.without ? 'without' : 'by'} (${a.grouping.join(', ')})`;
}
