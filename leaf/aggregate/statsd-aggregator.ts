// Per-flush-interval pre-aggregation of StatsD / DogStatsD metrics (mapping in docs/statsd.md).
//
//   counter  c       → float `<name>_total`: running total since the series appeared, Σ v/rate
//                      (monotonic, so rate()/increase() work; negative increments are dropped)
//   gauge    g       → float `<name>`: last value; "+x"/"-x" adjust the current value
//   timer    ms      → distribution `<name>` per flush, values converted ms → seconds
//   histogram h, distribution d → distribution `<name>` per flush (values as sent)
//                      (sample rate r gives each observation weight 1/r)
//   set      s       → float `<name>`: distinct members seen in the flush interval — exact up
//                      to EXACT_SET_LIMIT members, then a HyperLogLog (flushing a 16 KiB HLL
//                      for every small set would dominate the flush cost)
// Counters and gauges are re-emitted every flush until idle for `expireAfterMs`, then get one
// staleness marker and are forgotten (a counter that comes back restarts at 0: a reset).
// Distributions and sets are emitted only for intervals that saw observations.
// Series identity: (kind, mapped labels); raw names that map to the same Prometheus series
// ("a.b" and "a_b") share one entry. New series ask `admit` (the cardinality guard) first;
// a refused one is dropped with the guard's reason and keeps no entry.
//
// Hot path: one Map lookup per line on the raw (type, name, tags) text; the name/tag mapping
// and label sorting run once per series.
import { labelsKey, type Labels } from '../../shared/labels.ts';
import {
  TDigest,
  HyperLogLog,
  DIGEST_DEFAULT_COMPRESSION,
  HLL_DEFAULT_P,
} from '../../shared/sketch/index.ts';
import { STALE_NAN } from '../../shared/promql/index.ts';
import {
  StatsdType,
  toPromMetricName,
  tagsToLabels,
  type StatsdDropReason,
  type StatsdHandler,
  type StatsdLine,
} from '../statsd/index.ts';
import type { AdmitSeries, FlushBatch, FlushCallback, SeriesRefusal } from './types.ts';

export interface StatsdAggregatorOptions {
  flushIntervalMs?: number;
  expireAfterMs?: number;
  /** Convert `ms` timer values to seconds (Prometheus base unit). Default true. */
  timersInSeconds?: boolean;
  setPrecision?: number;
  digestCompression?: number;
  admit?: AdmitSeries;
  onFlush: FlushCallback;
  /** Called when onFlush throws (the loop keeps running); default: rethrow-free ignore + count. */
  onError?: (e: unknown) => void;
  now?: () => number;
}

export type StatsdAggregatorDropReason =
  StatsdDropReason | SeriesRefusal | 'negative_counter' | 'invalid_name';

/** Distinct set members counted exactly per interval before switching to the HLL. */
export const EXACT_SET_LIMIT = 1024;

const enum Kind {
  Counter = 1,
  Gauge = 2,
  Dist = 3,
  Set = 4,
}

interface Entry {
  kind: Kind;
  labels: Labels;
  key: string;
  value: number;
  digest: TDigest | undefined;
  hll: HyperLogLog | undefined;
  /** exact members this interval; undefined while the HLL is in use */
  members: Set<string> | undefined;
  lastSeenMs: number;
  updated: boolean;
  /** raw keys pointing at this entry, removed with it */
  aliases: string[];
}

function kindOf(t: StatsdType): Kind {
  switch (t) {
    case StatsdType.Counter:
      return Kind.Counter;
    case StatsdType.Gauge:
      return Kind.Gauge;
    case StatsdType.Set:
      return Kind.Set;
    default:
      return Kind.Dist;
  }
}

export class StatsdAggregator implements StatsdHandler {
  readonly flushIntervalMs: number;
  readonly expireAfterMs: number;
  private readonly timersInSeconds: boolean;
  private readonly setPrecision: number;
  private readonly compression: number;
  private readonly admit: AdmitSeries | undefined;
  private readonly onFlush: FlushCallback;
  private readonly onError: ((e: unknown) => void) | undefined;
  private readonly now: () => number;
  /** raw "<kind>\0<name>\0<tags>" → entry */
  private readonly byRaw = new Map<string, Entry>();
  /** "<kind>\0<labelsKey>" → entry */
  private readonly byLabels = new Map<string, Entry>();
  private readonly dropped = new Map<StatsdAggregatorDropReason, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  linesReceived = 0;
  flushErrors = 0;

  constructor(opts: StatsdAggregatorOptions) {
    this.flushIntervalMs = opts.flushIntervalMs ?? 10_000;
    this.expireAfterMs = opts.expireAfterMs ?? 300_000;
    this.timersInSeconds = opts.timersInSeconds ?? true;
    this.setPrecision = opts.setPrecision ?? HLL_DEFAULT_P;
    this.compression = opts.digestCompression ?? DIGEST_DEFAULT_COMPRESSION;
    this.admit = opts.admit;
    this.onFlush = opts.onFlush;
    this.onError = opts.onError;
    this.now = opts.now ?? Date.now;
  }

  /** StatsdHandler: fold one parsed line in. */
  metric(line: StatsdLine): void {
    this.linesReceived++;
    const kind = kindOf(line.type);
    const raw = kind + '\0' + line.name + '\0' + line.tags;
    let e = this.byRaw.get(raw);
    if (e === undefined) {
      e = this.newEntry(raw, kind, line);
      if (e === undefined) return;
    }
    const nowMs = this.now();
    e.lastSeenMs = nowMs;
    const n = line.valueCount;
    const vs = line.values;
    switch (e.kind) {
      case Kind.Counter: {
        const inv = 1 / line.sampleRate;
        for (let i = 0; i < n; i++) {
          const v = vs[i]!;
          if (v < 0) this.drop('negative_counter', 1);
          else e.value += v * inv;
        }
        break;
      }
      case Kind.Gauge:
        for (let i = 0; i < n; i++) {
          if (line.deltas[i] === 1) e.value = (Number.isNaN(e.value) ? 0 : e.value) + vs[i]!;
          else e.value = vs[i]!;
        }
        break;
      case Kind.Dist: {
        const w = 1 / line.sampleRate;
        const scale = line.type === StatsdType.Timer && this.timersInSeconds ? 0.001 : 1;
        for (let i = 0; i < n; i++) e.digest!.add(vs[i]! * scale, w);
        break;
      }
      case Kind.Set:
        if (e.members !== undefined) {
          e.members.add(line.setMember);
          if (e.members.size > EXACT_SET_LIMIT) {
            e.hll ??= new HyperLogLog(this.setPrecision);
            for (const m of e.members) e.hll.add(m);
            e.members = undefined;
          }
        } else e.hll!.add(line.setMember);
        break;
    }
    e.updated = true;
  }

  /** StatsdHandler: a line the parser rejected. */
  invalid(reason: StatsdDropReason): void {
    this.drop(reason, 1);
  }

  private newEntry(raw: string, kind: Kind, line: StatsdLine): Entry | undefined {
    const base = toPromMetricName(line.name);
    if (base === '') {
      this.drop('invalid_name', line.valueCount);
      return undefined;
    }
    const name = kind === Kind.Counter && !base.endsWith('_total') ? base + '_total' : base;
    const labels = tagsToLabels(name, line.tags);
    const lk = kind + '\0' + labelsKey(labels);
    let e = this.byLabels.get(lk);
    if (e === undefined) {
      // a refused series keeps no entry (a flood of new names must not grow this map): its
      // next line asks again, and is admitted once the guard has room
      const verdict = this.admit === undefined ? true : this.admit(labels);
      if (verdict !== true) {
        this.drop(verdict, line.valueCount);
        return undefined;
      }
      e = {
        kind,
        labels,
        key: lk,
        value: kind === Kind.Gauge ? NaN : 0,
        digest: kind === Kind.Dist ? new TDigest(this.compression) : undefined,
        hll: undefined,
        members: kind === Kind.Set ? new Set() : undefined,
        lastSeenMs: 0,
        updated: false,
        aliases: [],
      };
      this.byLabels.set(lk, e);
    }
    e.aliases.push(raw);
    this.byRaw.set(raw, e);
    return e;
  }

  private drop(reason: StatsdAggregatorDropReason, n: number): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + n);
  }

  /** Samples dropped so far, by reason (for `canopy_leaf_statsd_dropped_total{reason}`). */
  droppedByReason(): ReadonlyMap<StatsdAggregatorDropReason, number> {
    return this.dropped;
  }

  seriesCount(): number {
    return this.byLabels.size;
  }

  /** Builds the flush batch for `tMs`, resets per-interval state, expires idle series. */
  collect(tMs = this.now()): FlushBatch {
    const batch: FlushBatch = { tMs, floats: [], distributions: [] };
    const expireBefore = tMs - this.expireAfterMs;
    for (const e of this.byLabels.values()) {
      const idle = e.lastSeenMs < expireBefore;
      switch (e.kind) {
        case Kind.Counter:
        case Kind.Gauge:
          if (idle) {
            if (!Number.isNaN(e.value)) batch.floats.push({ labels: e.labels, tMs, value: STALE_NAN });
            this.remove(e);
          } else if (!Number.isNaN(e.value)) batch.floats.push({ labels: e.labels, tMs, value: e.value });
          break;
        case Kind.Dist:
          if (e.updated && e.digest!.count > 0) {
            batch.distributions.push({ labels: e.labels, tMs, d: e.digest!.toDistribution() });
            e.digest!.reset();
          } else if (idle) this.remove(e);
          break;
        case Kind.Set:
          if (e.updated) {
            if (e.members !== undefined) {
              batch.floats.push({ labels: e.labels, tMs, value: e.members.size });
              e.members.clear();
            } else {
              batch.floats.push({ labels: e.labels, tMs, value: e.hll!.count() });
              e.hll!.reset(); // kept allocated: a big set is likely big again next interval
              e.members = new Set();
            }
          } else if (idle) this.remove(e);
          break;
      }
      e.updated = false;
    }
    return batch;
  }

  private remove(e: Entry): void {
    this.byLabels.delete(e.key);
    for (const a of e.aliases) this.byRaw.delete(a);
  }

  /** Collects and hands a non-empty batch to onFlush. */
  flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const b = this.collect();
      if (b.floats.length > 0 || b.distributions.length > 0) this.onFlush(b);
    } catch (e) {
      this.flushErrors++;
      this.onError?.(e);
    } finally {
      this.flushing = false;
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and flushes what is pending. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
