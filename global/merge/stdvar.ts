// Merge step for stddev/stdvar (plan/split-stdvar.ts): per zone, each group's count, mean and
// variance at each step; the root combines them with the parallel Welford update, which stays
// exact to rounding where E[x²] − E[x]² would cancel.
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
  sumMean: number;
  parts: { n: number; mean: number; v: number }[];
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
        let a = g.steps.get(p.t);
        if (!a) g.steps.set(p.t, (a = { n: 0, sumMean: 0, parts: [] }));
        a.n += p.f;
        a.sumMean += p.f * mean;
        a.parts.push({ n: p.f, mean, v });
      }
    }
  }
  const out: MatrixSeries[] = [];
  for (const g of groups.values()) {
    const points: Point[] = [];
    for (const [t, a] of [...g.steps].sort((x, y) => x[0] - y[0])) {
      let f: number;
      if (a.parts.length === 1) f = a.parts[0]!.v;
      else {
        const mu = a.sumMean / a.n;
        let m2 = 0;
        for (const p of a.parts) m2 += p.n * p.v + p.n * (p.mean - mu) * (p.mean - mu);
        f = m2 / a.n;
      }
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
