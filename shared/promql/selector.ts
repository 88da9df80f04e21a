// Reading series from storage: instant-vector selectors (lookback, staleness) and range-vector
// selectors (raw points, stale markers dropped). Each series is iterated once over the whole
// range the query needs, whatever the number of steps.
import { CanopyError } from '../errors.ts';
import { ValueKind } from '../storage.ts';
import type { RollupAggregate, SampleCursor, Series } from '../storage.ts';
import { METRIC_NAME, type Labels } from '../labels.ts';
import { Matcher } from '../matchers.ts';
import type { Distribution } from '../distribution.ts';
import type { MatrixSelector, SubqueryExpr, VectorSelector } from './ast.ts';
import { resolutionAtMost, STEP_BYTES, type EvalContext } from './context.ts';
import {
  allocF64,
  isStaleNaN,
  newStepSeries,
  stepTime,
  type PointSeries,
  type StepGrid,
  type StepSeries,
} from './types.ts';

/** Storage failures keep their code when typed; otherwise they are internal errors (HTTP 500), as Prometheus' ErrStorage. */
export function storageError(what: string, err: Error): CanopyError {
  if (err instanceof CanopyError) return err;
  return new CanopyError('internal', `${what}: ${err.message}`, { cause: err });
}

/** The @ timestamp of a selector or subquery resolved against the query, or null. */
export function resolveAt(
  ctx: { queryStartMs: number; queryEndMs: number },
  e: VectorSelector | SubqueryExpr,
): number | null {
  if (e.atMs !== null) return e.atMs;
  if (e.atPre === 'start') return ctx.queryStartMs;
  if (e.atPre === 'end') return ctx.queryEndMs;
  return null;
}

/**
 * The @ time 2.42 evaluates a selector or subquery at: resolveAt shifted by ctx.atDriftMs
 * (see evalSubqueryInner in evaluator.ts). Where it is shifted, 2.42 still reads the samples it
 * selected for the written @ (Select hints trimmed to [@ − offset − range or lookback,
 * @ − offset]): a matrix selector loads that range (streamMatrixSelector) and the range
 * function's windows end at the shifted @; an instant selector sees only atClip.
 */
export function evalAt(ctx: EvalContext, e: VectorSelector | SubqueryExpr): number | null {
  const at = resolveAt(ctx, e);
  return at === null || ctx.atDriftMs === null ? at : at + ctx.atDriftMs;
}

/** The samples an instant selector with a shifted @ (evalAt) may see, else undefined. */
export function atClip(ctx: EvalContext, vs: VectorSelector): { minMs: number; maxMs: number } | undefined {
  const at = resolveAt(ctx, vs);
  if (ctx.atDriftMs === null || at === null) return undefined;
  return { minMs: at - vs.offsetMs - ctx.limits.lookbackDeltaMs, maxMs: at - vs.offsetMs };
}

/** Reference time (evaluation time minus offset, @ applied) of a selector at step i. */
export function refTimes(
  grid: StepGrid,
  at: number | null,
  offsetMs: number,
): { first: number; last: number } {
  if (at !== null) return { first: at - offsetMs, last: at - offsetMs };
  return { first: grid.startMs - offsetMs, last: grid.endMs - offsetMs };
}

/** The selector's matchers; a hand-built node with a name but no __name__ matcher gets one. */
export function selectorMatchers(vs: VectorSelector): readonly Matcher[] {
  if (vs.name === '' || vs.matchers.some((m) => m.name === METRIC_NAME)) return vs.matchers;
  return [...vs.matchers, new Matcher('=', METRIC_NAME, vs.name)];
}

/**
 * The rollup resolution a range selector reads: the query's, capped so that a window of rangeMs
 * still holds about 5 rollup points (0 = raw). Callers map functions to aggregates only when > 0.
 */
export function selectorResolution(ctx: EvalContext, rangeMs: number): number {
  return resolutionAtMost(Math.min(ctx.resolutionMs, rangeMs / 5));
}

/** What one selector reads: its range and step, the function over it, a rollup in place of raw samples. */
interface SelectRange {
  startMs: number;
  endMs: number;
  stepMs: number;
  func?: string;
  rollup?: { aggregate: RollupAggregate; resolutionMs: number };
}

function selectSeries(
  ctx: EvalContext,
  vs: VectorSelector,
  { startMs, endMs, stepMs, func, rollup }: SelectRange,
): Series[] {
  const limit = ctx.limits.maxSeriesPerSelector;
  const set = ctx.querier.select(selectorMatchers(vs), {
    startMs,
    endMs,
    stepMs,
    func,
    limitSeries: limit > 0 ? limit + 1 : undefined,
    ...(rollup && rollup.resolutionMs > 0 ? rollup : {}),
  });
  const out: Series[] = [];
  while (set.next()) {
    out.push(set.at());
    if (limit > 0 && out.length > limit) {
      throw new CanopyError(
        'too_many_series',
        `query would select too many series: a selector matched more than ${limit} series`,
        {
          fields: { limit },
        },
      );
    }
  }
  const err = set.err();
  if (err) throw storageError('cannot select series', err);
  ctx.addSeries(out.length);
  for (const w of set.warnings()) ctx.warn(w);
  if (rollup) ctx.usedResolutionMs = Math.max(ctx.usedResolutionMs, set.resolutionMs?.() ?? 0);
  return out;
}

/**
 * Instant-vector selector over the grid: at each step the newest sample at or before the
 * reference time, if not older than the lookback delta and not a stale marker.
 * With `timestamps`, also returns each chosen sample's own timestamp (for timestamp()).
 */
export async function evalVectorSelector(
  ctx: EvalContext,
  vs: VectorSelector,
  grid: StepGrid,
  timestamps?: Float64Array[],
  clip?: { minMs: number; maxMs: number },
): Promise<StepSeries[]> {
  const n = grid.n;
  const at = evalAt(ctx, vs);
  clip ??= atClip(ctx, vs);
  const lookback = ctx.limits.lookbackDeltaMs;
  const { first, last } = refTimes(grid, at, vs.offsetMs);
  const series = selectSeries(ctx, vs, { startMs: first - lookback, endMs: last, stepMs: grid.intervalMs });
  // Checked before any step array is allocated: each selected series gets n steps.
  ctx.reserveBytes(series.length * n * (timestamps ? STEP_BYTES + 8 : STEP_BYTES));
  const out: StepSeries[] = [];
  let cur: SampleCursor | undefined;
  for (const s of series) {
    if (ctx.due()) await ctx.yield();
    ctx.check();
    const ss = newStepSeries(s.labels, n);
    const tsOut = timestamps ? allocF64(n) : null;
    cur = s.cursor(cur);
    let kind = cur.next();
    let have = false;
    let pT = 0,
      pF = 0;
    let pD: Distribution | undefined;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const rt = at !== null ? at - vs.offsetMs : grid.startMs + i * grid.intervalMs - vs.offsetMs;
      const minT = rt - lookback;
      if (kind !== ValueKind.None && cur.atT() < minT) {
        kind = cur.seek(minT);
        have = false;
      }
      while (kind !== ValueKind.None && cur.atT() <= rt) {
        if (clip && (cur.atT() < clip.minMs || cur.atT() > clip.maxMs)) {
          kind = cur.next();
          continue;
        }
        have = true;
        pT = cur.atT();
        if (kind === ValueKind.Distribution) {
          pD = cur.atDistribution();
          pF = pD.sum;
        } else {
          pD = undefined;
          pF = cur.atF();
        }
        kind = cur.next();
      }
      if (!have || pT < minT) continue;
      if (pD) {
        if (!ss.d) ss.d = new Array<Distribution | undefined>(n);
        ss.d[i] = pD;
      } else if (isStaleNaN(pF)) continue;
      ss.f[i] = pF;
      ss.has[i] = 1;
      if (tsOut) tsOut[i] = pT;
      count++;
    }
    const err = cur.err();
    if (err) throw storageError('cannot read series', err);
    if (count > 0) {
      ctx.addSamples(count);
      out.push(ss);
      if (timestamps && tsOut) timestamps.push(tsOut);
    }
  }
  return out;
}

/** Growable typed buffers reused while loading one series' points. */
class PointBuffer {
  ts = new Float64Array(256);
  fs = new Float64Array(256);
  ds: (Distribution | undefined)[] | null = null;
  n = 0;
  reset(): void {
    this.n = 0;
    this.ds = null;
  }
  push(t: number, f: number, d: Distribution | undefined): void {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2),
        fs = new Float64Array(this.n * 2);
      ts.set(this.ts);
      fs.set(this.fs);
      this.ts = ts;
      this.fs = fs;
    }
    if (d) {
      if (!this.ds) this.ds = new Array<Distribution | undefined>(this.n);
      this.ds[this.n] = d;
    } else if (this.ds) this.ds[this.n] = undefined;
    this.ts[this.n] = t;
    this.fs[this.n] = f;
    this.n++;
  }
  take(): { ts: Float64Array; fs: Float64Array; ds: (Distribution | undefined)[] | null } {
    return {
      ts: this.ts.slice(0, this.n),
      fs: this.fs.slice(0, this.n),
      ds: this.ds ? this.ds.slice(0, this.n) : null,
    };
  }
}

/** A visitor of one series' points; the arrays are reused and valid only during the call. */
export type PointVisitor = (
  labels: Labels,
  ts: Float64Array,
  fs: Float64Array,
  ds: (Distribution | undefined)[] | null,
  n: number,
) => void;

/** How streamMatrixSelector reads a range selector. */
export interface StreamMatrixOptions {
  /** The function over the range (a select hint to the storage). */
  func?: string;
  /** The visitor keeps the points: they stay counted against the sample budget after the visit. */
  keep?: boolean;
  /** Read this rollup aggregate instead of raw samples (at the selector's resolution). */
  aggregate?: RollupAggregate;
}

/** Loads the raw points a range-vector selector needs for all steps of the grid. */
export async function loadMatrixSelector(
  ctx: EvalContext,
  ms: MatrixSelector,
  grid: StepGrid,
  func?: string,
): Promise<PointSeries[]> {
  const out: PointSeries[] = [];
  await streamMatrixSelector(
    ctx,
    ms,
    grid,
    (labels, ts, fs, ds, n) =>
      out.push({ labels, ts: ts.slice(0, n), fs: fs.slice(0, n), ds: ds ? ds.slice(0, n) : null }),
    {
      func,
      keep: true,
    },
  );
  return out;
}

/**
 * Streams each series of a range-vector selector once through one reused buffer (no per-series
 * arrays are kept): the range functions consume the points while they are in the buffer.
 */
export async function streamMatrixSelector(
  ctx: EvalContext,
  ms: MatrixSelector,
  grid: StepGrid,
  visit: PointVisitor,
  opts: StreamMatrixOptions = {},
): Promise<void> {
  const { func, keep = false, aggregate } = opts;
  const vs = ms.vs;
  // The written @, also where 2.42 shifts it (evalAt): the range it selects.
  const at = resolveAt(ctx, vs);
  const { first, last } = refTimes(grid, at, vs.offsetMs);
  const mint = first - ms.rangeMs;
  // A window holds at least ~5 rollup points: a shorter range reads a finer resolution.
  const rollup = aggregate ? { aggregate, resolutionMs: selectorResolution(ctx, ms.rangeMs) } : undefined;
  const series = selectSeries(ctx, vs, { startMs: mint, endMs: last, stepMs: grid.intervalMs, func, rollup });
  const buf = new PointBuffer();
  let cur: SampleCursor | undefined;
  for (const s of series) {
    if (ctx.due()) await ctx.yield();
    ctx.check();
    buf.reset();
    cur = s.cursor(cur);
    for (let kind = cur.seek(mint); kind !== ValueKind.None; kind = cur.next()) {
      const t = cur.atT();
      if (t > last) break;
      if (kind === ValueKind.Distribution) {
        const d = cur.atDistribution();
        buf.push(t, d.sum, d);
      } else {
        const f = cur.atF();
        if (!isStaleNaN(f)) buf.push(t, f, undefined);
      }
    }
    const err = cur.err();
    if (err) throw storageError('cannot read series', err);
    if (buf.n === 0) continue;
    ctx.addSamples(buf.n);
    visit(s.labels, buf.ts, buf.fs, buf.ds, buf.n);
    if (!keep) ctx.releaseSamples(buf.n);
  }
}

/** Converts step series (a subquery's inner result) into point series on the grid's timestamps. */
export function stepSeriesToPoints(series: StepSeries[], grid: StepGrid): PointSeries[] {
  const buf = new PointBuffer();
  const out: PointSeries[] = [];
  for (const s of series) {
    buf.reset();
    for (let i = 0; i < grid.n; i++) if (s.has[i]) buf.push(stepTime(grid, i), s.f[i]!, s.d?.[i]);
    if (buf.n > 0) out.push({ labels: s.labels, ...buf.take() });
  }
  return out;
}
