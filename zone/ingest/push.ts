// JSON push endpoint (POST /api/v1/push), OpenTSDB-style:
//   [{"metric": "name", "tags": {"k": "v"}, "timestamp": 1700000000, "value": 1.5}, …]
// A single object is accepted as a one-item array. Fields:
//   metric     string, a valid metric name (required)
//   tags       object of string values (optional, null = none); names are label names, "__name__" is
//              not allowed (shapes checked by shared/json-push.ts readPushItem, names by Admission)
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
import { isCanopyError } from '../../shared/errors.ts';
import { apiErrorBody, type ApiErrorType } from '../../shared/http/index.ts';
import {
  parsePushItems,
  PUSH_SECONDS_THRESHOLD,
  pushTimestampMs,
  readPushItem,
} from '../../shared/json-push.ts';
import { tenantFromHeaders } from '../../shared/tenant.ts';
import { TimeSlice } from '../../shared/time-slice.ts';
import { DropTally } from './drop-tally.ts';
import {
  commitBatch,
  countIngested,
  DEFAULT_MAX_BODY_BYTES,
  type IngestHeaders,
  type IngestOptions,
  type IngestResponse,
} from './ingest-options.ts';

export { pushTimestampMs };

/** Items per storage commit (see receive). */
const COMMIT_ITEMS = 4096;

/** Below this magnitude a push timestamp is read as seconds, else as milliseconds. */
export const SECONDS_THRESHOLD = PUSH_SECONDS_THRESHOLD;

function jsonError(status: number, message: string): IngestResponse {
  const errorType: ApiErrorType =
    status === 429 || status === 503 ? 'unavailable' : status >= 500 ? 'internal' : 'bad_data';
  return {
    status,
    headers: { 'Content-Type': 'application/json' },
    body: apiErrorBody(errorType, message),
  };
}

export async function handlePush(
  body: Buffer,
  headers: IngestHeaders,
  opts: IngestOptions,
): Promise<IngestResponse> {
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
  if (body.length > maxBytes)
    return jsonError(413, `request body of ${body.length} bytes exceeds ${maxBytes}`);
  // Parsed and checked in time slices: a large push never holds the event loop for long.
  const slice = new TimeSlice();
  const parsed = await parsePushItems(body, slice);
  if ('error' in parsed) return jsonError(400, parsed.error);
  const items = parsed.items;

  const { storage } = opts;
  const admission = opts.tenants.admission(tenant);
  const nowMs = (opts.now ?? Date.now)();
  const tally = new DropTally();
  if (!admission.takeRate(items.length, nowMs)) {
    tally.add(admission.reason, items.length, admission.error);
    tally.countInto(opts.metrics, tenant, opts.tenants);
    return jsonError(429, tally.summary(items.length));
  }
  let app = storage.appender();
  let appended = 0;
  let accepted = 0;
  // A commit applies its samples in one synchronous pass: committing every COMMIT_ITEMS keeps
  // each pass short. A failed commit leaves the earlier ones applied; the sender's retry is
  // then absorbed by the head as duplicates (same timestamp and value).
  const commit = async (): Promise<IngestResponse | null> => {
    const out = await commitBatch(app, appended, tally, opts.logger);
    if (!out.ok) return jsonError(out.status, out.message);
    accepted += out.accepted;
    app = storage.appender();
    appended = 0;
    return null;
  };
  for (let i = 0; i < items.length; i++) {
    if ((i & 255) === 0 && slice.due()) await slice.yield();
    if (appended >= COMMIT_ITEMS) {
      const failed = await commit();
      if (failed) {
        tally.countInto(opts.metrics, tenant, opts.tenants);
        countIngested(opts, 'push', tenant, accepted);
        return failed;
      }
    }
    const it = readPushItem(items[i]);
    if ('reason' in it) {
      tally.add(it.reason, 1, `item ${i}: field "${it.field}": ${it.message}`);
      continue;
    }
    const { timestamp, value } = it;
    const raw: Label[] = [{ name: METRIC_NAME, value: it.metric }];
    for (const [name, v] of it.tags) raw.push({ name, value: v });
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
  const failed = await commit();
  tally.countInto(opts.metrics, tenant, opts.tenants);
  countIngested(opts, 'push', tenant, accepted);
  if (failed) return failed;
  const status = tally.httpStatus();
  if (status === 204) return { status: 204 };
  opts.logger.debug(
    { status, rejected: Object.fromEntries(tally.counts), items: items.length },
    'push: items rejected',
  );
  return jsonError(status, tally.summary(items.length));
}
