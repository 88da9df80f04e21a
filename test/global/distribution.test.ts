// Distributions (t-digest samples) across zones: sums of distributions are merged in the zones
// and again at the root; counts and sums agree exactly (to rounding), quantiles of the merged
// digests within the digest's error bound (merge order differs from one server's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster, type TestSample } from './cluster.ts';
import { ZONES } from './differential.ts';
import { TDigest } from '../../shared/sketch/index.ts';
import type { QueryResult } from '../../shared/value.ts';

let c: Cluster;
const T = 600_000;
const opts = { timeoutMs: 10_000, signal: new AbortController().signal, partialResponse: false };

before(async () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;
  const samples: TestSample[] = [];
  for (const z of ZONES) {
    for (const job of ['api', 'web']) {
      for (let i = 0; i < 3; i++) {
        const scale = 0.05 * (1 + i) * (job === 'api' ? 1 : 3);
        for (let t = 0; t <= T; t += 60_000) {
          const d = new TDigest();
          for (let k = 0; k < 300; k++) d.add(-Math.log(1 - rnd()) * scale);
          samples.push({
            labels: {
              __name__: 'latency_seconds',
              zone: z.zone,
              region: z.region,
              job,
              instance: `${z.zone}-${i}`,
            },
            t,
            v: 0,
            d: d.toDistribution(),
          });
        }
      }
    }
  }
  c = await startCluster(ZONES, samples);
});
after(() => c.stop());

function values(r: QueryResult): Map<string, number> {
  assert.equal(r.value.type, 'vector');
  if (r.value.type !== 'vector') return new Map();
  return new Map(r.value.vector.map((s) => [JSON.stringify(s.labels), s.d ? NaN : s.f]));
}

async function both(q: string): Promise<[Map<string, number>, Map<string, number>]> {
  return [values(await c.root.query(q, T, opts)), values(await c.ref.query(q, T, opts))];
}

test('histogram_count and histogram_sum of summed distributions agree with one server', async () => {
  for (const q of [
    'histogram_count(sum by (job) (latency_seconds))',
    'histogram_sum(sum(latency_seconds))',
    'histogram_count(sum(sum_over_time(latency_seconds[5m])))',
  ]) {
    const [got, want] = await both(q);
    assert.equal(got.size, want.size, q);
    assert.ok(got.size > 0, q);
    for (const [k, v] of want)
      assert.ok(Math.abs(got.get(k)! - v) <= 1e-9 * Math.abs(v), `${q} ${k}: ${got.get(k)} vs ${v}`);
  }
  assert.equal(
    (await c.root.explain('histogram_quantile(0.9, sum by (job) (latency_seconds))')).root,
    'histogram_quantile(0.9, sum by (job) (__canopy_fragment_0__))',
  );
});

test("quantiles of distributions merged in the zones and at the root are within the digest's error bound", async () => {
  for (const phi of [0.5, 0.9, 0.99]) {
    const [got, want] = await both(`histogram_quantile(${phi}, sum by (job) (latency_seconds))`);
    assert.equal(got.size, 2);
    for (const [k, v] of want)
      assert.ok(Math.abs(got.get(k)! - v) <= 0.02 * v, `φ=${phi} ${k}: ${got.get(k)} vs ${v}`);
  }
  // Per series (pushed down whole): identical.
  const [got, want] = await both('histogram_quantile(0.9, latency_seconds)');
  assert.deepEqual(got, want);
});
