import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '../../proto/index.ts';
import { BatchEncoder, encodeDistributionSample, encodeLabels } from '../../leaf/batch-encoder.ts';
import { Pipeline } from '../../leaf/pipeline.ts';
import { STALE_NAN, isStaleNaN } from '../../leaf/scrape/index.ts';
import { labelsFromRecord } from '../../shared/labels.ts';

const L = (r: Record<string, string>) => labelsFromRecord(r);

test('hand encoding is byte-identical to the generated encoder', () => {
  const labels = [
    L({ __name__: 'up', job: 'node', instance: 'h:9100' }),
    L({ __name__: 'ünïcode_ok', path: '/ä/€/😀', long: 'x'.repeat(300) }),
  ];
  const dist = {
    timestampMs: 1700000000123,
    value: { count: 3, sum: 6, min: 1, max: 3, means: [1, 2, 3], weights: [1, 1, 1] },
  };
  const series = [
    {
      labels: labels[0]!.map((l) => ({ ...l })),
      timestampsMs: [1700000000000, 1700000010000, 0, 2 ** 40],
      values: [1, -0.5, Infinity, 1e300],
    },
    { labels: labels[1]!.map((l) => ({ ...l })), timestampsMs: [], values: [], distributions: [dist] },
  ];
  const metadata = [{ metric: 'up', type: 'gauge', help: 'Up.', unit: '' }];
  const want = pb.Batch.encode({
    batchId: 'leaf-abc-1',
    source: 'leaf',
    createdMs: 1700000000999,
    series,
    metadata,
  }).finish();
  const got = new BatchEncoder().encode(
    'leaf-abc-1',
    'leaf',
    1700000000999,
    [
      {
        labelBytes: encodeLabels(labels[0]!),
        timestampsMs: series[0]!.timestampsMs,
        values: series[0]!.values,
        distributions: undefined,
      },
      {
        labelBytes: encodeLabels(labels[1]!),
        timestampsMs: [],
        values: [],
        distributions: [encodeDistributionSample(dist)],
      },
    ],
    metadata,
  );
  assert.deepEqual(Buffer.from(got), Buffer.from(want));
});

test('negative timestamps, NaN payloads and a buffer that grows; the pipeline decodes back', () => {
  const batches: Uint8Array[] = [];
  const p = new Pipeline('leaf', { dc: 'x' }, { append: (_id, b) => void batches.push(b) });
  const ls = L({ __name__: 'm', i: '1' });
  const floats = [{ labels: ls, tMs: -5, value: STALE_NAN }];
  for (let i = 0; i < 20_000; i++)
    floats.push({ labels: L({ __name__: 'big', i: String(i) }), tMs: 1700000000000 + i, value: i / 3 });
  p.push(floats);
  p.push([{ labels: ls, tMs: 1, value: 2 }]); // same label set again: cached label bytes
  const b = pb.Batch.decode(batches[0]!);
  assert.equal(b.series.length, 20_001);
  const s0 = b.series[0]!;
  assert.deepEqual(
    s0.labels!.map((l) => [l.name, l.value]),
    [
      ['__name__', 'm'],
      ['dc', 'x'],
      ['i', '1'],
    ],
  );
  assert.equal(Number(s0.timestampsMs![0]), -5);
  assert.ok(isStaleNaN(s0.values![0]!), 'the staleness marker keeps its bits');
  assert.equal(b.series[20_000]!.values![0], 19_999 / 3);
  const again = pb.Batch.decode(batches[1]!);
  assert.deepEqual(
    again.series[0]!.labels!.map((l) => l.value),
    ['m', 'x', '1'],
  );
  assert.equal(again.series[0]!.values![0], 2);
});
