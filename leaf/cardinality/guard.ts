// CardinalityGuard: per-metric series limits at the leaf, before anything is buffered.
//
// For each metric name it keeps
//   - the exact set of admitted series keys (never more than hardLimit of them), each with the
//     time it was last seen, so existing series keep flowing once the limit is reached;
//   - once the hard limit is reached, a HyperLogLog of every distinct series offered (seeded
//     with the admitted keys) — the "how big would it be" estimate; below the limit the exact
//     admitted count is the estimate.
// admit(labels):
//   known series                        → true
//   new, admitted count < hardLimit     → admitted, true
//   new, admitted count ≥ hardLimit     → false; counted in droppedSamples (the caller drops it
//                                         and counts reason="too_many_series")
//   estimate crosses softLimit (once per metric until it falls back below) → onSoftLimit(metric,
//                                         estimate) and softLimitWarnings++
// sweep(nowMs) forgets admitted series idle for longer than idleMs (so churn does not fill the
// limit forever) and restarts the HyperLogLogs: estimates cover the series offered since.
import { labelsKey, metricName, type Labels } from '../../shared/labels.ts';
import { CanopyError } from '../../shared/errors.ts';
import { HyperLogLog } from '../../shared/sketch/index.ts';
import type { Logger } from '../../shared/log.ts';

export interface CardinalityGuardOptions {
  /** Series per metric above which a warning is raised. */
  softLimit: number;
  /** Series per metric above which new series are refused. */
  hardLimit: number;
  /** Admitted series idle longer than this are forgotten by sweep(). Default 1 h. */
  idleMs?: number;
  /** HLL precision for the per-metric estimates. Default 12 (4 KiB per metric, ≈1.6 % error). */
  hllPrecision?: number;
  onSoftLimit?: (metric: string, estimate: number) => void;
  /** When set, soft-limit crossings are also logged at warn level. */
  logger?: Logger;
  now?: () => number;
}

/** An admitted series: its last-seen time, and whether a sweep has forgotten it since. */
interface Admitted {
  lastMs: number;
  live: boolean;
}

interface MetricState {
  /** Created only once the hard limit is reached (seeded with the admitted keys): below it the
   * exact admitted count is the estimate, and most metrics never need the 4 KiB sketch. */
  hll: HyperLogLog | undefined;
  admitted: Map<string, Admitted>;
  warned: boolean;
  dropped: number;
  /** refusals since the last estimate check (the HLL count costs O(m), so it is amortized) */
  sinceCheck: number;
}

export class CardinalityGuard {
  readonly softLimit: number;
  readonly hardLimit: number;
  readonly idleMs: number;
  private readonly p: number;
  private readonly onSoftLimit: (metric: string, estimate: number) => void;
  private readonly now: () => number;
  private readonly metrics = new Map<string, MetricState>();
  /** label set (by identity: sources reuse them) → series key, so repeats build no string */
  private readonly keys = new WeakMap<Labels, string>();
  /** label set (by identity) → its admitted entry: a repeat of a live series is one lookup */
  private readonly seen = new WeakMap<Labels, Admitted>();
  droppedSamples = 0;
  softLimitWarnings = 0;

  constructor(opts: CardinalityGuardOptions) {
    if (!(opts.hardLimit > 0) || !(opts.softLimit > 0) || opts.softLimit > opts.hardLimit) {
      throw new CanopyError('config_invalid', `cardinality limits: need 0 < softLimit (${opts.softLimit}) ≤ hardLimit (${opts.hardLimit})`);
    }
    this.softLimit = opts.softLimit;
    this.hardLimit = opts.hardLimit;
    this.idleMs = opts.idleMs ?? 3_600_000;
    this.p = opts.hllPrecision ?? 12;
    const cb = opts.onSoftLimit ?? (() => {});
    const log = opts.logger;
    this.onSoftLimit = log
      ? (metric, est) => {
          log.warn({ metric, estimate: est, softLimit: this.softLimit, hardLimit: this.hardLimit }, 'metric series count above the soft limit');
          cb(metric, est);
        }
      : cb;
    this.now = opts.now ?? Date.now;
  }

  /** True when a sample of this series may pass. Usable directly as an AdmitSeries hook. */
  admit(labels: Labels): boolean {
    const hit = this.seen.get(labels);
    if (hit !== undefined && hit.live) {
      hit.lastMs = this.now();
      return true;
    }
    const name = metricName(labels);
    let m = this.metrics.get(name);
    if (m === undefined) {
      m = { hll: undefined, admitted: new Map(), warned: false, dropped: 0, sinceCheck: 0 };
      this.metrics.set(name, m);
    }
    let key = this.keys.get(labels);
    if (key === undefined) {
      key = labelsKey(labels);
      this.keys.set(labels, key);
    }
    const nowMs = this.now();
    const known = m.admitted.get(key);
    if (known !== undefined) {
      known.lastMs = nowMs;
      this.seen.set(labels, known);
      return true;
    }
    if (m.admitted.size < this.hardLimit) {
      const a: Admitted = { lastMs: nowMs, live: true };
      m.admitted.set(key, a);
      this.seen.set(labels, a);
      m.hll?.add(key);
      if (!m.warned && m.admitted.size > this.softLimit) this.warn(name, m, m.admitted.size);
      return true;
    }
    if (m.hll === undefined) {
      m.hll = new HyperLogLog(this.p);
      for (const k of m.admitted.keys()) m.hll.add(k);
    }
    const grew = m.hll.add(key);
    m.dropped++;
    this.droppedSamples++;
    if (grew && !m.warned && ++m.sinceCheck >= (m.sinceCheck === 1 ? 1 : 64)) {
      m.sinceCheck = 0;
      const est = this.estimateOf(m);
      if (est > this.softLimit) this.warn(name, m, est);
    }
    return false;
  }

  private warn(name: string, m: MetricState, est: number): void {
    m.warned = true;
    this.softLimitWarnings++;
    this.onSoftLimit(name, est);
  }

  private estimateOf(m: MetricState): number {
    return m.hll ? Math.max(m.hll.count(), m.admitted.size) : m.admitted.size;
  }

  /** Forgets series idle for idleMs and restarts the estimates. */
  sweep(nowMs = this.now()): void {
    const before = nowMs - this.idleMs;
    for (const [name, m] of this.metrics) {
      for (const [k, a] of m.admitted) {
        if (a.lastMs < before) {
          a.live = false;
          m.admitted.delete(k);
        }
      }
      if (m.admitted.size === 0) {
        this.metrics.delete(name);
        continue;
      }
      m.hll = undefined; // re-created (from the admitted keys) if the hard limit is hit again
      m.sinceCheck = 0;
      m.warned = m.admitted.size > this.softLimit;
    }
  }

  /** Estimated distinct series offered for `metric` (admitted or not) since the last sweep. */
  estimate(metric: string): number {
    const m = this.metrics.get(metric);
    return m ? this.estimateOf(m) : 0;
  }

  admittedSeries(metric: string): number {
    return this.metrics.get(metric)?.admitted.size ?? 0;
  }

  /** Per-metric stats for the leaf's /metrics and status page. */
  stats(): { metric: string; admitted: number; estimate: number; dropped: number }[] {
    return [...this.metrics].map(([metric, m]) => ({ metric, admitted: m.admitted.size, estimate: this.estimateOf(m), dropped: m.dropped }));
  }
}
