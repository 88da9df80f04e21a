// The parallel Welford merge of per-zone (count, mean, variance) equals the variance of all values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeStdvar } from '../../../global/merge/stdvar.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';

function stats(xs: number[]): { n: number; mean: number; v: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { n: xs.length, mean, v: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length };
}

test("merging zones' partial states gives the variance of the union, also with a mean far from zero", () => {
  const g = labelsFromRecord({ job: 'a' });
  const parts = [[1e6 + 1, 1e6 + 2, 1e6 + 4], [1e6 + 8], [1e6 + 16, 1e6 + 3]];
  const zones = parts.map((xs) => {
    const s = stats(xs);
    return {
      count: [{ labels: g, points: [{ t: 0, f: s.n }] }],
      mean: [{ labels: g, points: [{ t: 0, f: s.mean }] }],
      variance: [{ labels: g, points: [{ t: 0, f: s.v }] }],
    };
  });
  const want = stats(parts.flat()).v;
  const got = mergeStdvar(zones, false)[0]!.points[0]!.f;
  assert.ok(Math.abs(got - want) <= 1e-9 * want, `${got} vs ${want}`);
  assert.ok(Math.abs(mergeStdvar(zones, true)[0]!.points[0]!.f - Math.sqrt(want)) < 1e-9 * Math.sqrt(want));
});

test("a step present in one zone only takes that zone's variance as is", () => {
  const g = labelsFromRecord({});
  const r = mergeStdvar(
    [
      {
        count: [{ labels: g, points: [{ t: 5, f: 2 }] }],
        mean: [{ labels: g, points: [{ t: 5, f: 3 }] }],
        variance: [{ labels: g, points: [{ t: 5, f: 0.25 }] }],
      },
    ],
    false,
  );
  assert.deepEqual(r[0]!.points, [{ t: 5, f: 0.25 }]);
});

test('quantile merge: Prometheus interpolation, NaN first, φ out of range', async () => {
  const { mergeQuantile, quantileOf } = await import('../../../global/merge/quantile.ts');
  assert.equal(quantileOf(0.5, Float64Array.from([4, 1, 3, 2])), 2.5);
  assert.equal(quantileOf(0, Float64Array.from([NaN, 1])), NaN);
  assert.equal(quantileOf(1.5, Float64Array.from([1])), Infinity);
  assert.equal(quantileOf(-1, Float64Array.from([1])), -Infinity);
  const g = labelsFromRecord({ job: 'a' });
  const r = mergeQuantile(
    [
      {
        labels: g,
        points: [
          { t: 0, f: 1 },
          { t: 0, f: 9 },
        ],
      },
      {
        labels: g,
        points: [
          { t: 0, f: 5 },
          { t: 60, f: 7 },
        ],
      },
    ],
    0.5,
  );
  assert.deepEqual(r[0]!.points, [
    { t: 0, f: 5 },
    { t: 60, f: 7 },
  ]);
});
