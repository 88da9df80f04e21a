import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, type TSDB, type TSDBOptions } from '../../../zone/tsdb/index.ts';
import { Matcher } from '../../../shared/matchers.ts';
import { labelsFromRecord, formatLabels, type Labels } from '../../../shared/labels.ts';
import { ValueKind } from '../../../shared/storage.ts';
import { isCanopyError } from '../../../shared/errors.ts';

const H = 3600_000;

async function withDB(
  opts: Partial<TSDBOptions>,
  fn: (db: TSDB, dir: string) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsdb-test-'));
  const db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, ...opts });
  try {
    await fn(db, dir);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const SERIES: Labels[] = Array.from({ length: 20 }, (_, i) =>
  labelsFromRecord({
    __name__: i % 2 ? 'node_cpu_seconds_total' : 'node_load1',
    instance: `host${i % 5}`,
    cpu: String(i),
  }),
);

/** One sample per series every 15 s in [fromMs, toMs). */
async function fill(db: TSDB, fromMs: number, toMs: number): Promise<number> {
  let n = 0;
  for (let t = fromMs; t < toMs; t += 15_000 * 40) {
    const a = db.appender();
    for (let tt = t; tt < Math.min(t + 15_000 * 40, toMs); tt += 15_000) {
      SERIES.forEach((ls, i) => a.append(ls, tt, value(i, tt)));
      n += SERIES.length;
    }
    const r = await a.commit();
    assert.deepEqual(r.rejected, {});
  }
  return n;
}
const value = (i: number, t: number): number =>
  i % 2 ? Math.round(t / 1000 + i * 7.25) / 4 : ((t / 15000) % 17) / 100 + i;

async function readAll(
  db: TSDB,
  ms: Matcher[],
  lo = -1e15,
  hi = 1e15,
): Promise<Map<string, [number, number][]>> {
  const q = await db.querier(lo, hi);
  const set = q.select(ms, { startMs: lo, endMs: hi });
  const out = new Map<string, [number, number][]>();
  let prev = '';
  while (set.next()) {
    const s = set.at();
    const key = formatLabels(s.labels);
    assert.ok(prev === '' || key !== prev);
    prev = key;
    const c = s.cursor();
    const pts: [number, number][] = [];
    while (c.next() === ValueKind.Float) pts.push([c.atT(), c.atF()]);
    assert.equal(c.err(), null);
    out.set(key, pts);
  }
  q.close();
  return out;
}

function checkSeries(got: Map<string, [number, number][]>, fromMs: number, toMs: number): void {
  assert.equal(got.size, SERIES.length);
  SERIES.forEach((ls, i) => {
    const pts = got.get(formatLabels(ls))!;
    assert.equal(pts.length, (toMs - fromMs) / 15_000, formatLabels(ls));
    for (let k = 0; k < pts.length; k++) {
      const t = fromMs + k * 15_000;
      assert.deepEqual(pts[k], [t, value(i, t)]);
    }
  });
}

test('head block cut, query across blocks and head, truncation', async () => {
  await withDB({ blockRangeMs: 2 * H }, async (db, dir) => {
    const n = await fill(db, 0, 5 * H);
    assert.equal(n, 20 * 5 * 240);
    const cut = await db.compactHead();
    assert.equal(cut, 1); // head spans 5 h: [0, 2h) is more than 1.5 ranges behind
    assert.equal(db.blocks().length, 1);
    assert.deepEqual([db.blocks()[0]!.minTime, db.blocks()[0]!.maxTime], [0, 2 * H]);
    assert.equal(db.blocks()[0]!.stats.numSamples, 20 * 480);
    assert.ok(db.stats().headMinT >= 2 * H);
    checkSeries(await readAll(db, [new Matcher('=~', '__name__', 'node_.*')]), 0, 5 * H);
    // A range inside the block only, and one straddling the block boundary.
    const part = await readAll(db, [new Matcher('=', 'cpu', '3')], H, 3 * H);
    assert.equal([...part.values()][0]!.length, 2 * 240 + 1);
    // Samples inside the block range are now out of bounds.
    const a = db.appender();
    a.append(SERIES[0]!, 1000, 1);
    assert.deepEqual((await a.commit()).rejected, { out_of_bounds: 1 });
    assert.ok(readdirSync(join(dir, 'blocks')).length === 1);
    const q = await db.querier(0, 10 * H);
    assert.deepEqual(q.labelValues('instance', { startMs: 0, endMs: H }), [
      'host0',
      'host1',
      'host2',
      'host3',
      'host4',
    ]);
    assert.deepEqual(
      q.labelNames({ startMs: 0, endMs: H, matchers: [new Matcher('=', '__name__', 'node_load1')] }),
      ['__name__', 'cpu', 'instance'],
    );
    q.close();
  });
});

test('OOO samples in the head are written into blocks merged and deduplicated', async () => {
  await withDB({ blockRangeMs: 2 * H }, async (db) => {
    const ls = labelsFromRecord({ __name__: 'x' });
    let a = db.appender();
    for (let t = 0; t < H + 30 * 60_000; t += 60_000) a.append(ls, t, t / 1000);
    await a.commit();
    a = db.appender();
    a.append(ls, 40 * 60_000 + 30_000, -1); // OOO within 1 h of the newest (89 min)
    a.append(ls, H, 3600); // identical: ignored
    assert.deepEqual((await a.commit()).rejected, {});
    await db.cutBlocksNow();
    assert.equal(db.stats().series, 0);
    const pts = (await readAll(db, [new Matcher('=', '__name__', 'x')])).get('x')!;
    assert.equal(pts.length, 91);
    assert.deepEqual(pts.slice(40, 43), [
      [2400_000, 2400],
      [2430_000, -1],
      [2460_000, 2460],
    ]);
    // Backfill into an empty head is accepted even below the last block.
    a = db.appender();
    a.append(ls, 45_000, 7);
    assert.deepEqual((await a.commit()).rejected, {});
    const again = (await readAll(db, [new Matcher('=', '__name__', 'x')])).get('x')!;
    assert.equal(again.length, 92);
    assert.deepEqual(again.slice(0, 3), [
      [0, 0],
      [45_000, 7],
      [60_000, 60],
    ]);
    // Cutting the backfill makes two overlapping blocks; compaction merges them (re-encoding).
    await db.cutBlocksNow();
    assert.equal(db.blocks().length, 1);
    assert.equal(db.blocks()[0]!.compaction.level, 2);
    assert.deepEqual((await readAll(db, [new Matcher('=', '__name__', 'x')])).get('x'), again);
  });
});

test('compaction merges adjacent blocks and retention deletes old ones', async () => {
  await withDB({ blockRangeMs: 2 * H, retentionMs: 60 * H }, async (db) => {
    await fill(db, 0, 14 * H);
    await db.cutBlocksNow();
    const metas = db.blocks();
    // 7 two-hour blocks → [0,6h) and [6h,12h) merged (level 2); [12h,14h) stays.
    assert.deepEqual(
      metas.map((m) => [m.minTime / H, m.maxTime / H, m.compaction.level]),
      [
        [0, 6, 2],
        [6, 12, 2],
        [12, 14, 1],
      ],
    );
    assert.equal(metas[0]!.compaction.sources.length, 3);
    checkSeries(await readAll(db, []), 0, 14 * H);
    await fill(db, 14 * H, 16 * H);
    await fill(db, 78 * H, 80 * H);
    await db.cutBlocksNow();
    // Newest data at 80 h: blocks ending at or before 20 h are gone.
    assert.deepEqual(
      db.blocks().map((m) => [m.minTime / H, m.maxTime / H]),
      [[78, 80]],
    );
    const got = await readAll(db, [new Matcher('=', 'cpu', '0')]);
    const pts = [...got.values()][0]!;
    assert.deepEqual([pts[0]![0], pts[pts.length - 1]![0]], [78 * H, 80 * H - 15_000]);
  });
});

test('retention by size keeps the newest blocks within the budget', async () => {
  await withDB({ blockRangeMs: 2 * H, retentionMs: 0 }, async (db) => {
    await fill(db, 0, 6 * H);
    await db.cutBlocksNow();
    const sizes = db.stats().blockBytes;
    assert.ok(sizes > 0);
  });
  await withDB({ blockRangeMs: 2 * H, retentionMs: 0, retentionBytes: 30_000 }, async (db) => {
    await fill(db, 0, 2 * H);
    await db.cutBlocksNow();
    const one = db.stats().blockBytes;
    assert.ok(one < 30_000 && one * 2 > 30_000, `block is ${one} bytes`);
    await fill(db, 2 * H, 4 * H);
    await db.cutBlocksNow();
    assert.equal(db.blocks().length, 1);
    assert.equal(db.blocks()[0]!.minTime, 2 * H);
  });
});

test('restart replays the WAL into the head; blocks are reloaded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdb-test-'));
  try {
    let db = await openTSDB({ dir, walFsync: 'none', autoCompact: false });
    await fill(db, 0, 3 * H);
    const dist = labelsFromRecord({ __name__: 'lat' });
    const a = db.appender();
    a.appendDistribution(dist, 1000, {
      count: 2,
      sum: 3,
      min: 1,
      max: 2,
      means: Float64Array.from([1, 2]),
      weights: Float64Array.from([1, 1]),
    });
    await a.commit();
    await db.compactHead(); // nothing to cut yet: 3 h < 1.5 × 2 h? (3 > 3 is false)
    await fill(db, 3 * H, 4 * H);
    assert.equal(await db.compactHead(), 1);
    await db.close();
    db = await openTSDB({ dir, walFsync: 'none', autoCompact: false });
    assert.equal(db.blocks().length, 1);
    checkSeries(await readAll(db, [new Matcher('=~', '__name__', 'node_.+')]), 0, 4 * H);
    assert.equal(db.stats().series, SERIES.length);
    const q = await db.querier(0, H);
    const set = q.select([new Matcher('=', '__name__', 'lat')], { startMs: 0, endMs: H });
    assert.ok(set.next());
    const c = set.at().cursor();
    assert.equal(c.next(), ValueKind.Distribution);
    assert.equal(c.atDistribution().sum, 3);
    q.close();
    // New series after restart get fresh refs (no reuse of replayed ones).
    const b = db.appender();
    b.append(labelsFromRecord({ __name__: 'new' }), 4 * H, 1);
    await b.commit();
    assert.equal(db.stats().series, SERIES.length + 1);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt block is skipped at open and chunk corruption surfaces as a cursor error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdb-test-'));
  try {
    let db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, wal: false });
    await fill(db, 0, 2 * H);
    await db.cutBlocksNow();
    await db.close();
    const bdir = join(dir, 'blocks', readdirSync(join(dir, 'blocks'))[0]!);
    const chunkFile = join(bdir, 'chunks', '000001');
    const b = readFileSync(chunkFile);
    b[100] = b[100]! ^ 0xff;
    writeFileSync(chunkFile, b);
    db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, wal: false });
    const q = await db.querier(0, 2 * H);
    const set = q.select([], { startMs: 0, endMs: 2 * H });
    let errors = 0;
    while (set.next()) {
      const c = set.at().cursor();
      while (c.next() !== ValueKind.None);
      if (c.err()) {
        assert.ok(isCanopyError(c.err(), 'corrupt'));
        errors++;
      }
    }
    assert.equal(errors, 1);
    q.close();
    await db.close();
    const ix = readFileSync(join(bdir, 'index'));
    ix[20] = ix[20]! ^ 1;
    writeFileSync(join(bdir, 'index'), ix);
    db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, wal: false });
    assert.equal(db.blocks().length, 0);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshot writes head and blocks as blocks', async () => {
  await withDB({ blockRangeMs: 2 * H }, async (db, dir) => {
    await fill(db, 0, 4 * H);
    await db.compactHead();
    const snap = join(dir, 'snap');
    const ids = await db.snapshot(snap);
    assert.ok(ids.length >= 2);
    const copy = await openTSDB({ dir: join(dir, 'copy'), wal: false, autoCompact: false });
    await copy.close();
    rmSync(join(dir, 'copy', 'blocks'), { recursive: true });
    const { renameSync } = await import('node:fs');
    renameSync(snap, join(dir, 'copy', 'blocks'));
    const reopened = await openTSDB({ dir: join(dir, 'copy'), wal: false, autoCompact: false });
    checkSeries(await readAll(reopened, []), 0, 4 * H);
    await reopened.close();
  });
});

test('background compaction after commits cuts blocks; distributions survive blocks', async () => {
  await withDB({ blockRangeMs: 2 * H, autoCompact: true }, async (db) => {
    const dl = labelsFromRecord({ __name__: 'lat', job: 'api' });
    const d = (
      i: number,
    ): {
      count: number;
      sum: number;
      min: number;
      max: number;
      means: Float64Array;
      weights: Float64Array;
    } => ({
      count: 2,
      sum: i + 1,
      min: 0.5,
      max: i + 0.5,
      means: Float64Array.from([0.5, i + 0.5]),
      weights: Float64Array.from([1, 1]),
    });
    for (let t = 0; t < 4 * H; t += 10 * 60_000) {
      const a = db.appender();
      a.appendDistribution(dl, t, d(t / 60_000));
      a.append(SERIES[0]!, t, t);
      await a.commit();
    }
    for (let i = 0; i < 1000 && db.blocks().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(db.blocks().length, 1);
    const q = await db.querier(0, 4 * H);
    const set = q.select([new Matcher('=', 'job', 'api')], { startMs: 0, endMs: 4 * H });
    assert.ok(set.next());
    const c = set.at().cursor();
    let n = 0;
    while (c.next() === ValueKind.Distribution) {
      assert.equal(c.atDistribution().sum, c.atT() / 60_000 + 1);
      assert.deepEqual([...c.atDistribution().means], [0.5, c.atT() / 60_000 + 0.5]);
      n++;
    }
    assert.equal(c.err(), null);
    assert.equal(n, 24);
    q.close();
  });
});

test('many cuts with WAL checkpoints, then restart: nothing lost, nothing duplicated', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdb-test-'));
  try {
    let db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, walSegmentSizeBytes: 64 * 1024 });
    for (let h = 0; h < 10; h++) {
      await fill(db, h * H, (h + 1) * H);
      await db.compactHead();
    }
    assert.ok(db.blocks().length >= 2);
    await db.close();
    const walFiles = readdirSync(join(dir, 'wal'));
    assert.ok(
      walFiles.some((f) => f.startsWith('checkpoint')),
      walFiles.join(','),
    );
    db = await openTSDB({ dir, walFsync: 'none', autoCompact: false });
    checkSeries(await readAll(db, []), 0, 10 * H);
    assert.equal(db.stats().series, SERIES.length);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a head cut waits for queriers opened before it; they read everything', async () => {
  await withDB({ blockRangeMs: 2 * H }, async (db) => {
    await fill(db, 0, 5 * H);
    const q = await db.querier(0, 5 * H);
    let cutDone = false;
    const cut = db.compactHead().then((n) => {
      cutDone = true;
      return n;
    });
    for (let i = 0; i < 2000 && db.blocks().length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(db.blocks().length, 1);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(cutDone, false); // still waiting for q
    const set = q.select([new Matcher('=', 'cpu', '1')], { startMs: 0, endMs: 5 * H });
    assert.ok(set.next());
    const c = set.at().cursor();
    let n = 0;
    while (c.next() !== ValueKind.None) n++;
    assert.equal(n, 5 * 240);
    q.close();
    assert.equal(await cut, 1);
    // A querier opened while both the block and the untruncated head were visible dedupes.
    checkSeries(await readAll(db, []), 0, 5 * H);
  });
});
