// Rewrite: quantile is exact only over all the values, so every zone ships its values per group
// and step (no per-series labels: shared/wire/group-values.ts); the root computes the quantile
// over the union: with a literal φ as a merge step (merge/quantile.ts), else by the engine,
// which then sees value k of a group as a series labelled __canopy_value__="k".
//   quantile by (job) (0.9, rate(x[5m]))
//   → zones: rate(x[5m]), grouped by (job): values per group and step
//   → root:  __canopy_fragment_m0__ (merge step "quantile" φ=0.9)
//   quantile without (zone, instance) (scalar(y), x)
//   → root:  quantile without (zone, instance, __canopy_value__) (scalar(…), __canopy_fragment_0__)
import { unwrapParens, type AggregateExpr, type Expr } from '../../shared/promql/index.ts';
import { GROUP_VALUE_LABEL } from '../../shared/wire/index.ts';
import type { FragmentSet } from './fragment.ts';
import { aggregate, describeGrouping } from './nodes.ts';

export function splitQuantile(a: AggregateExpr, frags: FragmentSet): Expr | undefined {
  if (a.op !== 'quantile' || !a.param) return undefined;
  const ph = frags.add(a.expr, `quantile${describeGrouping(a)} over the values every zone ships per group`, {
    grouping: a.grouping,
    without: a.without,
  });
  const p = unwrapParens(a.param);
  if (p.kind === 'NumberLiteral')
    return frags.addMerge(
      'quantile',
      { values: ph },
      `quantile${describeGrouping(a)}: φ=${p.val} over the zones' values per group and step`,
      p.val,
    );
  return aggregate(
    'quantile',
    ph,
    a.without ? [...a.grouping, GROUP_VALUE_LABEL] : a.grouping,
    a.without,
    a.param,
  );
}
