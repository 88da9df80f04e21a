import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XorChunkWriter } from '../../../shared/remote-read/index.ts';
import { XorChunk, XorCursor } from '../../../zone/tsdb/chunk/index.ts';
import { ValueKind } from '../../../shared/storage.ts';

// The zone's chunk is Prometheus's XOR layout: the remote-read encoder must produce the same bytes.
function samples(seed: number, n: number): [number, number][] {
  let x = seed;
  const rnd = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: [number, number][] = [];
  let t = 1_700_000_000_000 + Math.floor(rnd() * 1e6);
  let v = rnd() * 100;
  for (let i = 0; i < n; i++) {
    const r = rnd();
    t +=
      r < 0.5
        ? 15000
        : r < 0.7
          ? 15000 + Math.floor(rnd() * 40) - 20
          : r < 0.8
            ? Math.floor(rnd() * 3e5) + 1
            : r < 0.9
              ? Math.floor(rnd() * 5e7) + 1
              : Math.floor(rnd() * 2 ** 40) + 1;
    const k = rnd();
    v =
      k < 0.3
        ? v
        : k < 0.5
          ? v + 1
          : k < 0.6
            ? NaN
            : k < 0.65
              ? -Infinity
              : k < 0.7
                ? 0
                : k < 0.75
                  ? -v * 1e300
                  : rnd() * 1e6 - 5e5;
    out.push([t, v]);
  }
  return out;
}

test("XorChunkWriter writes the bytes of the zone's Prometheus-layout XOR chunk", () => {
  const w = new XorChunkWriter();
  for (let seed = 1; seed <= 200; seed++) {
    const ss = samples(seed, 1 + (seed % 120));
    w.reset();
    const ref = new XorChunk();
    for (const [t, v] of ss) {
      w.append(t, v);
      ref.append(t, v);
    }
    assert.deepEqual(w.bytes(), ref.bytes(), `seed ${seed}`);
    assert.equal(w.minT, ss[0]![0]);
    assert.equal(w.maxT, ss.at(-1)![0]);
    const c = new XorCursor(w.bytes());
    let i = 0;
    while (c.next() !== ValueKind.None) {
      assert.equal(c.atT(), ss[i]![0]);
      assert.ok(Object.is(c.atF(), ss[i]![1]) || (Number.isNaN(c.atF()) && Number.isNaN(ss[i]![1])));
      i++;
    }
    assert.equal(c.err(), null);
    assert.equal(i, ss.length);
  }
});

test('XorChunkWriter: negative first timestamp and a large negative delta-of-delta', () => {
  const w = new XorChunkWriter();
  const ref = new XorChunk();
  for (const [t, v] of [
    [-5000, 1],
    [10_000_000_000, 2],
    [10_000_000_001, 3],
    [10_000_001_000, 3],
  ] as const) {
    w.append(t, v);
    ref.append(t, v);
  }
  assert.deepEqual(w.bytes(), ref.bytes());
});
