// Admission: the zone's per-series and per-sample checks before samples reach storage.
// Labels: names [a-zA-Z_][a-zA-Z0-9_]*, metric name [a-zA-Z_:][a-zA-Z0-9_:]*, values valid
// UTF-8, no empty or duplicate names, a metric name present; empty values mean "absent" and
// are dropped. Samples: timestamp a safe integer and at most maxFutureMs ahead of now.
// Limits: active series per zone (max of Storage.seriesCount() and the series this Admission
// has seen within activeSeriesWindowMs) and per metric name (counted here, exactly).
// "Too old" is the storage's call (it reports out_of_bounds / out_of_order).
// Checks are synchronous and report through `reason`/`error` fields instead of allocating a
// result object per call (callers read them right after a failed check).
import { LABEL_NAME_RE, METRIC_NAME, METRIC_NAME_RE, labelsKey, type Label, type Labels } from '../../shared/labels.ts';
import type { Storage } from '../../shared/storage.ts';
import { CanopyError } from '../../shared/errors.ts';
import type { IngestDropReason } from './ingest-metrics.ts';

export interface AdmissionLimits {
  /** Samples further ahead of now than this are rejected (too_far_in_future). Default 10 min. */
  maxFutureMs: number;
  /** Active series in the zone; 0 = unlimited. */
  maxSeriesPerZone: number;
  /** Active series per metric name; 0 = unlimited. */
  maxSeriesPerMetric: number;
  /** Labels per series including __name__; 0 = unlimited. */
  maxLabelsPerSeries: number;
  /** A tracked series not written for this long stops counting against the limits. Default 3 h. */
  activeSeriesWindowMs: number;
}

export const DEFAULT_ADMISSION_LIMITS: Readonly<AdmissionLimits> = Object.freeze({
  maxFutureMs: 10 * 60 * 1000,
  maxSeriesPerZone: 0,
  maxSeriesPerMetric: 0,
  maxLabelsPerSeries: 0,
  activeSeriesWindowMs: 3 * 60 * 60 * 1000,
});

/** Validates raw config (unknown keys and bad values rejected) over the defaults. */
export function parseAdmissionLimits(raw: unknown, where = 'limits'): Readonly<AdmissionLimits> {
  if (raw === undefined || raw === null) return DEFAULT_ADMISSION_LIMITS;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new CanopyError('config_invalid', `${where}: expected an object`);
  const out: AdmissionLimits = { ...DEFAULT_ADMISSION_LIMITS };
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(k in DEFAULT_ADMISSION_LIMITS)) {
      throw new CanopyError('config_invalid', `${where}.${k}: unknown key (expected one of ${Object.keys(DEFAULT_ADMISSION_LIMITS).join(', ')})`);
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new CanopyError('config_invalid', `${where}.${k}: expected a non-negative integer, got ${JSON.stringify(v)}`);
    }
    out[k as keyof AdmissionLimits] = v;
  }
  if (out.activeSeriesWindowMs === 0) throw new CanopyError('config_invalid', `${where}.activeSeriesWindowMs: must be > 0`);
  return Object.freeze(out);
}

interface ActiveSeries {
  lastSeenMs: number;
  metric: string;
}

const NAME_CACHE_MAX = 4096;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class Admission {
  /** Set by a failed check: the drop reason and a message naming the series or sample. */
  reason: IngestDropReason = 'invalid_labels';
  error = '';

  private readonly validNames = new Set<string>();
  private readonly validMetrics = new Set<string>();
  private readonly active = new Map<string, ActiveSeries>();
  private readonly perMetric = new Map<string, number>();
  private lastPurgeMs = 0;
  private readonly tracking: boolean;

  constructor(
    readonly limits: Readonly<AdmissionLimits>,
    private readonly storage: Pick<Storage, 'seriesCount'>,
    /** Labels set on every series (overriding the sender's), e.g. zone and region. */
    private readonly zoneLabels: Labels = [],
  ) {
    this.tracking = limits.maxSeriesPerZone > 0 || limits.maxSeriesPerMetric > 0;
  }

  private fail(reason: IngestDropReason, error: string): null {
    this.reason = reason;
    this.error = error;
    return null;
  }

  /**
   * Validates labels as received and returns them sorted, without empty values, with the
   * zone labels applied; null (reason/error set) when the series must be rejected.
   * `encodingErr` carries a decoder's UTF-8 finding; `checkUtf16` checks JS strings for
   * lone surrogates (which have no UTF-8 form), for paths that parsed JSON.
   */
  checkLabels(raw: readonly Label[], encodingErr = '', checkUtf16 = false): Labels | null {
    if (raw.length === 0) return this.fail('empty_labels', 'series has no labels');
    if (encodingErr !== '') return this.fail('invalid_labels', `invalid label: ${encodingErr}`);
    let sorted = true, hasEmpty = false, metric = '';
    let prev = '';
    for (let i = 0; i < raw.length; i++) {
      const { name, value } = raw[i]!;
      if (name === '') return this.fail('invalid_labels', `empty label name in series with ${raw.length} labels`);
      if (!this.validNames.has(name)) {
        if (!LABEL_NAME_RE.test(name)) return this.fail('invalid_labels', `invalid label name ${JSON.stringify(name)}`);
        if (this.validNames.size >= NAME_CACHE_MAX) this.validNames.clear();
        this.validNames.add(name);
      }
      if (checkUtf16 && (LONE_SURROGATE_RE.test(name) || LONE_SURROGATE_RE.test(value))) {
        return this.fail('invalid_labels', `label ${JSON.stringify(name)} is not valid UTF-8`);
      }
      if (value === '') hasEmpty = true;
      if (name === METRIC_NAME) metric = value;
      if (i > 0 && name <= prev) sorted = false;
      prev = name;
    }
    let ls: Label[] = raw as Label[];
    if (!sorted) ls = [...raw].sort(byName);
    // Duplicates are checked before empty values are dropped: {a="x", a=""} is still a duplicate.
    if (!sorted) {
      for (let i = 1; i < ls.length; i++) {
        if (ls[i]!.name === ls[i - 1]!.name) return this.fail('duplicate_labels', `duplicate label name ${JSON.stringify(ls[i]!.name)}`);
      }
    }
    if (hasEmpty) ls = ls.filter((l) => l.value !== '');
    if (metric === '') return this.fail('invalid_labels', `missing metric name in series {${ls.map((l) => l.name).join(',')}}`);
    if (!this.validMetrics.has(metric)) {
      if (!METRIC_NAME_RE.test(metric)) return this.fail('invalid_labels', `invalid metric name ${JSON.stringify(metric)}`);
      if (this.validMetrics.size >= NAME_CACHE_MAX) this.validMetrics.clear();
      this.validMetrics.add(metric);
    }
    if (this.zoneLabels.length > 0) ls = this.applyZoneLabels(ls);
    if (this.limits.maxLabelsPerSeries > 0 && ls.length > this.limits.maxLabelsPerSeries) {
      return this.fail('invalid_labels', `series ${metric} has ${ls.length} labels, limit ${this.limits.maxLabelsPerSeries}`);
    }
    return ls;
  }

  private applyZoneLabels(ls: Label[]): Label[] {
    const out = ls.filter((l) => !this.zoneLabels.some((z) => z.name === l.name));
    for (const z of this.zoneLabels) out.push(z);
    return out.sort(byName);
  }

  /**
   * Counts the series against the active-series limits; false (reason/error set) when a new
   * series would exceed one. Call with labels returned by checkLabels; `key`, when given,
   * must be labelsKey(labels) (callers that cache it save the string building).
   */
  admitSeries(labels: Labels, nowMs: number, key?: string): boolean {
    if (!this.tracking) return true;
    key ??= labelsKey(labels);
    const known = this.active.get(key);
    if (known !== undefined) {
      known.lastSeenMs = nowMs;
      return true;
    }
    if (nowMs - this.lastPurgeMs > this.limits.activeSeriesWindowMs / 8) this.purge(nowMs);
    let metric = '';
    for (const l of labels) if (l.name === METRIC_NAME) metric = l.value;
    const zoneMax = this.limits.maxSeriesPerZone;
    if (zoneMax > 0 && Math.max(this.storage.seriesCount(), this.active.size) >= zoneMax) {
      this.fail('series_limit', `zone series limit ${zoneMax} reached; new series of ${metric} rejected`);
      return false;
    }
    const perMetric = this.perMetric.get(metric) ?? 0;
    const metricMax = this.limits.maxSeriesPerMetric;
    if (metricMax > 0 && perMetric >= metricMax) {
      this.fail('metric_series_limit', `per-metric series limit ${metricMax} reached for ${metric}`);
      return false;
    }
    this.active.set(key, { lastSeenMs: nowMs, metric });
    this.perMetric.set(metric, perMetric + 1);
    return true;
  }

  /** Forgets series not written within activeSeriesWindowMs. */
  purge(nowMs: number): void {
    this.lastPurgeMs = nowMs;
    const cutoff = nowMs - this.limits.activeSeriesWindowMs;
    for (const [key, s] of this.active) {
      if (s.lastSeenMs >= cutoff) continue;
      this.active.delete(key);
      const n = (this.perMetric.get(s.metric) ?? 1) - 1;
      if (n <= 0) this.perMetric.delete(s.metric);
      else this.perMetric.set(s.metric, n);
    }
  }

  /** Whether admitSeries tracks series (a series limit is configured). */
  get tracksSeries(): boolean {
    return this.tracking;
  }

  /** Active series tracked for limits (0 when no series limit is configured). */
  trackedSeries(): number {
    return this.active.size;
  }

  /** Returns null when the timestamp is acceptable, else the drop reason (error set). */
  checkTimestamp(tMs: number, nowMs: number): IngestDropReason | null {
    if (!Number.isSafeInteger(tMs)) {
      this.fail('out_of_bounds', `timestamp ${tMs} is not an integer millisecond within ±2^53`);
      return 'out_of_bounds';
    }
    if (tMs > nowMs + this.limits.maxFutureMs) {
      this.fail('too_far_in_future', `timestamp ${tMs} is ${tMs - nowMs} ms in the future (limit ${this.limits.maxFutureMs} ms)`);
      return 'too_far_in_future';
    }
    return null;
  }
}
