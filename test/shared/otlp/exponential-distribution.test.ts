// Exponential histogram points → distributions: bucket midpoints as centroids (quantiles within
// half a bucket), cumulative → delta (baseline, reset, lower scale, retries), and the
// translator emitting both the distribution `<name>` and the classic `_bucket` series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CumulativeState,
  ExponentialDeltas,
  exponentialSnapshot,
  snapshotDistribution,
  translateExportRequest,
} from '../../../shared/otlp/index.ts';
import { otlp } from '../../../proto/otlp/index.ts';
import { digestQuantile } from '../../../shared/promql/quantile.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';

const NOW = 1_700_000_000_000;
const ns = (ms: number): number => ms * 1e6;

/** An exponential histogram data point (as an SDK builds it) of `values` at `scale`. */
function point(
  values: number[],
  scale: number,
  extra: Record<string, unknown> = {},
): otlp.IExponentialHistogramDataPoint {
  const idx = (v: number): number => Math.ceil(Math.log2(v) * 2 ** scale) - 1;
  const pos = values.filter((v) => v > 0).map(idx);
  const neg = values.filter((v) => v < 0).map((v) => idx(-v));
  const dense = (ix: number[]): { offset: number; bucketCounts: number[] } => {
    if (ix.length === 0) return { offset: 0, bucketCounts: [] };
    const lo = Math.min(...ix),
      hi = Math.max(...ix);
    const counts = new Array<number>(hi - lo + 1).fill(0);
    for (const i of ix) counts[i - lo]!++;
    return { offset: lo, bucketCounts: counts };
  };
  return {
    scale,
    count: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    zeroCount: values.filter((v) => v === 0).length,
    min: Math.min(...values),
    max: Math.max(...values),
    positive: dense(pos),
    negative: dense(neg),
    ...extra,
  };
}

const exact = (vs: number[], q: number): number => {
  const s = [...vs].sort((a, b) => a - b);
  const r = q * (s.length - 1);
  const lo = Math.floor(r);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (r - lo);
};

test('quantiles of a point are within half a bucket width of the exact ones (1..1000 at scales 3..6)', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i + 1);
  for (const scale of [3, 4, 5, 6]) {
    const d = snapshotDistribution(exponentialSnapshot(point(values, scale)), true)!;
    assert.equal(d.count, 1000);
    assert.equal(d.sum, 500500);
    assert.equal(d.min, 1);
    assert.equal(d.max, 1000);
    const bound = (2 ** (2 ** -scale) - 1) / 2;
    let worst = 0;
    for (const q of [0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
      worst = Math.max(worst, Math.abs(digestQuantile(q, d) - exact(values, q)) / exact(values, q));
    assert.ok(
      worst <= bound,
      `scale ${scale}: worst relative error ${worst.toFixed(4)} > ${bound.toFixed(4)}`,
    );
  }
});

test('negative values and the zero bucket keep their order', () => {
  const values = [-8, -8, -2, 0, 0, 3, 50];
  const d = snapshotDistribution(exponentialSnapshot(point(values, 4)), true)!;
  assert.equal(d.count, 7);
  assert.ok(
    digestQuantile(0.01, d) < -7 &&
      digestQuantile(0.5, d) > -2 &&
      digestQuantile(0.5, d) <= 0 &&
      digestQuantile(0.99, d) > 40,
    JSON.stringify(Array.from(d.means)),
  );
});

test('cumulative → delta: baseline before the receiver started, whole after, differences, reset, lower scale, retries', () => {
  const started = ns(NOW);
  const x = new ExponentialDeltas(started);
  const ls = labelsFromRecord({ __name__: 'h' });
  const snap = (vs: number[], scale = 4): ReturnType<typeof exponentialSnapshot> =>
    exponentialSnapshot(point(vs, scale));
  // A stream older than the receiver: its first point is only a baseline.
  assert.equal(x.delta(ls, started - 1e9, ns(NOW + 1000), snap([1, 2]), NOW), null);
  const d1 = x.delta(ls, started - 1e9, ns(NOW + 2000), snap([1, 2, 100, 200]), NOW)!;
  assert.equal(d1.count, 2);
  assert.equal(d1.sum, 300);
  assert.equal(
    [...d1.positive.values()].reduce((a, b) => a + b),
    2,
  );
  // Retried (not later): nothing.
  assert.equal(x.delta(ls, started - 1e9, ns(NOW + 2000), snap([1, 2, 100, 200]), NOW), null);
  // The SDK lowered the scale (range grew): the difference is taken at the lower scale.
  const d2 = x.delta(ls, started - 1e9, ns(NOW + 3000), snap([1, 2, 100, 200, 1e6], 2), NOW)!;
  assert.equal(d2.scale, 2);
  assert.equal(d2.count, 1);
  assert.deepEqual([...d2.positive.values()], [1]);
  // A new start time is a reset: the whole point.
  const d3 = x.delta(ls, started + 5e9, ns(NOW + 4000), snap([7]), NOW)!;
  assert.equal(d3.count, 1);
  assert.equal(d3.sum, 7);
  // A new stream after the receiver started counts whole.
  assert.equal(
    x.delta(labelsFromRecord({ __name__: 'g' }), started + 1e9, ns(NOW + 1000), snap([5, 6]), NOW)!.count,
    2,
  );
});

test('translator: exponential histogram → distribution <name> and classic <name>_bucket; delta points as they are', () => {
  const st = new CumulativeState(15 * 60_000, NOW - 10_000);
  const mk = (
    temporality: number,
    values: number[],
    startMs: number,
    tMs: number,
  ): otlp.IExportMetricsServiceRequest =>
    otlp.ExportMetricsServiceRequest.fromObject({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'req.size',
                  unit: 'By',
                  exponentialHistogram: {
                    aggregationTemporality: temporality,
                    dataPoints: [
                      { ...point(values, 3), startTimeUnixNano: ns(startMs), timeUnixNano: ns(tMs) },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
  const t1 = translateExportRequest(mk(2, [10, 20, 30], NOW - 5000, NOW), st, NOW);
  assert.equal(t1.distributions.length, 1);
  assert.equal(t1.distributions[0]!.labels.find((l) => l.name === '__name__')!.value, 'req_size_bytes');
  assert.equal(t1.distributions[0]!.d.count, 3);
  assert.ok(t1.samples.some((s) => s.labels.some((l) => l.value === 'req_size_bytes_bucket')));
  const t2 = translateExportRequest(mk(2, [10, 20, 30, 40], NOW - 5000, NOW + 1000), st, NOW + 1000);
  assert.equal(t2.distributions[0]!.d.count, 1);
  assert.equal(t2.distributions[0]!.d.sum, 40);
  // Delta: each point is its interval; a retried delta point gives neither buckets nor a distribution.
  const t3 = translateExportRequest(mk(1, [1, 2], NOW, NOW + 2000), st, NOW + 2000);
  assert.equal(t3.distributions[0]!.d.count, 2);
  const t4 = translateExportRequest(mk(1, [1, 2], NOW, NOW + 2000), st, NOW + 2000);
  assert.equal(t4.distributions.length, 0);
  assert.equal(t4.drops.get('out_of_order'), 1);
});
