import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodePartialChunks,
  PartialStream,
  matrixSeriesFromWire,
  matrixSeriesToWire,
  valueToWire,
} from '../../../shared/wire/index.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';

test('a large result is split into chunks under the payload limit and reassembled exactly', () => {
  const series = [];
  for (let i = 0; i < 300; i++) {
    const points = [];
    for (let j = 0; j < 200; j++) points.push({ t: 1_700_000_000_000 + j * 15_000, f: i * 1000 + j + 0.5 });
    series.push(
      matrixSeriesToWire({
        labels: labelsFromRecord({ __name__: 'm', i: String(i), pad: 'x'.repeat(50) }),
        points,
      }),
    );
  }
  // One series far larger than the budget must be split by samples.
  const big = [];
  for (let j = 0; j < 20_000; j++) big.push({ t: j, f: j });
  series.push(matrixSeriesToWire({ labels: labelsFromRecord({ __name__: 'big' }), points: big }));
  const max = 64 * 1024;
  const chunks = encodePartialChunks({ queryId: 'q', zone: 'z', resultType: 'matrix' }, series, max);
  assert.ok(chunks.length > 10);
  for (const c of chunks) assert.ok(c.length <= max, `chunk of ${c.length} bytes`);
  const s = new PartialStream();
  let done = false;
  for (const c of chunks) done = s.add(c);
  assert.equal(done, true);
  const r = s.result();
  const byName = new Map<string, number>();
  for (const ws of r.series ?? []) {
    const m = matrixSeriesFromWire(ws);
    const k = m.labels.map((l) => l.value).join(',');
    byName.set(k, (byName.get(k) ?? 0) + m.points.length);
  }
  assert.equal(byName.get('big'), 20_000);
  assert.equal(byName.get('m,7,' + 'x'.repeat(50)), 200);
});

test('PartialStream is incomplete until the last chunk and every chunk before it arrived', () => {
  const chunks = encodePartialChunks(
    { queryId: 'q' },
    Array.from({ length: 50 }, (_, i) =>
      matrixSeriesToWire({
        labels: labelsFromRecord({ i: String(i), p: 'y'.repeat(900) }),
        points: [{ t: 1, f: 1 }],
      }),
    ),
    8 * 1024,
  );
  assert.ok(chunks.length >= 3);
  const s = new PartialStream();
  assert.equal(s.add(chunks[chunks.length - 1]!), false);
  for (let i = 0; i < chunks.length - 2; i++) assert.equal(s.add(chunks[i]!), false);
  assert.equal(s.add(chunks[chunks.length - 2]!), true);
});

test('values round-trip through the wire: vectors, distributions, scalars', () => {
  const d = {
    count: 3,
    sum: 6,
    min: 1,
    max: 3,
    means: Float64Array.of(1, 2, 3),
    weights: Float64Array.of(1, 1, 1),
  };
  const w = valueToWire({
    type: 'vector',
    vector: [{ labels: labelsFromRecord({ a: 'b' }), t: 5, f: 0, d }],
  });
  const back = matrixSeriesFromWire(w.series[0]!);
  assert.deepEqual(back.points[0]!.d!.means, Float64Array.of(1, 2, 3));
  assert.equal(valueToWire({ type: 'scalar', t: 1, f: 2.5 }).scalar, 2.5);
});
