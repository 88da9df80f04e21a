// The bucket tier in-process with a real TSDB: cut blocks are uploaded with meta.json fields,
// local retention deletes only what the bucket holds, an upload interrupted after any object
// resumes (each block exactly once), and a TSDB on an empty data dir with the same bucket
// answers its whole history. Both backends: s3rver (a real process) and FILESYSTEM.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, type TSDB } from '../../../zone/tsdb/index.ts';
import {
  BucketTier,
  loadObjectStoreConfig,
  openBucket,
  type ObjectStoreConfig,
  type BucketBlockMeta,
} from '../../../zone/objstore/index.ts';
import { Matcher } from '../../../shared/matchers.ts';
import { formatLabels, labelsFromRecord, type Labels } from '../../../shared/labels.ts';
import { ValueKind } from '../../../shared/storage.ts';
import { silentLogger } from '../../../shared/log.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import { startS3rver, type S3rver } from './s3rver.ts';

const H = 3600_000;
const T0 = Math.floor((Date.now() - 10 * H) / H) * H;
const tmp = mkdtempSync(join(tmpdir(), 'tier-test-'));
let s3: S3rver;
before(async () => {
  s3 = await startS3rver();
});
after(async () => {
  await s3?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const SERIES: Labels[] = Array.from({ length: 50 }, (_, i) =>
  labelsFromRecord({ __name__: i % 2 ? 'c_total' : 'g', instance: `h${i % 5}`, i: String(i) }),
);

async function fill(db: TSDB, fromMs: number, toMs: number): Promise<number> {
  let n = 0;
  for (let t = fromMs; t < toMs; t += 600_000) {
    const a = db.appender();
    for (let tt = t; tt < Math.min(t + 600_000, toMs); tt += 15_000) {
      SERIES.forEach((ls, i) => a.append(ls, tt, i % 2 ? tt / 1000 + i : Math.sin(tt / 1e6 + i)));
      n += SERIES.length;
    }
    assert.deepEqual((await a.commit()).rejected, {});
  }
  return n;
}

async function readAll(db: TSDB, lo: number, hi: number): Promise<Map<string, number[]>> {
  const q = await db.querier(lo, hi);
  const set = q.select([new Matcher('=', 'instance', 'h1')], { startMs: lo, endMs: hi });
  const out = new Map<string, number[]>();
  while (set.next()) {
    const c = set.at().cursor();
    const pts: number[] = [];
    while (c.next() === ValueKind.Float) pts.push(c.atT(), c.atF());
    assert.equal(c.err(), null);
    out.set(formatLabels(set.at().labels), pts);
  }
  q.close();
  return out;
}

function tierFor(
  db: TSDB,
  dir: string,
  os: ObjectStoreConfig,
  afterObject?: (n: string) => void,
  cacheBytes = 1 << 30,
): BucketTier {
  return new BucketTier(
    {
      objectStore: os,
      dataDir: dir,
      cacheBytes,
      retention: { rawMs: 0, fiveMinMs: 0, oneHourMs: 0 },
      labels: { zone: 'z1', region: 'r1' },
      syncIntervalMs: 3600_000,
      logger: silentLogger(),
      afterObject,
    },
    db,
  );
}

async function blocksInBucket(os: ObjectStoreConfig): Promise<Map<string, string[]>> {
  const b = openBucket(os);
  const by = new Map<string, string[]>();
  for (const o of await b.list('')) {
    const [u, ...rest] = o.name.split('/');
    by.set(u!, [...(by.get(u!) ?? []), rest.join('/')]);
  }
  b.close();
  return by;
}

async function scenario(os: ObjectStoreConfig, name: string): Promise<void> {
  const dir = join(tmp, name);
  // 1. A zone cuts 1 h blocks; an injected crash stops the upload after the 2nd block's index.
  let db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H, retentionMs: 4 * H });
  // After the "crash" this process uploads nothing more (every later object fails too).
  let indexes = 0;
  let tier = tierFor(db, dir, os, (n) => {
    if (indexes >= 2 || (n.endsWith('/index') && ++indexes === 2))
      throw new Error('injected crash after an index upload');
  });
  await tier.start();
  const n = await fill(db, T0, T0 + 8 * H);
  assert.ok(n > 0);
  const before = await readAll(db, T0, T0 + 8 * H);
  await db.cutBlocksNow();
  await tier.uploadPass();
  let inBucket = await blocksInBucket(os);
  const partial = [...inBucket].filter(([, files]) => !files.includes('meta.json'));
  assert.equal(partial.length, 1, 'the interrupted block is partial (no meta.json)');
  // Local retention (4 h) kept the blocks the bucket does not hold yet.
  const localIds = db.blocks().map((m) => m.ulid);
  assert.ok(localIds.includes(partial[0]![0]), 'a block not yet in the bucket is kept locally');
  await tier.stop();
  await db.close();

  // 2. Restart: the pass resumes; every block is in the bucket exactly once, complete.
  db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H, retentionMs: 4 * H });
  tier = tierFor(db, dir, os);
  await tier.start();
  await tier.uploadPass();
  inBucket = await blocksInBucket(os);
  assert.ok(inBucket.size >= 8, `expected ≥ 8 blocks, got ${inBucket.size}`);
  // Block files went up from the compaction worker (its upload task), not the request thread.
  assert.ok(db.compactor.tasksRun >= 2 * inBucket.size - 4, `worker uploads ${db.compactor.tasksRun}`);
  for (const [u, files] of inBucket)
    assert.deepEqual(files.sort(), ['chunks/000001', 'index', 'meta.json'], `block ${u}`);
  const b = openBucket(os);
  const m = JSON.parse(String(await b.get(`${[...inBucket.keys()][0]}/meta.json`))) as BucketBlockMeta;
  b.close();
  assert.deepEqual(m.thanos.labels, { zone: 'z1', region: 'r1' });
  assert.equal(m.thanos.downsample.resolution, 0);
  assert.deepEqual(m.compaction.sources, [m.ulid]);
  assert.equal(m.thanos.files.length, 2);
  // Now that the bucket holds them, local retention deleted the old blocks.
  assert.ok(db.blocks().length < inBucket.size, `local ${db.blocks().length} < bucket ${inBucket.size}`);
  assert.deepEqual(await readAll(db, T0, T0 + 8 * H), before, 'local + bucket answer as before');
  await tier.stop();
  await db.close();

  // 3. Wipe the data dir; an empty zone on the same bucket answers the whole history.
  rmSync(dir, { recursive: true, force: true });
  db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H });
  tier = tierFor(db, dir, os);
  await tier.start();
  assert.equal(db.blocks().length, 0);
  assert.deepEqual(await readAll(db, T0, T0 + 8 * H), before);
  assert.deepEqual(
    await readAll(db, T0 + 2 * H + 7000, T0 + 3 * H + 5000),
    await sub(before, T0 + 2 * H + 7000, T0 + 3 * H + 5000),
  );
  assert.ok(
    existsSync(join(dir, 'bucket-cache')) && readdirSync(join(dir, 'bucket-cache')).length > 0,
    'blocks were cached',
  );
  await tier.stop();
  await db.close();

  // 4. A cache bound smaller than one block: queries still answer; pages leave the cache after them.
  rmSync(dir, { recursive: true, force: true });
  db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H });
  tier = tierFor(db, dir, os, undefined, 1000);
  await tier.start();
  assert.deepEqual(await readAll(db, T0, T0 + 8 * H), before);
  assert.deepEqual(await readAll(db, T0, T0 + 8 * H), before);
  assert.ok(
    tier.store.cache.diskBytes() <= 1000,
    `evicted down to the bound after the queries closed: ${tier.store.cache.diskBytes()} bytes`,
  );
  assert.equal(tier.store.stats.indexFetches, inBucket.size, 'decoded indexes stay in memory');
  assert.ok(tier.store.stats.evictions > 0);
  await tier.stop();
  await db.close();
}

async function sub(m: Map<string, number[]>, lo: number, hi: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [k, pts] of m) {
    const x: number[] = [];
    for (let i = 0; i < pts.length; i += 2) if (pts[i]! >= lo && pts[i]! <= hi) x.push(pts[i]!, pts[i + 1]!);
    if (x.length > 0) out.set(k, x);
  }
  return out;
}

test('S3 (s3rver): upload, crash resume, local retention, wiped zone answers from the bucket', async () => {
  const f = join(tmp, 's3.yaml');
  writeFileSync(f, s3.yaml);
  await scenario(loadObjectStoreConfig(f), 's3');
});

test('FILESYSTEM bucket: the same', async () => {
  await scenario({ type: 'FILESYSTEM', directory: join(tmp, 'fsbucket') }, 'fs');
});

test('merged blocks replace their sources in the bucket; bucket retention per resolution', async () => {
  const T1 = Math.floor((Date.now() - 40 * H) / (9 * H)) * 9 * H; // aligned to the 3 h and 9 h merge ranges
  const os: ObjectStoreConfig = { type: 'FILESYSTEM', directory: join(tmp, 'merge-bucket') };
  const dir = join(tmp, 'merge');
  const db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H, retentionMs: 0 });
  let tier = tierFor(db, dir, os);
  await tier.start();
  await fill(db, T1, T1 + 2 * H);
  await db.cutBlocksNow(); // [0,1h) and [1h,2h): no 3 h range complete yet
  await tier.uploadPass();
  const first = await blocksInBucket(os);
  assert.equal(first.size, 2);
  await fill(db, T1 + 2 * H, T1 + 4 * H);
  const want = await readAll(db, T1, T1 + 4 * H);
  await db.cutBlocksNow(); // cuts [2h,3h), [3h,4h); merges [0,3h) into one level-2 block
  await tier.uploadPass();
  const after = await blocksInBucket(os);
  const b = openBucket(os);
  const metas = await Promise.all(
    [...after.keys()].map(async (u) => JSON.parse(String(await b.get(`${u}/meta.json`))) as BucketBlockMeta),
  );
  metas.sort((x, y) => x.minTime - y.minTime);
  assert.deepEqual(
    metas.map((m) => [m.minTime - T1, m.maxTime - T1, m.compaction.level]),
    [
      [0, 3 * H, 2],
      [3 * H, 4 * H, 1],
    ],
  );
  for (const u of first.keys())
    assert.ok(
      metas[0]!.compaction.sources.includes(u) && !after.has(u),
      `replaced block ${u} deleted from the bucket`,
    );
  await tier.stop();

  // Bucket retention for raw blocks: the merged block ends too long ago and goes; the newer stays
  // (and the local copy of the expired block is not uploaded again).
  const keepMs = Date.now() - (T1 + 3 * H) - 60_000;
  tier = new BucketTier(
    {
      objectStore: os,
      dataDir: dir,
      cacheBytes: 1 << 30,
      retention: { rawMs: keepMs, fiveMinMs: 0, oneHourMs: 0 },
      labels: { zone: 'z1', region: 'r1' },
      syncIntervalMs: 3600_000,
      logger: silentLogger(),
    },
    db,
  );
  await tier.start();
  await tier.uploadPass();
  assert.deepEqual([...(await blocksInBucket(os)).keys()], [metas[1]!.ulid]);
  // Blocks of another zone in the same bucket are left alone.
  await b.put(
    `${metas[0]!.ulid.slice(0, 25)}Z/meta.json`,
    Buffer.from(
      JSON.stringify({
        ...metas[0],
        ulid: `${metas[0]!.ulid.slice(0, 25)}Z`,
        thanos: { ...metas[0]!.thanos, labels: { zone: 'z2', region: 'r1' } },
      }),
    ),
  );
  await tier.uploadPass();
  assert.deepEqual(
    [...(await blocksInBucket(os)).keys()].sort(),
    [metas[1]!.ulid, `${metas[0]!.ulid.slice(0, 25)}Z`].sort(),
  );
  await tier.stop();
  b.close();
  // Local data still answers in full (local blocks are kept: retentionMs 0).
  assert.deepEqual(await readAll(db, T1, T1 + 4 * H), want);
  await db.close();
});

test('bucket unreachable since start: local time ranges still answer, older ones fail with unavailable', async () => {
  const dir = join(tmp, 'down');
  const db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H });
  const os: ObjectStoreConfig = {
    type: 'S3',
    bucket: 'nobucket',
    endpoint: '127.0.0.1:1',
    region: 'us-east-1',
    accessKey: 'a',
    secretKey: 'b',
    insecure: true,
  };
  const tier = tierFor(db, dir, os);
  await tier.start(); // logs the failed listing, does not throw
  await fill(db, T0 + 5 * H, T0 + 6 * H);
  const recent = await readAll(db, T0 + 5 * H, T0 + 6 * H);
  assert.equal(recent.size, 10);
  await assert.rejects(
    db.querier(T0, T0 + 6 * H),
    (e) => isCanopyError(e, 'unavailable') && /block list was never read/.test((e as Error).message),
  );
  await tier.stop();
  await db.close();
});
