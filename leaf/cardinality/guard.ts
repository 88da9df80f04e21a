// CardinalityGuard: series limits at the leaf, before anything is buffered: per metric name,
// and for the leaf as a whole (seriesLimit: unique series across every metric, which a flood of
// new metric names would otherwise grow without bound).
//
// It keeps the exact set of admitted series keys (one map for the whole leaf), each with its
// metric and the time it was last seen, so existing series keep flowing once a limit is
// reached; and for each metric name
//   - the number of its admitted series (never more than hardLimit);
//   - once the hard limit is reached, a HyperLogLog of every distinct series offered (seeded
//     with the admitted keys) — the "how big would it be" estimate; below the limit the exact
//     admitted count is the estimate.
// admit(labels):
//   known series                        → true
//   new, leaf's series ≥ seriesLimit    → "series_limit"; counted in seriesLimitSamples (the
//                                         caller drops it and counts reason="series_limit");
//                                         a metric with no admitted series gets no state
//   new, admitted count < hardLimit     → admitted, true
//   new, admitted count ≥ hardLimit     → "too_many_series"; counted in droppedSamples
//   estimate crosses softLimit (once per metric until it falls back below) → onSoftLimit(metric,
//                                         estimate) and softLimitWarnings++
// sweep(nowMs) forgets admitted series idle for longer than idleMs (so churn does not fill the
// limit forever) and restarts the HyperLogLogs: estimates cover the series offered since.
// Memory bound: admitted keys ≤ seriesLimit, metric states ≤ seriesLimit (a state is created
// only with its first admitted series), sketches ≤ seriesLimit / hardLimit (one per metric at its
// hard limit); the label-set caches are weak. About 350 B per admitted series, measured
// (100k series, one metric name each).
import { labelsKey, metricName, type Labels } from '../../shared/labels.ts';
import { CanopyError } from '../../shared/errors.ts';
import { HyperLogLog } from '../../shared/sketch/index.ts';
import type { Logger } from '../../shared/log.ts';
import type { SeriesRefusal } from '../aggregate/index.ts';

/** Refusals at the leaf's series limit are logged at most this often. */
const SERIES_LIMIT_LOG_INTERVAL_MS = 60_000;

export interface CardinalityGuardOptions {
  /** Series per metric above which a warning is raised. */
  softLimit: number;
  /** Series per metric above which new series are refused. */
  hardLimit: number;
  /** Unique series (all metrics) above which new series are refused. 0 = no limit. */
  seriesLimit?: number;
  /** Admitted series idle longer than this are forgotten by sweep(). Default 1 h. */
  idleMs?: number;
  /** HLL precision for the per-metric estimates. Default 12 (4 KiB per metric, ≈1.6 % error). */
  hllPrecision?: number;
  onSoftLimit?: (metric: string, estimate: number) => void;
  /** When set, soft-limit crossings are also logged at warn level. */
  logger?: Logger;
  now?: () => number;
}

/** An admitted series: its metric, last-seen time, and whether a sweep has forgotten it since. */
interface Admitted {
  readonly m: MetricState;
  lastMs: number;
  live: boolean;
}

interface MetricState {
  /** Created only once the hard limit is reached (seeded with the admitted keys): below it the
   * exact admitted count is the estimate, and most metrics never need the 4 KiB sketch. */
  hll: HyperLogLog | undefined;
  /** admitted series of this metric (the keys live in the guard's one `series` map: a map per
   * metric cost ~640 B per series when every series has its own name, one map ~250 B) */
  admitted: number;
  warned: boolean;
  dropped: number;
  /** refusals since the last estimate check (the HLL count costs O(m), so it is amortized) */
  sinceCheck: number;
}

export class CardinalityGuard {
  readonly softLimit: number;
  readonly hardLimit: number;
  readonly idleMs: number;
  readonly seriesLimit: number;
  private readonly p: number;
  private readonly logger: Logger | undefined;
  /** series key → admitted entry, every metric */
  private readonly series = new Map<string, Admitted>();
  private lastLimitLogMs = -Infinity;
  /** series_limit refusals not yet reported in a log line */
  private unlogged = 0;
  private readonly onSoftLimit: (metric: string, estimate: number) => void;
  private readonly now: () => number;
  private readonly metrics = new Map<string, MetricState>();
  /** label set (by identity: sources reuse them) → series key, so repeats build no string */
  private readonly keys = new WeakMap<Labels, string>();
  /** label set (by identity) → its admitted entry: a repeat of a live series is one lookup */
  private readonly seen = new WeakMap<Labels, Admitted>();
  /** Samples refused by the per-metric hard limit. */
  droppedSamples = 0;
  /** Samples refused by the leaf's series limit. */
  seriesLimitSamples = 0;
  softLimitWarnings = 0;

  constructor(opts: CardinalityGuardOptions) {
    if (!(opts.hardLimit > 0) || !(opts.softLimit > 0) || opts.softLimit > opts.hardLimit) {
      throw new CanopyError(
        'config_invalid',
        `cardinality limits: need 0 < softLimit (${opts.softLimit}) ≤ hardLimit (${opts.hardLimit})`,
      );
    }
    const limit = opts.seriesLimit ?? 0;
    if (!(limit >= 0) || !Number.isInteger(limit))
      throw new CanopyError(
        'config_invalid',
        `cardinality series limit: need an integer ≥ 0 (0 = none), got ${limit}`,
      );
    this.seriesLimit = limit === 0 ? Infinity : limit;
    this.softLimit = opts.softLimit;
    this.hardLimit = opts.hardLimit;
    this.idleMs = opts.idleMs ?? 3_600_000;
    this.p = opts.hllPrecision ?? 12;
    const cb = opts.onSoftLimit ?? (() => {});
    const log = (this.logger = opts.logger);
    this.onSoftLimit = log
      ? (metric, est) => {
          log.warn(
            { metric, estimate: est, softLimit: this.softLimit, hardLimit: this.hardLimit },
            'metric series count above the soft limit',
          );
          cb(metric, est);
        }
      : cb;
    this.now = opts.now ?? Date.now;
  }

  /** True when a sample of this series may pass, else why not. Usable directly as an AdmitSeries hook. */
  admit(labels: Labels): true | SeriesRefusal {
    const hit = this.seen.get(labels);
    if (hit !== undefined && hit.live) {
      hit.lastMs = this.now();
      return true;
    }
    const name = metricName(labels);
    let m = this.metrics.get(name);
    if (m === undefined) {
      if (this.series.size >= this.seriesLimit) return this.overLimit();
      m = { hll: undefined, admitted: 0, warned: false, dropped: 0, sinceCheck: 0 };
      this.metrics.set(name, m);
    }
    let key = this.keys.get(labels);
    if (key === undefined) {
      key = labelsKey(labels);
      this.keys.set(labels, key);
    }
    const nowMs = this.now();
    const known = this.series.get(key);
    if (known !== undefined) {
      known.lastMs = nowMs;
      this.seen.set(labels, known);
      return true;
    }
    if (m.admitted < this.hardLimit) {
      if (this.series.size >= this.seriesLimit) return this.overLimit();
      const a: Admitted = { m, lastMs: nowMs, live: true };
      this.series.set(key, a);
      m.admitted++;
      this.seen.set(labels, a);
      m.hll?.add(key);
      if (!m.warned && m.admitted > this.softLimit) this.warn(name, m, m.admitted);
      return true;
    }
    if (m.hll === undefined) {
      // O(all series), once per metric reaching its hard limit (after each sweep at most)
      m.hll = new HyperLogLog(this.p);
      for (const [k, a] of this.series) if (a.m === m) m.hll.add(k);
    }
    const grew = m.hll.add(key);
    m.dropped++;
    this.droppedSamples++;
    if (grew && !m.warned && ++m.sinceCheck >= (m.sinceCheck === 1 ? 1 : 64)) {
      m.sinceCheck = 0;
      const est = this.estimateOf(m);
      if (est > this.softLimit) this.warn(name, m, est);
    }
    return 'too_many_series';
  }

  /** A new series refused at the leaf's series limit: counted, logged at most once a minute. */
  private overLimit(): SeriesRefusal {
    this.seriesLimitSamples++;
    this.unlogged++;
    const nowMs = this.now();
    if (this.logger !== undefined && nowMs - this.lastLimitLogMs >= SERIES_LIMIT_LOG_INTERVAL_MS) {
      this.logger.warn(
        {
          seriesLimit: this.seriesLimit,
          series: this.series.size,
          refusedSamples: this.unlogged,
          metrics: this.metrics.size,
        },
        'series limit reached: samples of new series dropped (reason="series_limit")',
      );
      this.lastLimitLogMs = nowMs;
      this.unlogged = 0;
    }
    return 'series_limit';
  }

  /** Metric names with admitted series. */
  metricCount(): number {
    return this.metrics.size;
  }

  /** Unique series admitted across every metric. */
  totalSeries(): number {
    return this.series.size;
  }

  private warn(name: string, m: MetricState, est: number): void {
    m.warned = true;
    this.softLimitWarnings++;
    this.onSoftLimit(name, est);
  }

  private estimateOf(m: MetricState): number {
    return m.hll ? Math.max(m.hll.count(), m.admitted) : m.admitted;
  }

  /** Forgets series idle for idleMs and restarts the estimates. */
  sweep(nowMs = this.now()): void {
    const before = nowMs - this.idleMs;
    for (const [k, a] of this.series) {
      if (a.lastMs < before) {
        a.live = false;
        a.m.admitted--;
        this.series.delete(k);
      }
    }
    for (const [name, m] of this.metrics) {
      if (m.admitted === 0) {
        this.metrics.delete(name);
        continue;
      }
      m.hll = undefined; // re-created (from the admitted keys) if the hard limit is hit again
      m.sinceCheck = 0;
      m.warned = m.admitted > this.softLimit;
    }
  }

  /** Estimated distinct series offered for `metric` (admitted or not) since the last sweep. */
  estimate(metric: string): number {
    const m = this.metrics.get(metric);
    return m ? this.estimateOf(m) : 0;
  }

  admittedSeries(metric: string): number {
    return this.metrics.get(metric)?.admitted ?? 0;
  }

  /** Per-metric stats for the leaf's /metrics and status page. */
  stats(): { metric: string; admitted: number; estimate: number; dropped: number }[] {
    return [...this.metrics].map(([metric, m]) => ({
      metric,
      admitted: m.admitted,
      estimate: this.estimateOf(m),
      dropped: m.dropped,
    }));
  }
}
