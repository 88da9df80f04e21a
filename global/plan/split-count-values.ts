// Rewrite: count_values counts per value in every zone; the root sums counts of equal label
// sets (same group, same value label).
//   count_values by (job) ("v", x)
//   → zones: count_values by (job) ("v", x)
//   → root:  sum without () (__canopy_fragment_0__)
import type { AggregateExpr, Expr } from '../../shared/promql/index.ts';
import type { FragmentSet } from './fragment.ts';
import { aggregate, describeGrouping } from './nodes.ts';

export function splitCountValues(a: AggregateExpr, frags: FragmentSet): Expr | undefined {
  if (a.op !== 'count_values' || a.param?.kind !== 'StringLiteral') return undefined;
  const ph = frags.add(
    a,
    `count_values${describeGrouping(a)}: the zones' per-value counts summed by label set`,
  );
  return aggregate('sum', ph, [], true);
}
