// Rewrite: topk/bottomk keep the k best series of each group in every zone; the global k best
// are among them, so the root applies the same topk to the zones' candidates.
//   topk by (job) (3, rate(x[5m]))
//   → zones: topk by (job) (3, rate(x[5m]))
//   → root:  topk by (job) (3, __canopy_fragment_0__)
import type { AggregateExpr, Expr } from '../../shared/promql/index.ts';
import type { FragmentSet } from './fragment.ts';
import { aggregate, describeGrouping } from './nodes.ts';

export function splitTopk(a: AggregateExpr, frags: FragmentSet): Expr | undefined {
  if (a.op !== 'topk' && a.op !== 'bottomk') return undefined;
  if (!a.param) return undefined;
  const ph = frags.add(a, `${a.op}${describeGrouping(a)} over the zones' local ${a.op} candidates`);
  return aggregate(a.op, ph, a.grouping, a.without, a.param);
}
