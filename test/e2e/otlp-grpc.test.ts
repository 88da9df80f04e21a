// OTLP/gRPC acceptance with the real @opentelemetry/exporter-metrics-otlp-grpc: the SDK exports
// to a zone's gRPC ingest port (MetricsService/Export next to canopy.v1.Ingest) and to a leaf's
// --otlp-grpc-listen, which ships to the zone. Counters, up-down counters, gauges, explicit and
// exponential histograms are queryable under the translated names with the SDK's values; the
// exponential histogram is also a distribution whose histogram_quantile matches the recorded
// values within the stated error. A zone with TLS and bearer tokens refuses an exporter without
// a token (UNAUTHENTICATED) and takes one with it, in the tenant of its x-scope-orgid metadata.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { credentials, Metadata } from '@grpc/grpc-js';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { freePort, getJson, spawnCanopy, waitFor, waitForHttp } from './harness.ts';
import { makeCerts } from './certs.ts';
import { leafMetric, query, startStack, type Stack } from '../leaf/e2e-stack.ts';

let stack: Stack;
let leafUrl = '';
let leafGrpc = '';

before(async () => {
  stack = await startStack('otlp-grpc', { root: false });
  const gp = await freePort();
  leafGrpc = `127.0.0.1:${gp}`;
  const leaf = await stack.startLeaf('leaf-otlp-grpc', 'flush_interval: 1s\ndata_dir: ""\n', [
    '--otlp-grpc-listen',
    leafGrpc,
  ]);
  leafUrl = leaf.url;
});

after(async () => {
  await stack?.stop();
});

async function expectValue(
  base: string,
  q: string,
  want: number,
  headers: Record<string, string> = {},
): Promise<void> {
  let last: unknown;
  try {
    await waitFor(
      `${q} == ${want}`,
      async () => {
        const r = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`, { headers });
        const body = (await r.json()) as any;
        last = body.data?.result?.map((s: any) => [s.metric, s.value[1]]) ?? body;
        return body.data?.result?.length === 1 && Number(body.data.result[0].value[1]) === want;
      },
      30_000,
    );
  } catch {
    assert.fail(`${q}: want ${want}, got ${JSON.stringify(last)}`);
  }
}

function provider(exporter: PushMetricExporter, attrs: Record<string, string>): MeterProvider {
  return new MeterProvider({
    resource: resourceFromAttributes(attrs),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
    views: [{ instrumentName: 'op.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
}

/** Exact quantile as Prometheus's quantile() (linear between closest ranks). */
function exactQuantile(vs: number[], q: number): number {
  const s = [...vs].sort((a, b) => a - b);
  const r = q * (s.length - 1);
  const lo = Math.floor(r);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (r - lo);
}

/** Records every instrument kind, exporting twice (the second export's cumulative points become deltas); returns the latency values recorded. */
async function recordAll(mp: MeterProvider): Promise<number[]> {
  const meter = mp.getMeter('grpc-test');
  meter.createCounter('orders.placed').add(3);
  const depth = meter.createUpDownCounter('queue.depth');
  depth.add(10);
  depth.add(-4);
  meter.createObservableGauge('cpu.temp', { unit: 'Cel' }).addCallback((r) => r.observe(41.5));
  const h = meter.createHistogram('http.server.duration', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [10, 100] },
  });
  for (const v of [1, 20, 30, 200]) h.record(v);
  const lat = meter.createHistogram('op.latency', { unit: 'ms' });
  const values: number[] = [];
  // 1..1000 in two exports, in a scrambled order (not sorted within an export).
  for (let i = 0; i < 1000; i++) values.push(((i * 379) % 1000) + 1);
  for (const v of values.slice(0, 600)) lat.record(v);
  await mp.forceFlush();
  await new Promise((r) => setTimeout(r, 20));
  for (const v of values.slice(600)) lat.record(v);
  await mp.forceFlush();
  return values;
}

async function checkAll(
  base: string,
  sel: string,
  values: number[],
  headers: Record<string, string> = {},
): Promise<Record<string, number>> {
  await expectValue(base, `orders_placed_total{${sel}}`, 3, headers);
  await expectValue(base, `queue_depth{${sel}}`, 6, headers);
  await expectValue(base, `cpu_temp_celsius{${sel}}`, 41.5, headers);
  await expectValue(base, `http_server_duration_milliseconds_count{${sel}}`, 4, headers);
  await expectValue(base, `http_server_duration_milliseconds_sum{${sel}}`, 251, headers);
  await expectValue(base, `http_server_duration_milliseconds_bucket{${sel},le="10"}`, 1, headers);
  await expectValue(base, `http_server_duration_milliseconds_bucket{${sel},le="100"}`, 3, headers);
  // Exponential: classic buckets as before…
  await expectValue(base, `op_latency_milliseconds_count{${sel}}`, 1000, headers);
  await expectValue(base, `op_latency_milliseconds_sum{${sel}}`, 500500, headers);
  // …and a distribution per export (the second one the delta of the cumulative points).
  await expectValue(
    base,
    `histogram_count(sum_over_time(op_latency_milliseconds{${sel}}[1h]))`,
    1000,
    headers,
  );
  await expectValue(
    base,
    `histogram_sum(sum_over_time(op_latency_milliseconds{${sel}}[1h]))`,
    500500,
    headers,
  );
  await expectValue(base, `count_over_time(op_latency_milliseconds{${sel}}[1h])`, 2, headers);
  const errors: Record<string, number> = {};
  for (const q of [0.5, 0.9, 0.99]) {
    const r = await fetch(
      `${base}/api/v1/query?query=${encodeURIComponent(`histogram_quantile(${q}, sum_over_time(op_latency_milliseconds{${sel}}[1h]))`)}`,
      { headers },
    );
    const got = Number(((await r.json()) as any).data.result[0].value[1]);
    const want = exactQuantile(values, q);
    errors[`p${q * 100}`] = Math.abs(got - want) / want;
    // The SDK picks scale 4 for 1..1000 in 160 buckets: half a bucket is 2.2%; 3% leaves room for the digest merge.
    assert.ok(errors[`p${q * 100}`]! < 0.03, `p${q * 100}: got ${got}, exact ${want}`);
  }
  return errors;
}

test('OTel SDK OTLP/gRPC → zone (gzip): every instrument kind, exponential histogram as a distribution', async () => {
  const mp = provider(new GrpcExporter({ url: `http://${stack.zoneGrpc}`, compression: 'gzip' as never }), {
    'service.name': 'grpc-zone',
    'service.instance.id': 'z-1',
  });
  const values = await recordAll(mp);
  const errors = await checkAll(stack.zoneUrl, 'job="grpc-zone",instance="z-1"', values);
  console.log(`zone: histogram_quantile relative errors ${JSON.stringify(errors)}`);
  const m = await (await fetch(`${stack.zoneUrl}/metrics`)).text();
  assert.match(m, /canopy_zone_ingest_requests_total\{path="otlp_grpc",code="200"\} [1-9]/);
  const md = (await getJson(`${stack.zoneUrl}/api/v1/metadata?metric=op_latency_milliseconds`)).body;
  assert.deepEqual(md.data.op_latency_milliseconds, [{ type: 'histogram', help: '', unit: 'ms' }]);
  await mp.shutdown();
});

test('OTel SDK OTLP/gRPC → leaf --otlp-grpc-listen → zone: the same values', async () => {
  const mp = provider(new GrpcExporter({ url: `http://${leafGrpc}` }), {
    'service.name': 'grpc-leaf',
    'service.instance.id': 'l-1',
  });
  const values = await recordAll(mp);
  const errors = await checkAll(stack.zoneUrl, 'job="grpc-leaf",instance="l-1"', values);
  console.log(`leaf: histogram_quantile relative errors ${JSON.stringify(errors)}`);
  assert.ok((await leafMetric(leafUrl, 'canopy_leaf_otlp_requests_total', { code: '200' })) >= 2);
  await mp.shutdown();
});

test('OTLP/gRPC at the zone follows the ingest port rules: TLS + bearer token, tenant from x-scope-orgid', async () => {
  const dir = join(stack.dir.path, 'secure');
  const certs = makeCerts(dir);
  const tokens = join(dir, 'tokens');
  writeFileSync(tokens, 'app1 s3cret\n');
  const hp = await freePort(),
    gp = await freePort();
  const zone = spawnCanopy('zone-secure', [
    'zone',
    '--zone',
    'zs',
    '--region',
    'r1',
    '--listen',
    `127.0.0.1:${hp}`,
    '--grpc-listen',
    `127.0.0.1:${gp}`,
    '--data-dir',
    join(dir, 'data'),
    '--grpc-tls-cert-file',
    certs.serverCert,
    '--grpc-tls-key-file',
    certs.serverKey,
    '--grpc-tokens-file',
    tokens,
    '--grpc-identity-label',
    'pusher',
  ]);
  try {
    const base = `http://127.0.0.1:${hp}`;
    assert.ok(await waitForHttp(`${base}/readyz`, 30_000), zone.output.slice(-10).join('\n'));
    const gauge = await oneGauge();
    const creds = (): ReturnType<typeof credentials.createSsl> =>
      credentials.createSsl(readFileSync(certs.caCert));
    // Without a token: UNAUTHENTICATED (the exporter reports the failure).
    const bad = new GrpcExporter({ url: `https://127.0.0.1:${gp}`, credentials: creds() });
    const refused = await new Promise<{ code: number; error?: Error }>((resolve) =>
      bad.export(gauge, (r) => resolve(r)),
    );
    assert.equal(refused.code, 1, 'export without a token fails');
    assert.match(String(refused.error?.message), /bearer token is required|UNAUTHENTICATED/);
    await bad.shutdown();
    const m1 = await (await fetch(`${base}/metrics`)).text();
    assert.match(m1, /canopy_zone_grpc_unauthenticated_total\{reason="no_token"\} 1/);
    // With the token and a tenant.
    const md = new Metadata();
    md.set('authorization', 'Bearer s3cret');
    md.set('x-scope-orgid', 'team-a');
    const good = new GrpcExporter({ url: `https://127.0.0.1:${gp}`, credentials: creds(), metadata: md });
    const ok = await new Promise<{ code: number; error?: Error }>((resolve) =>
      good.export(gauge, (r) => resolve(r)),
    );
    assert.equal(ok.code, 0, String(ok.error));
    await good.shutdown();
    await expectValue(base, 'fan_speed{job="secure",pusher="app1"}', 1200, { 'x-scope-orgid': 'team-a' });
    const anon = await query(base, 'fan_speed');
    assert.equal(anon.length, 0, 'not in the anonymous tenant');
  } finally {
    await zone.stop();
  }
});

/** A ResourceMetrics with one gauge point, collected by the SDK itself. */
async function oneGauge(): Promise<ResourceMetrics> {
  let captured: ResourceMetrics | undefined;
  const exporter: PushMetricExporter = {
    export: (m, cb) => {
      captured = m;
      cb({ code: 0 });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const mp = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'secure' }),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
  });
  mp.getMeter('m')
    .createObservableGauge('fan.speed')
    .addCallback((r) => r.observe(1200));
  await mp.forceFlush();
  await mp.shutdown();
  return captured!;
}
