import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ArrayCursor,
  ChainCursor,
  ChunkSeqCursor,
  MergeCursor,
  type ChunkList,
} from '../../../zone/tsdb/cursors.ts';
import { DecimalChunk } from '../../../zone/tsdb/chunk/index.ts';
import { ValueKind, type SampleCursor } from '../../../shared/storage.ts';
import { CanopyError } from '../../../shared/errors.ts';

function list(chunks: DecimalChunk[], fail = -1): ChunkList {
  return {
    length: chunks.length,
    minT: (i) => {
      const c = chunks[i]!.cursor();
      c.next();
      return c.atT();
    },
    maxT: (i) => chunks[i]!.lastT(),
    encoding: (i) => chunks[i]!.encoding,
    bytes: (i) => {
      if (i === fail) throw new CanopyError('corrupt', 'bad chunk');
      return chunks[i]!.bytes();
    },
  };
}

function chunksOf(ts: number[][]): DecimalChunk[] {
  return ts.map((arr) => {
    const c = new DecimalChunk();
    for (const t of arr) c.append(t, t / 10);
    return c;
  });
}

function drain(c: SampleCursor): number[] {
  const out: number[] = [];
  while (c.next() !== ValueKind.None) out.push(c.atT());
  return out;
}

const TS = [
  [10, 20, 30],
  [40, 50],
  [60, 70, 80, 90],
];

test('ChunkSeqCursor clips to [mint, maxt] across chunks', () => {
  assert.deepEqual(
    drain(new ChunkSeqCursor(list(chunksOf(TS)), -Infinity, Infinity)),
    [10, 20, 30, 40, 50, 60, 70, 80, 90],
  );
  assert.deepEqual(drain(new ChunkSeqCursor(list(chunksOf(TS)), 25, 65)), [30, 40, 50, 60]);
  assert.deepEqual(drain(new ChunkSeqCursor(list(chunksOf(TS)), 31, 39)), []);
  assert.deepEqual(drain(new ChunkSeqCursor(list(chunksOf(TS)), 90, 1000)), [90]);
});

test('ChunkSeqCursor seek: forward only, stays when satisfied, skips chunks, ends cleanly', () => {
  const c = new ChunkSeqCursor(list(chunksOf(TS)), 15, 85);
  assert.equal(c.seek(0), ValueKind.Float);
  assert.equal(c.atT(), 20); // clipped at mint
  assert.equal(c.seek(20), ValueKind.Float);
  assert.equal(c.atT(), 20);
  assert.equal(c.seek(55), ValueKind.Float);
  assert.equal(c.atT(), 60);
  assert.equal(c.atF(), 6);
  assert.equal(c.seek(10), ValueKind.Float);
  assert.equal(c.atT(), 60);
  assert.equal(c.next(), ValueKind.Float);
  assert.equal(c.atT(), 70);
  assert.equal(c.seek(81), ValueKind.None); // 90 is beyond maxt
  assert.equal(c.next(), ValueKind.None);
  assert.equal(c.err(), null);
});

test('ChunkSeqCursor holds chunk read errors', () => {
  const c = new ChunkSeqCursor(list(chunksOf(TS), 1), -Infinity, Infinity);
  assert.deepEqual(drain(c), [10, 20, 30]);
  assert.ok(c.err() instanceof CanopyError);
});

test('MergeCursor merges by time, first cursor wins ties, seek works on both', () => {
  const a = new ArrayCursor(Float64Array.from([1, 3, 5, 7]), Float64Array.from([1, 3, 5, 7]), 4);
  const b = new ArrayCursor(Float64Array.from([2, 3, 8]), Float64Array.from([-2, -3, -8]), 3);
  const m = new MergeCursor(a, b);
  const got: [number, number][] = [];
  while (m.next() !== ValueKind.None) got.push([m.atT(), m.atF()]);
  assert.deepEqual(got, [
    [1, 1],
    [2, -2],
    [3, 3],
    [5, 5],
    [7, 7],
    [8, -8],
  ]);
  const m2 = new MergeCursor(
    new ArrayCursor(Float64Array.from([1, 3, 5, 7]), Float64Array.from([1, 3, 5, 7]), 4),
    new ArrayCursor(Float64Array.from([2, 3, 8]), Float64Array.from([-2, -3, -8]), 3),
  );
  assert.equal(m2.seek(3), ValueKind.Float);
  assert.deepEqual([m2.atT(), m2.atF()], [3, 3]);
  assert.equal(m2.next(), ValueKind.Float);
  assert.equal(m2.atT(), 5);
  assert.equal(m2.seek(4), ValueKind.Float);
  assert.equal(m2.atT(), 5);
  assert.equal(m2.seek(7.5), ValueKind.Float);
  assert.deepEqual([m2.atT(), m2.atF()], [8, -8]);
  assert.equal(m2.next(), ValueKind.None);
  assert.equal(m2.seek(100), ValueKind.None);
});

test('ChainCursor reads disjoint cursors one after the other; seek crosses them; an error stops it', () => {
  const arr = (ts: number[]): ArrayCursor =>
    new ArrayCursor(
      Float64Array.from(ts),
      Float64Array.from(ts, (t) => -t),
      ts.length,
    );
  const mk = (): ChainCursor =>
    new ChainCursor([
      arr([1, 2, 3]),
      arr([]),
      arr([5, 6]),
      new ChunkSeqCursor(list(chunksOf([[8, 9], [10]])), -Infinity, Infinity),
    ]);
  const c = mk();
  const got: [number, number][] = [];
  while (c.next() !== ValueKind.None) got.push([c.atT(), c.atF()]);
  assert.deepEqual(
    got.map((p) => p[0]),
    [1, 2, 3, 5, 6, 8, 9, 10],
  );
  assert.deepEqual(
    got.slice(0, 5).map((p) => p[1]),
    [-1, -2, -3, -5, -6],
  );
  assert.equal(c.next(), ValueKind.None, 'stays at the end');
  assert.equal(c.err(), null);
  const s = mk();
  assert.equal(s.seek(4), ValueKind.Float);
  assert.equal(s.atT(), 5);
  assert.equal(s.seek(2), ValueKind.Float, 'never backwards');
  assert.equal(s.atT(), 5);
  assert.equal(s.next(), ValueKind.Float);
  assert.equal(s.atT(), 6);
  assert.equal(s.seek(9), ValueKind.Float);
  assert.equal(s.atT(), 9);
  assert.equal(s.seek(11), ValueKind.None);
  const e = new ChainCursor([
    arr([1]),
    new ChunkSeqCursor(list(chunksOf(TS), 1), -Infinity, Infinity),
    arr([100]),
  ]);
  assert.deepEqual(drain(e), [1, 10, 20, 30], 'stops at the failing cursor');
  assert.ok(e.err() instanceof CanopyError, 'the error is held');
});
