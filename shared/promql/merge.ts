// Output series whose labels changed (metric name dropped, labels rewritten) may collide. As
// Prometheus does per step, colliding series merge into one when they never share a step, and
// the query fails when they do.
import { CanopyError } from '../errors.ts';
import { compareLabels, labelsKey, METRIC_NAME, type Labels } from '../labels.ts';
import type { StepSeries } from './types.ts';

export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';

export function dropMetricName(ls: Labels): Labels {
  for (const l of ls) if (l.name === METRIC_NAME) return ls.filter((x) => x.name !== METRIC_NAME);
  return ls;
}

export function mergeByLabels(series: StepSeries[], n: number, message = DUPLICATE_LABELSET): StepSeries[] {
  if (series.length < 2) return series;
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (const s of series) {
    const key = labelsKey(s.labels);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, s);
      out.push(s);
      continue;
    }
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      if (prev.has[i]) throw new CanopyError('execution', message);
      prev.has[i] = 1;
      prev.f[i] = s.f[i]!;
      if (s.d?.[i]) {
        if (!prev.d) prev.d = new Array(n);
        prev.d[i] = s.d[i];
      }
    }
  }
  return out;
}

/** Fails when two series have the same labels at all (range-vector functions, as Prometheus). */
export function assertUniqueLabels(series: readonly { labels: Labels }[]): void {
  assertUniqueLabelSets(series.length, (i) => series[i]!.labels);
}

/** assertUniqueLabels over label sets 0..n-1 read through `at`. */
export function assertUniqueLabelSets(n: number, at: (i: number) => Labels): void {
  if (n < 2) return;
  // Strictly increasing label sets (selector order, all names dropped alike) are unique.
  let i = 1;
  while (i < n && compareLabels(at(i - 1), at(i)) < 0) i++;
  if (i === n) return;
  const seen = new Set<string>();
  for (let j = 0; j < n; j++) {
    const key = labelsKey(at(j));
    if (seen.has(key)) throw new CanopyError('execution', DUPLICATE_LABELSET);
    seen.add(key);
  }
}
