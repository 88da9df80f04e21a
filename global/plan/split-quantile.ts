// Rewrite: quantile is exact only over all the values, so every zone ships its values per group
// and step (no per-series labels: shared/wire/group-values.ts); the root computes the quantile
// over the union. The root sees value k of a group as a series labelled __canopy_value__="k".
//   quantile by (job) (0.9, rate(x[5m]))
//   → zones: rate(x[5m]), grouped by (job): values per group and step
//   → root:  quantile by (job) (0.9, __canopy_fragment_0__)
//   quantile without (instance) (0.9, x)
//   → root:  quantile without (instance, __canopy_value__) (0.9, __canopy_fragment_0__)
import type { AggregateExpr, Expr } from '../../shared/promql/index.ts';
import { GROUP_VALUE_LABEL } from '../../shared/wire/index.ts';
import type { FragmentSet } from './fragment.ts';
import { aggregate, describeGrouping } from './nodes.ts';

export function splitQuantile(a: AggregateExpr, frags: FragmentSet): Expr | undefined {
  if (a.op !== 'quantile' || !a.param) return undefined;
  const ph = frags.add(a.expr, `quantile${describeGrouping(a)} over the values every zone ships per group`, { grouping: a.grouping, without: a.without });
  return aggregate('quantile', ph, a.without ? [...a.grouping, GROUP_VALUE_LABEL] : a.grouping, a.without, a.param);
}
