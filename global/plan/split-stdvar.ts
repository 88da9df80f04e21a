// Rewrite: stddev/stdvar become, in every zone, the count, mean and variance of each group;
// the root merges them with the parallel form of Welford's algorithm (Chan et al.):
//   n = Σ nᵢ,  μ = Σ nᵢ·μᵢ / n,  M2 = Σ (nᵢ·σᵢ² + nᵢ·(μᵢ − μ)²),  stdvar = M2 / n
//   stddev by (job) (x)
//   → zones: count by (job) (x),  avg by (job) (x),  stdvar by (job) (x)
//   → root:  __canopy_fragment_m0__ (merge step "stddev" over the three)
import type { AggregateExpr, Expr } from '../../shared/promql/index.ts';
import type { FragmentSet } from './fragment.ts';
import { aggregate, describeGrouping } from './nodes.ts';

export function splitStdvar(a: AggregateExpr, frags: FragmentSet): Expr | undefined {
  if (a.op !== 'stddev' && a.op !== 'stdvar') return undefined;
  const g = describeGrouping(a);
  const count = frags.add(
    aggregate('count', a.expr, a.grouping, a.without),
    `${a.op}${g}: per-zone counts (merge input)`,
  );
  const mean = frags.add(
    aggregate('avg', a.expr, a.grouping, a.without),
    `${a.op}${g}: per-zone means (merge input)`,
    undefined,
    true,
  );
  const variance = frags.add(
    aggregate('stdvar', a.expr, a.grouping, a.without),
    `${a.op}${g}: per-zone variances (merge input)`,
    undefined,
    true,
  );
  return frags.addMerge(
    a.op,
    { count, mean, variance },
    `${a.op}${g}: merge the zones' (count, mean, variance) per group and step`,
  );
}
