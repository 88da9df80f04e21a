import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeIndex,
  encodeIndexFile,
  encodeIndexFileV1,
  readIndexFile,
  readIndexFileAsync,
  IndexReader,
  type IndexSeries,
} from '../../../zone/tsdb/block-index.ts';
import { crc32c } from '../../../zone/wal/index.ts';
import { compareLabels, labelsFromRecord } from '../../../shared/labels.ts';
import { Matcher } from '../../../shared/matchers.ts';
import { isCanopyError } from '../../../shared/errors.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
}

function sample(): IndexSeries[] {
  const out: IndexSeries[] = [];
  for (let i = 0; i < 40; i++) {
    out.push({
      labels: labelsFromRecord({
        __name__: `m${i % 4}`,
        instance: `h${String(i).padStart(2, '0')}`,
        job: i % 3 ? 'node' : 'prom',
      }),
      chunks: [
        { minT: 0, maxT: 1000 * i, encoding: 2, seg: 1, off: 8 + i * 100, len: 90 },
        { minT: 1000 * i + 1, maxT: 7_200_000 - 1, encoding: 2, seg: 1, off: 8 + i * 100 + 95, len: 3 },
      ],
    });
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

test('encodeIndex rejects series out of label order', () => {
  const s = sample();
  assert.throws(() => encodeIndex([s[1]!, s[0]!]));
});

test('index round-trips series, chunk refs and postings', () => {
  const series = sample();
  const r = new IndexReader(encodeIndex(series));
  assert.equal(r.numSeries(), 40);
  for (let i = 0; i < 40; i++) assert.deepEqual(r.series(i), series[i]);
  const ids = r.select([new Matcher('=', 'job', 'prom'), new Matcher('=~', '__name__', 'm[01]')]);
  const want = series
    .map((s, i) => (s.labels.some((l) => l.value === 'prom') && /^m[01]$/.test(s.labels[0]!.value) ? i : -1))
    .filter((i) => i >= 0);
  assert.deepEqual([...ids], want);
  assert.deepEqual(r.labelNames().sort(), ['__name__', 'instance', 'job']);
});

function exercise(b: Uint8Array): void {
  try {
    const r = new IndexReader(b);
    for (let i = 0; i < r.numSeries(); i++) r.series(i);
    for (const n of r.labelNames()) for (const v of r.valuesOf(n)) r.postings(n, v);
    r.select([new Matcher('!=', 'job', 'x')]);
  } catch (e) {
    assert.ok(isCanopyError(e, 'corrupt'), String(e));
  }
}

test('index reader survives truncated, mutated (CRC fixed up) and random bytes', () => {
  const series = sample();
  const good = encodeIndex(series);
  const r = rng(11);
  for (let k = 0; k < 1500; k++) {
    exercise(good.slice(0, Math.floor(r() * good.length)));
    const m = good.slice();
    for (let j = 0; j < 1 + r() * 4; j++) m[Math.floor(r() * (m.length - 4))] = Math.floor(r() * 256);
    new DataView(m.buffer).setUint32(m.length - 4, crc32c(m, 0, m.length - 4), true);
    exercise(m);
    const rnd = new Uint8Array(Math.floor(r() * 200));
    for (let j = 0; j < rnd.length; j++) rnd[j] = Math.floor(r() * 256);
    exercise(rnd);
  }
  const bad = good.slice();
  bad[10] = bad[10]! ^ 1;
  assert.throws(
    () => new IndexReader(bad),
    (e) => isCanopyError(e, 'corrupt'),
  );
});

test('compressed index file (version 1) round-trips and rejects damaged bytes with corrupt', () => {
  const series = sample();
  const file = encodeIndexFileV1(series);
  assert.ok(file.length < encodeIndex(series).length, `${file.length} vs ${encodeIndex(series).length}`);
  const r = readIndexFile(file);
  for (let i = 0; i < series.length; i++) assert.deepEqual(r.series(i), series[i]);
  const rand = rng(3);
  for (let k = 0; k < 300; k++) {
    const m = file.slice(0, 8 + Math.floor(rand() * (file.length - 8)));
    if (rand() < 0.7) {
      const at = 8 + Math.floor(rand() * (m.length - 8));
      m[at] = m[at]! ^ (1 + Math.floor(rand() * 255));
    }
    try {
      const ix = readIndexFile(m);
      for (let i = 0; i < ix.numSeries(); i++) ix.series(i);
    } catch (e) {
      assert.ok(isCanopyError(e, 'corrupt'), String(e));
    }
  }
});

test('readIndexFileAsync (sliced parse, 0 ms slices) reads what readIndexFile reads; corruption still throws', async () => {
  const series: IndexSeries[] = [];
  for (let i = 0; i < 20_000; i++) {
    series.push({
      labels: labelsFromRecord({ __name__: 'g', pod: `p${String(i).padStart(5, '0')}`, zone: `z${i % 7}` }),
      chunks: [{ minT: i, maxT: i + 10, encoding: 1, seg: 1, off: 8 + i * 20, len: 20 }],
    });
  }
  for (const file of [encodeIndexFileV1(series), encodeIndexFile(series)]) {
    const a = readIndexFile(file);
    const b = await readIndexFileAsync(file);
    assert.equal(b.numSeries(), a.numSeries());
    assert.deepEqual([...b.labelNames()], [...a.labelNames()]);
    assert.deepEqual(
      [...b.select([new Matcher('=', 'zone', 'z3')])],
      [...a.select([new Matcher('=', 'zone', 'z3')])],
    );
    assert.deepEqual(b.series(12_345), a.series(12_345));
  }
  const file = encodeIndexFileV1(series);
  const a = readIndexFile(file);
  const b = await readIndexFileAsync(file);
  assert.deepEqual(
    [...b.select([new Matcher('=', 'zone', 'z3')])],
    [...a.select([new Matcher('=', 'zone', 'z3')])],
  );
  assert.deepEqual(b.series(12_345), a.series(12_345));
  // The parse really yields: a timer scheduled before it fires before it finishes.
  let fired = false;
  setTimeout(() => (fired = true), 0);
  const raw = encodeIndex(series);
  const { parseIndexAsync } = await import('../../../zone/tsdb/block-index.ts');
  await parseIndexAsync(raw, 0);
  assert.ok(fired, 'the event loop ran during the parse');
  const bad = raw.slice();
  bad[100] = bad[100]! ^ 0xff;
  await assert.rejects(parseIndexAsync(bad, 0), (e) => isCanopyError(e, 'corrupt'));
});
