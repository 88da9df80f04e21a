import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  CumulativeState,
  exponentialBuckets,
  formatBound,
  receiveOtlp,
  translateExportRequest,
  type OtlpSample,
} from '../../../shared/otlp/index.ts';
import { otlp } from '../../../proto/otlp/index.ts';
import { isStaleNaN } from '../../../shared/promql/index.ts';

const NOW = 1_700_000_000_000;
const NS = String(BigInt(NOW) * 1_000_000n);

function req(
  metrics: unknown[],
  resource: Record<string, string> = { 'service.name': 'svc' },
): otlp.IExportMetricsServiceRequest {
  return otlp.ExportMetricsServiceRequest.fromObject({
    resourceMetrics: [
      {
        resource: {
          attributes: Object.entries(resource).map(([key, v]) => ({ key, value: { stringValue: v } })),
        },
        scopeMetrics: [{ metrics }],
      },
    ],
  });
}

function flat(ss: OtlpSample[]): Record<string, number> {
  return Object.fromEntries(ss.map((s) => [s.labels.map((l) => `${l.name}=${l.value}`).join(','), s.value]));
}

test('sums, gauges, summaries; job from namespace/name, instance, target_info at the latest point time', () => {
  const tr = translateExportRequest(
    req(
      [
        {
          name: 'a.count',
          sum: {
            aggregationTemporality: 2,
            isMonotonic: true,
            dataPoints: [
              {
                timeUnixNano: NS,
                asInt: '5',
                attributes: [
                  { key: 'k.1', value: { intValue: '7' } },
                  { key: 'k_1', value: { boolValue: true } },
                ],
              },
            ],
          },
        },
        {
          name: 'level',
          unit: '1',
          gauge: {
            dataPoints: [
              {
                timeUnixNano: NS,
                asDouble: 0.25,
                attributes: [{ key: 'job', value: { stringValue: 'overridden' } }],
              },
            ],
          },
        },
        {
          name: 'rpc',
          unit: 's',
          summary: {
            dataPoints: [
              {
                timeUnixNano: NS,
                count: '3',
                sum: 1.5,
                quantileValues: [
                  { quantile: 0.5, value: 0.4 },
                  { quantile: 0.99, value: 0.9 },
                ],
              },
            ],
          },
        },
      ],
      {
        'service.name': 'api',
        'service.namespace': 'prod',
        'service.instance.id': 'i-1',
        'cloud.region': 'eu-1',
      },
    ),
    new CumulativeState(),
    NOW,
  );
  assert.deepEqual(flat(tr.samples), {
    '__name__=a_count_total,instance=i-1,job=prod/api,k_1=7;true': 5,
    '__name__=level_ratio,instance=i-1,job=prod/api': 0.25,
    '__name__=rpc_seconds_sum,instance=i-1,job=prod/api': 1.5,
    '__name__=rpc_seconds_count,instance=i-1,job=prod/api': 3,
    '__name__=rpc_seconds,instance=i-1,job=prod/api,quantile=0.5': 0.4,
    '__name__=rpc_seconds,instance=i-1,job=prod/api,quantile=0.99': 0.9,
    '__name__=target_info,cloud_region=eu-1,instance=i-1,job=prod/api': 1,
  });
  assert.ok(tr.samples.every((s) => s.tMs === NOW));
  assert.equal(tr.points, 3);
  assert.equal(tr.drops.size, 0);
});

test('explicit histogram → cumulative buckets; no recorded value → staleness markers', () => {
  const tr = translateExportRequest(
    req([
      {
        name: 'lat',
        unit: 'ms',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [
            { timeUnixNano: NS, count: '6', sum: 60, explicitBounds: [1, 10], bucketCounts: ['1', '2', '3'] },
            { timeUnixNano: NS, flags: 1, attributes: [{ key: 'x', value: { stringValue: 'y' } }] },
          ],
        },
      },
    ]),
    new CumulativeState(),
    NOW,
  );
  const f = flat(tr.samples.filter((s) => !s.labels.some((l) => l.name === 'x')));
  assert.deepEqual(f, {
    '__name__=lat_milliseconds_sum,job=svc': 60,
    '__name__=lat_milliseconds_count,job=svc': 6,
    '__name__=lat_milliseconds_bucket,job=svc,le=1': 1,
    '__name__=lat_milliseconds_bucket,job=svc,le=10': 3,
    '__name__=lat_milliseconds_bucket,job=svc,le=+Inf': 6,
  });
  const stale = tr.samples.filter((s) => s.labels.some((l) => l.name === 'x'));
  assert.ok(stale.length >= 2 && stale.every((s) => isStaleNaN(s.value)));
});

test('delta sums and histograms accumulate; a repeated point is refused; unspecified temporality dropped', () => {
  const st = new CumulativeState();
  const delta = (t: bigint, v: number) =>
    req([
      {
        name: 'jobs',
        sum: {
          aggregationTemporality: 1,
          isMonotonic: true,
          dataPoints: [{ timeUnixNano: String(t), asDouble: v }],
        },
      },
      {
        name: 'h',
        histogram: {
          aggregationTemporality: 1,
          dataPoints: [
            {
              timeUnixNano: String(t),
              count: String(v),
              sum: v,
              explicitBounds: [1],
              bucketCounts: [String(v), '0'],
            },
          ],
        },
      },
    ]);
  const t0 = BigInt(NS);
  translateExportRequest(delta(t0, 2), st, NOW);
  const second = translateExportRequest(delta(t0 + 1_000_000_000n, 3), st, NOW);
  assert.equal(flat(second.samples)['__name__=jobs_total,job=svc'], 5);
  assert.equal(flat(second.samples)['__name__=h_bucket,job=svc,le=1'], 5);
  assert.equal(flat(second.samples)['__name__=h_count,job=svc'], 5);
  const again = translateExportRequest(delta(t0 + 1_000_000_000n, 3), st, NOW);
  assert.equal(again.samples.filter((s) => s.labels[0]!.value !== 'target_info').length, 0);
  assert.equal(again.drops.get('out_of_order'), 2);
  const un = translateExportRequest(
    req([{ name: 'u', sum: { isMonotonic: true, dataPoints: [{ asInt: '1' }, { asInt: '2' }] } }]),
    st,
    NOW,
  );
  assert.equal(un.drops.get('unsupported'), 2);
  assert.equal(un.samples.length, 0);
});

test('exponential buckets: merged to scale 2, dense, negative and zero buckets first', () => {
  // scale 3: index i covers (2^(i/8), 2^((i+1)/8)]; indexes 0..3 merge into scale-2 indexes 0..1
  const b = exponentialBuckets({
    scale: 3,
    zeroCount: 1,
    positive: { offset: 0, bucketCounts: [1, 0, 2, 1] },
    negative: { offset: 8, bucketCounts: [4] },
  });
  // negative index 8 at scale 3 is |v| in (2, 2^(9/8)]: merged to scale-2 index 4, |v| in (2, 2^(5/4)], le=-2
  assert.deepEqual(b.bounds, [-2, 0, 2 ** 0.25, 2 ** 0.5]);
  assert.deepEqual(b.counts, [4, 1, 1, 3]);
  // scale below the target keeps its own (coarser) bounds
  const c = exponentialBuckets({ scale: 0, positive: { offset: -1, bucketCounts: [1, 1] } });
  assert.deepEqual(c.bounds, [1, 2]);
});

test('receiveOtlp: protobuf round trip, 415 for other media types, 400 for bad bodies, gzip capped', async () => {
  const bytes = otlp.ExportMetricsServiceRequest.encode(
    req([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: NS, asDouble: 1 }] } }]),
  ).finish();
  const ok = await receiveOtlp(bytes, 'application/x-protobuf', undefined, 1e6, new CumulativeState(), NOW);
  assert.ok(ok.ok && ok.translation.samples.length === 1);
  const bad = await receiveOtlp(bytes, 'text/plain', undefined, 1e6, new CumulativeState(), NOW);
  assert.ok(!bad.ok && bad.response.status === 415);
  const big = await receiveOtlp(bytes, 'application/x-protobuf', undefined, 4, new CumulativeState(), NOW);
  assert.ok(!big.ok && big.response.status === 413);
  const br = await receiveOtlp(bytes, 'application/x-protobuf', 'br', 1e6, new CumulativeState(), NOW);
  assert.ok(!br.ok && br.response.status === 415);
  const garbage = await receiveOtlp(
    new Uint8Array([0x0a, 0x05, 1]),
    'application/x-protobuf',
    undefined,
    1e6,
    new CumulativeState(),
    NOW,
  );
  assert.ok(!garbage.ok && garbage.response.status === 400);
  const st = otlp.Status.decode(garbage.response.body as Uint8Array);
  assert.equal(st.code, 3);
  assert.match(st.message, /cannot decode ExportMetricsServiceRequest/);
  const gz = await receiveOtlp(
    gzipSync(bytes),
    'application/x-protobuf',
    'gzip',
    1e6,
    new CumulativeState(),
    NOW,
  );
  assert.ok(gz.ok && gz.translation.samples.length === 1);
  const bomb = await receiveOtlp(
    gzipSync(new Uint8Array(1e6)),
    'application/x-protobuf',
    'gzip',
    1e5,
    new CumulativeState(),
    NOW,
  );
  assert.ok(!bomb.ok && bomb.response.status === 413);
});

test('le and quantile values format as Go FormatFloat(f, f, -1)', () => {
  assert.equal(formatBound(0.25), '0.25');
  assert.equal(formatBound(500), '500');
  assert.equal(formatBound(1e21), '1000000000000000000000');
  assert.equal(formatBound(1.2676506002282294e30), '1267650600228229400000000000000');
  assert.equal(formatBound(1e-7), '0.0000001');
  assert.equal(formatBound(-1.5e-9), '-0.0000000015');
  assert.equal(formatBound(2 ** -30), '0.0000000009313225746154785');
  assert.equal(formatBound(Infinity), '+Inf');
});

test('random and mutated bodies never throw: decoded and translated, or a 4xx', async () => {
  const valid = otlp.ExportMetricsServiceRequest.encode(
    req([
      {
        name: 'h',
        histogram: {
          aggregationTemporality: 1,
          dataPoints: [
            { timeUnixNano: NS, count: '3', sum: 1, explicitBounds: [1, 2], bucketCounts: ['1', '1', '1'] },
          ],
        },
      },
      {
        name: 'e',
        exponentialHistogram: {
          aggregationTemporality: 2,
          dataPoints: [
            {
              timeUnixNano: NS,
              count: '2',
              scale: 5,
              zeroCount: '1',
              positive: { offset: -3, bucketCounts: ['1'] },
            },
          ],
        },
      },
      {
        name: 's',
        sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano: NS, asInt: '4' }] },
      },
    ]),
  ).finish();
  let seed = 42;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const st = new CumulativeState();
  for (let i = 0; i < 2000; i++) {
    const body =
      i % 2 === 0
        ? Uint8Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256))
        : valid.map((b) => (rnd() < 0.02 ? Math.floor(rnd() * 256) : b));
    const r = await receiveOtlp(
      body,
      i % 4 < 2 ? 'application/x-protobuf' : 'application/json',
      undefined,
      1e6,
      st,
      NOW,
    );
    if (!r.ok) assert.ok(r.response.status >= 400 && r.response.status < 500, `status ${r.response.status}`);
    else for (const s of r.translation.samples) assert.equal(typeof s.value, 'number');
  }
});

test('exponential histograms with a scale outside -10..20 are dropped as parse_error', () => {
  const tr = translateExportRequest(
    req([
      {
        name: 'e',
        exponentialHistogram: {
          aggregationTemporality: 2,
          dataPoints: [
            { timeUnixNano: NS, count: '1', scale: 21, positive: { bucketCounts: ['1'] } },
            { timeUnixNano: NS, count: '1', scale: -11 },
          ],
        },
      },
    ]),
    new CumulativeState(),
    NOW,
  );
  assert.equal(tr.drops.get('parse_error'), 2);
  assert.equal(tr.samples.length, 0);
});

test('a non-finite delta value is refused (invalid_value) and the running total stays usable', () => {
  const st = new CumulativeState();
  const d = (t: number, v: number) =>
    req([
      {
        name: 'n',
        sum: {
          aggregationTemporality: 1,
          isMonotonic: true,
          dataPoints: [{ timeUnixNano: String(BigInt(NS) + BigInt(t) * 1_000_000_000n), asDouble: v }],
        },
      },
    ]);
  translateExportRequest(d(1, 2), st, NOW);
  const bad = translateExportRequest(d(2, NaN), st, NOW);
  assert.equal(bad.drops.get('invalid_value'), 1);
  const next = translateExportRequest(d(3, 3), st, NOW);
  assert.equal(flat(next.samples)['__name__=n_total,job=svc'], 5);
});
