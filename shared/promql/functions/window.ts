// The window a range-vector function sees at one step: points [lo, hi) of one series, plus the
// range boundaries and scalar parameters. One Window object is reused for every step and
// series (no allocation per step); a function returns false for "no output at this step".
import type { Distribution } from '../../distribution.ts';

export class Window {
  ts: Float64Array = new Float64Array(0);
  fs: Float64Array = new Float64Array(0);
  ds: (Distribution | undefined)[] | null = null;
  lo = 0;
  hi = 0;
  /**
   * For counter functions, prefix counts of resets: resets[i] - resets[lo] is the number of
   * j in (lo, i] with fs[j] < fs[j - 1]. Null otherwise.
   */
  resets: Int32Array | null = null;
  /** Inclusive range boundaries, ms (2.x semantics: both ends closed). */
  rangeStartMs = 0;
  rangeEndMs = 0;
  rangeMs = 0;
  /** The evaluation timestamp of the step, ms. */
  stepMs = 0;
  /** Scalar parameters (e.g. quantile_over_time's φ), per step. */
  p0 = 0;
  p1 = 0;
  out = 0;
  outD: Distribution | undefined = undefined;
  /** Set by functions that meet distribution samples they cannot use. */
  sawDistribution = false;

  get count(): number {
    return this.hi - this.lo;
  }
  /** True when any point in the window is a distribution. */
  hasDistributions(): boolean {
    const ds = this.ds;
    if (!ds) return false;
    for (let i = this.lo; i < this.hi; i++) if (ds[i]) return true;
    return false;
  }
}

export type RangeFunction = (w: Window) => boolean;
