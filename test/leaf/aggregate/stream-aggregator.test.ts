import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamAggregator, parseStreamAggrConfigs } from '../../../leaf/aggregate/stream-aggregator.ts';
import { STALE_NAN } from '../../../leaf/scrape/staleness.ts';
import { formatLabels, labelsFromRecord } from '../../../shared/labels.ts';
import { isCanopyError } from '../../../shared/errors.ts';

const L = (r: Record<string, string>) => labelsFromRecord(r);

test('aggregates a high-cardinality label away: sum/count/min/max/increase/quantiles', () => {
  const rules = parseStreamAggrConfigs([
    {
      match: 'http_requests_total{job="api"}',
      interval: '1m',
      without: ['pod'],
      outputs: ['sum', 'count', 'min', 'max', 'increase'],
    },
    { match: ['latency_seconds'], by: ['route'], outputs: ['quantiles(0.5, 0.99)'], keep_input: true },
  ]);
  const agg = new StreamAggregator(rules, { onFlush: () => {}, now: () => 0 });
  const pods = 100;
  // scrape 1: counters at 10*i; scrape 2: +5 each, pod 0 resets to 3
  for (let i = 0; i < pods; i++)
    assert.equal(
      agg.push(L({ __name__: 'http_requests_total', job: 'api', code: '200', pod: `p${i}` }), 0, 10 * i),
      true,
    );
  for (let i = 0; i < pods; i++)
    agg.push(
      L({ __name__: 'http_requests_total', job: 'api', code: '200', pod: `p${i}` }),
      1,
      i === 0 ? 3 : 10 * i + 5,
    );
  agg.push(L({ __name__: 'http_requests_total', job: 'api', code: '200', pod: 'p1' }), 2, STALE_NAN);
  // non-matching input passes through
  assert.equal(agg.push(L({ __name__: 'http_requests_total', job: 'web', pod: 'x' }), 0, 1), false);
  for (let i = 1; i <= 1000; i++)
    assert.equal(
      agg.push(L({ __name__: 'latency_seconds', route: '/a', pod: `p${i % 7}` }), 0, i / 1000),
      false,
    );
  const b = agg.collect(60_000);
  const got = Object.fromEntries(b.floats.map((s) => [formatLabels(s.labels), s.value]));
  const p = 'http_requests_total:1m_without_pod_';
  const sum1 = (10 * pods * (pods - 1)) / 2;
  const sum2 = sum1 + 5 * (pods - 1) + 3;
  assert.equal(got[`${p}sum{code="200", job="api"}`], sum1 + sum2);
  assert.equal(got[`${p}count{code="200", job="api"}`], 2 * pods);
  assert.equal(got[`${p}min{code="200", job="api"}`], 0);
  assert.equal(got[`${p}max{code="200", job="api"}`], 10 * (pods - 1) + 5);
  assert.equal(got[`${p}increase{code="200", job="api"}`], 5 * (pods - 1) + 3);
  assert.ok(
    Math.abs(got['latency_seconds:10s_by_route_quantiles{quantile="0.5", route="/a"}']! - 0.5) < 0.01,
  );
  assert.ok(
    Math.abs(got['latency_seconds:10s_by_route_quantiles{quantile="0.99", route="/a"}']! - 0.99) < 0.01,
  );
  // next interval: nothing received → nothing emitted; increase continues from the baseline
  assert.equal(agg.collect(120_000).floats.length, 0);
  agg.push(L({ __name__: 'http_requests_total', job: 'api', code: '200', pod: 'p2' }), 3, 30);
  const b3 = Object.fromEntries(agg.collect(180_000).floats.map((s) => [formatLabels(s.labels), s.value]));
  assert.equal(b3[`${p}increase{code="200", job="api"}`], 5);
});

test('rule validation', () => {
  const bad: [unknown, RegExp][] = [
    [[{ match: 'x', outputs: ['sum'], by: ['a'], without: ['b'] }], /either by or without/],
    [[{ match: 'x{', outputs: ['sum'] }], /\.match: invalid selector/],
    [[{ match: 'x', outputs: ['avg'] }], /unknown output "avg"/],
    [[{ match: 'x', outputs: ['quantiles(2)'] }], /φ values/],
    [[{ match: 'x', outputs: ['sum'], interval: '5x' }], /\.interval/],
    [[{ match: 'x', outputs: ['sum'], extra: 1 }], /unknown key "extra"/],
    [[{ match: 'x', outputs: [] }], /non-empty/],
  ];
  for (const [cfg, re] of bad)
    assert.throws(
      () => parseStreamAggrConfigs(cfg),
      (e) => isCanopyError(e, 'config_invalid') && re.test((e as Error).message),
      JSON.stringify(cfg),
    );
});
