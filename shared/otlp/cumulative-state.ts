// Delta → cumulative conversion for OTLP sums and histograms: a running total per series,
// keyed by the translated metric name and labels, kept in the receiving process's memory.
// Invariants and behaviour:
//   - A delta point adds to its series' total only when its time is after the last point
//     added; an older or repeated point (a retried export, out-of-order delivery) is refused
//     (counted as out_of_order) instead of being counted twice.
//   - Times are compared as doubles (Long is off): points less than ~256 ns apart compare equal,
//     so the later one is refused; exporters send seconds apart.
//   - Gaps are not detected: a lost export makes the total lower than the sender's, which
//     rate() reads as a slower period, never as a reset.
//   - The totals start at zero when the process starts and when a series was idle for
//     idleMs (evicted): PromQL's rate()/increase() read that as a counter reset, as after a
//     restarted exporter. Points flagged "no recorded value" do not change the total.
//   - Histogram totals are kept per bucket upper bound, so buckets that appear later (new
//     exponential-histogram indexes, changed explicit bounds) start at zero and older ones
//     keep counting; count and sum are totals over all points.
import { labelsKey, type Labels } from '../labels.ts';
import { ExponentialDeltas } from './exponential-distribution.ts';

interface SumState {
  total: number;
  lastTimeNs: number;
  seenMs: number;
}

interface HistState {
  count: number;
  sum: number;
  /** Non-cumulative count per finite upper bound. */
  buckets: Map<number, number>;
  lastTimeNs: number;
  seenMs: number;
}

export interface HistogramTotals {
  count: number;
  sum: number;
  /** Finite upper bounds ascending, and the cumulative count at each. */
  bounds: number[];
  cumulative: number[];
}

export const DEFAULT_IDLE_MS = 15 * 60_000;

export class CumulativeState {
  private readonly sums = new Map<string, SumState>();
  private readonly hists = new Map<string, HistState>();
  private lastSweepMs = 0;
  /** The other direction, for exponential histograms stored as distributions: cumulative points → deltas. */
  readonly exponential: ExponentialDeltas;

  /** startedMs: when the receiver started (exponential histogram streams that began earlier start from a baseline). */
  constructor(
    private readonly idleMs = DEFAULT_IDLE_MS,
    startedMs = Date.now(),
  ) {
    this.exponential = new ExponentialDeltas(startedMs * 1e6);
  }

  /** Series currently tracked (sums + histograms + cumulative exponential histograms). */
  size(): number {
    return this.sums.size + this.hists.size + this.exponential.size();
  }

  /** The new running total, or null when the point is not after the last one added. */
  addSum(labels: Labels, timeNs: number, delta: number, nowMs: number): number | null {
    const key = labelsKey(labels);
    let s = this.sums.get(key);
    if (s === undefined) {
      s = { total: 0, lastTimeNs: -1, seenMs: nowMs };
      this.sums.set(key, s);
    } else if (timeNs <= s.lastTimeNs) return null;
    s.total += delta;
    s.lastTimeNs = timeNs;
    s.seenMs = nowMs;
    return s.total;
  }

  /**
   * Adds one delta histogram point (finite upper bounds ascending with their non-cumulative
   * counts; values above the last bound count only in `count`) and returns the totals, or null
   * when the point is not after the last one added.
   */
  addHistogram(
    labels: Labels,
    timeNs: number,
    count: number,
    sum: number,
    bounds: readonly number[],
    counts: readonly number[],
    nowMs: number,
  ): HistogramTotals | null {
    const key = labelsKey(labels);
    let h = this.hists.get(key);
    if (h === undefined) {
      h = { count: 0, sum: 0, buckets: new Map(), lastTimeNs: -1, seenMs: nowMs };
      this.hists.set(key, h);
    } else if (timeNs <= h.lastTimeNs) return null;
    h.count += count;
    h.sum += sum;
    for (let i = 0; i < bounds.length; i++)
      h.buckets.set(bounds[i]!, (h.buckets.get(bounds[i]!) ?? 0) + counts[i]!);
    h.lastTimeNs = timeNs;
    h.seenMs = nowMs;
    const sorted = [...h.buckets.keys()].sort((a, b) => a - b);
    const cumulative: number[] = [];
    let acc = 0;
    for (const b of sorted) cumulative.push((acc += h.buckets.get(b)!));
    return { count: h.count, sum: h.sum, bounds: sorted, cumulative };
  }

  /** Forgets series not updated for idleMs; cheap to call often (runs at most once a minute). */
  sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = nowMs;
    for (const m of [this.sums, this.hists] as Map<string, { seenMs: number }>[]) {
      for (const [k, v] of m) if (nowMs - v.seenMs > this.idleMs) m.delete(k);
    }
    this.exponential.sweep(nowMs, this.idleMs);
  }
}
