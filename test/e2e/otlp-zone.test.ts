// OTLP acceptance at the zone: the OpenTelemetry JS SDK (MeterProvider, OTLPMetricExporter
// over http/protobuf with gzip and over http/json) exports to a real zone process at
// /api/v1/otlp/v1/metrics; every instrument kind is queryable under its translated name with
// the values the SDK recorded, with job/instance from the resource and target_info. Delta
// temporality (JSON exporter) arrives as cumulative totals; a retried delta point is refused
// and counted; bad requests get 4xx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { waitFor } from './harness.ts';
import { query, startStack, type Stack } from '../leaf/e2e-stack.ts';

let stack: Stack;
let otlpUrl = '';

before(async () => {
  stack = await startStack('otlp-zone', { root: false });
  otlpUrl = `${stack.zoneUrl}/api/v1/otlp/v1/metrics`;
});

after(async () => {
  await stack?.stop();
});

async function value(q: string): Promise<number | undefined> {
  const r = await query(stack.zoneUrl, q);
  return r.length === 1 ? Number(r[0].value[1]) : undefined;
}

async function expectValue(q: string, want: number): Promise<void> {
  const got = await waitFor(
    `${q} == ${want}`,
    async () => {
      const v = await value(q);
      return v === want ? v : undefined;
    },
    20_000,
  ).catch(async () => value(q));
  if (got !== want) {
    const m = (await (await fetch(`${stack.zoneUrl}/metrics`)).text())
      .split('\n')
      .filter((l) => /^canopy_zone_(samples_dropped|ingest_requests)_total/.test(l));
    const all = JSON.stringify(await query(stack.zoneUrl, `{__name__=~"${q.split('{')[0]}.*"}`));
    assert.fail(`${q}: got ${got}, want ${want}; series: ${all}; zone: ${m.join(' ')}`);
  }
}

function provider(exporter: ProtoExporter | JsonExporter, attrs: Record<string, string>): MeterProvider {
  return new MeterProvider({
    resource: resourceFromAttributes(attrs),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
}

test('OTel SDK http/protobuf (gzip) → zone: counters, up-down counters, gauges, histograms under translated names', async () => {
  const mp = provider(new ProtoExporter({ url: otlpUrl, compression: 'gzip' as never }), {
    'service.name': 'checkout',
    'service.namespace': 'shop',
    'service.instance.id': 'inst-1',
    'deployment.environment': 'test',
    'host.name': 'h1',
  });
  const meter = mp.getMeter('otlp-test');
  const orders = meter.createCounter('orders.placed');
  orders.add(3);
  orders.add(4, { country: 'eu', '1st.try': 'yes' });
  const depth = meter.createUpDownCounter('queue.depth');
  depth.add(10);
  depth.add(-3);
  meter.createObservableGauge('cpu.temp', { unit: 'Cel' }).addCallback((r) => r.observe(42.5, { core: '0' }));
  const dur = meter.createHistogram('http.server.duration', { unit: 'ms' });
  for (const v of [5, 50, 500]) dur.record(v, { route: '/pay' });
  const size = meter.createHistogram('payload.size', { unit: 'By' });
  const sizes = [100, 1000, 1000, 10000];
  for (const v of sizes) size.record(v);
  await mp.forceFlush();

  const sel = 'job="shop/checkout",instance="inst-1"';
  await expectValue(`orders_placed_total{${sel},country=""}`, 3);
  await expectValue(`orders_placed_total{${sel},country="eu",key_1st_try="yes"}`, 4);
  await expectValue(`queue_depth{${sel}}`, 7);
  await expectValue(`cpu_temp_celsius{${sel},core="0"}`, 42.5);
  await expectValue(`http_server_duration_milliseconds_count{${sel},route="/pay"}`, 3);
  await expectValue(`http_server_duration_milliseconds_sum{${sel},route="/pay"}`, 555);
  await expectValue(`http_server_duration_milliseconds_bucket{${sel},le="5"}`, 1);
  await expectValue(`http_server_duration_milliseconds_bucket{${sel},le="50"}`, 2);
  await expectValue(`http_server_duration_milliseconds_bucket{${sel},le="250"}`, 2);
  await expectValue(`http_server_duration_milliseconds_bucket{${sel},le="500"}`, 3);
  await expectValue(`http_server_duration_milliseconds_bucket{${sel},le="+Inf"}`, 3);
  // Exponential histogram → classic buckets at scale ≤ 2: no recorded value sits on a bound,
  // so every bucket's cumulative count equals the number of values ≤ le exactly.
  await expectValue(`payload_size_bytes_count{${sel}}`, 4);
  await expectValue(`payload_size_bytes_sum{${sel}}`, 12100);
  const buckets = await query(stack.zoneUrl, `payload_size_bytes_bucket{${sel}}`);
  assert.ok(buckets.length >= 4, `${buckets.length} exponential buckets`);
  for (const b of buckets) {
    const le = b.metric.le === '+Inf' ? Infinity : Number(b.metric.le);
    assert.equal(Number(b.value[1]), sizes.filter((v) => v <= le).length, `le=${b.metric.le}`);
  }
  const p50 = await value(`histogram_quantile(0.5, payload_size_bytes_bucket{${sel}})`);
  assert.ok(p50 !== undefined && p50 > 861 && p50 <= 1024, `p50 ${p50} in the bucket holding 1000`);
  // …and the distribution under the base name: exact count and sum, p50 within half a bucket of 1000.
  await expectValue(`histogram_count(payload_size_bytes{${sel}})`, 4);
  await expectValue(`histogram_sum(payload_size_bytes{${sel}})`, 12100);
  const d50 = await value(`histogram_quantile(0.5, payload_size_bytes{${sel}})`);
  assert.ok(d50 !== undefined && Math.abs(d50 - 1000) / 1000 < 0.03, `distribution p50 ${d50}`);
  // target_info carries the other resource attributes with job and instance.
  const ti = await query(stack.zoneUrl, `target_info{${sel}}`);
  assert.equal(ti.length, 1);
  assert.equal(ti[0].metric.deployment_environment, 'test');
  assert.equal(ti[0].metric.host_name, 'h1');
  assert.equal(ti[0].value[1], '1');
  // Metadata from the OTLP type and unit.
  const md = (await (
    await fetch(`${stack.zoneUrl}/api/v1/metadata?metric=http_server_duration_milliseconds`)
  ).json()) as any;
  assert.deepEqual(md.data.http_server_duration_milliseconds, [{ type: 'histogram', help: '', unit: 'ms' }]);
  // The zone's own counters saw the path.
  const m = await (await fetch(`${stack.zoneUrl}/metrics`)).text();
  assert.match(m, /canopy_zone_ingest_requests_total\{path="otlp",code="200"\} [1-9]/);
  await mp.shutdown();
});

test('OTel SDK http/json with delta temporality → zone: delta sums arrive as cumulative totals', async () => {
  const mp = provider(
    new JsonExporter({ url: otlpUrl, temporalityPreference: AggregationTemporalityPreference.DELTA }),
    {
      'service.name': 'billing',
      'service.instance.id': 'inst-2',
    },
  );
  const meter = mp.getMeter('otlp-json');
  const sent = meter.createCounter('invoices.sent', { unit: '{invoice}' });
  const lat = meter.createHistogram('render.time', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.1, 1] },
  });
  sent.add(2);
  lat.record(0.05);
  await mp.forceFlush();
  await expectValue('invoices_sent_total{job="billing",instance="inst-2"}', 2);
  sent.add(5);
  lat.record(0.5);
  lat.record(5);
  await mp.forceFlush();
  await expectValue('invoices_sent_total{job="billing",instance="inst-2"}', 7);
  await expectValue('render_time_seconds_count{job="billing"}', 3);
  await expectValue('render_time_seconds_bucket{job="billing",le="0.1"}', 1);
  await expectValue('render_time_seconds_bucket{job="billing",le="1"}', 2);
  await expectValue('render_time_seconds_sum{job="billing"}', 5.55);
  await mp.shutdown();
});

function deltaBody(timeNs: string, value: number): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'retry' } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'jobs.done',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: [{ timeUnixNano: timeNs, asInt: String(value) }],
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

async function dropped(reason: string): Promise<number> {
  const m = await (await fetch(`${stack.zoneUrl}/metrics`)).text();
  const line = m
    .split('\n')
    .find((l) => l.startsWith(`canopy_zone_samples_dropped_total{reason="${reason}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

test('a retried delta point is refused with partial_success and counted; bad requests get 4xx', async () => {
  const t = BigInt(Date.now()) * 1_000_000n;
  const post = (body: string | Uint8Array, headers: Record<string, string>): Promise<Response> =>
    fetch(otlpUrl, { method: 'POST', headers, body });
  let r = await post(gzipSync(deltaBody(String(t), 4)), {
    'content-type': 'application/json',
    'content-encoding': 'gzip',
  });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), {});
  const before = await dropped('out_of_order');
  r = await post(deltaBody(String(t), 4), { 'content-type': 'application/json' });
  assert.equal(r.status, 200);
  const body = (await r.json()) as any;
  assert.equal(body.partialSuccess.rejectedDataPoints, '1');
  assert.match(body.partialSuccess.errorMessage, /delta point not after the last one/);
  assert.equal(await dropped('out_of_order'), before + 1);
  await expectValue('jobs_done_total{job="retry"}', 4);

  r = await post('x', { 'content-type': 'text/plain' });
  assert.equal(r.status, 415);
  r = await post(new Uint8Array([0x0a, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' });
  assert.equal(r.status, 400);
  r = await post('{"resourceMetrics": 3', { 'content-type': 'application/json' });
  assert.equal(r.status, 400);
  assert.match(((await r.json()) as any).message, /cannot parse JSON body/);
  r = await post('abc', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  assert.equal(r.status, 400);
});
