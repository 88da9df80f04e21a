// Rewrite: count runs in every zone; the root sums the counts.
//   count by (job) (up)
//   → zones: count by (job) (up)
//   → root:  sum by (job) (__canopy_fragment_0__)
import type { AggregateExpr, Expr } from '../../shared/promql/index.ts';
import type { FragmentSet } from './fragment.ts';
import { aggregate, describeGrouping } from './nodes.ts';

export function splitCount(a: AggregateExpr, frags: FragmentSet): Expr | undefined {
  if (a.op !== 'count') return undefined;
  const ph = frags.add(a, `sum${describeGrouping(a)} of the zones' partial counts`);
  return aggregate('sum', ph, a.grouping, a.without);
}
