// Ranged reads of bucket block indexes (index file version 2; zone/objstore/bucket-store.ts) on a
// real s3rver process: a zone with an empty data dir fetches only each block's index header
// (TOC + header by range) and the postings lists / series entries its selectors need — counted
// both by the store's stats and by a counting wrapper around the bucket's GETs; answers exactly
// like the whole-index path for random selectors (differential, incl. regex, negative and
// narrower-than-announced selects); a version 1 block in the same bucket is still read (whole);
// corrupt and truncated index bytes fail the query with a clear error and the zone goes on
// answering; the on-disk index-header cache stays under its bound, and a header evicted from it
// is rebuilt from the bucket.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, parseRangedToc, readIndexFile, type TSDB } from '../../../zone/tsdb/index.ts';
import { encodeIndexFileV1, type IndexSeries } from '../../../zone/tsdb/block-index.ts';
import {
  BucketTier,
  loadObjectStoreConfig,
  openBucket,
  type Bucket,
  type ObjectStoreConfig,
} from '../../../zone/objstore/index.ts';
import { Matcher, type MatchType } from '../../../shared/matchers.ts';
import { formatLabels, labelsFromRecord, type Labels } from '../../../shared/labels.ts';
import { ValueKind, type QuerierHints } from '../../../shared/storage.ts';
import { silentLogger } from '../../../shared/log.ts';
import { errorMessage, isCanopyError } from '../../../shared/errors.ts';
import { startS3rver, type S3rver } from './s3rver.ts';

const H = 3600_000;
// 2h past a 3h boundary: the three 1h blocks never fill an aligned 3h (or 9h, 27h) range up to
// the newest data, so the blocks pass does not merge them (compact.ts planCompaction).
const T0 = Math.floor((Date.now() - 12 * H) / (3 * H)) * 3 * H + 2 * H;
const T1 = T0 + 3 * H;
const tmp = mkdtempSync(join(tmpdir(), 'index-header-'));
let s3: S3rver;
let os: ObjectStoreConfig;
before(async () => {
  s3 = await startS3rver();
  writeFileSync(join(tmp, 's3.yaml'), s3.yaml);
  os = loadObjectStoreConfig(join(tmp, 's3.yaml'));
});
after(async () => {
  await s3?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const METRICS = ['node_cpu_seconds_total', 'node_load1', 'up', 'http_requests_total'];
const JOBS = ['node', 'api', 'db'];
const MODES = ['idle', 'user', 'system', 'iowait', 'steal'];
const INSTANCES = Array.from({ length: 250 }, (_, i) => `host-${String(i).padStart(3, '0')}:9100`);
// 4 metrics × 250 instances × 5 modes = 5000 series (job derived): each block's index is
// larger than the store's first tail read, so it is read by ranges.
const SERIES: Labels[] = METRICS.flatMap((m, mi) =>
  INSTANCES.flatMap((inst, ii) =>
    MODES.map((mode) => labelsFromRecord({ __name__: m, instance: inst, job: JOBS[(ii + mi) % 3]!, mode })),
  ),
);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
}

function randomMatchers(rand: () => number): Matcher[] {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const ms: Matcher[] = [
    new Matcher(rand() < 0.7 ? '=' : '=~', '__name__', rand() < 0.7 ? pick(METRICS) : 'node_.*'),
  ];
  for (let i = 0, n = 1 + Math.floor(rand() * 2); i < n; i++) {
    const type = pick<MatchType>(['=', '!=', '=~', '!~']);
    const name = pick(['instance', 'job', 'mode', 'absent']);
    const vals = name === 'instance' ? INSTANCES : name === 'job' ? JOBS : name === 'mode' ? MODES : ['x'];
    const value =
      type === '=' || type === '!='
        ? rand() < 0.1
          ? ''
          : pick(vals)
        : pick([
            `host-0[0-4]${Math.floor(rand() * 10)}:9100`,
            `${pick(vals)}|${pick(vals)}`,
            '.*',
            '.+',
            'i.*',
            'host-1.*',
            '',
          ]);
    ms.push(new Matcher(type, name, value));
  }
  return ms;
}

/** Counts the GETs the store makes through the bucket (a wrapper around the real S3 client). */
function countGets(b: Bucket): { gets: number; bytes: number; ranges: [string, number, number][] } {
  const c = { gets: 0, bytes: 0, ranges: [] as [string, number, number][] };
  const get = b.get.bind(b),
    getRange = b.getRange.bind(b);
  b.get = async (name) => {
    const r = await get(name);
    c.gets++;
    c.bytes += r?.length ?? 0;
    c.ranges.push([name, 0, r?.length ?? 0]);
    return r;
  };
  b.getRange = async (name, off, len) => {
    const r = await getRange(name, off, len);
    c.gets++;
    c.bytes += r.length;
    c.ranges.push([name, off, r.length]);
    return r;
  };
  return c;
}

type Answer = Map<string, number[]>;
async function read(db: TSDB, ms: Matcher[], hints: QuerierHints | undefined): Promise<Answer> {
  const q = await db.querier(T0, T1, hints);
  try {
    const set = q.select(ms, { startMs: T0, endMs: T1 });
    const out: Answer = new Map();
    while (set.next()) {
      const c = set.at().cursor();
      const p: number[] = [];
      while (c.next() === ValueKind.Float) p.push(c.atT(), c.atF());
      if (c.err()) throw c.err();
      out.set(formatLabels(set.at().labels), p);
    }
    return out;
  } finally {
    q.close();
  }
}

const tierOf = (db: TSDB, dir: string, headerBytes?: number): BucketTier =>
  new BucketTier(
    {
      objectStore: os,
      dataDir: dir,
      cacheBytes: 1 << 30,
      indexHeaderCacheBytes: headerBytes,
      retention: { rawMs: 0, fiveMinMs: 0, oneHourMs: 0 },
      labels: { zone: 'ih' },
      syncIntervalMs: 3600_000,
      logger: silentLogger(),
    },
    db,
  );

async function emptyZone(
  name: string,
  headerBytes?: number,
): Promise<{ db: TSDB; t: BucketTier; dir: string }> {
  const dir = join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  const db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H, wal: false });
  const t = tierOf(db, dir, headerBytes);
  await t.start();
  return { db, t, dir };
}

test('a zone with an empty disk reads bucket block indexes by header + ranges, identically to the whole-index path', async () => {
  // Write 3 one-hour blocks and upload them.
  {
    const dir = join(tmp, 'writer');
    const db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: H, wal: false });
    const t = tierOf(db, dir);
    await t.start();
    for (let tt = T0; tt < T1; tt += 120_000) {
      const a = db.appender();
      SERIES.forEach((ls, i) => a.append(ls, tt, (i * 7 + tt / 1000) % 1000));
      await a.commit();
    }
    await db.cutBlocksNow();
    await t.uploadPass();
    await t.stop();
    await db.close();
  }
  const b = openBucket(os);
  const objects = await b.list('');
  const indexes = objects.filter((o) => o.name.endsWith('/index'));
  assert.equal(indexes.length, 3);
  for (const o of indexes)
    assert.ok(o.sizeBytes > 64 << 10, `index ${o.name} is ${o.sizeBytes} B: larger than the first tail read`);
  // Turn the oldest block into an old (version 1) block, as an older zone uploaded it.
  const v1Ulid = indexes[0]!.name.split('/')[0]!;
  {
    const ix = readIndexFile(new Uint8Array((await b.get(`${v1Ulid}/index`))!));
    const series: IndexSeries[] = [];
    for (let i = 0; i < ix.numSeries(); i++) series.push(ix.series(i));
    const v1 = encodeIndexFileV1(series);
    await b.put(`${v1Ulid}/index`, v1);
    const meta = JSON.parse(String(await b.get(`${v1Ulid}/meta.json`))) as {
      thanos: { files: { rel_path: string; size_bytes: number }[] };
    };
    meta.thanos.files.find((f) => f.rel_path === 'index')!.size_bytes = v1.length;
    await b.put(`${v1Ulid}/meta.json`, new TextEncoder().encode(JSON.stringify(meta)));
  }
  const sizes = new Map(
    (await b.list('')).filter((o) => o.name.endsWith('/index')).map((o) => [o.name, o.sizeBytes]),
  );
  b.close();

  // Reference: the whole-index path (no hints) on its own empty zone.
  const ref = await emptyZone('ref');
  // Under test: hints, an empty disk, a counting wrapper around the bucket.
  const z = await emptyZone('ranged');
  const counted = countGets(z.t.bucket);
  const one = [
    new Matcher('=', '__name__', 'node_load1'),
    new Matcher('=', 'instance', 'host-042:9100'),
    new Matcher('=', 'mode', 'user'),
  ];
  const got = await read(z.db, one, { selects: [one] });
  assert.equal(got.size, 1);
  assert.deepEqual(got, await read(ref.db, one, undefined));
  const st = z.t.store.stats;
  // Only the version 1 block's index was fetched whole; the others by TOC/header + ranges.
  const indexGets = counted.ranges.filter(([n]) => n.endsWith('/index'));
  const wholeV2 = indexGets.filter(
    ([n, off, len]) => !n.startsWith(v1Ulid) && off === 0 && len === sizes.get(n),
  );
  assert.deepEqual(wholeV2, [], 'no version 2 index fetched whole');
  assert.equal(st.indexWholeFetches, 1, 'the version 1 block: one whole GET');
  assert.equal(st.indexWholeFetchedBytes, sizes.get(`${v1Ulid}/index`));
  // One tail read per version 2 block, and one more when its header is larger than the tail.
  assert.ok(
    st.indexHeaderFetches >= 2 && st.indexHeaderFetches <= 4,
    `header reads: ${st.indexHeaderFetches}`,
  );
  const v2Bytes = [...sizes].filter(([n]) => !n.startsWith(v1Ulid)).reduce((s, [, n]) => s + n, 0);
  const v2Fetched = indexGets.filter(([n]) => !n.startsWith(v1Ulid)).reduce((s, [, , len]) => s + len, 0);
  assert.equal(
    v2Fetched,
    st.indexHeaderFetchedBytes + st.indexRangeFetchedBytes,
    'the stats count what the wrapper saw',
  );
  assert.ok(v2Fetched * 2 < v2Bytes, `version 2 indexes: fetched ${v2Fetched} B of ${v2Bytes} B`);
  assert.ok(
    st.indexRangeFetchedBytes * 4 < v2Bytes,
    `postings + series ranges: ${st.indexRangeFetchedBytes} B of ${v2Bytes} B`,
  );
  assert.equal(counted.gets, st.indexFetches + st.chunkRequests, 'every GET is counted by the store');
  assert.equal(counted.bytes, st.indexFetchedBytes + st.chunkFetchedBytes);
  // The header is on disk, bounded by its own cache.
  assert.equal(z.t.store.stats.headerCachedEntries, 2);
  // Warm: nothing fetched.
  const gets = counted.gets;
  assert.deepEqual(await read(z.db, one, { selects: [one] }), got);
  assert.equal(counted.gets, gets, 'warm: no GET');
  // An unannounced select on a ranged index is an error (its postings list was never fetched), never a silently empty answer.
  await assert.rejects(
    read(z.db, [new Matcher('=', 'instance', 'host-199:9100')], { selects: [one] }),
    (e) => isCanopyError(e, 'unavailable') && /not fetched/.test(errorMessage(e)),
  );

  // Differential: random selectors, ranged (hints) vs whole index (no hints).
  const rand = rng(42);
  let nonEmpty = 0;
  for (let k = 0; k < 60; k++) {
    const ms = randomMatchers(rand);
    const what = ms.map(String).join(', ');
    const want = await read(ref.db, ms, undefined);
    assert.deepEqual(await read(z.db, ms, { selects: [ms] }), want, what);
    if (want.size > 0) nonEmpty++;
    // A narrower select than announced (a wrapper adding a matcher) answers the same too.
    if (k % 4 === 0) {
      const extra = [...ms, new Matcher('!=', 'job', 'db')];
      assert.deepEqual(
        await read(z.db, extra, { selects: [ms] }),
        await read(ref.db, extra, undefined),
        `${what} + job!="db"`,
      );
    }
  }
  assert.ok(nonEmpty > 20, `${nonEmpty} of 60 selectors matched series`);
  for (const x of [ref, z]) {
    await x.t.stop();
    await x.db.close();
  }
});

test('corrupt or truncated index ranges fail the query with a clear error; the zone keeps answering', async () => {
  const b = openBucket(os);
  const metas = (await b.list('')).filter((o) => o.name.endsWith('/index'));
  const sizes = new Map(metas.map((o) => [o.name.split('/')[0]!, o.sizeBytes]));
  // A version 2 block (the oldest one is version 1 from the test above).
  const ulid = [...sizes.keys()].sort()[2]!;
  const name = `${ulid}/index`;
  const good = (await b.get(name))!;
  const sel = [new Matcher('=', '__name__', 'up'), new Matcher('=', 'instance', 'host-007:9100')];
  const damage = async (bytes: Uint8Array): Promise<Error> => {
    await b.put(name, bytes);
    const z = await emptyZone('damaged');
    try {
      await read(z.db, sel, { selects: [sel] });
      assert.fail('the query should fail');
    } catch (e) {
      assert.ok(isCanopyError(e, 'unavailable'), String(e));
      // The zone still answers a query over data it can read (the head / other selectors fail alike,
      // so check that the store itself survives: a labels-only querier on the remaining blocks).
      const q = await z.db.querier(T0, T0 + H - 1, { selects: [] });
      assert.ok(q.labelNames({ startMs: T0, endMs: T0 + H - 1 }).includes('instance'));
      q.close();
      return e as Error;
    } finally {
      await z.t.stop();
      await z.db.close();
    }
  };
  try {
    // Flipped bits all over the series section ([8, postingsOff)).
    const toc = parseRangedToc(good, good.length)!;
    const flipped = Buffer.from(good);
    for (let i = 8; i < toc.postingsOff; i += 97) flipped[i] = flipped[i]! ^ 0x10;
    assert.match((await damage(flipped)).message, /crc|corrupt|cannot read/);
    // A flipped bit in the header.
    const hdr = Buffer.from(good);
    hdr[hdr.length - 100] = hdr[hdr.length - 100]! ^ 1;
    assert.match((await damage(hdr)).message, /index header/);
    // Truncated: the object is shorter than meta.json says.
    assert.match(
      (await damage(good.subarray(0, good.length - 5000))).message,
      /bytes at|expected|meta\.json/,
    );
  } finally {
    await b.put(name, good);
    b.close();
  }
});

test('the on-disk index-header cache respects its bound; evicted headers are rebuilt from the bucket', async () => {
  const z = await emptyZone('bounded', 1); // smaller than any header: each is evicted after use
  const sel = [new Matcher('=', '__name__', 'up'), new Matcher('=~', 'mode', 'idle|user')];
  const want = await read(z.db, sel, { selects: [sel] });
  assert.ok(want.size > 0);
  const headers = join(z.dir, 'bucket-cache-index-headers');
  const onDisk = (): number => readdirSync(headers).flatMap((u) => readdirSync(join(headers, u))).length;
  assert.equal(onDisk(), 0, 'no header kept on disk beyond a 1-byte bound');
  assert.ok(z.t.store.headerCache.diskBytes() <= 1);
  await z.t.stop();
  await z.db.close();
  // A restart on the same data dir: headers are gone from disk and memory, so they are fetched again.
  const db = await openTSDB({
    dir: z.dir,
    walFsync: 'none',
    autoCompact: false,
    blockRangeMs: H,
    wal: false,
  });
  const t = tierOf(db, z.dir, 10 << 20);
  await t.start();
  assert.deepEqual(await read(db, sel, { selects: [sel] }), want);
  assert.ok(t.store.stats.indexHeaderFetches >= 2, 'both version 2 headers rebuilt from the bucket');
  assert.equal(t.store.stats.headerCachedEntries, 2);
  await t.stop();
  await db.close();
  // With room for them, a restart reads the headers from disk: no header fetch.
  const db2 = await openTSDB({
    dir: z.dir,
    walFsync: 'none',
    autoCompact: false,
    blockRangeMs: H,
    wal: false,
  });
  const t2 = tierOf(db2, z.dir, 10 << 20);
  await t2.start();
  assert.deepEqual(await read(db2, sel, { selects: [sel] }), want);
  assert.equal(t2.store.stats.indexHeaderFetches, 0, 'headers from the on-disk cache');
  assert.equal(t2.store.stats.indexFetches, 0, 'postings and series entries from the range cache too');
  await t2.stop();
  await db2.close();
});
