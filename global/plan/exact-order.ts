// When a split aggregation's answer depends on the order of its additions. One engine folds
// a group's series in label order; the root adds the zones' partial sums (or merges their means
// and variances) instead. For ordinary values the two agree to rounding, but near ±MaxFloat64
// one order overflows to ±Inf where the other stays finite (2.42's avg is an incremental mean
// precisely so that huge values cancel). A partial beyond OVERFLOW_RISK or infinite means the
// order may matter; the root then answers the query from raw series, in one engine's order, as
// the naive plan does (always correct, the zones' data all fetched).
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
