// Rewrite: avg becomes a sum and a count in every zone; the root divides their totals.
//   avg by (job) (x)
//   → zones: sum by (job) (x)      and      count by (job) (x)
//   → root:  sum by (job) (__canopy_fragment_0__) / sum by (job) (__canopy_fragment_1__)
// (The single-server engine averages incrementally; the two agree to rounding, and where the
// order of the additions could overflow the root answers from raw series: exact-order.ts.)
import type { AggregateExpr, Expr } from '../../shared/promql/index.ts';
import type { FragmentSet } from './fragment.ts';
import { aggregate, binaryOneToOne, describeGrouping } from './nodes.ts';

export function splitAvg(a: AggregateExpr, frags: FragmentSet): Expr | undefined {
  if (a.op !== 'avg') return undefined;
  const g = describeGrouping(a);
  const sum = frags.add(
    aggregate('sum', a.expr, a.grouping, a.without),
    `avg${g}: total of the zones' partial sums`,
    undefined,
    true,
  );
  const count = frags.add(
    aggregate('count', a.expr, a.grouping, a.without),
    `avg${g}: total of the zones' partial counts`,
  );
  return binaryOneToOne(
    '/',
    aggregate('sum', sum, a.grouping, a.without),
    aggregate('sum', count, a.grouping, a.without),
  );
}
