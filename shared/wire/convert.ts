// Converting between domain values (shared/labels, shared/value) and wire messages (proto/),
// at the boundary only: code on either side works with domain types.
import type { ISeries } from '../../proto/index.ts';
import type { canopy } from '../../proto/index.ts';
import { normalizeLabels, type Label, type Labels } from '../labels.ts';
import type { Distribution } from '../distribution.ts';
import type { MatrixSeries, Point, QueryValue } from '../value.ts';

export function labelsToWire(ls: Labels): canopy.v1.ILabel[] {
  return ls.map((l) => ({ name: l.name, value: l.value }));
}

export function labelsFromWire(ls: readonly canopy.v1.ILabel[] | null | undefined): Labels {
  if (!ls || ls.length === 0) return [];
  const out: Label[] = new Array(ls.length);
  let sorted = true;
  for (let i = 0; i < ls.length; i++) {
    out[i] = { name: ls[i]!.name ?? '', value: ls[i]!.value ?? '' };
    if (i > 0 && out[i - 1]!.name >= out[i]!.name) sorted = false;
  }
  return sorted && out.every((l) => l.value !== '') ? out : normalizeLabels(out);
}

export function distributionToWire(d: Distribution): canopy.v1.IDistribution {
  return {
    count: d.count,
    sum: d.sum,
    min: d.min,
    max: d.max,
    means: Array.from(d.means),
    weights: Array.from(d.weights),
  };
}

export function distributionFromWire(d: canopy.v1.IDistribution | null | undefined): Distribution {
  return {
    count: d?.count ?? 0,
    sum: d?.sum ?? 0,
    min: d?.min ?? 0,
    max: d?.max ?? 0,
    means: Float64Array.from(d?.means ?? []),
    weights: Float64Array.from(d?.weights ?? []),
  };
}

export function matrixSeriesToWire(s: MatrixSeries): ISeries {
  const ts: number[] = [];
  const vs: number[] = [];
  const ds: canopy.v1.IDistributionSample[] = [];
  for (const p of s.points) {
    if (p.d) ds.push({ timestampMs: p.t, value: distributionToWire(p.d) });
    else {
      ts.push(p.t);
      vs.push(p.f);
    }
  }
  return { labels: labelsToWire(s.labels), timestampsMs: ts, values: vs, distributions: ds };
}

export function matrixSeriesFromWire(s: ISeries): MatrixSeries {
  const ts = s.timestampsMs ?? [];
  const vs = s.values ?? [];
  const points: Point[] = [];
  for (let i = 0; i < ts.length; i++) points.push({ t: Number(ts[i]), f: vs[i] ?? NaN });
  for (const d of s.distributions ?? [])
    points.push({ t: Number(d.timestampMs), f: d.value?.sum ?? 0, d: distributionFromWire(d.value) });
  if ((s.distributions?.length ?? 0) > 0) points.sort((a, b) => a.t - b.t);
  return { labels: labelsFromWire(s.labels), points };
}

/** A query value as wire series (vector samples become one-point series). */
export function valueToWire(v: QueryValue): {
  resultType: string;
  series: ISeries[];
  scalar?: number;
  stringValue?: string;
  t?: number;
} {
  switch (v.type) {
    case 'vector':
      return {
        resultType: 'vector',
        series: v.vector.map((s) =>
          matrixSeriesToWire({ labels: s.labels, points: [{ t: s.t, f: s.f, d: s.d }] }),
        ),
      };
    case 'matrix':
      return { resultType: 'matrix', series: v.matrix.map(matrixSeriesToWire) };
    case 'scalar':
      return { resultType: 'scalar', series: [{ timestampsMs: [v.t], values: [v.f] }], scalar: v.f };
    case 'string':
      return { resultType: 'string', series: [{ timestampsMs: [v.t] }], stringValue: v.s };
  }
}
