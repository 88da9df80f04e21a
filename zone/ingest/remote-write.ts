// Prometheus remote-write 1.0 receiver: snappy block-compressed WriteRequest protobuf.
// Statuses follow Prometheus's receiver: 204 when every sample was written; 400 (plain text)
// for a malformed body or rejected samples that a retry cannot fix; 429 for series limits;
// 503 for back-pressure; 413 when the (decoded) body is larger than maxBodyBytes; 415 for a
// Content-Type or Content-Encoding other than application/x-protobuf (proto 1.0) / snappy.
// Good samples of a request are written even when others are rejected (partial acceptance,
// as Prometheus's receiver and Mimir's distributor: the answer is 400 with the first errors);
// a request over the tenant's ingestion rate is refused whole with 429 (Mimir). The tenant is
// X-Scope-OrgID (anonymous without it; 400 when invalid). Every rejected sample is counted in
// canopy_zone_samples_dropped_total{reason,tenant}.
import snappy from 'snappy';
import { formatLabels, labelsKey, type Label, type Labels } from '../../shared/labels.ts';
import { errorMessage, isCanopyError } from '../../shared/errors.ts';
import { tenantFromHeaders } from '../../shared/tenant.ts';
import { DropTally } from './drop-tally.ts';
import { LabelInterner, WriteRequestReader } from './write-request-reader.ts';
import { LabelSetCache } from './label-set-cache.ts';
import {
  commitBatch,
  countIngested,
  DEFAULT_MAX_BODY_BYTES,
  header,
  type IngestHeaders,
  type IngestOptions,
  type IngestResponse,
} from './ingest-options.ts';

// Readers hold one request's columns; a request takes one from the pool for its duration
// (decode and the append loop yield to the event loop every SLICE_SERIES series, so other
// requests run meanwhile). All share the label-set cache and the label interner.
const cache = new LabelSetCache();
const interner = new LabelInterner();
const idle: WriteRequestReader[] = [];

/**
 * Sizes the shared label-set cache and interner from the head's live series and drops what
 * series that stopped sending left behind; the zone calls it after each head truncation.
 */
export function trimIngestCaches(liveSeries: number): void {
  cache.trim(liveSeries);
  interner.trim(liveSeries);
}

/** Label sets the shared cache holds (tests, diagnostics). */
export function ingestCacheSize(): number {
  return cache.size();
}
const MAX_IDLE_READERS = 4;
/**
 * Series decoded or admitted between yields: about 1-2 ms of work, so a large request (a
 * series bomb of one tenant) holds queries and other tenants' writes up by no more than that.
 * Requests this small (Prometheus sends 2,000 samples per request) never yield.
 */
const SLICE_SERIES = 1000;
/**
 * Samples per storage commit. A commit applies its samples in one synchronous pass (head
 * appends, WAL record): a 12 MB request of 40k new series × 12 samples held the loop 0.8-1.3 s
 * as one commit (bench:remote-write-stall); committing every COMMIT_SAMPLES bounds each pass.
 * A failed commit leaves the earlier ones applied; the sender's retry is absorbed by the head
 * as duplicates (same timestamp and value), as for JSON push.
 */
const COMMIT_SAMPLES = 8192;

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function text(status: number, body: string): IngestResponse {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body };
}

/** The uncompressed length a snappy block declares in its uvarint preamble, or -1. */
export function snappyDecodedLength(body: Buffer): number {
  let v = 0;
  for (let i = 0; i < 5 && i < body.length; i++) {
    const b = body[i]!;
    v += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return v;
  }
  return -1;
}

function checkHeaders(headers: IngestHeaders): string | null {
  const ct = header(headers, 'content-type');
  if (ct !== undefined && ct !== '') {
    const [type, ...params] = ct.split(';').map((s) => s.trim());
    if (type!.toLowerCase() !== 'application/x-protobuf')
      return `unsupported Content-Type ${JSON.stringify(ct)}: expected application/x-protobuf`;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k?.toLowerCase() === 'proto' && v !== 'prometheus.WriteRequest') {
        return `unsupported remote-write message ${JSON.stringify(v)}: only prometheus.WriteRequest (remote-write 1.0)`;
      }
    }
  }
  const ce = header(headers, 'content-encoding');
  if (ce !== undefined && ce !== '' && ce.toLowerCase() !== 'snappy')
    return `unsupported Content-Encoding ${JSON.stringify(ce)}: expected snappy`;
  return null;
}

export async function handleRemoteWrite(
  body: Buffer,
  headers: IngestHeaders,
  opts: IngestOptions,
): Promise<IngestResponse> {
  const res = await receive(body, headers, opts);
  opts.metrics.request('remote_write', res.status);
  return res;
}

async function receive(body: Buffer, headers: IngestHeaders, opts: IngestOptions): Promise<IngestResponse> {
  const maxBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bad = checkHeaders(headers);
  if (bad) return text(415, bad);
  let tenant: string;
  try {
    tenant = tenantFromHeaders(headers);
  } catch (e) {
    if (isCanopyError(e, 'bad_data')) return text(400, e.message);
    throw e;
  }
  if (body.length > maxBytes) return text(413, `request body of ${body.length} bytes exceeds ${maxBytes}`);
  const declared = snappyDecodedLength(body);
  if (declared < 0) return text(400, 'cannot decode snappy body: missing or bad length preamble');
  if (declared > maxBytes) return text(413, `decoded body of ${declared} bytes exceeds ${maxBytes}`);
  let raw: Buffer;
  try {
    raw = snappy.uncompressSync(body, { asBuffer: true }) as Buffer;
  } catch (e) {
    return text(400, `cannot decode snappy body: ${errorMessage(e)}`);
  }
  const reader = idle.pop() ?? new WriteRequestReader(cache, interner);
  try {
    return await apply(reader, raw, tenant, opts);
  } finally {
    if (idle.length < MAX_IDLE_READERS) idle.push(reader);
  }
}

async function apply(
  reader: WriteRequestReader,
  raw: Buffer,
  tenant: string,
  opts: IngestOptions,
): Promise<IngestResponse> {
  const log = opts.logger;
  const { storage } = opts;
  const admission = opts.tenants.admission(tenant);
  const nowMs = (opts.now ?? Date.now)();
  const tally = new DropTally();
  try {
    // The tenant's ingestion rate is charged before the decode: a sender over its rate costs
    // a snappy decode and a walk over the bytes, nothing per label (Mimir refuses such a
    // request whole, too).
    const n = reader.countSamples(raw);
    if (!admission.takeRate(n, nowMs)) {
      tally.add(admission.reason, n, admission.error);
      tally.countInto(opts.metrics, tenant, opts.tenants);
      return text(429, tally.summary(n));
    }
    reader.begin(raw, { cacheNew: !admission.atSeriesLimit() });
    while (!reader.decodeSome(SLICE_SERIES)) await yieldToLoop();
  } catch (e) {
    if (isCanopyError(e, 'bad_data')) return text(400, e.message);
    throw e;
  }

  const r = reader;
  let app = storage.appender();
  const ts = r.tsMs,
    vs = r.values;
  let appended = 0,
    histograms = 0,
    accepted = 0;
  for (let i = 0; i < r.seriesCount; i++) {
    if (i > 0 && i % SLICE_SERIES === 0) await yieldToLoop();
    if (appended >= COMMIT_SAMPLES) {
      const part = await commitBatch(app, appended, tally, log);
      if (!part.ok) {
        tally.countInto(opts.metrics, tenant, opts.tenants);
        countIngested(opts, 'remote_write', tenant, accepted);
        return text(part.status, part.message);
      }
      accepted += part.accepted;
      app = storage.appender();
      appended = 0;
      await yieldToLoop();
    }
    const from = r.sampleStart[i]!,
      to = r.sampleStart[i + 1]!;
    const hist = r.histograms[i]!;
    histograms += hist;
    if (hist > 0)
      tally.add(
        'unsupported',
        hist,
        tally.wantsMessage() ? `native histogram samples are not supported (${hist} dropped)` : '',
      );
    if (from === to) continue;
    // Label checks are memoised on the cached label set, per Admission.
    const e = r.entries[i]!;
    let labels: Labels | null;
    if (e !== null && e.admittedBy === admission) {
      labels = e.admitted;
      if (labels === null) {
        tally.add(e.reason, to - from, e.error);
        continue;
      }
    } else {
      labels = admission.checkLabels(r.series[i]!, r.labelErr[i]!);
      if (e !== null) {
        e.admittedBy = admission;
        e.admitted = labels;
        e.reason = admission.reason;
        e.error = admission.error;
        e.key = '';
        // Keep one array, not two, when the admitted labels are exactly those received:
        // then checking them again gives any Admission the same result.
        if (labels !== null && coversReceived(r.series[i]!, labels)) e.labels = labels as Label[];
      }
      if (labels === null) {
        tally.add(admission.reason, to - from, admission.error);
        continue;
      }
    }
    let key: string | undefined;
    if (e !== null && admission.tracksSeries) key = e.key === '' ? (e.key = labelsKey(labels)) : e.key;
    if (!admission.admitSeries(labels, nowMs, key)) {
      tally.add(admission.reason, to - from, tally.wantsMessage() ? admission.error : '');
      if (e !== null) r.cache.delete(e);
      r.forget(r.series[i]!);
      continue;
    }
    for (let j = from; j < to; j++) {
      const t = ts[j]!;
      if (admission.checkTimestamp(t, nowMs) !== null) {
        tally.add(
          admission.reason,
          1,
          tally.wantsMessage() ? `${admission.error} for series ${formatLabels(labels)}` : '',
        );
        continue;
      }
      app.append(labels, t, vs[j]!);
      appended++;
    }
  }
  const totalSamples = r.sampleCount + histograms;
  const out = await commitBatch(app, appended, tally, log);
  tally.countInto(opts.metrics, tenant, opts.tenants);
  if (!out.ok) {
    countIngested(opts, 'remote_write', tenant, accepted);
    return text(out.status, out.message);
  }
  countIngested(opts, 'remote_write', tenant, accepted + out.accepted);
  const status = tally.httpStatus();
  if (status === 204) return { status: 204 };
  log.debug(
    { status, rejected: Object.fromEntries(tally.counts), samples: totalSamples },
    'remote_write: samples rejected',
  );
  return text(status, tally.summary(totalSamples));
}

/**
 * Whether the admitted set is exactly the received non-empty labels (the same Label objects):
 * nothing overridden and nothing added (a tenant label differs per Admission, so an entry
 * holding one would carry it into another tenant's check).
 */
function coversReceived(received: readonly Label[], admitted: Labels): boolean {
  let n = 0;
  for (const l of received) {
    if (l.value === '') continue;
    if (!admitted.includes(l)) return false;
    n++;
  }
  return n === admitted.length;
}
