// Merge step for quantile (plan/split-quantile.ts): the zones' values per group and step
// (shared/wire/group-values.ts) are joined and the quantile computed directly, as Prometheus
// does — NaN sorts first (Go's sort.Float64s), then linear interpolation between the closest
// ranks; φ < 0 → −Inf, φ > 1 → +Inf — without building a series per value for the engine.
import { labelsKey } from '../../shared/labels.ts';
import type { MatrixSeries, Point } from '../../shared/value.ts';

export function quantileOf(q: number, values: Float64Array): number {
  const n = values.length;
  if (n === 0 || q !== q) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort((x, y) => (x !== x ? (y !== y ? 0 : -1) : y !== y ? 1 : x - y));
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}

/** groups: every zone's group-values series (labels = the group's; repeated timestamps). */
export function mergeQuantile(groups: readonly MatrixSeries[], q: number): MatrixSeries[] {
  const byGroup = new Map<string, { labels: MatrixSeries['labels']; steps: Map<number, number[]> }>();
  for (const g of groups) {
    const k = labelsKey(g.labels);
    let e = byGroup.get(k);
    if (!e) byGroup.set(k, (e = { labels: g.labels, steps: new Map() }));
    for (const p of g.points) {
      let vs = e.steps.get(p.t);
      if (!vs) e.steps.set(p.t, (vs = []));
      vs.push(p.f);
    }
  }
  const out: MatrixSeries[] = [];
  for (const e of byGroup.values()) {
    const points: Point[] = [];
    for (const [t, vs] of [...e.steps].sort((a, b) => a[0] - b[0]))
      points.push({ t, f: quantileOf(q, Float64Array.from(vs)) });
    out.push({ labels: e.labels, points });
  }
  return out;
}
