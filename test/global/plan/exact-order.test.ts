// plan/exact-order.ts: which split fragments hold partial float sums, and when their answers
// force the root to fold the raw series in one engine's order (values near ±MaxFloat64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderMayMatter, planQuery, varianceIllConditioned } from '../../../global/plan/index.ts';
import { parseExpr } from '../../../shared/promql/index.ts';

const zoneLabels = new Set(['zone']);
const plan = (q: string) =>
  planQuery(parseExpr(q), zoneLabels, 'pushdown', { startMs: 0, endMs: 0, stepMs: 0 });
const series = (...fs: number[]) => [{ labels: [], points: fs.map((f, i) => ({ t: i, f })) }];

test("split sums, avg's sum and stddev's mean/variance are order-sensitive; counts, max and whole pushdowns are not", () => {
  assert.deepEqual(
    plan('sum by (job) (x)').fragments.map((f) => f.orderSensitive ?? false),
    [true],
  );
  assert.deepEqual(
    plan('avg(x)').fragments.map((f) => [f.expr, f.orderSensitive ?? false]),
    [
      ['sum(x)', true],
      ['count(x)', false],
    ],
  );
  assert.deepEqual(
    plan('stddev(x)').fragments.map((f) => f.orderSensitive ?? false),
    [false, true, true],
  );
  assert.deepEqual(
    plan('max(x)').fragments.map((f) => f.orderSensitive ?? false),
    [false],
  );
  assert.deepEqual(
    plan('sum by (zone) (x)').fragments.map((f) => f.orderSensitive ?? false),
    [false],
  );
});

test('partials beyond 1e300 or infinite make the order matter; NaN and ordinary values do not', () => {
  const [f] = plan('sum(x)').fragments;
  assert.equal(orderMayMatter(f!, series(1, 2, 1e299)), false);
  assert.equal(orderMayMatter(f!, series(1, NaN)), false);
  assert.equal(orderMayMatter(f!, series(1, 1.7976931348623157e308)), true);
  assert.equal(orderMayMatter(f!, series(-Infinity)), true);
  const [max] = plan('max(x)').fragments;
  assert.equal(orderMayMatter(max!, series(Infinity)), false);
});

test('under count_values, float aggregations are not split: their bits become label text', () => {
  assert.deepEqual(
    plan('count_values("v", sum by (job) (x))').fragments.map((f) => f.expr),
    ['x'],
  );
  assert.deepEqual(
    plan('count_values("v", stddev(rate(x[5m])))').fragments.map((f) => f.expr),
    ['rate(x[5m])'],
  );
  // max/min/count are exact in any order: still split.
  assert.deepEqual(
    plan('count_values("v", max by (job) (x))').fragments.map((f) => f.expr),
    ['max by (job) (x)'],
  );
  assert.deepEqual(
    plan('sum by (job) (x) + count_values("v", x)').fragments.map((f) => f.expr),
    ['sum by (job) (x)', 'count_values("v", x)'],
  );
});

test('a stddev/stdvar merge whose means dwarf the variance (mean² > 1e6 · variance) is ill-conditioned', () => {
  const labels = [{ name: 'job', value: 'a' }];
  const means = [
    {
      labels,
      points: [
        { t: 0, f: 1.8e9 },
        { t: 1, f: 10 },
      ],
    },
  ];
  assert.equal(varianceIllConditioned(means, [{ labels, points: [{ t: 0, f: 9.4 }] }], true), true);
  assert.equal(varianceIllConditioned(means, [{ labels, points: [{ t: 1, f: 9.4 }] }], true), false);
  assert.equal(varianceIllConditioned(means, [{ labels, points: [{ t: 0, f: 1e13 }] }], false), false);
  assert.equal(varianceIllConditioned(means, [{ labels: [], points: [{ t: 0, f: 0 }] }], false), false);
});
