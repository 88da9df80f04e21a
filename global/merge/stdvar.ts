// Merge step for stddev/stdvar (plan/split-stdvar.ts): per zone, each group's count, mean and
// variance at each step; the root folds them pairwise with Chan et al.'s update
//   δ = μ_b − μ_a,  n = n_a + n_b,  μ = μ_a + δ·n_b/n,  M2 = M2_a + M2_b + δ²·n_a·n_b/n
// which works on differences of means, so it stays exact to rounding where E[x²] − E[x]², or
// even Σnᵢμᵢ/n with large means, would cancel.
import { labelsKey } from '../../shared/labels.ts';
import type { MatrixSeries, Point } from '../../shared/value.ts';

/** One zone's answers for the three inputs. */
export interface StdvarInputs {
  count: readonly MatrixSeries[];
  mean: readonly MatrixSeries[];
  variance: readonly MatrixSeries[];
}

interface Acc {
  n: number;
  mean: number;
  m2: number;
}

export function mergeStdvar(zones: readonly StdvarInputs[], sqrt: boolean): MatrixSeries[] {
  const groups = new Map<string, { labels: MatrixSeries['labels']; steps: Map<number, Acc> }>();
  for (const z of zones) {
    const means = pointIndex(z.mean);
    const vars = pointIndex(z.variance);
    for (const s of z.count) {
      const k = labelsKey(s.labels);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { labels: s.labels, steps: new Map() }));
      for (const p of s.points) {
        const mean = means.get(`${k}@${p.t}`);
        const v = vars.get(`${k}@${p.t}`);
        if (mean === undefined || v === undefined) continue;
        const a = g.steps.get(p.t);
        if (!a) {
          g.steps.set(p.t, { n: p.f, mean, m2: v * p.f });
          continue;
        }
        const n = a.n + p.f;
        const delta = mean - a.mean;
        a.m2 += v * p.f + ((delta * delta * a.n) / n) * p.f;
        a.mean += (delta * p.f) / n;
        a.n = n;
      }
    }
  }
  const out: MatrixSeries[] = [];
  for (const g of groups.values()) {
    const points: Point[] = [];
    for (const [t, a] of [...g.steps].sort((x, y) => x[0] - y[0])) {
      const f = a.m2 / a.n;
      points.push({ t, f: sqrt ? Math.sqrt(f) : f });
    }
    out.push({ labels: g.labels, points });
  }
  return out;
}

function pointIndex(list: readonly MatrixSeries[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of list) {
    const k = labelsKey(s.labels);
    for (const p of s.points) m.set(`${k}@${p.t}`, p.f);
  }
  return m;
}
