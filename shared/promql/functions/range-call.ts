// Evaluation of range-vector functions: slides each series' window over the steps with two
// pointers (reference times never decrease), calling the function once per step.
import { CanopyError } from '../../errors.ts';
import type { Labels } from '../../labels.ts';
import { assertUniqueLabels, dropMetricName } from '../merge.ts';
import { formatGoFloat6 } from './util.ts';
import { newStepSeries, stepTime, type StepGrid, type StepSeries } from '../types.ts';
import type { PointVisitor } from '../selector.ts';
import type { EvalContext } from '../context.ts';
import { Window, type RangeFunction } from './window.ts';
import * as rateFns from './rate.ts';
import * as overTime from './over-time.ts';

/** Points of a range-vector argument plus the window geometry. */
export interface RangeArg {
  /** Visits every series once (selectors stream through a reused buffer). */
  forEach(visit: PointVisitor): Promise<void>;
  rangeMs: number;
  offsetMs: number;
  /** Resolved @ time, or null. */
  atMs: number | null;
}

export const RANGE_FUNCTIONS: Readonly<Record<string, RangeFunction>> = {
  rate: rateFns.rate,
  increase: rateFns.increase,
  delta: rateFns.delta,
  irate: rateFns.irate,
  idelta: rateFns.idelta,
  deriv: rateFns.deriv,
  predict_linear: rateFns.predictLinear,
  holt_winters: rateFns.holtWinters,
  changes: rateFns.changes,
  resets: rateFns.resets,
  avg_over_time: overTime.avgOverTime,
  sum_over_time: overTime.sumOverTime,
  count_over_time: overTime.countOverTime,
  min_over_time: overTime.minOverTime,
  max_over_time: overTime.maxOverTime,
  stddev_over_time: overTime.stddevOverTime,
  stdvar_over_time: overTime.stdvarOverTime,
  quantile_over_time: overTime.quantileOverTime,
  last_over_time: overTime.lastOverTime,
  present_over_time: overTime.presentOverTime,
};

function validateHoltWinters(sf: number, tf: number): void {
  if (!(sf > 0 && sf < 1)) throw new CanopyError('execution', `invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoFloat6(sf)}`);
  if (!(tf > 0 && tf < 1)) throw new CanopyError('execution', `invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoFloat6(tf)}`);
}

export async function evalRangeFunction(
  ctx: EvalContext,
  name: string,
  arg: RangeArg,
  p0: Float64Array | null,
  p1: Float64Array | null,
  grid: StepGrid,
): Promise<StepSeries[]> {
  const fn = RANGE_FUNCTIONS[name]!;
  const n = grid.n;
  const w = new Window();
  w.rangeMs = arg.rangeMs;
  const out: StepSeries[] = [];
  let outPoints = 0;
  await arg.forEach((seriesLabels, ts, fs, ds, len) => {
    const labels: Labels = name === 'last_over_time' ? seriesLabels : dropMetricName(seriesLabels);
    const o = newStepSeries(labels, n);
    w.ts = ts;
    w.fs = fs;
    w.ds = ds;
    let lo = 0, hi = 0, any = false;
    for (let i = 0; i < n; i++) {
      const evalT = arg.atMs !== null ? arg.atMs : stepTime(grid, i);
      const rt = evalT - arg.offsetMs;
      const minT = rt - arg.rangeMs;
      while (hi < len && ts[hi]! <= rt) hi++;
      while (lo < hi && ts[lo]! < minT) lo++;
      if (hi === lo) continue;
      w.lo = lo;
      w.hi = hi;
      w.rangeStartMs = minT;
      w.rangeEndMs = rt;
      w.stepMs = arg.atMs !== null ? grid.startMs : stepTime(grid, i);
      if (p0) w.p0 = p0[i]!;
      if (p1) w.p1 = p1[i]!;
      if (name === 'holt_winters') validateHoltWinters(w.p0, w.p1);
      w.outD = undefined;
      if (!fn(w)) continue;
      o.has[i] = 1;
      o.f[i] = w.out;
      if (w.outD) {
        if (!o.d) o.d = new Array(n);
        o.d[i] = w.outD;
      }
      any = true;
      outPoints++;
    }
    if (any) out.push(o);
  });
  ctx.addSamples(outPoints);
  if (w.sawDistribution) ctx.warn(`${name} ignores distribution samples`);
  assertUniqueLabels(out);
  return out;
}

/** absent_over_time: 1 at steps where no series has a point in its window. */
export async function absentOverTime(arg: RangeArg, labels: Labels, grid: StepGrid): Promise<StepSeries[]> {
  const n = grid.n;
  const present = new Uint8Array(n);
  await arg.forEach((_labels, ts, _fs, _ds, len) => {
    let lo = 0, hi = 0;
    for (let i = 0; i < n; i++) {
      const rt = (arg.atMs !== null ? arg.atMs : stepTime(grid, i)) - arg.offsetMs;
      while (hi < len && ts[hi]! <= rt) hi++;
      while (lo < hi && ts[lo]! < rt - arg.rangeMs) lo++;
      if (hi > lo) present[i] = 1;
    }
  });
  const o = newStepSeries(labels, n);
  for (let i = 0; i < n; i++) {
    if (present[i]) continue;
    o.has[i] = 1;
    o.f[i] = 1;
  }
  return o.has.includes(1) ? [o] : [];
}
