// OTLP acceptance at the leaf: the OpenTelemetry JS SDK exports (http/protobuf and http/json)
// to a real leaf's --otlp-listen /v1/metrics; the leaf ships through its pipeline to a real
// zone, where counters, up-down counters, gauges and histograms (explicit and exponential)
// are queryable under the translated names with the values the SDK recorded; a retried delta
// export is refused and counted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { freePort, waitFor } from './harness.ts';
import { leafMetric, query, startStack, type Stack } from '../leaf/e2e-stack.ts';

let stack: Stack;
let leafUrl = '';
let otlpUrl = '';

before(async () => {
  stack = await startStack('otlp-leaf', { root: false });
  const op = await freePort();
  otlpUrl = `http://127.0.0.1:${op}/v1/metrics`;
  const leaf = await stack.startLeaf('leaf-otlp', 'flush_interval: 1s\ndata_dir: ""\n', [
    '--otlp-listen',
    `127.0.0.1:${op}`,
  ]);
  leafUrl = leaf.url;
});

after(async () => {
  await stack?.stop();
});

async function expectValue(q: string, want: number): Promise<void> {
  let last: unknown;
  try {
    await waitFor(
      `${q} == ${want}`,
      async () => {
        const r = await query(stack.zoneUrl, q);
        last = r.map((s: any) => [s.metric, s.value[1]]);
        return r.length === 1 && Number(r[0].value[1]) === want;
      },
      30_000,
    );
  } catch {
    assert.fail(`${q}: want ${want}, zone has ${JSON.stringify(last)}`);
  }
}

test('OTel SDK http/protobuf → leaf → zone: every instrument kind under its translated name', async () => {
  const mp = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'cart',
      'service.instance.id': 'pod-7',
      'k8s.pod.name': 'cart-7',
    }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new ProtoExporter({ url: otlpUrl }),
        exportIntervalMillis: 3_600_000,
      }),
    ],
    views: [{ instrumentName: 'item.weight', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = mp.getMeter('leaf-test');
  meter.createCounter('cart.adds').add(9, { sku: 'a' });
  const items = meter.createUpDownCounter('cart.items');
  items.add(5);
  items.add(-2);
  meter.createObservableGauge('cart.memory', { unit: 'By' }).addCallback((r) => r.observe(2048));
  const h = meter.createHistogram('checkout.latency', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [10, 100] },
  });
  for (const v of [1, 20, 30, 200]) h.record(v);
  const w = meter.createHistogram('item.weight', { unit: 'g' });
  const weights = [3, 3, 70];
  for (const v of weights) w.record(v);
  await mp.forceFlush();

  const sel = 'job="cart",instance="pod-7"';
  await expectValue(`cart_adds_total{${sel},sku="a"}`, 9);
  await expectValue(`cart_items{${sel}}`, 3);
  await expectValue(`cart_memory_bytes{${sel}}`, 2048);
  await expectValue(`checkout_latency_milliseconds_count{${sel}}`, 4);
  await expectValue(`checkout_latency_milliseconds_sum{${sel}}`, 251);
  await expectValue(`checkout_latency_milliseconds_bucket{${sel},le="10"}`, 1);
  await expectValue(`checkout_latency_milliseconds_bucket{${sel},le="100"}`, 3);
  await expectValue(`checkout_latency_milliseconds_bucket{${sel},le="+Inf"}`, 4);
  await expectValue(`item_weight_grams_count{${sel}}`, 3);
  await expectValue(`item_weight_grams_sum{${sel}}`, 76);
  const buckets = await query(stack.zoneUrl, `item_weight_grams_bucket{${sel}}`);
  assert.ok(buckets.length >= 3);
  for (const b of buckets) {
    const le = b.metric.le === '+Inf' ? Infinity : Number(b.metric.le);
    assert.equal(Number(b.value[1]), weights.filter((v) => v <= le).length, `le=${b.metric.le}`);
  }
  await expectValue(`histogram_count(item_weight_grams{${sel}})`, 3);
  await expectValue(`histogram_sum(item_weight_grams{${sel}})`, 76);
  await expectValue(`target_info{${sel},k8s_pod_name="cart-7"}`, 1);
  assert.ok((await leafMetric(leafUrl, 'canopy_leaf_otlp_requests_total', { code: '200' })) >= 1);
  await mp.shutdown();
});

test('OTel SDK http/json with delta temporality → leaf: cumulative totals at the zone', async () => {
  const mp = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'mailer' }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new JsonExporter({
          url: otlpUrl,
          temporalityPreference: AggregationTemporalityPreference.DELTA,
        }),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  });
  const c = mp.getMeter('leaf-json').createCounter('mails.sent');
  c.add(1);
  await mp.forceFlush();
  await expectValue('mails_sent_total{job="mailer"}', 1);
  c.add(10);
  await mp.forceFlush();
  await expectValue('mails_sent_total{job="mailer"}', 11);
  await mp.shutdown();
  const r = await fetch(otlpUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
  assert.equal(r.status, 415);
});

test('a retried delta export at the leaf is refused in partial_success and counted', async () => {
  const body = JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'retry' } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'tasks',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), asInt: '6' }],
                },
              },
            ],
          },
        ],
      },
    ],
  });
  const post = (): Promise<Response> =>
    fetch(otlpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.deepEqual(await (await post()).json(), {});
  const again = (await (await post()).json()) as any;
  assert.equal(again.partialSuccess.rejectedDataPoints, '1');
  assert.equal(await leafMetric(leafUrl, 'canopy_leaf_samples_dropped_total', { reason: 'out_of_order' }), 1);
  await expectValue('tasks_total{job="retry"}', 6);
});
