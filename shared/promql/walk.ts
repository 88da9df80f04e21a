// Tree traversal for planners and rewrites (pushdown mappers walk and rebuild expressions).
import type { Expr } from './ast.ts';

/** The direct sub-expressions of a node, in evaluation order. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return [];
    case 'MatrixSelector':
      return [e.vs];
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
      return [e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    case 'Call':
      return e.args;
    case 'AggregateExpr':
      return e.param ? [e.param, e.expr] : [e.expr];
  }
}

/**
 * Visits nodes depth-first, parents before children. The visitor returns false to skip a
 * node's children. `path` holds the ancestors of the visited node, root first.
 */
export function walkExpr(
  e: Expr,
  visit: (node: Expr, path: readonly Expr[]) => boolean | void,
  path: Expr[] = [],
): void {
  if (visit(e, path) === false) return;
  path.push(e);
  for (const c of children(e)) walkExpr(c, visit, path);
  path.pop();
}
