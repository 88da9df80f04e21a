import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Head } from '../../../zone/tsdb/head.ts';
import { HeadAppender } from '../../../zone/tsdb/head-append.ts';
import { headSource } from '../../../zone/tsdb/head-read.ts';
import { TSDBQuerier } from '../../../zone/tsdb/querier.ts';
import { Matcher } from '../../../shared/matchers.ts';
import { labelsFromRecord, formatLabels } from '../../../shared/labels.ts';
import { ValueKind, type Querier, type SampleCursor } from '../../../shared/storage.ts';

const H = 3600_000;

function newHead(): { head: Head; app: () => HeadAppender; q: () => Querier } {
  const head = new Head({ chunkRangeMs: 2 * H, outOfOrderWindowMs: H });
  return {
    head,
    app: () => new HeadAppender(head, null, () => {}),
    q: () => new TSDBQuerier([headSource(head)], -Infinity, Infinity, () => {}),
  };
}

function read(q: Querier, ms: Matcher[], lo = -1e15, hi = 1e15): Record<string, [number, number][]> {
  const set = q.select(ms, { startMs: lo, endMs: hi });
  const out: Record<string, [number, number][]> = {};
  while (set.next()) {
    const s = set.at();
    const c = s.cursor();
    const pts: [number, number][] = [];
    while (c.next() === ValueKind.Float) pts.push([c.atT(), c.atF()]);
    assert.equal(c.err(), null);
    out[formatLabels(s.labels)] = pts;
  }
  return out;
}

test('append and select with every matcher type, sorted by labels', async () => {
  const { app, q, head } = newHead();
  const a = app();
  const ls = [
    labelsFromRecord({ __name__: 'up', job: 'node', instance: 'b' }),
    labelsFromRecord({ __name__: 'up', job: 'node', instance: 'a' }),
    labelsFromRecord({ __name__: 'up', job: 'prom' }),
    labelsFromRecord({ __name__: 'load', job: 'node', instance: 'a' }),
  ];
  for (let i = 0; i < 300; i++)
    for (let k = 0; k < ls.length; k++) a.append(ls[k]!, i * 15000, k * 1000 + i * 0.5);
  const r = await a.commit();
  assert.equal(r.accepted, 1200);
  assert.equal(head.seriesCount(), 4);
  const names = (ms: Matcher[]): string[] => Object.keys(read(q(), ms));
  assert.deepEqual(names([new Matcher('=', '__name__', 'up')]), [
    'up{instance="a", job="node"}',
    'up{instance="b", job="node"}',
    'up{job="prom"}',
  ]);
  assert.deepEqual(names([new Matcher('=', 'instance', '')]), ['up{job="prom"}']);
  assert.deepEqual(names([new Matcher('!=', 'instance', 'a')]), [
    'up{instance="b", job="node"}',
    'up{job="prom"}',
  ]);
  assert.deepEqual(names([new Matcher('=~', 'instance', 'a|b'), new Matcher('!~', '__name__', 'lo.*')]), [
    'up{instance="a", job="node"}',
    'up{instance="b", job="node"}',
  ]);
  assert.deepEqual(names([new Matcher('=~', 'job', 'no')]), []);
  const pts = read(q(), [new Matcher('=', 'job', 'prom')], 15000 * 10, 15000 * 20)['up{job="prom"}']!;
  assert.equal(pts.length, 11);
  assert.deepEqual(pts[0], [150000, 2005]);
  // Chunks are cut at 120 samples: 300 samples → 3 chunks per series.
  assert.equal(head.chunksCreated, 12);
  const qq = q();
  assert.deepEqual(qq.labelNames({ startMs: 0, endMs: 1e12 }), ['__name__', 'instance', 'job']);
  assert.deepEqual(
    qq.labelValues('instance', { startMs: 0, endMs: 1e12, matchers: [new Matcher('=', '__name__', 'load')] }),
    ['a'],
  );
});

test('seek across chunks and cursor snapshot isolation', async () => {
  const { app, q } = newHead();
  const l = labelsFromRecord({ __name__: 'x' });
  let a = app();
  for (let i = 0; i < 250; i++) a.append(l, i * 1000, i);
  await a.commit();
  const set = q().select([new Matcher('=', '__name__', 'x')], { startMs: 0, endMs: 1e9 });
  assert.ok(set.next());
  const c = set.at().cursor();
  assert.equal(c.seek(130_500), ValueKind.Float);
  assert.equal(c.atT(), 131_000);
  assert.equal(c.seek(100), ValueKind.Float); // never backwards
  assert.equal(c.atT(), 131_000);
  a = app();
  for (let i = 250; i < 260; i++) a.append(l, i * 1000, i);
  await a.commit();
  let n = 1;
  while (c.next() !== ValueKind.None) n++;
  assert.equal(n, 250 - 131); // samples appended after the cursor opened are not seen mid-read
  assert.equal(c.seek(1e12), ValueKind.None);
});

test('out-of-order window, duplicates, bounds', async () => {
  const { app, q } = newHead();
  const l = labelsFromRecord({ __name__: 'x' });
  const base = 10 * H;
  let a = app();
  for (let i = 0; i <= 10; i++) a.append(l, base + i * 60_000, i);
  await a.commit();
  a = app();
  a.append(l, base + 10 * 60_000, 10); // same t same value: ignored, accepted
  a.append(l, base + 10 * 60_000, 11); // duplicate
  a.append(l, base + 5 * 60_000, 5); // same as in-order sample: ignored
  a.append(l, base + 5 * 60_000, 6); // duplicate of in-order sample
  a.append(l, base + 5 * 60_000 + 30_000, 5.5); // OOO within window
  a.append(l, base + 10 * 60_000 - H - 1, 0); // older than the window
  a.append(l, base + 1000, 0.1); // OOO within window
  a.append(l, base + 1000, 0.2); // duplicate of an OOO sample
  a.append(l, 2 ** 53, 1); // invalid timestamp
  a.append([], 1, 1);
  const r = await a.commit();
  assert.equal(r.accepted, 4);
  assert.deepEqual(r.rejected, { duplicate_sample: 3, out_of_order: 1, out_of_bounds: 1, empty_labels: 1 });
  const pts = read(q(), [new Matcher('=', '__name__', 'x')])['x']!;
  assert.equal(pts.length, 13);
  assert.deepEqual(pts.slice(0, 2), [
    [base, 0],
    [base + 1000, 0.1],
  ]);
  assert.deepEqual(pts[7], [base + 5 * 60_000 + 30_000, 5.5]);
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i]![0] > pts[i - 1]![0]);
});

test('one cursor reused across the series of a select reads each as a fresh one does', async () => {
  const { app, q } = newHead();
  const base = 10 * H;
  const a = app();
  for (let k = 0; k < 6; k++) {
    const l = labelsFromRecord({ __name__: 'y', k: String(k) });
    // k sets the length: 0..5 sealed chunks plus an open one; k = 3 also gets OOO samples
    for (let i = 0; i < 40 + k * 130; i++) a.append(l, base + i * 15_000, k * 1000 + i * 0.5);
  }
  await a.commit();
  const o = app();
  o.append(labelsFromRecord({ __name__: 'y', k: '3' }), base + 7_500, -1);
  o.append(labelsFromRecord({ __name__: 'y', k: '3' }), base + 100 * 15_000 + 1, 7);
  await o.commit();
  for (const [lo, hi] of [
    [-1e15, 1e15],
    [base + 600_000, base + 3_000_000],
    [base + 100 * 15_000, base + 100 * 15_000],
  ] as const) {
    const fresh = read(q(), [new Matcher('=', '__name__', 'y')], lo, hi);
    const set = q().select([new Matcher('=', '__name__', 'y')], { startMs: lo, endMs: hi });
    const reused: Record<string, [number, number][]> = {};
    let c: SampleCursor | undefined;
    while (set.next()) {
      const s = set.at();
      c = s.cursor(c);
      const pts: [number, number][] = [];
      // seek first, as the selectors do, then step
      for (let k = c.seek(lo); k === ValueKind.Float; k = c.next()) pts.push([c.atT(), c.atF()]);
      assert.equal(c.err(), null, 'no cursor error');
      reused[formatLabels(s.labels)] = pts;
    }
    assert.deepEqual(reused, fresh, `range ${lo}..${hi}`);
    if (lo < 0) assert.equal(Object.keys(fresh).length, 6, 'every series selected');
  }
});

test('hash collisions keep series apart', () => {
  const { head } = newHead();
  const a = labelsFromRecord({ a: '1' }),
    b = labelsFromRecord({ b: '2' });
  // Force both into one hash bucket.
  const sa = head.getOrCreate(a).series;
  const internal = head as unknown as { byHash: Map<number, unknown> };
  const hb = internal.byHash;
  const sb = head.getOrCreate(b).series;
  hb.delete(sb.hash);
  hb.set(sa.hash, [sa, { ...sb, hash: sa.hash, syms: sb.syms, ref: sb.ref }]);
  assert.equal(head.getByLabels(a, sa.hash)?.ref, sa.ref);
  assert.equal(head.getByLabels(b, sa.hash)?.ref, sb.ref);
  assert.equal(head.getByLabels(labelsFromRecord({ c: '3' }), sa.hash), undefined);
});

test('commit logs series before samples and resolves only after the WAL commit', async () => {
  const head = new Head({ chunkRangeMs: 2 * H, outOfOrderWindowMs: H });
  const calls: string[] = [];
  let release!: () => void;
  const fakeWal = {
    logSeries: (ref: number) => void calls.push(`series ${ref}`),
    logSamples: (_r: Uint32Array, _t: Float64Array, _v: Float64Array, n: number) =>
      void calls.push(`samples ${n}`),
    logDistribution: () => void calls.push('dist'),
    commit: () => new Promise<void>((r) => (release = r)),
  };
  const a = new HeadAppender(head, fakeWal as never, () => calls.push('committed'));
  a.append(labelsFromRecord({ __name__: 'a' }), 1000, 1);
  a.append(labelsFromRecord({ __name__: 'b' }), 1000, 2);
  a.append(labelsFromRecord({ __name__: 'a' }), 900, 1); // out of order but inside the window: accepted
  let done = false;
  const p = a.commit().then((r) => {
    done = true;
    return r;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(done, false);
  assert.deepEqual(calls, ['series 1', 'series 2', 'samples 3']);
  release();
  const r = await p;
  assert.equal(r.accepted, 3);
  assert.deepEqual(calls, ['series 1', 'series 2', 'samples 3', 'committed']);
});

test('malformed distributions are rejected as invalid_value without touching the series', async () => {
  const { app, q } = newHead();
  const l = labelsFromRecord({ __name__: 'lat' });
  const a = app();
  a.appendDistribution(l, 1000, {
    count: 1,
    sum: 1,
    min: 1,
    max: 1,
    means: Float64Array.from([1]),
    weights: Float64Array.from([1]),
  });
  a.appendDistribution(l, 2000, {
    count: 1,
    sum: 1,
    min: 1,
    max: 1,
    means: Float64Array.from([1, 2]),
    weights: Float64Array.from([1]),
  });
  a.appendDistribution(l, 3000, {
    count: 2,
    sum: 2,
    min: 1,
    max: 1,
    means: Float64Array.from([1]),
    weights: Float64Array.from([2]),
  });
  const r = await a.commit();
  assert.equal(r.accepted, 2);
  assert.deepEqual(r.rejected, { invalid_value: 1 });
  const set = q().select([new Matcher('=', '__name__', 'lat')], { startMs: 0, endMs: 1e6 });
  assert.ok(set.next());
  const c = set.at().cursor();
  const ts: number[] = [];
  while (c.next() === ValueKind.Distribution) ts.push(c.atT());
  assert.deepEqual(ts, [1000, 3000]);
});
