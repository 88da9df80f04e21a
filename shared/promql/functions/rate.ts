// Counter and gauge rate-of-change functions over a window: rate, increase, delta (with
// Prometheus's extrapolation), irate, idelta, deriv, predict_linear, holt_winters, changes, resets.
import type { RangeFunction, Window } from './window.ts';
import { kahan, kahanSumInc } from './kahan.ts';

function extrapolatedRate(w: Window, isCounter: boolean, isRate: boolean): boolean {
  const { ts, fs, lo, hi } = w;
  const n = hi - lo;
  if (n < 2) return false;
  if (w.hasDistributions()) {
    w.sawDistribution = true;
    return false;
  }
  const firstT = ts[lo]!,
    lastT = ts[hi - 1]!;
  const firstV = fs[lo]!;
  let result = fs[hi - 1]! - firstV;
  // Without a reset in the window (prefix counts, when given) there is nothing to add.
  if (isCounter && (w.resets === null || w.resets[hi - 1] !== w.resets[lo])) {
    let prev = firstV;
    for (let i = lo + 1; i < hi; i++) {
      const v = fs[i]!;
      if (v < prev) result += prev;
      prev = v;
    }
  }
  let durationToStart = (firstT - w.rangeStartMs) / 1000;
  const durationToEnd = (w.rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avgBetween = sampledInterval / (n - 1);
  if (isCounter && result > 0 && firstV >= 0) {
    const durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = avgBetween * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : avgBetween / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : avgBetween / 2;
  // One factor, then one multiplication, as 2.42 rounds it.
  let factor = extrapolateTo / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  result *= factor;
  w.out = result;
  return true;
}

function instantValue(w: Window, isRate: boolean): boolean {
  const { ts, fs, lo, hi } = w;
  if (hi - lo < 2) return false;
  const lastT = ts[hi - 1]!,
    prevT = ts[hi - 2]!;
  const last = fs[hi - 1]!,
    prev = fs[hi - 2]!;
  let result = isRate && last < prev ? last : last - prev;
  const interval = lastT - prevT;
  if (interval === 0) return false;
  if (isRate) result /= interval / 1000;
  w.out = result;
  return true;
}

/** Least-squares fit of the window's points; x in seconds relative to interceptMs. */
function linearRegression(w: Window, interceptMs: number): { slope: number; intercept: number } {
  const { ts, fs, lo, hi } = w;
  // Kahan-compensated sums, as 2.42.
  let n = 0,
    sumX = 0,
    cX = 0,
    sumY = 0,
    cY = 0,
    sumXY = 0,
    cXY = 0,
    sumX2 = 0,
    cX2 = 0;
  const initY = fs[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = fs[i]!;
    if (constY && i > lo && y !== initY) constY = false;
    n++;
    const x = (ts[i]! - interceptMs) / 1000;
    sumX = kahanSumInc(x, sumX, cX);
    cX = kahan.c;
    sumY = kahanSumInc(y, sumY, cY);
    cY = kahan.c;
    sumXY = kahanSumInc(x * y, sumXY, cXY);
    cXY = kahan.c;
    sumX2 = kahanSumInc(x * x, sumX2, cX2);
    cX2 = kahan.c;
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return { slope: NaN, intercept: NaN };
    return { slope: 0, intercept: initY };
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return { slope, intercept: sumY / n - (slope * sumX) / n };
}

export const rate: RangeFunction = (w) => extrapolatedRate(w, true, true);
export const increase: RangeFunction = (w) => extrapolatedRate(w, true, false);
export const delta: RangeFunction = (w) => extrapolatedRate(w, false, false);
export const irate: RangeFunction = (w) => instantValue(w, true);
export const idelta: RangeFunction = (w) => instantValue(w, false);

export const deriv: RangeFunction = (w) => {
  if (w.count < 2) return false;
  w.out = linearRegression(w, w.ts[w.lo]!).slope;
  return true;
};

/** predict_linear(v[range], t): value t seconds after the step time. */
export const predictLinear: RangeFunction = (w) => {
  if (w.count < 2) return false;
  const { slope, intercept } = linearRegression(w, w.stepMs);
  w.out = intercept + slope * w.p0;
  return true;
};

/** holt_winters(v[range], sf, tf): double exponential smoothing; factors validated by the caller. */
export const holtWinters: RangeFunction = (w) => {
  const { fs, lo, hi } = w;
  if (hi - lo < 2) return false;
  const sf = w.p0,
    tf = w.p1;
  let s0 = 0,
    s1 = fs[lo]!;
  let b = fs[lo + 1]! - fs[lo]!;
  for (let i = 1; i < hi - lo; i++) {
    const x = sf * fs[lo + i]!;
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  w.out = s1;
  return true;
};

export const changes: RangeFunction = (w) => {
  const { fs, lo, hi } = w;
  if (hi === lo) return false;
  let prev = fs[lo]!;
  let n = 0;
  for (let i = lo + 1; i < hi; i++) {
    const cur = fs[i]!;
    if (cur !== prev && !(cur !== cur && prev !== prev)) n++;
    prev = cur;
  }
  w.out = n;
  return true;
};

export const resets: RangeFunction = (w) => {
  const { fs, lo, hi } = w;
  if (hi === lo) return false;
  let prev = fs[lo]!;
  let n = 0;
  for (let i = lo + 1; i < hi; i++) {
    const cur = fs[i]!;
    if (cur < prev) n++;
    prev = cur;
  }
  w.out = n;
  return true;
};
