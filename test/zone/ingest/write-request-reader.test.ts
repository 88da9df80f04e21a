import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prometheus } from '../../../proto/prometheus/gen/prometheus.js';
import { WriteRequestReader } from '../../../zone/ingest/index.ts';
import { NOW_MS, writeRequestBytes } from './helpers.ts';

function read(bytes: Uint8Array): WriteRequestReader {
  const r = new WriteRequestReader();
  r.decode(Buffer.from(bytes));
  return r;
}

test('decodes series, labels and samples into columns; skips exemplars, histograms and metadata', () => {
  const r = read(
    writeRequestBytes(
      [
        {
          labels: { __name__: 'up', job: 'a' },
          samples: [
            [NOW_MS, 1],
            [NOW_MS + 15_000, 0],
          ],
          exemplars: 2,
        },
        { labels: { __name__: 'h' }, histograms: 3 },
        {
          labels: { __name__: 'neg', ü: 'ünïcode' },
          samples: [
            [-1, -2.5],
            [-1_000_000_000_000, NaN],
            [0, 0],
          ],
        },
      ],
      true,
    ),
  );
  assert.equal(r.seriesCount, 3);
  assert.deepEqual(r.series[0], [
    { name: '__name__', value: 'up' },
    { name: 'job', value: 'a' },
  ]);
  assert.deepEqual([...r.sampleStart.subarray(0, 4)], [0, 2, 2, 5]);
  assert.deepEqual([...r.histograms.subarray(0, 3)], [0, 3, 0]);
  assert.deepEqual([...r.tsMs.subarray(0, 5)], [NOW_MS, NOW_MS + 15_000, -1, -1_000_000_000_000, 0]);
  assert.deepEqual([...r.values.subarray(0, 5)], [1, 0, -2.5, NaN, 0]);
  assert.equal(r.series[2]![1]!.value, 'ünïcode');
  assert.equal(r.labelErr.join(''), '');
});

test('agrees with protobufjs decode on many random requests (grows its columns)', () => {
  let seed = 99;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const r = new WriteRequestReader();
  for (let round = 0; round < 20; round++) {
    const series = Array.from({ length: 1 + rnd(150) }, (_, i) => ({
      labels: { __name__: `m${rnd(5)}`, i: String(i) },
      samples: Array.from(
        { length: rnd(30) },
        (_, j) => [NOW_MS - rnd(1e9) + j, rnd(1000) / 7] as [number, number],
      ),
    }));
    const bytes = writeRequestBytes(series);
    // countSamples (the rate check before decoding) counts what decode finds.
    const counted = r.countSamples(Buffer.from(bytes));
    r.decode(Buffer.from(bytes));
    assert.equal(counted, r.sampleCount);
    const ref = prometheus.WriteRequest.decode(bytes);
    assert.equal(r.seriesCount, ref.timeseries.length);
    for (let i = 0; i < r.seriesCount; i++) {
      const ts = ref.timeseries[i]!;
      assert.deepEqual(
        r.series[i],
        ts.labels!.map((l) => ({ name: l.name, value: l.value })),
      );
      const from = r.sampleStart[i]!,
        to = r.sampleStart[i + 1]!;
      assert.equal(to - from, ts.samples!.length);
      for (let j = from; j < to; j++) {
        assert.equal(r.tsMs[j], Number(ts.samples![j - from]!.timestamp));
        assert.equal(r.values[j], ts.samples![j - from]!.value);
      }
    }
  }
});

test('int64 timestamps beyond 2^53 become NaN (rejected later), and invalid UTF-8 is flagged per series', () => {
  const bytes = prometheus.WriteRequest.encode({
    timeseries: [
      {
        labels: [{ name: '__name__', value: 'x' }],
        samples: [{ value: 1, timestamp: '9007199254740993' as never }],
      },
    ],
  }).finish();
  const r = read(bytes);
  assert.ok(Number.isNaN(r.tsMs[0]));
  // Hand-built: one series with label value bytes ff fe (not UTF-8).
  const label = Buffer.from([0x0a, 0x01, 0x61, 0x12, 0x02, 0xff, 0xfe]);
  const series = Buffer.concat([Buffer.from([0x0a, label.length]), label]);
  const req = Buffer.concat([Buffer.from([0x0a, series.length]), series]);
  const r2 = read(req);
  assert.match(r2.labelErr[0]!, /not valid UTF-8/);
});

test('malformed protobuf throws bad_data, never anything else', () => {
  const good = Buffer.from(writeRequestBytes([{ labels: { __name__: 'up' }, samples: [[NOW_MS, 1]] }]));
  const r = new WriteRequestReader();
  for (let cut = 1; cut < good.length; cut++) {
    assert.throws(() => r.decode(good.subarray(0, cut)), { code: 'bad_data' }, `cut ${cut}`);
  }
  assert.throws(() => r.decode(Buffer.from([0x0b])), { code: 'bad_data' }); // wire type 3 (group)
  assert.throws(() => r.decode(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x7f])), { code: 'bad_data' });
  r.decode(Buffer.alloc(0));
  assert.equal(r.seriesCount, 0);
});

test('decoding in slices (begin + decodeSome) gives the same columns as one decode', () => {
  const series = Array.from({ length: 50 }, (_, i) => ({
    labels: { __name__: 'm', i: String(i) },
    samples: Array.from({ length: i % 4 }, (_, j) => [NOW_MS + j, i + j] as [number, number]),
  }));
  const bytes = Buffer.from(writeRequestBytes(series));
  const whole = new WriteRequestReader();
  whole.decode(bytes);
  const sliced = new WriteRequestReader(whole.cache);
  sliced.begin(bytes);
  let slices = 1;
  while (!sliced.decodeSome(7)) slices++;
  assert.equal(slices, 8);
  assert.equal(sliced.seriesCount, 50);
  assert.deepEqual(sliced.series, whole.series);
  assert.deepEqual([...sliced.sampleStart.subarray(0, 51)], [...whole.sampleStart.subarray(0, 51)]);
  assert.deepEqual(
    [...sliced.tsMs.subarray(0, whole.sampleCount)],
    [...whole.tsMs.subarray(0, whole.sampleCount)],
  );
});
