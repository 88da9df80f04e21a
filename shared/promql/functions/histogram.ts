// histogram_quantile over classic `le` buckets and over distributions; histogram_count,
// histogram_sum and histogram_fraction over distributions.
import { labelsKey, METRIC_NAME, getLabel, type Labels } from '../../labels.ts';
import type { EvalContext } from '../context.ts';
import { dropMetricName, mergeByLabels } from '../merge.ts';
import { bucketQuantile, digestFraction, digestQuantile, type Bucket } from '../quantile.ts';
import { newStepSeries, type StepSeries } from '../types.ts';

/**
 * strconv.ParseFloat(s, 64): decimal (optional sign, exponent), hexadecimal with a `p` exponent,
 * Inf/Infinity/NaN in any case with optional sign. undefined where Go returns an error
 * (syntax, or a finite literal out of range).
 */
export function parseGoFloat(s: string): number | undefined {
  const t = s.toLowerCase();
  const neg = t.startsWith('-');
  const body = t.replace(/^[+-]/, '');
  const sign = neg ? -1 : 1;
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  let v: number;
  if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(body)) v = Number(body);
  else {
    const h = /^0x([0-9a-f]*)\.?([0-9a-f]*)p([+-]?\d+)$/.exec(body.replace(/_/g, ''));
    if (!h || h[1]! + h[2]! === '') return undefined;
    v = parseInt(h[1]! + h[2]! || '0', 16) * Math.pow(2, Number(h[3]) - 4 * h[2]!.length);
  }
  return Number.isFinite(v) ? sign * v : undefined;
}

export function histogramQuantile(
  ctx: EvalContext,
  qs: Float64Array,
  input: StepSeries[],
  n: number,
): StepSeries[] {
  const groups = new Map<string, { out: StepSeries; members: { s: StepSeries; le: number }[] }>();
  const order: StepSeries[] = [];
  const nativeOut: StepSeries[] = [];
  for (const s of input) {
    if (s.d) {
      const o = newStepSeries(dropMetricName(s.labels), n);
      for (let i = 0; i < n; i++) {
        const d = s.d[i];
        if (!s.has[i] || !d) continue;
        o.has[i] = 1;
        o.f[i] = digestQuantile(qs[i]!, d);
      }
      if (o.has.includes(1)) nativeOut.push(o);
    }
    const leStr = getLabel(s.labels, 'le');
    // A NaN bound is a bucket too (Go parses "NaN"); only a missing or malformed `le` is skipped.
    const le = parseGoFloat(leStr);
    if (le === undefined) continue;
    // Buckets group by all labels but `le` (the name included, as Prometheus); the output drops both.
    const key = labelsKey(s.labels.filter((l) => l.name !== 'le'));
    let g = groups.get(key);
    if (!g) {
      const labels: Labels = s.labels.filter((l) => l.name !== 'le' && l.name !== METRIC_NAME);
      g = { out: newStepSeries(labels, n), members: [] };
      groups.set(key, g);
      order.push(g.out);
    }
    g.members.push({ s, le });
  }
  const buckets: Bucket[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < n; i++) {
      ctx.check();
      buckets.length = 0;
      for (const { s, le } of g.members)
        if (s.has[i] && !s.d?.[i]) buckets.push({ upperBound: le, count: s.f[i]! });
      if (buckets.length === 0) continue;
      g.out.has[i] = 1;
      g.out.f[i] = bucketQuantile(qs[i]!, buckets);
    }
  }
  return mergeByLabels([...order.filter((o) => o.has.includes(1)), ...nativeOut], n);
}

export type DistributionReader = 'histogram_count' | 'histogram_sum';

/** histogram_count / histogram_sum / histogram_fraction: distribution samples only; name dropped. */
export function readDistributions(
  input: StepSeries[],
  n: number,
  read: (d: NonNullable<StepSeries['d']>[number] & object, i: number) => number,
): StepSeries[] {
  const out: StepSeries[] = [];
  for (const s of input) {
    if (!s.d) continue;
    const o = newStepSeries(dropMetricName(s.labels), n);
    for (let i = 0; i < n; i++) {
      const d = s.d[i];
      if (!s.has[i] || !d) continue;
      o.has[i] = 1;
      o.f[i] = read(d, i);
    }
    if (o.has.includes(1)) out.push(o);
  }
  return mergeByLabels(out, n);
}

export { digestFraction };
