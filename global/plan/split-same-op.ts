// Rewrite: an aggregation whose partial state is its own result — sum, min, max, group — runs
// in every zone, and the root applies the same aggregation to the zones' answers.
//   sum by (job) (rate(x[5m]))
//   → zones: sum by (job) (rate(x[5m]))
//   → root:  sum by (job) (__canopy_fragment_0__)
// Distribution samples merge the same way (sum of digests = merged digests).
import type { AggregateExpr, Expr } from '../../shared/promql/index.ts';
import type { FragmentSet } from './fragment.ts';
import { aggregate, describeGrouping } from './nodes.ts';

const OPS: ReadonlySet<string> = new Set(['sum', 'min', 'max', 'group']);

export function splitSameOp(a: AggregateExpr, frags: FragmentSet): Expr | undefined {
  if (!OPS.has(a.op)) return undefined;
  const ph = frags.add(
    a,
    `${a.op}${describeGrouping(a)} of the zones' partial ${a.op}s`,
    undefined,
    a.op === 'sum',
  );
  return aggregate(a.op, ph, a.grouping, a.without);
}
