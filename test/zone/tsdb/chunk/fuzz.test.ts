import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  XorChunk,
  DecimalChunk,
  DistributionChunk,
  openChunkCursor,
  ChunkEncoding,
} from '../../../../zone/tsdb/chunk/index.ts';
import { ValueKind } from '../../../../shared/storage.ts';
import { isCanopyError } from '../../../../shared/errors.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Decodes to the end; the only acceptable failure is CanopyError('corrupt') in err(). */
function drain(enc: number, b: Uint8Array): void {
  const cur = openChunkCursor(enc, b);
  let n = 0;
  let prevT = -Infinity;
  while (cur.next() !== ValueKind.None) {
    assert.ok(cur.atT() > prevT, 'timestamps strictly increase');
    prevT = cur.atT();
    if (enc === ChunkEncoding.Distribution) cur.atDistribution();
    assert.ok(++n <= 0xffff);
  }
  const e = cur.err();
  if (e) assert.ok(isCanopyError(e, 'corrupt'), String(e));
}

test('chunk decoders survive random and mutated bytes', () => {
  const r = rng(99);
  const x = new XorChunk(),
    d = new DecimalChunk(),
    h = new DistributionChunk();
  for (let i = 0; i < 200; i++) {
    const t = 1_700_000_000_000 + i * 15000 + Math.floor(r() * 10);
    x.append(t, r() * 100);
    d.append(t, Math.round(r() * 10000) / 100);
    h.append(t, {
      count: 2,
      sum: 3,
      min: 1,
      max: 2,
      means: Float64Array.from([1, 2]),
      weights: Float64Array.from([1, 1]),
    });
  }
  const seeds: [number, Uint8Array][] = [
    [ChunkEncoding.Xor, x.bytes().slice()],
    [ChunkEncoding.Decimal, d.bytes().slice()],
    [ChunkEncoding.Distribution, h.bytes().slice()],
  ];
  for (const [enc, good] of seeds) {
    drain(enc, good);
    for (let k = 0; k < 400; k++) {
      const b = good.slice(0, Math.floor(r() * good.length));
      drain(enc, b); // truncated
      const m = good.slice();
      for (let j = 0; j < 1 + r() * 6; j++) m[Math.floor(r() * m.length)] = Math.floor(r() * 256);
      drain(enc, m); // mutated
      const rnd = new Uint8Array(Math.floor(r() * 64));
      for (let j = 0; j < rnd.length; j++) rnd[j] = Math.floor(r() * 256);
      drain(enc, rnd); // random
    }
  }
  assert.throws(
    () => openChunkCursor(77, new Uint8Array(4)),
    (e) => isCanopyError(e, 'corrupt'),
  );
});
