// Quantile estimators: over plain values (quantile, quantile_over_time), over classic `le`
// buckets (histogram_quantile), and over t-digest distributions.
import type { Distribution } from '../distribution.ts';

/** Sorts like Go's sort.Float64s: NaN first, then ascending. */
export function sortFloats(a: Float64Array): void {
  a.sort((x, y) => (x !== x ? (y !== y ? 0 : -1) : y !== y ? 1 : x - y));
}

/** Prometheus's quantile over values (linear interpolation between closest ranks); sorts `values`. */
export function quantileOfValues(q: number, values: Float64Array): number {
  const n = values.length;
  if (n === 0 || q !== q) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  sortFloats(values);
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}

export interface Bucket {
  upperBound: number;
  count: number;
}

/**
 * Go's sort.Sort as Prometheus 2.42 (Go 1.19+, pdqsort) runs it on up to 12 buckets: an insertion
 * sort by upperBound. With a NaN bound (never less, never greater) the result depends on the
 * algorithm, so it is replicated; above 12 buckets only NaN-free input is sorted the same.
 */
function goSortBuckets(b: Bucket[]): void {
  if (b.length > 12 && !b.some((x) => x.upperBound !== x.upperBound)) {
    b.sort((x, y) => x.upperBound - y.upperBound);
    return;
  }
  for (let i = 1; i < b.length; i++) {
    for (let j = i; j > 0 && b[j]!.upperBound < b[j - 1]!.upperBound; j--) {
      const t = b[j]!;
      b[j] = b[j - 1]!;
      b[j - 1] = t;
    }
  }
}

/** histogram_quantile over classic buckets (Prometheus 2.42 bucketQuantile); sorts `buckets`. */
export function bucketQuantile(q: number, buckets: Bucket[]): number {
  if (q !== q) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  goSortBuckets(buckets);
  if (buckets.length === 0 || buckets[buckets.length - 1]!.upperBound !== Infinity) return NaN;
  // Coalesce neighbours with the same upper bound (NaN bounds never coalesce).
  const bs: Bucket[] = [];
  for (const b of buckets) {
    const last = bs[bs.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else bs.push({ upperBound: b.upperBound, count: b.count });
  }
  // Ensure monotonic counts, starting from the first count as Go does (a NaN first count
  // leaves every later one as it is).
  let max = bs[0]!.count;
  for (let i = 1; i < bs.length; i++) {
    const c = bs[i]!.count;
    if (c > max) max = c;
    else if (c < max) bs[i]!.count = max;
  }
  if (bs.length < 2) return NaN;
  const observations = bs[bs.length - 1]!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // sort.Search(len-1, count >= rank): a binary search, which differs from a scan on NaN counts.
  let lo = 0,
    hi = bs.length - 1;
  while (lo < hi) {
    const h = (lo + hi) >>> 1;
    if (!(bs[h]!.count >= rank)) lo = h + 1;
    else hi = h;
  }
  const b = lo;
  if (b === bs.length - 1) return bs[bs.length - 2]!.upperBound;
  if (b === 0 && bs[0]!.upperBound <= 0) return bs[0]!.upperBound;
  let bucketStart = 0;
  const bucketEnd = bs[b]!.upperBound;
  let count = bs[b]!.count;
  if (b > 0) {
    bucketStart = bs[b - 1]!.upperBound;
    count -= bs[b - 1]!.count;
    rank -= bs[b - 1]!.count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/**
 * Quantile of a t-digest: centroid i is taken to sit at cumulative weight c_i + w_i/2; the
 * estimate interpolates linearly between neighbouring centroids, and between min/max and the
 * outermost centroids.
 */
export function digestQuantile(q: number, d: Distribution): number {
  if (q !== q) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const { means, weights } = d;
  const k = means.length;
  if (k === 0 || d.count === 0) return NaN;
  if (k === 1) return q === 0 ? d.min : q === 1 ? d.max : means[0]!;
  const total = d.count;
  const target = q * total;
  if (target <= 0) return d.min;
  if (target >= total) return d.max;
  let cum = 0;
  let prevCenter = 0;
  let prevMean = d.min;
  for (let i = 0; i < k; i++) {
    const center = cum + weights[i]! / 2;
    if (target < center) {
      const span = center - prevCenter;
      const frac = span > 0 ? (target - prevCenter) / span : 0;
      return prevMean + (means[i]! - prevMean) * frac;
    }
    prevCenter = center;
    prevMean = means[i]!;
    cum += weights[i]!;
  }
  const span = total - prevCenter;
  const frac = span > 0 ? (target - prevCenter) / span : 1;
  return prevMean + (d.max - prevMean) * frac;
}

/** Estimated fraction of observations in [lower, upper] (histogram_fraction on a distribution). */
export function digestFraction(lower: number, upper: number, d: Distribution): number {
  if (d.count === 0 || lower !== lower || upper !== upper) return NaN;
  if (upper <= lower) return 0;
  return Math.max(0, digestCdf(upper, d) - digestCdf(lower, d));
}

function digestCdf(x: number, d: Distribution): number {
  const { means, weights } = d;
  const total = d.count;
  if (x < d.min) return 0;
  if (x >= d.max) return 1;
  let cum = 0;
  let prevCenter = 0;
  let prevMean = d.min;
  for (let i = 0; i < means.length; i++) {
    const center = cum + weights[i]! / 2;
    const m = means[i]!;
    if (x < m) {
      const span = m - prevMean;
      const frac = span > 0 ? (x - prevMean) / span : 1;
      return (prevCenter + (center - prevCenter) * frac) / total;
    }
    prevCenter = center;
    prevMean = m;
    cum += weights[i]!;
  }
  const span = d.max - prevMean;
  const frac = span > 0 ? (x - prevMean) / span : 1;
  return (prevCenter + (total - prevCenter) * frac) / total;
}
