import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TDigest } from '../../../shared/sketch/digest.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import { rng } from '../../seeded-random.ts';

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
const gens: Record<string, (r: () => number) => number> = {
  uniform: (r) => r() * 1000,
  normal: (r) => 100 + 15 * normal(r),
  lognormal: (r) => Math.exp(1 + 1.5 * normal(r)),
};
/** Fraction of sorted data ≤ x (the estimate's rank). */
function rankOf(sorted: Float64Array, x: number): number {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}
// rank-error bounds: tails are much tighter with the k1 scale
const BOUND: Record<number, number> = { 0.5: 0.005, 0.99: 0.001, 0.999: 0.0003 };

for (const [name, gen] of Object.entries(gens)) {
  test(`quantiles p50/p99/p999 within rank bounds on ${name} data`, () => {
    const r = rng(42);
    const N = 100_000;
    const data = new Float64Array(N);
    const d = new TDigest();
    for (let i = 0; i < N; i++) {
      data[i] = gen(r);
      d.add(data[i]!);
    }
    data.sort();
    for (const q of [0.5, 0.99, 0.999]) {
      const est = d.quantile(q);
      const exact = data[Math.floor(q * (N - 1))]!;
      const rankErr = Math.abs(rankOf(data, est) - q);
      assert.ok(rankErr < BOUND[q]!, `${name} q=${q} est=${est} exact=${exact} rankErr=${rankErr}`);
      assert.ok(Math.abs(est - exact) / Math.abs(exact) < 0.05, `${name} q=${q} value error`);
    }
    assert.equal(d.count, N);
    assert.equal(d.quantile(0), data[0]);
    assert.equal(d.quantile(1), data[N - 1]);
    assert.ok(d.centroidCount() <= 200, `centroids ${d.centroidCount()}`);
  });
}

test('merging 200 digests keeps accuracy and exact count/sum/min/max', () => {
  const r = rng(7);
  const parts: TDigest[] = [];
  const all: number[] = [];
  let sum = 0;
  for (let p = 0; p < 200; p++) {
    const d = new TDigest();
    for (let i = 0; i < 500; i++) {
      const x = gens.lognormal!(r);
      d.add(x);
      all.push(x);
      sum += x;
    }
    parts.push(d);
  }
  // merge half as TDigest and half through Distribution (the wire form)
  const m = new TDigest();
  for (let i = 0; i < parts.length; i++) m.merge(i % 2 ? parts[i]! : parts[i]!.toDistribution());
  const sorted = Float64Array.from(all).sort();
  assert.equal(m.count, all.length);
  assert.ok(Math.abs(m.sum - sum) / sum < 1e-9);
  assert.equal(m.min, sorted[0]);
  assert.equal(m.max, sorted[sorted.length - 1]);
  for (const q of [0.5, 0.99, 0.999]) {
    const rankErr = Math.abs(rankOf(sorted, m.quantile(q)) - q);
    assert.ok(rankErr < BOUND[q]! * 2, `merged q=${q} rankErr=${rankErr}`);
  }
});

test('Distribution round-trip, validation, non-finite input and small digests', () => {
  const d = new TDigest();
  assert.ok(Number.isNaN(d.quantile(0.5)));
  assert.equal(d.add(NaN), false);
  assert.equal(d.add(Infinity), false);
  assert.equal(d.count, 0);
  d.add(5);
  assert.equal(d.quantile(0.5), 5);
  d.add(1);
  d.add(3, 2);
  const dist = d.toDistribution();
  assert.equal(dist.count, 4);
  assert.equal(dist.sum, 12);
  assert.equal(dist.min, 1);
  assert.equal(dist.max, 5);
  assert.deepEqual([...dist.means], [1, 3, 5]);
  const back = TDigest.fromDistribution(dist);
  assert.equal(back.quantile(0.5), d.quantile(0.5));
  assert.throws(
    () => TDigest.fromDistribution({ ...dist, means: Float64Array.of(3, 1, 5) }),
    (e) => isCanopyError(e, 'bad_data'),
  );
  assert.throws(
    () => TDigest.fromDistribution({ ...dist, count: 99 }),
    (e) => isCanopyError(e, 'bad_data'),
  );
  assert.throws(
    () => TDigest.fromDistribution({ ...dist, weights: Float64Array.of(1, 0, 3) }),
    (e) => isCanopyError(e, 'bad_data'),
  );
});

test('small digests stay small; growth keeps results identical to a pre-sized run', () => {
  const d = new TDigest();
  for (let i = 0; i < 10; i++) d.add(i);
  assert.equal(d.centroidCount(), 10); // every point its own centroid while few
  const big = new TDigest();
  for (let i = 0; i < 50_000; i++) big.add((i * 7919) % 50_000);
  assert.ok(Math.abs(big.quantile(0.5) - 25_000) < 250);
  assert.ok(big.centroidCount() < 200);
});
