// JSON push endpoint (POST /api/v1/push), OpenTSDB-style:
//   [{"metric": "name", "tags": {"k": "v"}, "timestamp": 1700000000, "value": 1.5}, …]
// A single object is accepted as a one-item array. Fields:
//   metric     string, a valid metric name (required)
//   tags       object of string values (optional); names are label names, "__name__" is not allowed
//   timestamp  number (optional, default now). Unit by magnitude: |t| < 1e11 is seconds (may be
//              fractional; 1e11 s is the year 5138), otherwise milliseconds. Rounded to integer ms.
//   value      number (required; JSON has no NaN/Inf)
// Statuses: 204 when all items were written; otherwise a Prometheus-style JSON error
// {"status":"error","errorType":"bad_data","error":"…"} naming the first bad items by index and
// field: 400 for bad data (and for an invalid X-Scope-OrgID), 429 for series and rate limits
// (a request over the tenant's rate is refused whole), 503 for back-pressure, 413 for a body
// over maxBodyBytes. Valid items are written even when others are rejected.
import type { Label } from '../../shared/labels.ts';
import { METRIC_NAME } from '../../shared/labels.ts';
import { errorMessage, isCanopyError } from '../../shared/errors.ts';
import { tenantFromHeaders } from '../../shared/tenant.ts';
import { DropTally } from './drop-tally.ts';
import { commitBatch, countIngested, DEFAULT_MAX_BODY_BYTES, type IngestHeaders, type IngestOptions, type IngestResponse } from './ingest-options.ts';

/** Below this magnitude a push timestamp is read as seconds, else as milliseconds. */
export const SECONDS_THRESHOLD = 1e11;

function jsonError(status: number, message: string): IngestResponse {
  const errorType = status === 429 || status === 503 ? 'unavailable' : status >= 500 ? 'internal' : 'bad_data';
  return {
    status,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ status: 'error', errorType, error: message }),
  };
}

/** Push timestamp (seconds or ms by magnitude) to integer ms. */
export function pushTimestampMs(t: number): number {
  return Math.round(Math.abs(t) < SECONDS_THRESHOLD ? t * 1000 : t);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function handlePush(body: Buffer, headers: IngestHeaders, opts: IngestOptions): Promise<IngestResponse> {
  let res: IngestResponse;
  try {
    res = await receive(body, tenantFromHeaders(headers), opts);
  } catch (e) {
    if (!isCanopyError(e, 'bad_data')) throw e;
    res = jsonError(400, e.message);
  }
  opts.metrics.request('push', res.status);
  return res;
}

async function receive(body: Buffer, tenant: string, opts: IngestOptions): Promise<IngestResponse> {
  const maxBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (body.length > maxBytes) return jsonError(413, `request body of ${body.length} bytes exceeds ${maxBytes}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return jsonError(400, `cannot parse JSON body: ${errorMessage(e)}`);
  }
  const items = Array.isArray(parsed) ? parsed : isObject(parsed) ? [parsed] : null;
  if (items === null) return jsonError(400, 'cannot parse push body: expected a JSON array of {metric, tags, timestamp, value} objects');

  const { storage } = opts;
  const admission = opts.tenants.admission(tenant);
  const nowMs = (opts.now ?? Date.now)();
  const tally = new DropTally();
  if (!admission.takeRate(items.length, nowMs)) {
    tally.add(admission.reason, items.length, admission.error);
    tally.countInto(opts.metrics, tenant, opts.tenants);
    return jsonError(429, tally.summary(items.length));
  }
  const app = storage.appender();
  let appended = 0;
  for (let i = 0; i < items.length; i++) {
    const it: unknown = items[i];
    const bad = (field: string, what: string): void => tally.add('parse_error', 1, `item ${i}: field "${field}": ${what}`);
    if (!isObject(it)) {
      bad('', 'expected an object');
      continue;
    }
    const { metric, tags, timestamp, value } = it;
    if (typeof metric !== 'string' || metric === '') {
      bad('metric', 'expected a non-empty string');
      continue;
    }
    if (typeof value !== 'number') {
      bad('value', `expected a number, got ${JSON.stringify(value) ?? 'nothing'}`);
      continue;
    }
    if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp))) {
      bad('timestamp', `expected a number (unix seconds or milliseconds), got ${JSON.stringify(timestamp)}`);
      continue;
    }
    if (tags !== undefined && !isObject(tags)) {
      bad('tags', 'expected an object of string values');
      continue;
    }
    const raw: Label[] = [{ name: METRIC_NAME, value: metric }];
    let tagField = '', tagErr = '';
    for (const [name, v] of Object.entries(tags ?? {})) {
      tagField = `tags.${name}`;
      if (typeof v !== 'string') tagErr = `expected a string, got ${JSON.stringify(v)}`;
      else if (name === METRIC_NAME) tagErr = 'not allowed (the metric name goes in "metric")';
      else raw.push({ name, value: v });
      if (tagErr) break;
    }
    if (tagErr) {
      tally.add('invalid_labels', 1, `item ${i}: field "${tagField}": ${tagErr}`);
      continue;
    }
    const labels = admission.checkLabels(raw, '', true);
    if (labels === null) {
      const field = admission.error.includes('metric name') ? 'metric' : 'tags';
      tally.add(admission.reason, 1, `item ${i}: field "${field}": ${admission.error}`);
      continue;
    }
    const tMs = timestamp === undefined ? nowMs : pushTimestampMs(timestamp);
    if (admission.checkTimestamp(tMs, nowMs) !== null) {
      tally.add(admission.reason, 1, `item ${i}: field "timestamp": ${admission.error}`);
      continue;
    }
    if (!admission.admitSeries(labels, nowMs)) {
      tally.add(admission.reason, 1, `item ${i}: ${admission.error}`);
      continue;
    }
    app.append(labels, tMs, value);
    appended++;
  }
  const out = await commitBatch(app, appended, tally, opts.logger);
  tally.countInto(opts.metrics, tenant, opts.tenants);
  if (!out.ok) return jsonError(out.status, out.message);
  countIngested(opts, 'push', tenant, out.accepted);
  const status = tally.httpStatus();
  if (status === 204) return { status: 204 };
  opts.logger.debug({ status, rejected: Object.fromEntries(tally.counts), items: items.length }, 'push: items rejected');
  return jsonError(status, tally.summary(items.length));
}
