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

export interface Limits {
  lookbackDeltaMs: number;
  maxSamples: number;
  maxSeriesPerSelector: number;
  defaultEvalIntervalMs: number;
}

/** Longest stretch of synchronous evaluation before yielding to the event loop, ms. */
const TIME_SLICE_MS = 20;

export class EvalContext {
  private samples = 0;
  private ticks = 0;
  private yieldTicks = 0;
  private sliceStartMs = Date.now();
  readonly warnings: string[] = [];
  /** Coarsest rollup resolution selectors may read, ms (0 = raw only). */
  resolutionMs = 0;
  /** Coarsest resolution a selector actually read, ms. */
  usedResolutionMs = 0;

  constructor(
    readonly querier: Querier,
    readonly limits: Limits,
    /** Query start/end, for `@ start()` / `@ end()`. */
    readonly queryStartMs: number,
    readonly queryEndMs: number,
    private readonly deadlineMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

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
    if (this.signal?.aborted) throw new CanopyError('canceled', 'query was canceled in expression evaluation');
    if (Date.now() > this.deadlineMs) throw new CanopyError('timeout', 'query timed out in expression evaluation');
  }

  /**
   * Accounts for samples held in memory; throws when the budget is exceeded. As Prometheus, the
   * budget bounds the samples held at once: a range window is released once consumed.
   */
  addSamples(n: number): void {
    this.samples += n;
    if (this.samples > this.limits.maxSamples) {
      throw new CanopyError('too_many_samples', 'query processing would load too many samples into memory in query execution', {
        fields: { maxSamples: this.limits.maxSamples },
      });
    }
  }

  releaseSamples(n: number): void {
    this.samples -= n;
  }

  warn(msg: string): void {
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
  }
}
