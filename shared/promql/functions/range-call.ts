// Evaluation of range-vector functions: slides each series' window over the steps with two
// pointers (reference times never decrease), calling the function once per step.
import { CanopyError } from '../../errors.ts';
import { EMPTY_LABELS, type Labels } from '../../labels.ts';
import { assertUniqueLabels, assertUniqueLabelSets, dropMetricName } from '../merge.ts';
import { formatGoFloat6 } from './util.ts';
import { newStepSeries, stepTime, type StepGrid, type StepSeries } from '../types.ts';
import type { PointVisitor } from '../selector.ts';
import { STEP_BYTES, type EvalContext } from '../context.ts';
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
  /**
   * 2.42's sliding @ (see stepInvariant242 in call.ts): the window at step t ends at atMs − offset +
   * (t − slideRefMs) and sees only points in [clipMinMs, clipMaxMs].
   */
  slide?: { refMs: number; clipMinMs: number; clipMaxMs: number };
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
  if (!(sf > 0 && sf < 1))
    throw new CanopyError(
      'execution',
      `invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoFloat6(sf)}`,
    );
  if (!(tf > 0 && tf < 1))
    throw new CanopyError(
      'execution',
      `invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoFloat6(tf)}`,
    );
}

/** Range functions whose window loop checks for counter resets (see Window.resets). */
const COUNTER_FUNCTIONS: ReadonlySet<string> = new Set(['rate', 'increase']);

/**
 * Range functions that may be streamed into an aggregation (streamRangeFunction): their output
 * drops the metric name and holds no distributions, so an aggregation sees only float samples.
 */
export const STREAMABLE_RANGE_FUNCTIONS: ReadonlySet<string> = new Set(
  Object.keys(RANGE_FUNCTIONS).filter((f) => f !== 'last_over_time' && f !== 'sum_over_time'),
);

/** Sink of streamed range-function output: `o` and its arrays are reused after the call returns. */
export type RangeSink = (inputLabels: Labels, o: StepSeries) => void;

/**
 * Evaluates a range function over every series of `arg`. Collects the output series, or, with
 * a sink, passes each one to it as it is computed (one reused output series, nothing kept;
 * labels are the input series' own, metric name not dropped). A sink is only for functions of
 * STREAMABLE_RANGE_FUNCTIONS over series that all have the same metric name, so that output
 * labels are unique exactly when input labels are.
 */
export async function evalRangeFunction(
  ctx: EvalContext,
  name: string,
  arg: RangeArg,
  p0: Float64Array | null,
  p1: Float64Array | null,
  grid: StepGrid,
  sink?: RangeSink,
): Promise<StepSeries[]> {
  const fn = RANGE_FUNCTIONS[name]!;
  const n = grid.n;
  const w = new Window();
  w.rangeMs = arg.rangeMs;
  const counter = COUNTER_FUNCTIONS.has(name);
  const out: StepSeries[] = [];
  const scratch = sink ? newStepSeries(EMPTY_LABELS, n) : null;
  const streamed: Labels[] = [];
  let outPoints = 0;
  await arg.forEach((seriesLabels, ts, fs, ds, len) => {
    let o: StepSeries;
    if (scratch) {
      o = scratch;
      o.has.fill(0);
      o.d = null;
    } else {
      // Reserved before allocating; a streamed aggregation reuses one scratch series instead.
      ctx.reserveBytes(n * STEP_BYTES);
      o = newStepSeries(name === 'last_over_time' ? seriesLabels : dropMetricName(seriesLabels), n);
    }
    w.ts = ts;
    w.fs = fs;
    w.ds = ds;
    w.resets = counter ? countResets(fs, len) : null;
    const points = slideWindow(w, fn, name, arg, p0, p1, grid, o, len);
    if (points === 0) return;
    outPoints += points;
    if (sink) {
      streamed.push(seriesLabels);
      sink(seriesLabels, o);
    } else out.push(o);
  });
  ctx.addSamples(outPoints);
  if (w.sawDistribution) ctx.warn(`${name} ignores distribution samples`);
  if (sink) assertUniqueLabelSets(streamed.length, (i) => streamed[i]!);
  else assertUniqueLabels(out);
  return out;
}

/**
 * Slides w (ts/fs/ds set to one series' points) over the steps, writing fn's output into o;
 * returns the number of output points. A module-level function, not part of the per-query
 * visitor closure: V8 optimizes every new closure afresh, so a loop inside one would run
 * unoptimized (boxing a number per step) at the start of every query.
 */
function slideWindow(
  w: Window,
  fn: RangeFunction,
  name: string,
  arg: RangeArg,
  p0: Float64Array | null,
  p1: Float64Array | null,
  grid: StepGrid,
  o: StepSeries,
  len: number,
): number {
  const ts = w.ts,
    n = grid.n;
  // Both arms of the reference time are arithmetic results: merging a step time with a value
  // read from a `number | null` field makes V8 box the step time, a heap number per step.
  const fixed = arg.atMs !== null;
  const start = grid.startMs,
    interval = grid.intervalMs,
    offset = arg.offsetMs,
    range = arg.rangeMs;
  const fixedRt = fixed ? arg.atMs! - offset : 0;
  const slide = arg.slide;
  let lo = 0,
    hi = 0,
    points = 0;
  for (let i = 0; i < n; i++) {
    const stepT = start + i * interval;
    const rt = slide ? fixedRt + (stepT - slide.refMs) : fixed ? fixedRt : stepT - offset;
    const minT = rt - range;
    if (slide) {
      const top = Math.min(rt, slide.clipMaxMs),
        bottom = Math.max(minT, slide.clipMinMs);
      while (hi < len && ts[hi]! <= top) hi++;
      while (lo < hi && ts[lo]! < bottom) lo++;
    } else {
      while (hi < len && ts[hi]! <= rt) hi++;
      while (lo < hi && ts[lo]! < minT) lo++;
    }
    if (hi === lo) continue;
    w.lo = lo;
    w.hi = hi;
    w.rangeStartMs = minT;
    w.rangeEndMs = rt;
    w.stepMs = fixed && !slide ? start : stepT;
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
    points++;
  }
  return points;
}

let resetsBuf = new Int32Array(256);

/** Prefix counts of counter resets (fs[j] < fs[j - 1] for j ≤ i) in a buffer shared by all series. */
function countResets(fs: Float64Array, len: number): Int32Array {
  if (resetsBuf.length < len) resetsBuf = new Int32Array(Math.max(len, 2 * resetsBuf.length));
  const r = resetsBuf;
  let k = 0;
  if (len > 0) r[0] = 0;
  for (let j = 1; j < len; j++) {
    if (fs[j]! < fs[j - 1]!) k++;
    r[j] = k;
  }
  return r;
}

/** absent_over_time: 1 at steps where no series has a point in its window. */
export async function absentOverTime(arg: RangeArg, labels: Labels, grid: StepGrid): Promise<StepSeries[]> {
  const n = grid.n;
  const present = new Uint8Array(n);
  await arg.forEach((_labels, ts, _fs, _ds, len) => {
    let lo = 0,
      hi = 0;
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
