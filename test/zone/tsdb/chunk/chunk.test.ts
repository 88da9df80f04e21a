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
import { rng } from '../../../seeded-random.ts';

function bitsOf(v: number): string {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  return b.getBigUint64(0).toString(16);
}
function fromBits(h: bigint): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, h);
  return b.getFloat64(0);
}

const SPECIAL = [
  0,
  -0,
  1,
  -1,
  Infinity,
  -Infinity,
  NaN,
  fromBits(0x7ff0000000000002n), // Prometheus stale marker
  fromBits(0x7ff8000000000001n),
  fromBits(0xfff8000000000000n),
  fromBits(0x7ff4000000000000n),
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  fromBits(0x000fffffffffffffn),
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  0.1,
  0.2,
  0.30000000000000004,
  1e-300,
  1e300,
  2 ** 53,
  2 ** 51 + 0.5,
  123456.789,
  -42.5,
  1 / 3,
  Math.PI,
];

function roundTrip(make: () => XorChunk | DecimalChunk, ts: number[], vs: number[]): void {
  const c = make();
  for (let i = 0; i < ts.length; i++) c.append(ts[i]!, vs[i]!);
  assert.equal(c.numSamples(), ts.length);
  const cur = openChunkCursor(c.encoding, c.bytes().slice());
  for (let i = 0; i < ts.length; i++) {
    assert.equal(cur.next(), ValueKind.Float, `sample ${i}`);
    assert.equal(cur.atT(), ts[i]);
    assert.equal(bitsOf(cur.atF()), bitsOf(vs[i]!), `value ${i}: ${vs[i]}`);
  }
  assert.equal(cur.next(), ValueKind.None);
  assert.equal(cur.err(), null);
}

// A deterministic PRNG keeps failures reproducible.

for (const [name, make] of [
  ['xor', () => new XorChunk()],
  ['decimal', () => new DecimalChunk()],
] as const) {
  test(`${name}: special float bit patterns round-trip in every order`, () => {
    const ts = SPECIAL.map((_, i) => 1000 + i * 15000);
    roundTrip(make, ts, SPECIAL);
    roundTrip(make, ts, [...SPECIAL].reverse());
    const inter: number[] = [];
    for (const v of SPECIAL) inter.push(v, 12.5, v);
    roundTrip(
      make,
      inter.map((_, i) => i),
      inter,
    );
  });

  test(`${name}: irregular, negative and huge timestamp jumps`, () => {
    const ts = [
      -(2 ** 52),
      -(2 ** 52) + 1,
      -5,
      0,
      1,
      2,
      15001,
      15002,
      2 ** 40,
      2 ** 40 + 3,
      2 ** 52 - 7,
      2 ** 52,
    ];
    roundTrip(
      make,
      ts,
      ts.map((_, i) => i * 1.5),
    );
    const r = rng(7);
    const ts2: number[] = [];
    let t = 1_700_000_000_000;
    for (let i = 0; i < 500; i++) ts2.push((t += 1 + Math.floor(r() * (r() < 0.1 ? 1e9 : 30000))));
    roundTrip(
      make,
      ts2,
      ts2.map(() => (r() < 0.5 ? Math.round(r() * 1e6) / 100 : r() * 1e6)),
    );
  });

  test(`${name}: random bit patterns round-trip`, () => {
    const r = rng(42);
    const vs: number[] = [];
    const dv = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 2000; i++) {
      dv.setUint32(0, (r() * 4294967296) >>> 0);
      dv.setUint32(4, (r() * 4294967296) >>> 0);
      vs.push(dv.getFloat64(0));
    }
    roundTrip(
      make,
      vs.map((_, i) => i * 1000),
      vs,
    );
  });

  test(`${name}: rejects non-increasing or invalid timestamps`, () => {
    const c = make();
    c.append(10, 1);
    assert.throws(
      () => c.append(10, 2),
      (e) => isCanopyError(e, 'out_of_order'),
    );
    assert.throws(
      () => c.append(10.5, 2),
      (e) => isCanopyError(e, 'out_of_bounds'),
    );
    assert.throws(
      () => c.append(2 ** 53, 2),
      (e) => isCanopyError(e, 'out_of_bounds'),
    );
  });

  test(`${name}: fromBytes restores an appendable chunk`, () => {
    const c = make();
    for (let i = 0; i < 50; i++) c.append(i * 15000, i * 0.25);
    const d = name === 'xor' ? XorChunk.fromBytes(c.bytes()) : DecimalChunk.fromBytes(c.bytes());
    assert.deepEqual(d.bytes(), c.bytes());
    c.append(50 * 15000, 99);
    d.append(50 * 15000, 99);
    assert.deepEqual(d.bytes(), c.bytes());
  });
}

test('xor: fixed bytes of a small chunk (Prometheus layout)', () => {
  const c = new XorChunk();
  c.append(1000, 1);
  c.append(2000, 1);
  c.append(3000, 2);
  assert.equal(
    Buffer.from(c.bytes()).toString('hex'),
    // count 3 | t0 zz(1000)=2000 uvarint d00f | 1.0 3ff0000000000000 | delta 1000 e807 | '0' same
    // | dod '0' | value '1' new-window '1' lead 00001 sig 001011 + 11 one bits (xor of 1.0 and 2.0)
    '0003d00f3ff0000000000000e8073097ffc0',
  );
  const cur = c.cursor();
  assert.equal(cur.seek(2500), ValueKind.Float);
  assert.equal(cur.atT(), 3000);
  assert.equal(cur.atF(), 2);
});

test('decimal: fixed bytes of a small chunk', () => {
  const c = new DecimalChunk();
  c.append(0, 1.5);
  c.append(15000, 1.5);
  c.append(30003, 1.75);
  assert.equal(Buffer.from(c.bytes()).toString('hex'), '000300c22fa61d51fb4180');
});

test('decimal: every timestamp bucket and integer delta width round-trips (the inline fast path and its edges)', () => {
  const r = rng(11);
  for (let round = 0; round < 40; round++) {
    const ts: number[] = [],
      vs: number[] = [];
    let t = 1_700_000_000_000,
      d = 15000,
      int = Math.floor(r() * 1e6);
    const scale = [1, 10, 100, 1000][round % 4]!;
    for (let i = 0; i < 300; i++) {
      // dod in the 0, ±8, ±64, ±8192 and wide buckets, at and beside their bounds
      const pick = r();
      const dod =
        pick < 0.4
          ? 0
          : pick < 0.6
            ? [8, -7, 1, -1][i % 4]!
            : pick < 0.75
              ? [64, -63, 9, -8][i % 4]!
              : pick < 0.9
                ? [8192, -8191, 65][i % 3]!
                : Math.floor(r() * 2e6) - 1e6;
      if (d + dod > 0) d += dod;
      t += d;
      // integer deltas of 1 to 31 bits: the widths the fast path takes (≤ 23 new, ≤ 29 reused) and beyond
      const bits = 1 + Math.floor(r() * 31);
      if (r() < 0.8) int += (r() < 0.5 ? -1 : 1) * Math.floor(r() * 2 ** bits);
      ts.push(t);
      vs.push(r() < 0.03 ? r() * 1e6 : int / scale); // now and then a value that needs XOR
    }
    roundTrip(() => new DecimalChunk(), ts, vs);
  }
});

test('decimal beats xor on gauges and counters with few decimals', () => {
  const r = rng(3);
  const x = new XorChunk(),
    d = new DecimalChunk();
  let t = 1_700_000_000_000,
    cpu = 123456.78;
  for (let i = 0; i < 120; i++) {
    t += 15000 + Math.floor(r() * 7) - 3;
    cpu = Math.round((cpu + r() * 14) * 100) / 100;
    x.append(t, cpu);
    d.append(t, cpu);
  }
  assert.ok(
    d.bytes().length < x.bytes().length * 0.8,
    `decimal ${d.bytes().length} vs xor ${x.bytes().length}`,
  );
});

test('distribution chunk round-trips', () => {
  const c = new DistributionChunk();
  const ds = [
    {
      count: 3,
      sum: 6,
      min: 1,
      max: 3,
      means: Float64Array.from([1, 2, 3]),
      weights: Float64Array.from([1, 1, 1]),
    },
    {
      count: 0,
      sum: 0,
      min: Infinity,
      max: -Infinity,
      means: new Float64Array(0),
      weights: new Float64Array(0),
    },
    {
      count: 2.5,
      sum: NaN,
      min: -0,
      max: 1e300,
      means: Float64Array.from([0.1, 0.2]),
      weights: Float64Array.from([0.5, 2]),
    },
  ];
  ds.forEach((d, i) => c.append(i * 10000, d));
  const cur = openChunkCursor(ChunkEncoding.Distribution, c.bytes());
  for (let i = 0; i < ds.length; i++) {
    assert.equal(cur.next(), ValueKind.Distribution);
    assert.equal(cur.atT(), i * 10000);
    const got = cur.atDistribution();
    assert.deepEqual(
      { ...got, means: [...got.means], weights: [...got.weights] },
      { ...ds[i]!, means: [...ds[i]!.means], weights: [...ds[i]!.weights] },
    );
  }
  assert.equal(cur.next(), ValueKind.None);
  assert.throws(
    () => c.append(99999, { ...ds[0]!, weights: new Float64Array(1) }),
    (e) => isCanopyError(e, 'bad_data'),
  );
});
