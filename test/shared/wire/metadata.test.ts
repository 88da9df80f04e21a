// Chunked metadata answers: a long series list is split under the payload limit and joined back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMetadataChunks, MetadataStream } from '../../../shared/wire/index.ts';

test('a series list larger than the payload comes in several chunks and is joined in order', () => {
  const series = Array.from({ length: 5000 }, (_, i) => ({
    labels: [
      { name: '__name__', value: 'm' },
      { name: 'instance', value: `host-${i}` },
    ],
  }));
  const chunks = encodeMetadataChunks({ queryId: 'q', zone: 'z', series, warnings: ['w'] }, 32 * 1024);
  assert.ok(chunks.length > 3);
  for (const c of chunks) assert.ok(c.length <= 32 * 1024);
  const s = new MetadataStream();
  const order = [...chunks.keys()].reverse();
  let done = false;
  for (const i of order) done = s.add(chunks[i]!);
  assert.ok(done);
  const r = s.result();
  assert.equal(r.series!.length, 5000);
  assert.equal(r.series![4999]!.labels![1]!.value, 'host-4999');
  assert.deepEqual(r.warnings, ['w']);
});

test('a small answer is one message with last set', () => {
  const chunks = encodeMetadataChunks({ queryId: 'q', values: ['a', 'b'] }, 1 << 20);
  assert.equal(chunks.length, 1);
  const s = new MetadataStream();
  assert.ok(s.add(chunks[0]!));
  assert.deepEqual(s.result().values, ['a', 'b']);
});

test('field hints with a cardinality sketch per metric (4 KiB each) and per top label pair (1 KiB) larger than the payload are chunked and joined', () => {
  const cardinality = Array.from({ length: 600 }, (_, i) => ({
    metric: `metric_${i}`,
    sketch: new Uint8Array(4098).fill(i % 256),
    series: i,
  }));
  const labelPairs = Array.from({ length: 200 }, (_, i) => ({
    name: 'instance',
    value: `host-${i}`,
    sketch: new Uint8Array(1026).fill(i % 256),
    series: 1000 - i,
  }));
  const metricNames = cardinality.map((c) => c.metric!);
  const chunks = encodeMetadataChunks(
    {
      queryId: 'q',
      zone: 'z',
      hints: {
        zone: 'z',
        seriesCount: 99,
        metricNames,
        labels: [{ name: 'job', values: ['a'], complete: true }],
        cardinality,
        labelPairs,
        labelPairsTotal: 5000,
      },
    },
    1024 * 1024,
  );
  assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
  for (const c of chunks) assert.ok(c.length <= 1024 * 1024);
  const s = new MetadataStream();
  let done = false;
  for (const c of chunks) done = s.add(c);
  assert.ok(done);
  const h = s.result().hints!;
  assert.equal(h.seriesCount, 99);
  assert.equal(h.cardinality!.length, 600);
  assert.equal(h.cardinality![599]!.metric, 'metric_599');
  assert.equal(h.cardinality![599]!.sketch!.length, 4098);
  assert.deepEqual(h.metricNames, metricNames);
  assert.equal(h.labels!.length, 1);
  assert.deepEqual(
    h.labelPairs!.map((p) => p.value),
    labelPairs.map((p) => p.value),
  );
  assert.equal(h.labelPairs![199]!.sketch!.length, 1026);
  assert.equal(h.labelPairsTotal, 5000);
});
