// <aggregation>_over_time functions over a window. Float functions skip distribution points;
// sum/count/last/present also handle distributions (sum merges them).
import type { Distribution } from '../../distribution.ts';
import { mergeDistributions } from '../distribution-merge.ts';
import { quantileOfValues } from '../quantile.ts';
import type { RangeFunction, Window } from './window.ts';
import { kahan, kahanSumInc } from './kahan.ts';

/** Float points of the window, or null when there are none (only distributions). */
function floatsOnly(w: Window): boolean {
  if (!w.ds) return w.hi > w.lo;
  let any = false;
  for (let i = w.lo; i < w.hi; i++) {
    if (w.ds[i]) w.sawDistribution = true;
    else any = true;
  }
  return any;
}

export const avgOverTime: RangeFunction = (w) => {
  if (!floatsOnly(w)) return false;
  const { fs, ds, lo, hi } = w;
  // 2.42: incremental mean with Kahan compensation; ±Inf means are kept as they are.
  let mean = 0,
    c = 0,
    count = 0;
  for (let i = lo; i < hi; i++) {
    if (ds?.[i]) continue;
    const v = fs[i]!;
    count++;
    if (!Number.isFinite(mean) && mean === mean) {
      if (!Number.isFinite(v) && v === v && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    mean = kahanSumInc(v / count - mean / count, mean, c);
    c = kahan.c;
  }
  w.out = !Number.isFinite(mean) && mean === mean ? mean : mean + c;
  return true;
};

export const sumOverTime: RangeFunction = (w) => {
  const { fs, ds, lo, hi } = w;
  if (hi === lo) return false;
  if (ds) {
    const dists: Distribution[] = [];
    for (let i = lo; i < hi; i++) if (ds[i]) dists.push(ds[i]!);
    if (dists.length === hi - lo) {
      w.outD = mergeDistributions(dists);
      w.out = w.outD.sum;
      return true;
    }
    if (dists.length > 0) w.sawDistribution = true;
  }
  // 2.42 sums with Kahan compensation.
  let sum = 0,
    c = 0;
  for (let i = lo; i < hi; i++) {
    if (ds?.[i]) continue;
    sum = kahanSumInc(fs[i]!, sum, c);
    c = kahan.c;
  }
  // 2.42 returns an infinite sum as is (the compensation would turn it into NaN).
  w.out = !Number.isFinite(sum) && sum === sum ? sum : sum + c;
  return true;
};

export const countOverTime: RangeFunction = (w) => {
  if (w.hi === w.lo) return false;
  w.out = w.hi - w.lo;
  return true;
};

export const minOverTime: RangeFunction = (w) => {
  if (!floatsOnly(w)) return false;
  let min = NaN,
    first = true;
  for (let i = w.lo; i < w.hi; i++) {
    if (w.ds?.[i]) continue;
    const v = w.fs[i]!;
    if (first || v < min || min !== min) min = v;
    first = false;
  }
  w.out = min;
  return true;
};

export const maxOverTime: RangeFunction = (w) => {
  if (!floatsOnly(w)) return false;
  let max = NaN,
    first = true;
  for (let i = w.lo; i < w.hi; i++) {
    if (w.ds?.[i]) continue;
    const v = w.fs[i]!;
    if (first || v > max || max !== max) max = v;
    first = false;
  }
  w.out = max;
  return true;
};

/** Welford with Kahan-compensated mean and sum of squares, as 2.42 (an overflow gives NaN there). */
function variance(w: Window): number {
  let count = 0,
    mean = 0,
    cMean = 0,
    aux = 0,
    cAux = 0;
  for (let i = w.lo; i < w.hi; i++) {
    if (w.ds?.[i]) continue;
    const v = w.fs[i]!;
    count++;
    const delta = v - (mean + cMean);
    mean = kahanSumInc(delta / count, mean, cMean);
    cMean = kahan.c;
    aux = kahanSumInc(delta * (v - (mean + cMean)), aux, cAux);
    cAux = kahan.c;
  }
  return (aux + cAux) / count;
}

export const stdvarOverTime: RangeFunction = (w) => {
  if (!floatsOnly(w)) return false;
  w.out = variance(w);
  return true;
};

export const stddevOverTime: RangeFunction = (w) => {
  if (!floatsOnly(w)) return false;
  w.out = Math.sqrt(variance(w));
  return true;
};

let scratch = new Float64Array(256); // reused: quantile_over_time sorts a copy of each window

export const quantileOverTime: RangeFunction = (w) => {
  if (!floatsOnly(w)) return false;
  if (scratch.length < w.hi - w.lo) scratch = new Float64Array(2 * (w.hi - w.lo));
  let n = 0;
  for (let i = w.lo; i < w.hi; i++) if (!w.ds?.[i]) scratch[n++] = w.fs[i]!;
  w.out = quantileOfValues(w.p0, scratch.subarray(0, n));
  return true;
};

export const lastOverTime: RangeFunction = (w) => {
  if (w.hi === w.lo) return false;
  const d = w.ds?.[w.hi - 1];
  w.out = w.fs[w.hi - 1]!;
  if (d) w.outD = d;
  return true;
};

export const presentOverTime: RangeFunction = (w) => {
  if (w.hi === w.lo) return false;
  w.out = 1;
  return true;
};
