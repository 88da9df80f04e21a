// The JSON push body (POST /api/v1/push at the leaf and the zone), OpenTSDB-style:
//   [{"metric": "name", "tags": {"k": "v"}, "timestamp": 1700000000, "value": 1.5}, …]
// What both tiers share: parsing the body without holding the event loop, the timestamp unit
// rule and the message for a body that is not an array of objects. Each tier then checks the
// items with its own label rules (the zone through its admission limits).
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

export const NOT_A_PUSH_ARRAY = 'cannot parse push body: expected a JSON array of {metric, tags, timestamp, value} objects';

const SLICE_BYTES = 128 * 1024;

export type PushItems = { items: unknown[] } | { error: string };

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, OPEN_ARR = 0x5b, CLOSE_ARR = 0x5d, OPEN_OBJ = 0x7b, CLOSE_OBJ = 0x7d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function parseError(e: unknown, offset: number): { error: string } {
  const msg = e instanceof Error ? e.message : String(e);
  return { error: `cannot parse JSON body${offset > 0 ? ` (in the element slice at byte ${offset})` : ''}: ${msg}` };
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
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? { items: [v] } : { error: NOT_A_PUSH_ARRAY };
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
      if (last && cut && text.trim() === '') return { error: 'cannot parse JSON body: trailing comma before "]"' };
      try {
        const part = JSON.parse(`[${text}]`) as unknown[];
        for (const x of part) items.push(x);
      } catch (e) {
        return parseError(e, start);
      }
      if (last) {
        for (let j = i + 1; j < buf.length; j++) if (!isSpace(buf[j]!)) return { error: `cannot parse JSON body: unexpected data after the array at byte ${j}` };
        return { items };
      }
      start = i + 1;
      cut = true;
      if (slice.due()) await slice.yield();
    }
  }
  return { error: 'cannot parse JSON body: unexpected end of JSON input' };
}
