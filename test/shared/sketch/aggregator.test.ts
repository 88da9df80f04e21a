import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sumAggregator,
  minAggregator,
  maxAggregator,
  countAggregator,
  lastAggregator,
  distributionAggregator,
  uniqueAggregator,
  type Aggregator,
} from '../../../shared/sketch/aggregator.ts';

function splitMerge<S, I, O>(agg: Aggregator<S, I, O>, xs: I[]): { whole: O; merged: O; identity: O } {
  const whole = agg.create();
  for (const x of xs) agg.record(whole, x);
  const a = agg.create(),
    b = agg.create();
  xs.forEach((x, i) => agg.record(i % 3 === 0 ? a : b, x));
  const m = agg.create();
  agg.merge(m, b);
  agg.merge(m, a);
  const id = agg.create();
  agg.merge(id, agg.create());
  agg.merge(id, whole);
  return { whole: agg.toPoint(whole), merged: agg.toPoint(m), identity: agg.toPoint(id) };
}

test('scalar aggregators: merge of split inputs equals the whole; create() is the identity', () => {
  const xs = [5, -2, 9, 3.5, 0, 7];
  for (const [agg, want] of [
    [sumAggregator, 22.5],
    [minAggregator, -2],
    [maxAggregator, 9],
    [countAggregator, 6],
  ] as const) {
    const r = splitMerge(agg, [...xs]);
    assert.equal(r.whole, want, agg.kind);
    assert.equal(r.merged, want, agg.kind);
    assert.equal(r.identity, want, agg.kind);
  }
  assert.ok(Number.isNaN(sumAggregator.toPoint(sumAggregator.create())));
});

test('last keeps the latest timestamp across merges', () => {
  const r = splitMerge(lastAggregator, [
    { tMs: 10, v: 1 },
    { tMs: 30, v: 3 },
    { tMs: 20, v: 2 },
  ]);
  assert.deepEqual([r.whole, r.merged, r.identity], [3, 3, 3]);
});

test('distribution and unique aggregators merge', () => {
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  const d = splitMerge(distributionAggregator(), xs);
  assert.equal(d.merged.count, 1000);
  assert.equal(d.merged.sum, d.whole.sum);
  const u = splitMerge(
    uniqueAggregator(12),
    xs.map((x) => `m${x % 300}`),
  );
  assert.equal(u.merged, u.whole);
  assert.ok(Math.abs(u.whole - 300) <= 6);
});
