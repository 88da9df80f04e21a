// Metadata fan-out: series, label names and values are the deduplicated union over zones; a
// zone's series list larger than the bus's max payload arrives in chunks and is joined.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster, type TestSample } from './cluster.ts';
import { ZONES } from './differential.ts';

let c: Cluster;
const PER_ZONE = 12_000;
const opts = { timeoutMs: 10_000, signal: new AbortController().signal, partialResponse: false };

before(async () => {
  const samples: TestSample[] = [];
  for (const z of ZONES) {
    for (let i = 0; i < PER_ZONE; i++) {
      samples.push({
        labels: {
          __name__: 'node_filesystem_avail_bytes',
          zone: z.zone,
          region: z.region,
          job: 'node',
          instance: `${z.zone}-host-${i}.example.internal:9100`,
          mountpoint: '/var/lib/something/long',
        },
        t: 1000,
        v: i,
      });
    }
    samples.push({
      labels: { __name__: 'up', zone: z.zone, region: z.region, job: 'node', instance: 'shared' },
      t: 1000,
      v: 1,
    });
  }
  c = await startCluster(ZONES, samples);
});
after(() => c.stop());

test('a series list larger than the max payload comes back whole from every zone', async () => {
  assert.ok(PER_ZONE * 120 > c.bus.maxPayloadBytes(), 'the test must exceed one message');
  const r = await c.root.series(['node_filesystem_avail_bytes'], 0, 10_000, undefined, opts);
  assert.equal(r.data.length, PER_ZONE * ZONES.length);
  assert.deepEqual(r.warnings, []);
  const limited = await c.root.series(['node_filesystem_avail_bytes'], 0, 10_000, 10, opts);
  assert.equal(limited.data.length, 10);
  assert.deepEqual(limited.warnings, ['results truncated due to limit']);
});

test('label names and values: union over zones, each value once', async () => {
  const jobs = await c.root.labelValues('job', [], 0, 10_000, undefined, opts);
  assert.deepEqual(jobs.data, ['node']);
  const zones = await c.root.labelValues('zone', ['up'], 0, 10_000, undefined, opts);
  assert.deepEqual(zones.data, ['a', 'b', 'c']);
  const inst = await c.root.labelValues('instance', ['up'], 0, 10_000, undefined, opts);
  assert.deepEqual(inst.data, ['shared']);
  const names = await c.root.labelNames(['up'], 0, 10_000, undefined, opts);
  assert.deepEqual(names.data, ['__name__', 'instance', 'job', 'region', 'zone']);
});
