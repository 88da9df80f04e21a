// OTLP metrics → Prometheus float samples, as the OpenTelemetry collector's Prometheus
// remote-write translator (and Prometheus's OTLP receiver after it) does:
//   - names by normalizeMetricName (unit and type suffixes), attribute keys by
//     normalizeLabelName; attributes whose names collide after that are joined with ';';
//   - resource service.namespace/service.name → job ("ns/name", or the name alone),
//     service.instance.id → instance (both override point attributes of the same name);
//     the other resource attributes go to one `target_info` gauge (value 1, with job and
//     instance) per resource, at the resource's latest point time; scope and schema URL are not
//     mapped;
//   - gauges and non-monotonic cumulative sums → gauge samples; monotonic cumulative sums →
//     counter samples (`_total`);
//   - explicit histograms → cumulative `_bucket{le}` (one per bound, and +Inf = count), `_sum`
//     (when present) and `_count`; summaries → `{quantile}`, `_sum`, `_count`;
//   - exponential histograms → a Canopy distribution under the base name (`<name>`, no suffix,
//     as Prometheus names native histograms; one per interval, cumulative points turned into
//     deltas; exponential-distribution.ts), and also the same classic buckets: the buckets are
//     merged down to scale min(scale, 2) (bucket bounds 2^(k/4), ~19% wide, the same bounds from
//     export to export so `le` series stay stable), negative buckets first, the zero bucket at
//     le=zero_threshold;
//   - delta sums and delta histograms (explicit or exponential) are converted to cumulative
//     totals by a CumulativeState (see there for reset behaviour and retried points);
//   - points flagged "no recorded value" become Prometheus staleness markers;
//   - timestamps are time_unix_nano truncated to ms (0 → the receive time).
// Dropped, by reason, in data points: 'unsupported' (unspecified temporality), 'invalid_value'
// (a NaN or infinite delta sum value or delta histogram sum), 'parse_error' (a number point
// without a value, bucket counts not matching bounds, a metric without a name, an exponential histogram with a scale outside -10..20 or over 4096
// buckets), 'out_of_order' (a delta point not after the last one added).
import { METRIC_NAME, labelsKey, type Label } from '../labels.ts';
import type { DropReason } from '../storage.ts';
import { STALE_NAN } from '../promql/index.ts';
import {
  AggregationTemporality,
  type IAnyValue,
  type IExponentialHistogramDataPoint,
  type IExportMetricsServiceRequest,
  type IHistogramDataPoint,
  type IKeyValue,
  type IMetric,
  type INumberDataPoint,
  type ISummaryDataPoint,
} from '../../proto/otlp/index.ts';
import { normalizeLabelName, normalizeMetricName } from './normalize-name.ts';
import type { CumulativeState } from './cumulative-state.ts';
import { exponentialSnapshot, snapshotDistribution } from './exponential-distribution.ts';
import type { Distribution } from '../distribution.ts';

export type OtlpDropReason = DropReason | 'unsupported';

/** The kind of a translated series, for metadata. */
export type OtlpSeriesType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface OtlpSample {
  /** Sorted by name, no empty values. */
  labels: Label[];
  tMs: number;
  value: number;
  /** Index of the data point this sample came from (target_info samples: -1). */
  point: number;
}

/** A distribution sample (from an exponential histogram point). */
export interface OtlpDistribution {
  /** Sorted by name, no empty values. */
  labels: Label[];
  tMs: number;
  d: Distribution;
  /** Index of the data point it came from. */
  point: number;
}

export interface OtlpMetadata {
  name: string;
  type: OtlpSeriesType;
  help: string;
  unit: string;
}

export interface OtlpTranslation {
  samples: OtlpSample[];
  /** Exponential histogram points as distributions (the receiver admits them like samples). */
  distributions: OtlpDistribution[];
  metadata: OtlpMetadata[];
  /** Data points seen. */
  points: number;
  /** Data points dropped by translation, by reason. */
  drops: Map<OtlpDropReason, number>;
  /** First few drop messages. */
  errors: string[];
}

/** Exponential histograms are merged down to at most this scale (bounds 2^(k/4)). */
export const EXPONENTIAL_TARGET_SCALE = 2;
const NO_RECORDED_VALUE = 1;
/** The scales OTLP defines for exponential histograms, and a bound on buckets per point (SDKs default to 160 per sign). */
const MIN_SCALE = -10,
  MAX_SCALE = 20,
  MAX_EXPONENTIAL_BUCKETS = 4096;
/** A fixed64 as the generated typings declare it (a number at run time: Long is off). */
type NanoTime = number | { toNumber(): number } | null | undefined;
const MAX_ERRORS = 5;
const SERVICE_NAME = 'service.name';
const SERVICE_NAMESPACE = 'service.namespace';
const SERVICE_INSTANCE_ID = 'service.instance.id';

/** An attribute value as the collector's AsString() gives it. */
export function anyValueString(v: IAnyValue | null | undefined): string {
  if (v == null) return '';
  if (v.stringValue != null) return v.stringValue;
  if (v.boolValue != null) return v.boolValue ? 'true' : 'false';
  if (v.intValue != null) return String(v.intValue);
  if (v.doubleValue != null) return String(v.doubleValue);
  if (v.bytesValue != null) return Buffer.from(v.bytesValue).toString('base64');
  if (v.arrayValue != null) return JSON.stringify((v.arrayValue.values ?? []).map(anyValueJson));
  if (v.kvlistValue != null)
    return JSON.stringify(
      Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key ?? '', anyValueJson(kv.value)])),
    );
  return '';
}

function anyValueJson(v: IAnyValue | null | undefined): unknown {
  if (v == null) return null;
  if (v.stringValue != null) return v.stringValue;
  if (v.boolValue != null) return v.boolValue;
  if (v.intValue != null) return Number(v.intValue);
  if (v.doubleValue != null) return v.doubleValue;
  return anyValueString(v);
}

// Attribute keys repeat from point to point: their label names are memoised (bounded).
const labelNames = new Map<string, string>();
const MAX_CACHED_NAMES = 4096;

function labelName(key: string): string {
  let n = labelNames.get(key);
  if (n === undefined) {
    if (labelNames.size >= MAX_CACHED_NAMES) labelNames.clear();
    labelNames.set(key, (n = normalizeLabelName(key)));
  }
  return n;
}

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Attributes → labels sorted by name: normalised names, values of names that collide after
 * normalisation joined with ';' in attribute-key order, then `overrides` (job, instance)
 * replacing same-named ones. Empty values are left out.
 */
function attributeLabels(
  attrs: readonly IKeyValue[] | null | undefined,
  overrides: readonly Label[],
): Label[] {
  const out: Label[] = [];
  if (attrs && attrs.length > 0) {
    const byKey =
      attrs.length === 1
        ? attrs
        : [...attrs].sort((a, b) =>
            (a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0,
          );
    for (const kv of byKey) out.push({ name: labelName(kv.key ?? ''), value: anyValueString(kv.value) });
    out.sort(byName); // stable: colliding names stay in key order
    let w = 0;
    for (let i = 0; i < out.length; i++) {
      if (w > 0 && out[w - 1]!.name === out[i]!.name)
        out[w - 1] = { name: out[i]!.name, value: `${out[w - 1]!.value};${out[i]!.value}` };
      else out[w++] = out[i]!;
    }
    out.length = w;
  }
  for (const o of overrides) insertLabel(out, o);
  let w = 0;
  for (const l of out) if (l.value !== '') out[w++] = l;
  out.length = w;
  return out;
}

/** Inserts (or replaces) `l` in a name-sorted array. */
function insertLabel(ls: Label[], l: Label): void {
  let i = 0;
  while (i < ls.length && ls[i]!.name < l.name) i++;
  if (i < ls.length && ls[i]!.name === l.name) ls[i] = l;
  else ls.splice(i, 0, l);
}

/** A copy of sorted `base` with __name__ and an optional extra label (le, quantile). */
function seriesLabels(
  base: readonly Label[],
  name: string,
  extraName?: string,
  extraValue?: string,
): Label[] {
  const out = base.slice();
  insertLabel(out, { name: METRIC_NAME, value: name });
  if (extraName !== undefined) insertLabel(out, { name: extraName, value: extraValue! });
  return out;
}

/**
 * Float → label value as Go's strconv.FormatFloat(f, 'f', -1, 64), which the translator uses
 * for `le` and `quantile`: the shortest round-tripping digits, never in exponent form
 * (1e21 → "1000000000000000000000", 1e-7 → "0.0000001").
 */
export function formatBound(f: number): string {
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const s = String(f);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const sign = s.startsWith('-') ? '-' : '';
  const mantissa = s.slice(sign.length, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const intLen = (dot < 0 ? mantissa.length : dot) + exp;
  if (intLen >= digits.length) return sign + digits + '0'.repeat(intLen - digits.length);
  if (intLen <= 0) return `${sign}0.${'0'.repeat(-intLen)}${digits}`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

class Translator {
  readonly out: OtlpTranslation = {
    samples: [],
    distributions: [],
    metadata: [],
    points: 0,
    drops: new Map(),
    errors: [],
  };
  private resourceLabels: Label[] = [];
  private latestMs = -1;

  constructor(
    private readonly state: CumulativeState,
    private readonly nowMs: number,
  ) {}

  drop(reason: OtlpDropReason, n: number, message: string): void {
    if (n <= 0) return;
    this.out.drops.set(reason, (this.out.drops.get(reason) ?? 0) + n);
    if (this.out.errors.length < MAX_ERRORS) this.out.errors.push(message);
  }

  resource(attrs: readonly IKeyValue[] | null | undefined): Label[] | null {
    const base: Label[] = [];
    let name: string | undefined, ns: string | undefined, instance: string | undefined;
    const rest: IKeyValue[] = [];
    for (const kv of attrs ?? []) {
      if (kv.key === SERVICE_NAME) name = anyValueString(kv.value);
      else if (kv.key === SERVICE_NAMESPACE) ns = anyValueString(kv.value);
      else if (kv.key === SERVICE_INSTANCE_ID) instance = anyValueString(kv.value);
      else rest.push(kv);
    }
    if (instance !== undefined) base.push({ name: 'instance', value: instance });
    if (name !== undefined)
      base.push({ name: 'job', value: ns !== undefined && ns !== '' ? `${ns}/${name}` : name });
    this.resourceLabels = base;
    this.latestMs = -1;
    return rest.length > 0 ? seriesLabels(attributeLabels(rest, base), 'target_info') : null;
  }

  endResource(targetInfo: Label[] | null): void {
    if (targetInfo === null || this.latestMs < 0) return;
    this.out.samples.push({ labels: targetInfo, tMs: this.latestMs, value: 1, point: -1 });
    this.out.metadata.push({ name: 'target_info', type: 'gauge', help: 'Target metadata', unit: '' });
  }

  /** Labels of one point without __name__: attributes, then job/instance. */
  private pointLabels(attrs: readonly IKeyValue[] | null | undefined): Label[] {
    return attributeLabels(attrs, this.resourceLabels);
  }

  private timeMs(timeNs: NanoTime): number {
    const ns = Number(timeNs ?? 0);
    const t = ns > 0 ? Math.floor(ns / 1e6) : this.nowMs;
    if (t > this.latestMs) this.latestMs = t;
    return t;
  }

  private emit(labels: Label[], tMs: number, value: number, point: number): void {
    this.out.samples.push({ labels, tMs, value, point });
  }

  metric(m: IMetric): void {
    const points = pointCount(m);
    const first = this.out.points;
    this.out.points += points;
    const name = m.name ?? '';
    const unit = m.unit ?? '';
    const help = m.description ?? '';
    if (name === '') return this.drop('parse_error', points, 'metric without a name');
    if (m.gauge) {
      const prom = normalizeMetricName(name, unit, 'gauge');
      this.out.metadata.push({ name: prom, type: 'gauge', help, unit });
      (m.gauge.dataPoints ?? []).forEach((dp, i) => this.number(dp, prom, first + i, null));
    } else if (m.sum) {
      const monotonic = m.sum.isMonotonic === true;
      const temporality = m.sum.aggregationTemporality ?? 0;
      const prom = normalizeMetricName(name, unit, monotonic ? 'monotonic_sum' : 'sum');
      if (!this.knownTemporality(temporality, name, points)) return;
      this.out.metadata.push({ name: prom, type: monotonic ? 'counter' : 'gauge', help, unit });
      const delta = temporality === AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      (m.sum.dataPoints ?? []).forEach((dp, i) => this.number(dp, prom, first + i, delta ? name : null));
    } else if (m.histogram) {
      const temporality = m.histogram.aggregationTemporality ?? 0;
      if (!this.knownTemporality(temporality, name, points)) return;
      const prom = normalizeMetricName(name, unit, 'histogram');
      this.out.metadata.push({ name: prom, type: 'histogram', help, unit });
      const delta = temporality === AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      (m.histogram.dataPoints ?? []).forEach((dp, i) => this.explicit(dp, prom, first + i, delta));
    } else if (m.exponentialHistogram) {
      const temporality = m.exponentialHistogram.aggregationTemporality ?? 0;
      if (!this.knownTemporality(temporality, name, points)) return;
      const prom = normalizeMetricName(name, unit, 'histogram');
      this.out.metadata.push({ name: prom, type: 'histogram', help, unit });
      const delta = temporality === AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      (m.exponentialHistogram.dataPoints ?? []).forEach((dp, i) =>
        this.exponential(dp, prom, first + i, delta),
      );
    } else if (m.summary) {
      const prom = normalizeMetricName(name, unit, 'summary');
      this.out.metadata.push({ name: prom, type: 'summary', help, unit });
      (m.summary.dataPoints ?? []).forEach((dp, i) => this.summary(dp, prom, first + i));
    }
    // A metric with no data type has no points: nothing to store, nothing dropped.
  }

  private knownTemporality(t: number, name: string, points: number): boolean {
    if (
      t === AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE ||
      t === AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
    )
      return true;
    this.drop(
      'unsupported',
      points,
      `metric ${JSON.stringify(name)}: aggregation temporality ${t} is neither delta nor cumulative`,
    );
    return false;
  }

  /** A gauge or sum point; `deltaOf` is the OTLP name when the sum is delta (accumulated). */
  private number(dp: INumberDataPoint, prom: string, point: number, deltaOf: string | null): void {
    const labels = seriesLabels(this.pointLabels(dp.attributes), prom);
    const tMs = this.timeMs(dp.timeUnixNano);
    if (((dp.flags ?? 0) & NO_RECORDED_VALUE) !== 0) return this.emit(labels, tMs, STALE_NAN, point);
    let v: number;
    if (dp.value === 'asDouble') v = dp.asDouble!;
    else if (dp.value === 'asInt') v = Number(dp.asInt);
    else return this.drop('parse_error', 1, `metric ${JSON.stringify(prom)}: number point without a value`);
    if (deltaOf !== null) {
      // A NaN or infinite delta would poison the running total for good.
      if (!Number.isFinite(v))
        return this.drop(
          'invalid_value',
          1,
          `metric ${JSON.stringify(deltaOf)}: delta value ${v} is not finite`,
        );
      const total = this.state.addSum(labels, Number(dp.timeUnixNano ?? 0), v, this.nowMs);
      if (total === null)
        return this.drop(
          'out_of_order',
          1,
          `metric ${JSON.stringify(deltaOf)}: delta point not after the last one for ${labelsKey(labels)}`,
        );
      v = total;
    }
    this.emit(labels, tMs, v, point);
  }

  private explicit(dp: IHistogramDataPoint, prom: string, point: number, delta: boolean): void {
    const bounds = dp.explicitBounds ?? [];
    const counts = (dp.bucketCounts ?? []).map(Number);
    if (counts.length !== 0 && counts.length !== bounds.length + 1) {
      return this.drop(
        'parse_error',
        1,
        `metric ${JSON.stringify(prom)}: ${counts.length} bucket counts for ${bounds.length} bounds (want bounds+1)`,
      );
    }
    this.histogram(
      dp.attributes,
      dp.timeUnixNano,
      dp.flags,
      prom,
      point,
      delta,
      Number(dp.count ?? 0),
      dp.sum ?? null,
      counts.length === 0 ? [] : bounds,
      counts.length === 0 ? [] : counts.slice(0, bounds.length),
    );
  }

  private exponential(dp: IExponentialHistogramDataPoint, prom: string, point: number, delta: boolean): void {
    const scale = dp.scale ?? 0;
    const buckets = (dp.positive?.bucketCounts?.length ?? 0) + (dp.negative?.bucketCounts?.length ?? 0);
    if (scale < MIN_SCALE || scale > MAX_SCALE || buckets > MAX_EXPONENTIAL_BUCKETS) {
      return this.drop(
        'parse_error',
        1,
        `metric ${JSON.stringify(prom)}: exponential histogram with scale ${scale} (want ${MIN_SCALE}..${MAX_SCALE}) and ${buckets} buckets (at most ${MAX_EXPONENTIAL_BUCKETS})`,
      );
    }
    const { bounds, counts } = exponentialBuckets(dp);
    const stored = this.histogram(
      dp.attributes,
      dp.timeUnixNano,
      dp.flags,
      prom,
      point,
      delta,
      Number(dp.count ?? 0),
      dp.sum ?? null,
      bounds,
      counts,
    );
    // A refused or stale point gives no distribution either (a retried delta is not counted twice).
    if (!stored || ((dp.flags ?? 0) & NO_RECORDED_VALUE) !== 0) return;
    const labels = seriesLabels(this.pointLabels(dp.attributes), prom);
    const snap = exponentialSnapshot(dp);
    const interval = delta
      ? snap
      : this.state.exponential.delta(
          labels,
          Number(dp.startTimeUnixNano ?? 0),
          Number(dp.timeUnixNano ?? 0),
          snap,
          this.nowMs,
        );
    const d = interval === null ? null : snapshotDistribution(interval, delta);
    if (d !== null) this.out.distributions.push({ labels, tMs: this.timeMs(dp.timeUnixNano), d, point });
  }

  /** Emits a classic histogram from finite bounds (ascending) and their non-cumulative counts; false when the point was dropped. */
  private histogram(
    attrs: readonly IKeyValue[] | null | undefined,
    timeNs: NanoTime,
    flags: number | null | undefined,
    prom: string,
    point: number,
    delta: boolean,
    count: number,
    sum: number | null,
    bounds: readonly number[],
    counts: readonly number[],
  ): boolean {
    const point0 = this.pointLabels(attrs);
    const base = seriesLabels(point0, prom);
    const tMs = this.timeMs(timeNs);
    const stale = ((flags ?? 0) & NO_RECORDED_VALUE) !== 0;
    let cumulative: number[];
    let outBounds: readonly number[] = bounds;
    if (delta && !stale) {
      if (!Number.isFinite(sum ?? 0) || !Number.isFinite(count)) {
        this.drop(
          'invalid_value',
          1,
          `metric ${JSON.stringify(prom)}: delta histogram sum ${sum} or count ${count} is not finite`,
        );
        return false;
      }
      const totals = this.state.addHistogram(
        base,
        Number(timeNs ?? 0),
        count,
        sum ?? 0,
        bounds,
        counts,
        this.nowMs,
      );
      if (totals === null) {
        this.drop(
          'out_of_order',
          1,
          `metric ${JSON.stringify(prom)}: delta point not after the last one for ${labelsKey(base)}`,
        );
        return false;
      }
      count = totals.count;
      sum = sum === null ? null : totals.sum;
      outBounds = totals.bounds;
      cumulative = totals.cumulative;
    } else {
      cumulative = [];
      let acc = 0;
      for (const c of counts) cumulative.push((acc += c));
    }
    const v = (x: number): number => (stale ? STALE_NAN : x);
    if (sum !== null || stale) this.emit(seriesLabels(point0, `${prom}_sum`), tMs, v(sum ?? 0), point);
    this.emit(seriesLabels(point0, `${prom}_count`), tMs, v(count), point);
    for (let i = 0; i < outBounds.length; i++)
      this.emit(
        seriesLabels(point0, `${prom}_bucket`, 'le', formatBound(outBounds[i]!)),
        tMs,
        v(cumulative[i]!),
        point,
      );
    this.emit(seriesLabels(point0, `${prom}_bucket`, 'le', '+Inf'), tMs, v(count), point);
    return true;
  }

  private summary(dp: ISummaryDataPoint, prom: string, point: number): void {
    const tMs = this.timeMs(dp.timeUnixNano);
    const stale = ((dp.flags ?? 0) & NO_RECORDED_VALUE) !== 0;
    const v = (x: number): number => (stale ? STALE_NAN : x);
    const point0 = this.pointLabels(dp.attributes);
    this.emit(seriesLabels(point0, `${prom}_sum`), tMs, v(dp.sum ?? 0), point);
    this.emit(seriesLabels(point0, `${prom}_count`), tMs, v(Number(dp.count ?? 0)), point);
    for (const q of dp.quantileValues ?? [])
      this.emit(
        seriesLabels(point0, prom, 'quantile', formatBound(q.quantile ?? 0)),
        tMs,
        v(q.value ?? 0),
        point,
      );
  }
}

function pointCount(m: IMetric): number {
  const d = m.gauge ?? m.sum ?? m.histogram ?? m.exponentialHistogram ?? m.summary;
  return d?.dataPoints?.length ?? 0;
}

/**
 * An exponential histogram point as finite upper bounds (ascending) with non-cumulative
 * counts, at scale min(scale, EXPONENTIAL_TARGET_SCALE). Bucket index i at scale s covers
 * (2^(i·2^-s), 2^((i+1)·2^-s)]; negative buckets mirror that; the zero bucket is
 * [-zero_threshold, zero_threshold].
 */
export function exponentialBuckets(dp: IExponentialHistogramDataPoint): {
  bounds: number[];
  counts: number[];
} {
  const scale = dp.scale ?? 0;
  const target = Math.min(scale, EXPONENTIAL_TARGET_SCALE);
  const shift = scale - target;
  const base = 2 ** -target;
  const merge = (offset: number, counts: readonly number[]): Map<number, number> => {
    const m = new Map<number, number>();
    for (let k = 0; k < counts.length; k++) {
      // Empty buckets are kept (OTLP arrays are dense): histogram_quantile interpolates from
      // the previous bucket's bound, so a gap would widen the bucket a quantile falls in.
      const c = Number(counts[k]);
      const j = Math.floor((offset + k) / 2 ** shift);
      m.set(j, (m.get(j) ?? 0) + c);
    }
    return m;
  };
  const neg = merge(dp.negative?.offset ?? 0, (dp.negative?.bucketCounts ?? []) as number[]);
  const pos = merge(dp.positive?.offset ?? 0, (dp.positive?.bucketCounts ?? []) as number[]);
  const bounds: number[] = [],
    counts: number[] = [];
  // Negative bucket j covers [-2^((j+1)·b), -2^(j·b)): its upper bound is -2^(j·b); larger j first.
  for (const j of [...neg.keys()].sort((a, b) => b - a)) {
    bounds.push(-(2 ** (j * base)));
    counts.push(neg.get(j)!);
  }
  const zero = Number(dp.zeroCount ?? 0);
  if (zero > 0 || neg.size > 0) {
    bounds.push(dp.zeroThreshold ?? 0);
    counts.push(zero);
  }
  for (const j of [...pos.keys()].sort((a, b) => a - b)) {
    bounds.push(2 ** ((j + 1) * base));
    counts.push(pos.get(j)!);
  }
  return { bounds, counts };
}

/** Translates one export request; delta points update `state`. */
export function translateExportRequest(
  req: IExportMetricsServiceRequest,
  state: CumulativeState,
  nowMs: number,
): OtlpTranslation {
  const t = new Translator(state, nowMs);
  for (const rm of req.resourceMetrics ?? []) {
    const targetInfo = t.resource(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) for (const m of sm.metrics ?? []) t.metric(m);
    t.endResource(targetInfo);
  }
  state.sweep(nowMs);
  return t.out;
}
