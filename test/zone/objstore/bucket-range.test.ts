// The bucket store reads by range (zone/objstore/bucket-store.ts, bucket-block.ts,
// range-cache.ts), on both backends (s3rver, a real process, and FILESYSTEM): a zone with an
// empty data dir answers a selective query fetching its index header, the postings and series
// ranges it needs (less than the index), and only the chunk pages of the
// selected series (much less than the chunk files); the same query again fetches nothing; a
// select the querier hints did not announce fails (cursor err), never a silent gap; the cache
// stays under its bound once queries close; and a restart keeps the cache (warm at once).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, type TSDB } from '../../../zone/tsdb/index.ts';
import {
  BucketTier,
  loadObjectStoreConfig,
  openBucket,
  type ObjectStoreConfig,
} from '../../../zone/objstore/index.ts';
import { Matcher } from '../../../shared/matchers.ts';
import { formatLabels, labelsFromRecord, type Labels } from '../../../shared/labels.ts';
import { ValueKind, type QuerierHints } from '../../../shared/storage.ts';
import { silentLogger } from '../../../shared/log.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import { startS3rver, type S3rver } from './s3rver.ts';

const H = 3600_000;
// Aligned to 3h (+2h) and values relative to T0: the blocks, their merges and chunk bytes are
// the same whatever the hour the test runs at.
const T0 = Math.floor((Date.now() - 12 * H) / (3 * H)) * 3 * H + 2 * H;
const tmp = mkdtempSync(join(tmpdir(), 'bucket-range-'));
let s3: S3rver;
before(async () => {
  s3 = await startS3rver();
});
after(async () => {
  await s3?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const SERIES: Labels[] = Array.from({ length: 1000 }, (_, i) =>
  labelsFromRecord({ __name__: 'g', host: `h${String(i).padStart(4, '0')}` }),
);

async function read(
  db: TSDB,
  ms: Matcher[],
  hints: QuerierHints | undefined,
): Promise<{ pts: Map<string, number[]>; err: Error | null }> {
  const q = await db.querier(T0, T0 + 6 * H, hints);
  const pts = new Map<string, number[]>();
  let err: Error | null = null;
  try {
    // A ranged index throws from select() when the selector's postings were never fetched.
    const set = q.select(ms, { startMs: T0, endMs: T0 + 6 * H });
    while (set.next()) {
      const c = set.at().cursor();
      const p: number[] = [];
      while (c.next() === ValueKind.Float) p.push(c.atT(), c.atF());
      err ??= c.err();
      pts.set(formatLabels(set.at().labels), p);
    }
  } catch (e) {
    err = e as Error;
  } finally {
    q.close();
  }
  return { pts, err };
}

const tier = (db: TSDB, dir: string, os: ObjectStoreConfig, cacheBytes: number): BucketTier =>
  new BucketTier(
    {
      objectStore: os,
      dataDir: dir,
      cacheBytes,
      retention: { rawMs: 0, fiveMinMs: 0, oneHourMs: 0 },
      labels: { zone: 'z1' },
      syncIntervalMs: 3600_000,
      logger: silentLogger(),
    },
    db,
  );

async function scenario(os: ObjectStoreConfig, name: string): Promise<void> {
  const dir = join(tmp, name);
  let db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H, wal: false });
  let t = tier(db, dir, os, 1 << 30);
  await t.start();
  for (let tt = T0; tt < T0 + 6 * H; tt += 30_000) {
    const a = db.appender();
    SERIES.forEach((ls, i) => a.append(ls, tt, Math.round(Math.sin((tt - T0) / 1e6 + i) * 1000)));
    await a.commit();
  }
  const one = [new Matcher('=', 'host', 'h0007')];
  const want = (await read(db, one, undefined)).pts;
  assert.equal(want.size, 1);
  await db.cutBlocksNow();
  await t.uploadPass();
  await t.stop();
  await db.close();
  const b = openBucket(os);
  const objects = await b.list('');
  const chunkFiles = objects.filter((o) => o.name.includes('/chunks/')).reduce((n, o) => n + o.sizeBytes, 0);
  const blocks = objects.filter((o) => o.name.endsWith('/meta.json')).length;
  const indexFiles = objects.filter((o) => o.name.endsWith('/index')).reduce((n, o) => n + o.sizeBytes, 0);
  b.close();

  // An empty data dir on the same bucket.
  rmSync(dir, { recursive: true, force: true });
  const limit = 256 << 10;
  db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H, wal: false });
  t = tier(db, dir, os, limit);
  await t.start();
  const st = t.store.stats;
  const cold = await read(db, one, { selects: [one] });
  assert.equal(cold.err, null);
  assert.deepEqual(cold.pts, want, 'a selective query answers from the bucket as before the wipe');
  // Index file version 2: each block's TOC + header in one tail read, then postings and series ranges.
  assert.equal(st.indexHeaderFetches, blocks, "every block's index header fetched once");
  assert.equal(st.indexWholeFetches, 0, 'no index fetched whole');
  assert.ok(
    st.indexFetchedBytes * 2 < indexFiles,
    `index bytes fetched ${st.indexFetchedBytes} < index files ${indexFiles}`,
  );
  assert.ok(
    st.chunkFetchedBytes > 0 && st.chunkFetchedBytes * 10 < chunkFiles,
    `chunk bytes fetched ${st.chunkFetchedBytes} ≪ chunk files ${chunkFiles}`,
  );
  const requests = st.chunkRequests;
  const warm = await read(db, one, { selects: [one] });
  assert.deepEqual(warm.pts, want);
  assert.equal(st.chunkRequests, requests, 'warm: no new requests');
  assert.ok(st.pageHits > 0);

  // A select the hints did not announce: its far-away pages were never fetched.
  const far = [new Matcher('=', 'host', 'h0993')];
  const unannounced = await read(db, far, { selects: [one] });
  assert.ok(
    unannounced.err && isCanopyError(unannounced.err, 'unavailable'),
    `select or cursor error, got ${String(unannounced.err)}`,
  );
  assert.match(unannounced.err.message, /not fetched/);
  // A labels-only querier fetches no chunks at all.
  const q = await db.querier(T0, T0 + 6 * H, { selects: [] });
  assert.equal(q.labelValues('host', { startMs: T0, endMs: T0 + 6 * H }).length, 1000);
  q.close();
  assert.equal(st.chunkRequests, requests);

  // Everything (no hints): more than the cache bound while the query runs, under it after.
  const all = await read(db, [new Matcher('=', '__name__', 'g')], undefined);
  assert.equal(all.err, null);
  assert.equal(all.pts.size, 1000);
  assert.deepEqual(all.pts.get(formatLabels(SERIES[7]!)), want.get(formatLabels(SERIES[7]!)));
  assert.ok(
    st.chunkFetchedBytes >= chunkFiles * 0.9,
    `all chunks fetched: ${st.chunkFetchedBytes} of ${chunkFiles}`,
  );
  assert.ok(
    t.store.cache.diskBytes() <= limit && st.cachedBytes <= limit,
    `cache ${t.store.cache.diskBytes()} ≤ ${limit} bytes`,
  );
  assert.ok(st.evictions > 0);
  // The selective query's pages were used last before the big read; recent ones are kept.
  const before2 = st.chunkRequests;
  await read(db, far, { selects: [far] });
  assert.equal(st.chunkRequests, before2, 'the last pages read are still cached');
  await t.stop();
  await db.close();

  // Restart on the same data dir: the cache survives (no chunk request for the pages kept). The
  // indexes were evicted by the big read, so the restart fetches them again; a larger bound keeps
  // that from evicting the pages under test (the restart's order is by file time, not last use).
  db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H, wal: false });
  t = tier(db, dir, os, 1 << 30);
  await t.start();
  assert.ok(t.store.stats.cachedEntries > 0);
  const again = await read(db, far, { selects: [far] });
  assert.equal(again.err, null);
  assert.equal(again.pts.size, 1);
  assert.equal(t.store.stats.chunkRequests, 0, 'pages come from the cache kept across the restart');
  await t.stop();
  await db.close();
}

test('S3 (s3rver): range reads, page cache, bound, restart', async () => {
  const f = join(tmp, 's3.yaml');
  writeFileSync(f, s3.yaml);
  await scenario(loadObjectStoreConfig(f), 's3');
});

test('FILESYSTEM bucket: the same', async () => {
  await scenario({ type: 'FILESYSTEM', directory: join(tmp, 'fsbucket') }, 'fs');
});
