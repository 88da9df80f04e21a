// JSON push at the leaf (POST /api/v1/push), the same shape as the zone's endpoint:
//   [{"metric": "name", "tags": {"k": "v"}, "timestamp": 1700000000, "value": 1.5}, …]
// A single object is accepted as a one-item array. Fields:
//   metric     string, a valid Prometheus metric name (required)
//   tags       object of string values (optional); valid label names, not starting with "__";
//              an empty value means "absent" (dropped)
//   timestamp  number (optional, default now): |t| < 1e11 is seconds (may be fractional),
//              otherwise milliseconds; rounded to integer ms
//   value      number (required)
// parsePushBody never throws: it returns the valid samples and, per rejected item, a message
// naming the item's index and field. The handler answers 204 when every item was taken,
// otherwise {"status":"error","errorType":"bad_data","error":…} with 400 (valid items are
// still ingested, as at the zone).
import { LABEL_NAME_RE, METRIC_NAME, METRIC_NAME_RE, type Label, type Labels } from '../shared/labels.ts';
import { parsePushItems, pushTimestampMs, readPushItem } from '../shared/json-push.ts';
import { TimeSlice } from '../shared/time-slice.ts';
import { apiErrorBody, type ApiErrorType } from '../shared/http/index.ts';
import type { FloatSample } from './pipeline.ts';

/** At most this many item errors are quoted in a response. */
const MAX_QUOTED = 3;

export interface PushParseResult {
  samples: FloatSample[];
  /** Items rejected. */
  rejected: number;
  /** Messages of the first rejected items (or of the whole body). */
  errors: string[];
  /** True when the body itself was unusable (nothing was taken). */
  malformed: boolean;
}

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export async function parsePushBody(body: Uint8Array, nowMs: number): Promise<PushParseResult> {
  const out: PushParseResult = { samples: [], rejected: 0, errors: [], malformed: false };
  // Parsed and checked in time slices (shared/json-push.ts), as at the zone.
  const slice = new TimeSlice();
  const parsed = await parsePushItems(body, slice);
  if ('error' in parsed) {
    out.malformed = true;
    out.errors.push(parsed.error);
    return out;
  }
  const items = parsed.items;
  for (let i = 0; i < items.length; i++) {
    if ((i & 255) === 0 && slice.due()) await slice.yield();
    const err = parseItem(items[i], nowMs, out.samples);
    if (err !== undefined) {
      out.rejected++;
      if (out.errors.length < MAX_QUOTED) out.errors.push(`item ${i}: ${err}`);
    }
  }
  return out;
}

/** Appends the item's sample to `into`, or returns why it was rejected. */
function parseItem(raw: unknown, nowMs: number, into: FloatSample[]): string | undefined {
  const it = readPushItem(raw);
  if ('reason' in it) return it.field === '' ? it.message : `field "${it.field}": ${it.message}`;
  const { metric, timestamp, value } = it;
  if (!METRIC_NAME_RE.test(metric))
    return `field "metric": expected a metric name matching ${METRIC_NAME_RE.source}, got ${JSON.stringify(metric)}`;
  const ls: Label[] = [{ name: METRIC_NAME, value: metric }];
  for (const [name, v] of it.tags) {
    if (!LABEL_NAME_RE.test(name) || name.startsWith('__'))
      return `field "tags.${name}": not a valid label name (${LABEL_NAME_RE.source}, not starting with "__")`;
    if (v !== '') ls.push({ name, value: v });
  }
  const labels: Labels = ls.sort(byName);
  const tMs = timestamp === undefined ? nowMs : pushTimestampMs(timestamp);
  if (!Number.isSafeInteger(tMs)) return `field "timestamp": ${timestamp} is out of range`;
  into.push({ labels, tMs, value });
  return undefined;
}

/** Prometheus-style error body (shared/http/api-error.ts), bad_data unless told. */
export function pushErrorBody(message: string, errorType: ApiErrorType = 'bad_data'): string {
  return apiErrorBody(errorType, message);
}
