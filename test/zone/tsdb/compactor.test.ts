// Block cuts in the compaction worker while appends continue on the request thread: no sample
// is lost or stored twice (block and head split exactly at the cut), and post-compaction tasks
// run in the worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, Block, type TSDB } from '../../../zone/tsdb/index.ts';
import { labelsFromRecord, formatLabels, type Labels } from '../../../shared/labels.ts';
import { ValueKind } from '../../../shared/storage.ts';

const H = 3600_000;
const STEP = 15_000;
const SERIES: Labels[] = Array.from({ length: 3000 }, (_, i) =>
  labelsFromRecord({ __name__: 'm', pod: `p${i}`, zone: `z${i % 7}` }),
);

async function withDB(fn: (db: TSDB, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsdb-compactor-test-'));
  const db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: 2 * H });
  try {
    await fn(db, dir);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function appendStep(db: TSDB, t: number): Promise<void> {
  const a = db.appender();
  for (let i = 0; i < SERIES.length; i++) a.append(SERIES[i]!, t, t / STEP + i);
  const r = await a.commit();
  assert.deepEqual(r.rejected, {}, `step at ${t}`);
}

/** Every series' timestamps read back through a querier over everything. */
async function readTimes(db: TSDB): Promise<Map<string, number[]>> {
  const q = await db.querier(-1e15, 1e15);
  const set = q.select([], { startMs: -1e15, endMs: 1e15 });
  const out = new Map<string, number[]>();
  while (set.next()) {
    const s = set.at();
    const c = s.cursor();
    const ts: number[] = [];
    while (c.next() === ValueKind.Float) ts.push(c.atT());
    out.set(formatLabels(s.labels), ts);
  }
  q.close();
  return out;
}

test('a head cut in the worker while appends continue loses and doubles nothing', async () => {
  await withDB(async (db, dir) => {
    let t = 0;
    for (; t < 4 * H; t += STEP) await appendStep(db, t);
    let done = false;
    const cut = db.compactHead().then((n) => ((done = true), n));
    let during = 0;
    while (!done) {
      await appendStep(db, t);
      t += STEP;
      during++;
    }
    const cuts = await cut;
    assert.ok(cuts >= 1, `${cuts} blocks cut`);
    assert.ok(during > 0, 'appends ran while the worker wrote the block');
    for (let k = 0; k < 5; k++, t += STEP) await appendStep(db, t);

    const expected: number[] = [];
    for (let x = 0; x < t; x += STEP) expected.push(x);
    const got = await readTimes(db);
    assert.equal(got.size, SERIES.length);
    for (const [k, ts] of got) assert.deepEqual(ts, expected, `${k}: every sample once, in order`);

    // Storage level (the querier dedupes, so check the parts): the blocks hold [0, cutEnd)
    // exactly, the head nothing below cutEnd.
    const metas = db.blocks();
    // A slow cut (loaded machine) lets the head grow past 1.5 ranges again: more cuts, merged after.
    assert.ok(metas.length >= 1 && metas.length <= cuts, `${metas.length} blocks from ${cuts} cuts`);
    const cutEnd = Math.max(...metas.map((m) => m.maxTime));
    assert.equal(Math.min(...metas.map((m) => m.minTime)), 0);
    assert.equal(
      metas.reduce((n, m) => n + m.stats.numSamples, 0),
      SERIES.length * (cutEnd / STEP),
    );
    assert.ok(db.head.minT >= cutEnd, `head minT ${db.head.minT} is past the cut`);
    let headSamples = 0;
    for (const s of db.head.allSeries()) {
      const c = s.cursor(-1e15, 1e15);
      while (c.next() !== ValueKind.None) headSamples++;
    }
    assert.equal(headSamples, SERIES.length * ((t - cutEnd) / STEP));
    const b = Block.open(join(dir, 'blocks', metas[0]!.ulid));
    try {
      assert.equal(b.meta.stats.numSeries, SERIES.length);
    } finally {
      b.close();
    }
  });
});

test('samples for the range being cut are rejected as out of bounds, not lost silently', async () => {
  await withDB(async (db) => {
    for (let t = 0; t < 4 * H; t += STEP) await appendStep(db, t);
    const cut = db.compactHead();
    await new Promise((r) => setImmediate(r)); // the cut has started: its range is closed
    const a = db.appender();
    a.append(SERIES[0]!, H, 1); // inside [0, 2h), closed by the cut
    const r = await a.commit();
    assert.equal(r.rejected.out_of_bounds, 1);
    await cut;
  });
});

test('post-compaction tasks run in the compaction worker', async () => {
  await withDB(async (db) => {
    const url = new URL('./fixtures/worker-task.ts', import.meta.url).href;
    const r = await db.compactor.runTask<{ tag: string; isMainThread: boolean; threadId: number }>(
      url,
      'whereAmI',
      { tag: 'x' },
    );
    assert.equal(r.tag, 'x');
    assert.equal(r.isMainThread, false);
    assert.ok(r.threadId > 0);
    await assert.rejects(db.compactor.runTask(url, 'nope', {}), /exports no function nope/);
  });
});
