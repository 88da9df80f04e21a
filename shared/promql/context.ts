// Per-query evaluation state: the querier, limits (deadline, cancellation, sample budget) and
// warnings. Limits are checked per step/series; errors are typed CanopyErrors.
import { CanopyError } from '../errors.ts';
import type { Querier } from '../storage.ts';

/** Rollup resolutions a query may read, ms, finest first (docs/format/rollup.md). */
export const ROLLUP_RESOLUTIONS_MS: readonly number[] = [0, 300_000, 3_600_000];

/** The coarsest rollup resolution ≤ maxMs (0 = raw). */
export function resolutionAtMost(maxMs: number): number {
  let r = 0;
  for (const x of ROLLUP_RESOLUTIONS_MS) if (x <= maxMs) r = x;
  return r;
}

export interface EvalContextOptions {
  querier: Querier;
  limits: Limits;
  /** Query start/end, for `@ start()` / `@ end()`. */
  queryStartMs: number;
  queryEndMs: number;
  deadlineMs: number;
  signal?: AbortSignal;
}

export interface Limits {
  lookbackDeltaMs: number;
  maxSamples: number;
  maxSeriesPerSelector: number;
  defaultEvalIntervalMs: number;
  /** Series all selectors of one query may select together, and series in its result; 0 = unlimited. */
  maxSeries: number;
  /** Estimated bytes of step values one query may hold at once; 0 = unlimited. */
  maxMemoryBytes: number;
}

/** Bytes one step of a step series holds: its Float64 value and its presence byte. */
export const STEP_BYTES = 9;
/** Bytes one point of a point series holds: Float64 timestamp and value. */
export const POINT_BYTES = 16;

/** Prometheus's error for the sample budget (promql.ErrTooManySamples, 422 execution). */
export function tooManySamples(maxSamples: number): CanopyError {
  return new CanopyError(
    'too_many_samples',
    'query processing would load too many samples into memory in query execution',
    {
      fields: { maxSamples },
    },
  );
}

export function tooMuchMemory(needBytes: number, maxBytes: number): CanopyError {
  const mb = (b: number): string => (b / 1048576).toFixed(b < 10 * 1048576 ? 1 : 0);
  return new CanopyError(
    'limit_exceeded',
    `query processing would use too much memory: about ${mb(needBytes)} MiB of values at once, the per-query budget is ${mb(maxBytes)} MiB (--query.max-memory)`,
    { fields: { needBytes, maxBytes } },
  );
}

export function tooManySeries(maxSeries: number, what: string): CanopyError {
  return new CanopyError(
    'too_many_series',
    `query would ${what} more than ${maxSeries} series (--query.max-series)`,
    { fields: { maxSeries } },
  );
}

/** Longest stretch of synchronous evaluation before yielding to the event loop, ms. */
const TIME_SLICE_MS = 20;

export class EvalContext {
  private samples = 0;
  private seriesSelected = 0;
  /** Estimated bytes of step/point arrays the evaluation holds now (see reserveBytes). */
  heldBytes = 0;
  private ticks = 0;
  private yieldTicks = 0;
  private sliceStartMs = Date.now();
  readonly warnings: string[] = [];
  /** Coarsest rollup resolution selectors may read, ms (0 = raw only). */
  resolutionMs = 0;
  /** Coarsest resolution a selector actually read, ms. */
  usedResolutionMs = 0;

  /**
   * The [min, max] the query's single querier covers (Prometheus 2.42's FindMinMaxTimes): the
   * only samples 2.42 can see, which matters where it reads outside a selector's own range.
   */
  visibleMinMs = -Infinity;
  visibleMaxMs = Infinity;
  /**
   * 2.42 turns `@` into an offset relative to this time (the query start; inside a subquery,
   * its first step): see stepInvariant242 in functions/call.ts.
   */
  atRefMs: number;
  /**
   * 2.42's stale `@` offsets: below a subquery with `@` whose first step is its parent's first
   * step, 2.42 does not re-base offsets (setOffsetForAtModifier), and every `@` under it reads
   * this much later than written (null: no such subquery since the last re-base). Set by
   * evalSubqueryInner in evaluator.ts, applied by evalAt in selector.ts.
   */
  atDriftMs: number | null = null;

  readonly querier: Querier;
  readonly limits: Limits;
  /** Query start/end, for `@ start()` / `@ end()`. */
  readonly queryStartMs: number;
  readonly queryEndMs: number;
  private readonly deadlineMs: number;
  private readonly signal: AbortSignal | undefined;

  constructor(o: EvalContextOptions) {
    this.querier = o.querier;
    this.limits = o.limits;
    this.queryStartMs = o.queryStartMs;
    this.queryEndMs = o.queryEndMs;
    this.deadlineMs = o.deadlineMs;
    this.signal = o.signal;
    this.atRefMs = o.queryStartMs;
  }

  /** Called per step / per series; consults the clock every 64 calls. */
  check(): void {
    if ((++this.ticks & 63) !== 0) return;
    this.checkNow();
  }

  /**
   * True when the evaluation has held the event loop for a time slice; the caller then awaits
   * yield() so other requests (ingest, HTTP) run and an abort can arrive. Cheap when false.
   */
  due(): boolean {
    if ((++this.yieldTicks & 15) !== 0) return false;
    return Date.now() - this.sliceStartMs >= TIME_SLICE_MS;
  }

  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStartMs = Date.now();
    this.checkNow();
  }

  checkNow(): void {
    // The deadline first: a caller's signal may carry the same timeout as an abort.
    if (Date.now() > this.deadlineMs)
      throw new CanopyError('timeout', 'query timed out in expression evaluation');
    if (this.signal?.aborted)
      throw new CanopyError('canceled', 'query was canceled in expression evaluation');
  }

  /**
   * Accounts for samples held in memory; throws when the budget is exceeded. As Prometheus, the
   * budget bounds the samples held at once: a range window is released once consumed.
   */
  addSamples(n: number): void {
    this.samples += n;
    if (this.samples > this.limits.maxSamples) throw tooManySamples(this.limits.maxSamples);
  }

  /** Accounts for series a selector selected, before anything is read or allocated for them. */
  addSeries(n: number): void {
    this.seriesSelected += n;
    const max = this.limits.maxSeries;
    if (max > 0 && this.seriesSelected > max) throw tooManySeries(max, 'select');
  }

  /**
   * Called BEFORE allocating `bytes` of step or point arrays: throws when the query would then
   * hold more than its memory budget. The evaluator settles the figure after each node.
   */
  reserveBytes(bytes: number): void {
    const max = this.limits.maxMemoryBytes;
    if (max > 0 && this.heldBytes + bytes > max) throw tooMuchMemory(this.heldBytes + bytes, max);
    this.heldBytes += bytes;
  }

  /**
   * After a node: what it reserved while running (its inputs, now garbage) is replaced by what
   * its value holds, on top of what was held before it started (`mark`).
   */
  settle(mark: number, valueBytes: number): void {
    this.heldBytes = mark;
    this.reserveBytes(valueBytes);
  }

  releaseSamples(n: number): void {
    this.samples -= n;
  }

  warn(msg: string): void {
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
  }
}
