// OTLP exponential histogram points → Canopy distributions (shared/distribution.ts: one
// interval's observations as count, sum, min, max and a t-digest; delta semantics).
//
// A point's buckets become t-digest centroids: each non-empty bucket (lo, hi] contributes its
// count as the weight of one point at (lo + hi) / 2, clamped to the point's min/max when they
// are given; the zero bucket sits at 0; negative buckets mirror the positive ones. A quantile
// read from the digest is therefore off by at most half a bucket — relative error
// (2^(2^-scale) − 1) / 2: 2.2% at scale 4, 1.1% at scale 5 — plus the digest's own (small
// next to that with ≤ 160 buckets per sign, the SDKs' default, and δ = 200).
//
// Delta points are one interval already. Cumulative points are turned into deltas by
// ExponentialDeltas, which keeps each series' last point (buckets at its scale) in memory:
//   - the delta is the bucket-wise difference at the lower of the two scales (SDKs lower the
//     scale as the range grows, never raise it within a stream); sum and count are differences;
//   - a point with a different start time, a smaller count, or any bucket lower than before is
//     a reset: the whole point is the delta (the stream restarted);
//   - the first point of a series is stored whole only when its start time is not before the
//     receiver's start (nothing of it can have been stored before); otherwise — a receiver
//     restart or an idle eviction — it only becomes the baseline, so no observation is counted
//     twice (those before the baseline are not counted at all);
//   - a point not later than the last one, or one with no new observations, gives nothing;
//   - series idle for idleMs are forgotten (the sweep of CumulativeState).
// min and max of a cumulative point are over its whole stream, so a delta's min/max are the
// bounds of its lowest and highest non-empty buckets, tightened by the stream's min/max.
import { labelsKey, type Labels } from '../labels.ts';
import type { Distribution } from '../distribution.ts';
import { TDigest, DIGEST_DEFAULT_COMPRESSION } from '../sketch/index.ts';
import type { IExponentialHistogramDataPoint } from '../../proto/otlp/index.ts';

/** An exponential histogram point's buckets, by index at `scale`. */
export interface ExponentialSnapshot {
  scale: number;
  zeroCount: number;
  positive: Map<number, number>;
  negative: Map<number, number>;
  count: number;
  /** NaN when the point carries no sum. */
  sum: number;
  /** ±Infinity when unknown. */
  min: number;
  max: number;
}

function bucketMap(
  offset: number,
  counts: readonly (number | { toNumber(): number })[],
): Map<number, number> {
  const m = new Map<number, number>();
  for (let k = 0; k < counts.length; k++) {
    const c = Number(counts[k]);
    if (c > 0) m.set(offset + k, c);
  }
  return m;
}

export function exponentialSnapshot(dp: IExponentialHistogramDataPoint): ExponentialSnapshot {
  return {
    scale: dp.scale ?? 0,
    zeroCount: Number(dp.zeroCount ?? 0),
    positive: bucketMap(dp.positive?.offset ?? 0, (dp.positive?.bucketCounts ?? []) as number[]),
    negative: bucketMap(dp.negative?.offset ?? 0, (dp.negative?.bucketCounts ?? []) as number[]),
    count: Number(dp.count ?? 0),
    sum: dp.sum ?? NaN,
    min: dp.min ?? -Infinity,
    max: dp.max ?? Infinity,
  };
}

/** Buckets at a lower scale: index i at scale s is in index floor(i / 2^shift) at s − shift. */
function downscale(m: Map<number, number>, shift: number): Map<number, number> {
  if (shift === 0) return m;
  const out = new Map<number, number>();
  const f = 2 ** shift;
  for (const [i, c] of m) {
    const j = Math.floor(i / f);
    out.set(j, (out.get(j) ?? 0) + c);
  }
  return out;
}

/** cur − prev bucket-wise, or null when a bucket went down (a reset). */
function subtract(cur: Map<number, number>, prev: Map<number, number>): Map<number, number> | null {
  const out = new Map<number, number>();
  for (const [i, p] of prev) if ((cur.get(i) ?? 0) < p) return null;
  for (const [i, c] of cur) {
    const d = c - (prev.get(i) ?? 0);
    if (d > 0) out.set(i, d);
  }
  return out;
}

/**
 * The distribution of one interval's buckets, or null when it holds no observation. `exactMinMax`:
 * the snapshot's min/max are this interval's (a delta point), not its stream's.
 */
export function snapshotDistribution(s: ExponentialSnapshot, exactMinMax: boolean): Distribution | null {
  const width = 2 ** -s.scale;
  const t = new TDigest(DIGEST_DEFAULT_COMPRESSION);
  let lo = Infinity,
    hi = -Infinity;
  const add = (a: number, b: number, w: number): void => {
    // a < b: the bucket's bounds; the point is its middle, kept inside the stream's min/max.
    const x = Math.min(Math.max((a + b) / 2, s.min), s.max);
    t.add(x, w);
    if (a < lo) lo = a;
    if (b > hi) hi = b;
  };
  for (const [i, c] of s.negative) add(-(2 ** ((i + 1) * width)), -(2 ** (i * width)), c);
  if (s.zeroCount > 0) add(0, 0, s.zeroCount);
  for (const [i, c] of s.positive) add(2 ** (i * width), 2 ** ((i + 1) * width), c);
  if (t.count === 0) return null;
  const d = t.toDistribution();
  if (Number.isFinite(s.sum)) d.sum = s.sum;
  if (exactMinMax && Number.isFinite(s.min) && Number.isFinite(s.max)) {
    d.min = s.min;
    d.max = s.max;
  } else {
    d.min = Math.min(Math.max(lo, s.min), d.means[0]!);
    d.max = Math.max(Math.min(hi, s.max), d.means[d.means.length - 1]!);
  }
  return d;
}

interface LastPoint {
  startNs: number;
  timeNs: number;
  snap: ExponentialSnapshot;
  seenMs: number;
}

/** Cumulative exponential histogram points → per-interval snapshots (see the header). */
export class ExponentialDeltas {
  private readonly last = new Map<string, LastPoint>();

  /** startedNs: when the receiver started; first points of streams that began earlier become baselines. */
  constructor(private readonly startedNs: number) {}

  size(): number {
    return this.last.size;
  }

  /** The interval since the series' last point, or null when there is nothing to store. */
  delta(
    labels: Labels,
    startNs: number,
    timeNs: number,
    snap: ExponentialSnapshot,
    nowMs: number,
  ): ExponentialSnapshot | null {
    const key = labelsKey(labels);
    const prev = this.last.get(key);
    if (prev !== undefined && timeNs <= prev.timeNs) return null;
    this.last.set(key, { startNs, timeNs, snap, seenMs: nowMs });
    if (prev === undefined) return startNs > 0 && startNs >= this.startedNs ? snap : null;
    if (startNs !== prev.startNs || snap.count < prev.snap.count || snap.zeroCount < prev.snap.zeroCount)
      return snap;
    const scale = Math.min(snap.scale, prev.snap.scale);
    const pos = subtract(
      downscale(snap.positive, snap.scale - scale),
      downscale(prev.snap.positive, prev.snap.scale - scale),
    );
    const neg = subtract(
      downscale(snap.negative, snap.scale - scale),
      downscale(prev.snap.negative, prev.snap.scale - scale),
    );
    if (pos === null || neg === null) return snap;
    return {
      scale,
      zeroCount: snap.zeroCount - prev.snap.zeroCount,
      positive: pos,
      negative: neg,
      count: snap.count - prev.snap.count,
      sum: snap.sum - prev.snap.sum,
      min: snap.min,
      max: snap.max,
    };
  }

  sweep(nowMs: number, idleMs: number): void {
    for (const [k, v] of this.last) if (nowMs - v.seenMs > idleMs) this.last.delete(k);
  }
}
