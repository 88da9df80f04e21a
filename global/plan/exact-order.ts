// When a split aggregation's answer depends on the order of its additions. One engine folds
// a group's series in label order; the root adds the zones' partial sums (or merges their means
// and variances) instead. For ordinary values the two agree to rounding, but near ±MaxFloat64
// one order overflows to ±Inf where the other stays finite (2.42's avg is an incremental mean
// precisely so that huge values cancel). A partial beyond OVERFLOW_RISK or infinite means the
// order may matter; the root then answers the query from raw series, in one engine's order, as
// the naive plan does (always correct, the zones' data all fetched). Likewise when a stddev or
// stdvar merge is ill-conditioned (mean² ≫ variance), where rounding depends on the method.
import { labelsKey } from '../../shared/labels.ts';
import type { MatrixSeries } from '../../shared/value.ts';
import type { Fragment } from './fragment.ts';

/**
 * Far enough below MaxFloat64 (≈1.8e308) that partials under it cannot overflow when added in
 * any order unless there are over 10^8 of them.
 */
export const OVERFLOW_RISK = 1e300;

/** True when an order-sensitive fragment's partial answer has an infinite or huge value. */
export function orderMayMatter(f: Fragment, partials: readonly MatrixSeries[]): boolean {
  if (!f.orderSensitive) return false;
  for (const s of partials) {
    for (const p of s.points) {
      if (p.d) continue;
      const a = Math.abs(p.f);
      if (a > OVERFLOW_RISK) return true; // ±Inf included; NaN is NaN in every order
    }
  }
  return false;
}

/**
 * Relative error a merged variance may carry before the root answers from raw series: one pass
 * (Welford, as 2.42) and the zones' merge (Chan) both lose about ε·mean²/variance of it, in
 * different ways; beyond ~1e-10 the two no longer agree to the 1e-9 the answers are held to.
 */
export const ILL_CONDITIONED = 1e6;

/**
 * True when a stddev/stdvar merge is ill-conditioned: some zone's group mean squared exceeds
 * ILL_CONDITIONED times the merged variance at that step (e.g. the spread of timestamps around
 * 1.8e9), so the order of the computation shows in the result.
 */
export function varianceIllConditioned(
  zoneMeans: readonly MatrixSeries[],
  merged: readonly MatrixSeries[],
  stddev: boolean,
): boolean {
  const byKey = new Map<string, Map<number, number>>();
  for (const s of merged) {
    const m = new Map<number, number>();
    for (const p of s.points) m.set(p.t, stddev ? p.f * p.f : p.f);
    byKey.set(labelsKey(s.labels), m);
  }
  for (const s of zoneMeans) {
    const v = byKey.get(labelsKey(s.labels));
    if (!v) continue;
    for (const p of s.points) {
      const variance = v.get(p.t);
      if (variance === undefined || !Number.isFinite(p.f) || !Number.isFinite(variance)) continue;
      if (p.f * p.f > ILL_CONDITIONED * variance) return true;
    }
  }
  return false;
}
