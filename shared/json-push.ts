// The JSON push body (POST /api/v1/push at the leaf and the zone), OpenTSDB-style:
//   [{"metric": "name", "tags": {"k": "v"}, "timestamp": 1700000000, "value": 1.5}, …]
// What both tiers share: parsing the body without holding the event loop, reading each item's
// shape (readPushItem: metric a non-empty string, value a number, timestamp a finite number or
// absent, tags absent, null or an object of strings, no "__name__" tag) and the timestamp unit
// rule. Each tier then checks names with its own label rules (the zone through its admission
// limits, the leaf against the Prometheus name patterns).
//
// Parsing: one JSON.parse of a multi-MB body holds the event loop for 10-25 ms per MB. A body
// that is an array is cut at its top-level commas into slices of about SLICE_BYTES, each
// slice parsed on its own, and the parser yields to the event loop whenever it has run for
// its time slice (10 ms), so queries and other ingest keep being served while a large push is read.

import { TimeSlice } from './time-slice.ts';

/** Below this magnitude a push timestamp is read as seconds, else as milliseconds. */
export const PUSH_SECONDS_THRESHOLD = 1e11;

/** Push timestamp (seconds or ms by magnitude) to integer ms. */
export function pushTimestampMs(t: number): number {
  return Math.round(Math.abs(t) < PUSH_SECONDS_THRESHOLD ? t * 1000 : t);
}

export const NOT_A_PUSH_ARRAY =
  'cannot parse push body: expected a JSON array of {metric, tags, timestamp, value} objects';

const SLICE_BYTES = 128 * 1024;

export type PushItems = { items: unknown[] } | { error: string };

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c,
  OPEN_ARR = 0x5b,
  CLOSE_ARR = 0x5d,
  OPEN_OBJ = 0x7b,
  CLOSE_OBJ = 0x7d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function parseError(e: unknown, offset: number): { error: string } {
  const msg = e instanceof Error ? e.message : String(e);
  return {
    error: `cannot parse JSON body${offset > 0 ? ` (in the element slice at byte ${offset})` : ''}: ${msg}`,
  };
}

/**
 * The items of a push body: the array's elements, or a single object as one item. Never
 * throws; yields to the event loop between slices.
 */
export async function parsePushItems(body: Uint8Array, slice = new TimeSlice()): Promise<PushItems> {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let p = 0;
  while (p < buf.length && isSpace(buf[p]!)) p++;
  if (buf[p] !== OPEN_ARR) {
    // Not an array: one object (or garbage), parsed whole.
    let v: unknown;
    try {
      v = JSON.parse(buf.toString('utf8'));
    } catch (e) {
      return parseError(e, 0);
    }
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? { items: [v] }
      : { error: NOT_A_PUSH_ARRAY };
  }
  const items: unknown[] = [];
  let start = p + 1;
  let depth = 0;
  let inString = false;
  let cut = false;
  for (let i = p + 1; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_ARR || c === OPEN_OBJ) depth++;
    else if ((c === CLOSE_ARR || c === CLOSE_OBJ) && depth > 0) depth--;
    else if (depth === 0 && (c === CLOSE_ARR || (c === COMMA && i - start >= SLICE_BYTES))) {
      const text = buf.toString('utf8', start, i);
      const last = c === CLOSE_ARR;
      if (last && cut && text.trim() === '')
        return { error: 'cannot parse JSON body: trailing comma before "]"' };
      try {
        const part = JSON.parse(`[${text}]`) as unknown[];
        for (const x of part) items.push(x);
      } catch (e) {
        return parseError(e, start);
      }
      if (last) {
        for (let j = i + 1; j < buf.length; j++)
          if (!isSpace(buf[j]!))
            return { error: `cannot parse JSON body: unexpected data after the array at byte ${j}` };
        return { items };
      }
      start = i + 1;
      cut = true;
      if (slice.due()) await slice.yield();
    }
  }
  return { error: 'cannot parse JSON body: unexpected end of JSON input' };
}

/** One push item's fields, shape-checked; names are not validated yet. */
export interface PushItem {
  metric: string;
  /** Tag names and values in the order given. */
  tags: [string, string][];
  /** As sent (seconds or ms, see pushTimestampMs), or undefined for "now". */
  timestamp: number | undefined;
  value: number;
}

/** Why an item was refused: the field ('' for the item itself), the message, and the drop reason. */
export interface PushItemError {
  field: string;
  message: string;
  reason: 'parse_error' | 'invalid_labels';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readPushItem(it: unknown): PushItem | PushItemError {
  const bad = (
    field: string,
    message: string,
    reason: PushItemError['reason'] = 'parse_error',
  ): PushItemError => ({ field, message, reason });
  if (!isObject(it)) return bad('', 'expected an object');
  const { metric, tags, timestamp, value } = it;
  if (typeof metric !== 'string' || metric === '')
    return bad('metric', `expected a non-empty string, got ${JSON.stringify(metric) ?? 'nothing'}`);
  if (typeof value !== 'number')
    return bad('value', `expected a number, got ${JSON.stringify(value) ?? 'nothing'}`);
  if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp))) {
    return bad(
      'timestamp',
      `expected a number (unix seconds or milliseconds), got ${JSON.stringify(timestamp)}`,
    );
  }
  if (tags !== undefined && tags !== null && !isObject(tags))
    return bad('tags', 'expected an object of string values');
  const out: [string, string][] = [];
  for (const [name, v] of Object.entries(tags ?? {})) {
    if (typeof v !== 'string')
      return bad(`tags.${name}`, `expected a string, got ${JSON.stringify(v)}`, 'invalid_labels');
    if (name === '__name__')
      return bad(`tags.${name}`, 'not allowed (the metric name goes in "metric")', 'invalid_labels');
    out.push([name, v]);
  }
  return { metric, tags: out, timestamp: timestamp as number | undefined, value };
}
