// Admission: one tenant's per-series and per-sample checks before samples reach storage
// (zone/ingest/tenants.ts keeps one Admission per tenant).
// Labels: names [a-zA-Z_][a-zA-Z0-9_]*, metric name [a-zA-Z_:][a-zA-Z0-9_:]*, values valid
// UTF-8, no empty or duplicate names, a metric name present; empty values mean "absent" and
// are dropped; name and value lengths and the label count bounded (Mimir's defaults).
// Samples: timestamp a safe integer, at most maxFutureMs ahead of now and not older than the
// zone's retention (a sample retention would delete is refused, never acknowledged).
// Limits: active series of the tenant (the series this Admission has seen within
// activeSeriesWindowMs), per metric name, and per zone (Storage.seriesCount(), all tenants);
// the ingestion rate as a token bucket (rate samples/s, burst) charged per request.
// Out-of-order and duplicates within retention are the storage's call.
// Checks are synchronous and report through `reason`/`error` fields instead of allocating a
// result object per call (callers read them right after a failed check).
import {
  LABEL_NAME_RE,
  METRIC_NAME,
  METRIC_NAME_RE,
  labelsKey,
  type Label,
  type Labels,
} from '../../shared/labels.ts';
import type { Storage } from '../../shared/storage.ts';
import { CanopyError } from '../../shared/errors.ts';
import { ANONYMOUS_TENANT, TENANT_LABEL } from '../../shared/tenant.ts';
import type { IngestDropReason } from './ingest-metrics.ts';

export interface AdmissionLimits {
  /** Samples further ahead of now than this are rejected (too_far_in_future). Default 10 min. */
  maxFutureMs: number;
  /** Active series in the zone, all tenants; 0 = unlimited. Default 0. */
  maxSeriesPerZone: number;
  /** Active series of one tenant (Mimir max_global_series_per_user); 0 = unlimited. Default 150,000. */
  maxSeriesPerTenant: number;
  /** Active series per metric name and tenant (Mimir max_global_series_per_metric); 0 = unlimited. Default 0. */
  maxSeriesPerMetric: number;
  /** Labels per series including __name__ (Mimir max_label_names_per_series); 0 = unlimited. Default 30. */
  maxLabelsPerSeries: number;
  /** Bytes (UTF-8) in a label name; 0 = unlimited. Default 1,024. */
  maxLabelNameLength: number;
  /** Bytes (UTF-8) in a label value; 0 = unlimited. Default 2,048. */
  maxLabelValueLength: number;
  /** Samples per second a tenant may write (token bucket refill); 0 = unlimited. Default 10,000. */
  ingestionRate: number;
  /** Samples a tenant may write at once (token bucket size); a larger request is refused. Default 200,000. */
  ingestionBurstSize: number;
  /** A tracked series not written for this long stops counting against the limits. Default 3 h. */
  activeSeriesWindowMs: number;
}

export const DEFAULT_ADMISSION_LIMITS: Readonly<AdmissionLimits> = Object.freeze({
  maxFutureMs: 10 * 60 * 1000,
  maxSeriesPerZone: 0,
  maxSeriesPerTenant: 150_000,
  maxSeriesPerMetric: 0,
  maxLabelsPerSeries: 30,
  maxLabelNameLength: 1024,
  maxLabelValueLength: 2048,
  ingestionRate: 10_000,
  ingestionBurstSize: 200_000,
  activeSeriesWindowMs: 3 * 60 * 60 * 1000,
});

/**
 * Validates raw config (unknown keys and bad values rejected) over `base` (the defaults).
 * `aliases` maps other key spellings (the overrides file's Mimir names) to ours.
 */
export function parseAdmissionLimits(
  raw: unknown,
  where = 'limits',
  base: Readonly<AdmissionLimits> = DEFAULT_ADMISSION_LIMITS,
  aliases: Readonly<Record<string, keyof AdmissionLimits>> = {},
): Readonly<AdmissionLimits> {
  if (raw === undefined || raw === null) return base;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new CanopyError('config_invalid', `${where}: expected an object`);
  const out: AdmissionLimits = { ...base };
  const keys = Object.keys(aliases).length > 0 ? Object.keys(aliases) : Object.keys(DEFAULT_ADMISSION_LIMITS);
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const key =
      Object.keys(aliases).length > 0
        ? aliases[k]
        : k in DEFAULT_ADMISSION_LIMITS
          ? (k as keyof AdmissionLimits)
          : undefined;
    if (key === undefined)
      throw new CanopyError(
        'config_invalid',
        `${where}.${k}: unknown key (expected one of ${keys.join(', ')})`,
      );
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new CanopyError(
        'config_invalid',
        `${where}.${k}: expected a non-negative integer, got ${JSON.stringify(v)}`,
      );
    }
    out[key] = v;
  }
  if (out.activeSeriesWindowMs === 0)
    throw new CanopyError('config_invalid', `${where}.activeSeriesWindowMs: must be > 0`);
  if (out.ingestionRate > 0 && out.ingestionBurstSize === 0) {
    throw new CanopyError(
      'config_invalid',
      `${where}: an ingestion rate needs a burst size > 0 (the largest request a tenant may send)`,
    );
  }
  return Object.freeze(out);
}

export interface AdmissionOptions {
  /** The tenant whose writes this Admission checks (default anonymous). */
  tenant?: string;
  /** Labels set on every series (overriding the sender's), e.g. zone and region. */
  zoneLabels?: Labels;
  /** Samples older than now − retentionMs are refused (too_old); 0 = no bound. */
  retentionMs?: number;
}

/** Bytes of `s` in UTF-8 (length in UTF-16 units when that already decides). */
function utf8Length(s: string, limit: number): number {
  return s.length * 3 <= limit ? s.length : Buffer.byteLength(s, 'utf8');
}

/** `s` cut to `n` characters with a marker, for messages. */
function clip(s: string, n = 200): string {
  return s.length <= n ? s : `${s.slice(0, n)}…(truncated)`;
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
  private tracking = false;
  private limitsNow: Readonly<AdmissionLimits> = DEFAULT_ADMISSION_LIMITS;
  readonly tenant: string;
  private readonly zoneLabels: Labels;
  private readonly retentionMs: number;
  /** Token bucket: samples available at bucketAtMs. */
  private tokens = 0;
  private bucketAtMs = -1;

  constructor(
    limits: Readonly<AdmissionLimits>,
    private readonly storage: Pick<Storage, 'seriesCount'>,
    opts: AdmissionOptions = {},
  ) {
    this.tenant = opts.tenant ?? ANONYMOUS_TENANT;
    // The tenant label is applied like a zone label (a sender may not set it: checkLabels refuses it).
    const own: Label[] = [...(opts.zoneLabels ?? [])];
    if (this.tenant !== ANONYMOUS_TENANT) own.push({ name: TENANT_LABEL, value: this.tenant });
    this.zoneLabels = own;
    this.retentionMs = opts.retentionMs ?? 0;
    this.limits = limits;
  }

  get limits(): Readonly<AdmissionLimits> {
    return this.limitsNow;
  }

  /** New limits (a runtime overrides reload) apply from the next check; tracked series are kept. */
  set limits(l: Readonly<AdmissionLimits>) {
    this.limitsNow = l;
    // Tracking, once on, stays on: its state is what a later limit counts against.
    this.tracking ||= l.maxSeriesPerZone > 0 || l.maxSeriesPerMetric > 0 || l.maxSeriesPerTenant > 0;
    if (this.bucketAtMs >= 0) this.tokens = Math.min(this.tokens, l.ingestionBurstSize);
  }

  /**
   * Charges `n` samples to the tenant's ingestion rate; false (reason/error set) when the
   * bucket cannot cover them, and then nothing is charged. Mimir refuses such a request whole.
   */
  takeRate(n: number, nowMs: number): boolean {
    const { ingestionRate: rate, ingestionBurstSize: burst } = this.limitsNow;
    if (rate <= 0 || n <= 0) return true;
    if (this.bucketAtMs < 0) this.tokens = burst;
    else this.tokens = Math.min(burst, this.tokens + ((nowMs - this.bucketAtMs) / 1000) * rate);
    this.bucketAtMs = nowMs;
    if (n <= this.tokens) {
      this.tokens -= n;
      return true;
    }
    this.fail(
      'rate_limited',
      `the request has been rejected because the tenant exceeded the ingestion rate limit, set to ${rate} samples/s with a maximum allowed burst of ${burst}, while adding ${n} samples (tenant ${JSON.stringify(this.tenant)})`,
    );
    return false;
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
    let sorted = true,
      hasEmpty = false,
      metric = '';
    let prev = '';
    for (let i = 0; i < raw.length; i++) {
      const { name, value } = raw[i]!;
      if (name === '')
        return this.fail('invalid_labels', `empty label name in series with ${raw.length} labels`);
      if (!this.validNames.has(name)) {
        if (!LABEL_NAME_RE.test(name))
          return this.fail('invalid_labels', `invalid label name ${JSON.stringify(name)}`);
        if (this.validNames.size >= NAME_CACHE_MAX) this.validNames.clear();
        this.validNames.add(name);
      }
      if (checkUtf16 && (LONE_SURROGATE_RE.test(name) || LONE_SURROGATE_RE.test(value))) {
        return this.fail('invalid_labels', `label ${JSON.stringify(name)} is not valid UTF-8`);
      }
      const lim = this.limitsNow;
      if (lim.maxLabelNameLength > 0 && utf8Length(name, lim.maxLabelNameLength) > lim.maxLabelNameLength) {
        return this.fail(
          'label_name_too_long',
          `received a series whose label name length exceeds the limit of ${lim.maxLabelNameLength} bytes, label: '${clip(name)}' series: '${clip(seriesText(raw))}'`,
        );
      }
      if (
        lim.maxLabelValueLength > 0 &&
        utf8Length(value, lim.maxLabelValueLength) > lim.maxLabelValueLength
      ) {
        return this.fail(
          'label_value_too_long',
          `received a series whose label value length exceeds the limit of ${lim.maxLabelValueLength} bytes, label: '${clip(name)}' value: '${clip(value)}' series: '${clip(seriesText(raw))}'`,
        );
      }
      if (name === TENANT_LABEL) {
        return this.fail(
          'invalid_labels',
          `label name "${TENANT_LABEL}" is reserved (the tenant is the X-Scope-OrgID header) in series '${clip(seriesText(raw))}'`,
        );
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
        if (ls[i]!.name === ls[i - 1]!.name)
          return this.fail('duplicate_labels', `duplicate label name ${JSON.stringify(ls[i]!.name)}`);
      }
    }
    if (hasEmpty) ls = ls.filter((l) => l.value !== '');
    if (metric === '')
      return this.fail(
        'invalid_labels',
        `missing metric name in series {${ls.map((l) => l.name).join(',')}}`,
      );
    if (!this.validMetrics.has(metric)) {
      if (!METRIC_NAME_RE.test(metric))
        return this.fail('invalid_labels', `invalid metric name ${JSON.stringify(metric)}`);
      if (this.validMetrics.size >= NAME_CACHE_MAX) this.validMetrics.clear();
      this.validMetrics.add(metric);
    }
    // Counted as received (the tenant's own labels), before zone and tenant labels are applied.
    const maxLabels = this.limitsNow.maxLabelsPerSeries;
    if (maxLabels > 0 && ls.length > maxLabels) {
      return this.fail(
        'max_label_names_per_series',
        `received a series whose number of labels exceeds the limit (actual: ${ls.length}, limit: ${maxLabels}) series: '${clip(seriesText(ls))}'`,
      );
    }
    if (this.zoneLabels.length > 0) ls = this.applyZoneLabels(ls);
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
    if (nowMs - this.lastPurgeMs > this.limitsNow.activeSeriesWindowMs / 8) this.purge(nowMs);
    let metric = '';
    for (const l of labels) if (l.name === METRIC_NAME) metric = l.value;
    const lim = this.limitsNow;
    const tenantMax = lim.maxSeriesPerTenant;
    if (tenantMax > 0 && this.active.size >= tenantMax) {
      this.fail(
        'per_user_series_limit',
        `per-tenant series limit of ${tenantMax} exceeded for tenant ${JSON.stringify(this.tenant)}; new series of ${metric} rejected`,
      );
      return false;
    }
    const zoneMax = lim.maxSeriesPerZone;
    if (zoneMax > 0 && Math.max(this.storage.seriesCount(), this.active.size) >= zoneMax) {
      this.fail('series_limit', `zone series limit ${zoneMax} reached; new series of ${metric} rejected`);
      return false;
    }
    const perMetric = this.perMetric.get(metric) ?? 0;
    const metricMax = lim.maxSeriesPerMetric;
    if (metricMax > 0 && perMetric >= metricMax) {
      this.fail(
        'metric_series_limit',
        `per-metric series limit ${metricMax} reached for ${metric} (tenant ${JSON.stringify(this.tenant)})`,
      );
      return false;
    }
    this.active.set(key, { lastSeenMs: nowMs, metric });
    this.perMetric.set(metric, perMetric + 1);
    return true;
  }

  /** Forgets series not written within activeSeriesWindowMs. */
  purge(nowMs: number): void {
    this.lastPurgeMs = nowMs;
    const cutoff = nowMs - this.limitsNow.activeSeriesWindowMs;
    for (const [key, s] of this.active) {
      if (s.lastSeenMs >= cutoff) continue;
      this.active.delete(key);
      const n = (this.perMetric.get(s.metric) ?? 1) - 1;
      if (n <= 0) this.perMetric.delete(s.metric);
      else this.perMetric.set(s.metric, n);
    }
  }

  /** Whether the tenant holds as many active series as its limit (a new one would be refused). */
  atSeriesLimit(): boolean {
    const max = this.limitsNow.maxSeriesPerTenant;
    return this.tracking && max > 0 && this.active.size >= max;
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
    if (tMs > nowMs + this.limitsNow.maxFutureMs) {
      this.fail(
        'too_far_in_future',
        `timestamp ${tMs} is ${tMs - nowMs} ms in the future (limit ${this.limitsNow.maxFutureMs} ms)`,
      );
      return 'too_far_in_future';
    }
    if (this.retentionMs > 0 && tMs < nowMs - this.retentionMs) {
      this.fail(
        'too_old',
        `timestamp ${tMs} (${isoTime(tMs)}) is older than the retention of ${this.retentionMs} ms (oldest accepted ${isoTime(nowMs - this.retentionMs)})`,
      );
      return 'too_old';
    }
    return null;
  }
}

function isoTime(tMs: number): string {
  const d = new Date(tMs);
  return Number.isNaN(d.getTime()) ? String(tMs) : d.toISOString();
}

/** {a="b", …} as received (messages only). */
function seriesText(ls: readonly Label[]): string {
  return `{${ls.map((l) => `${l.name}=${JSON.stringify(l.value.length > 64 ? `${l.value.slice(0, 64)}…` : l.value)}`).join(', ')}}`;
}
