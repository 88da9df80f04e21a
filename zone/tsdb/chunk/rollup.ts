// Rollup chunk (encoding 4): the per-window aggregates of one series at one resolution (5m or
// 1h), written by the compactor into rollup blocks (docs/format/rollup.md). Layout:
//   u16be windows | 6 sections, in this order: count, sum, min, max, last, counter
//   section: uvarint len | a Decimal chunk (encoding 2, its own u16be count) of len bytes
// Every section but counter holds one sample per window [w, w + res), stamped w + res - 1 ms
// (aligned stamps: each costs one bit). counter holds the reset-corrected cumulative counter value at the same
// timestamps; in the first chunk of a series in a block it is preceded by the block's first raw
// sample (so a chunk's counter may hold windows+1 samples). Counter values are continuous
// across the chunks of one series in one block (corrections start at 0 at the block's first
// raw sample); the `last` section gives the raw value at each window end, which a reader
// needs to detect a reset between blocks (zone/tsdb/rollup-read.ts).
import { CanopyError } from '../../../shared/errors.ts';
import { ValueKind } from '../../../shared/storage.ts';
import { DecimalChunk, DecimalCursor } from './decimal.ts';
import { readCount } from './encoding.ts';

/** Encoding byte of rollup chunks (chunks.md; never reused). */
export const ROLLUP_ENCODING = 4;

export const enum Aggr {
  Count = 0,
  Sum = 1,
  Min = 2,
  Max = 3,
  Last = 4,
  Counter = 5,
}
export const AGGR_NAMES = ['count', 'sum', 'min', 'max', 'last', 'counter'] as const;
export type AggrName = (typeof AGGR_NAMES)[number];
const N_AGGR = 6;

/** Windows of one chunk: parallel arrays; counterFirst is the leading raw sample, if any. */
export interface RollupWindows {
  t: number[];
  count: number[];
  sum: number[];
  min: number[];
  max: number[];
  last: number[];
  counter: number[];
  counterFirst?: { t: number; v: number };
}

export function emptyWindows(): RollupWindows {
  return { t: [], count: [], sum: [], min: [], max: [], last: [], counter: [] };
}

function encodeSeries(
  ts: readonly number[],
  vs: readonly number[],
  first?: { t: number; v: number },
): Uint8Array {
  const c = new DecimalChunk(64);
  if (first) c.append(first.t, first.v);
  for (let i = 0; i < ts.length; i++) c.append(ts[i]!, vs[i]!);
  return c.bytes().slice();
}

export function encodeRollupChunk(w: RollupWindows): Uint8Array {
  const n = w.t.length;
  if (n === 0 || n > 0xffff) throw new CanopyError('internal', `cannot encode rollup chunk of ${n} windows`);
  if (w.counterFirst && w.counterFirst.t >= w.t[0]!)
    throw new CanopyError(
      'internal',
      'cannot encode rollup chunk: first counter sample not before the first window',
    );
  const secs = [
    encodeSeries(w.t, w.count),
    encodeSeries(w.t, w.sum),
    encodeSeries(w.t, w.min),
    encodeSeries(w.t, w.max),
    encodeSeries(w.t, w.last),
    encodeSeries(w.t, w.counter, w.counterFirst),
  ];
  const parts: number[] = [n >> 8, n & 0xff];
  let size = 2;
  const hdrs: Uint8Array[] = [];
  for (const s of secs) {
    const h: number[] = [];
    let z = s.length;
    while (z >= 0x80) {
      h.push((z & 0x7f) | 0x80);
      z >>>= 7;
    }
    h.push(z);
    hdrs.push(Uint8Array.from(h));
    size += h.length + s.length;
  }
  const buf = new Uint8Array(size);
  buf.set(parts, 0);
  let o = 2;
  for (let i = 0; i < secs.length; i++) {
    buf.set(hdrs[i]!, o);
    o += hdrs[i]!.length;
    buf.set(secs[i]!, o);
    o += secs[i]!.length;
  }
  return buf;
}

/** Byte ranges of the six sections; throws CanopyError('corrupt') on a malformed chunk. */
function sections(b: Uint8Array): Array<[number, number]> {
  readCount(b);
  const out: Array<[number, number]> = [];
  let o = 2;
  for (let i = 0; i < N_AGGR; i++) {
    let len = 0,
      shift = 0;
    for (;;) {
      if (o >= b.length || shift > 28)
        throw new CanopyError('corrupt', 'cannot read rollup chunk: truncated section length');
      const x = b[o++]!;
      len += (x & 0x7f) * 2 ** shift;
      shift += 7;
      if (x < 0x80) break;
    }
    if (o + len > b.length)
      throw new CanopyError(
        'corrupt',
        `cannot read rollup chunk: section ${AGGR_NAMES[i]} of ${len} bytes overruns the chunk`,
      );
    out.push([o, o + len]);
    o += len;
  }
  if (o !== b.length) throw new CanopyError('corrupt', 'cannot read rollup chunk: trailing bytes');
  return out;
}

/** Number of windows in a rollup chunk (its header). */
export function rollupWindowCount(b: Uint8Array): number {
  return readCount(b);
}

/** Where decoded samples go. */
export interface SampleSink {
  push(t: number, v: number): void;
}

/** Byte ranges [start, end) of the six sections, in Aggr order. */
export function rollupSections(b: Uint8Array): Array<[number, number]> {
  return sections(b);
}

/** Decodes the section at [start, end) of b into sink; returns how many samples it held. */
export function decodeSection(b: Uint8Array, range: readonly [number, number], sink: SampleSink): number {
  const c = new DecimalCursor(b.subarray(range[0], range[1]));
  let n = 0;
  while (c.next() === ValueKind.Float) {
    sink.push(c.atT(), c.atF());
    n++;
  }
  const err = c.err();
  if (err) throw err;
  return n;
}

/** Decodes one aggregate's samples, appending to ts/vs; returns how many were appended. */
export function decodeAggregate(b: Uint8Array, a: Aggr, ts: number[], vs: number[]): number {
  return decodeSection(b, sections(b)[a]!, {
    push(t: number, v: number): void {
      ts.push(t);
      vs.push(v);
    },
  });
}

/** Decodes every aggregate of a chunk. */
export function decodeRollupChunk(b: Uint8Array): RollupWindows {
  const w = emptyWindows();
  const scratch: number[] = [];
  decodeAggregate(b, Aggr.Count, w.t, w.count);
  const n = w.t.length;
  if (n !== rollupWindowCount(b))
    throw new CanopyError(
      'corrupt',
      `cannot read rollup chunk: ${n} windows, header says ${rollupWindowCount(b)}`,
    );
  const fields: Array<[Aggr, number[]]> = [
    [Aggr.Sum, w.sum],
    [Aggr.Min, w.min],
    [Aggr.Max, w.max],
    [Aggr.Last, w.last],
  ];
  for (const [a, arr] of fields) {
    scratch.length = 0;
    if (decodeAggregate(b, a, scratch, arr) !== n)
      throw new CanopyError(
        'corrupt',
        `cannot read rollup chunk: section ${AGGR_NAMES[a]} has the wrong sample count`,
      );
  }
  const ct: number[] = [],
    cv: number[] = [];
  decodeAggregate(b, Aggr.Counter, ct, cv);
  if (ct.length === n + 1) {
    w.counterFirst = { t: ct[0]!, v: cv[0]! };
    w.counter = cv.slice(1);
  } else if (ct.length === n) w.counter = cv;
  else
    throw new CanopyError('corrupt', 'cannot read rollup chunk: section counter has the wrong sample count');
  return w;
}
