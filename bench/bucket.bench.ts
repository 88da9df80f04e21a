// Bucket tier benchmark on node_exporter-like data: a TSDB (2 h blocks) with a bucket tier on a
// real s3rver process gets --hours of --series, cuts and uploads every block; reports the
// bucket's bytes per sample (raw; chunks + index + meta.json) and the upload rate. Then, on a
// wiped data dir (the bucket only), the read side: a selective query (1 series, and one metric
// over all hosts) read by ranges (querier hints: index + the selected series' chunk pages) vs
// the whole-block path (no hints: every chunk page, as the earlier whole-block download),
// cold and warm cache, with bytes and requests fetched from the bucket; a full read; and the
// cache bound (--cache-mib) held after each query.
// Usage: npm run bench:bucket -- [--series=1000] [--hours=24] [--cache-mib=4]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, type TSDB } from '../zone/tsdb/index.ts';
import {
  BucketTier,
  loadObjectStoreConfig,
  openBucket,
  type ObjectStoreConfig,
} from '../zone/objstore/index.ts';
import { labelsFromRecord, type Labels } from '../shared/labels.ts';
import { ValueKind, type QuerierHints } from '../shared/storage.ts';
import { silentLogger } from '../shared/log.ts';
import { Matcher } from '../shared/matchers.ts';
import { INTERVAL_MS, NodeDataset, PER_HOST, Prng } from './node-dataset.ts';
import { startS3rver } from '../test/zone/objstore/s3rver.ts';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}
const NSERIES = arg('series', 1000);
const HOURS = arg('hours', 24);
const CACHE_BYTES = arg('cache-mib', 4) * 2 ** 20;
const H = 3600_000;
const row = (k: string, v: string): void => console.log(`${k.padEnd(44)} ${v}`);

const rng = new Prng(12345);
const data = new NodeDataset(NSERIES, rng);
const labels: Labels[] = data.labels.map((ls) => labelsFromRecord(Object.fromEntries(ls)));
const val = data.start.slice();
const T0 = Math.floor((Date.now() - (HOURS + 3) * H) / (2 * H)) * 2 * H;
const hosts = Math.ceil(NSERIES / PER_HOST);

const s3 = await startS3rver('canopy-bench');
const dir = mkdtempSync(join(tmpdir(), 'bucket-bench-'));
writeFileSync(join(dir, 's3.yaml'), s3.yaml);
const os: ObjectStoreConfig = loadObjectStoreConfig(join(dir, 's3.yaml'));
const tierOf = (db: TSDB, cacheBytes = 4 * 2 ** 30): BucketTier =>
  new BucketTier(
    {
      objectStore: os,
      dataDir: join(dir, 'zone'),
      cacheBytes,
      retention: { rawMs: 0, fiveMinMs: 0, oneHourMs: 0 },
      labels: { zone: 'bench' },
      syncIntervalMs: 3600_000,
      logger: silentLogger(),
    },
    db,
  );

try {
  const db = await openTSDB({ dir: join(dir, 'zone'), walFsync: 'none', autoCompact: false, wal: false });
  const tier = tierOf(db);
  await tier.start();
  let samples = 0;
  for (let s = 0; s < (HOURS * H) / INTERVAL_MS; s++) {
    for (let h = 0; h < hosts; h++) {
      const t = data.scrapeTimeMs(T0, s, h);
      const a = db.appender();
      const end = Math.min(NSERIES, (h + 1) * PER_HOST);
      for (let i = h * PER_HOST; i < end; i++) a.append(labels[i]!, t, data.step(val, i, t));
      samples += end - h * PER_HOST;
      await a.commit();
    }
  }
  await db.cutBlocksNow();
  const u0 = performance.now();
  await tier.uploadPass();
  const uploadMs = performance.now() - u0;
  const b = openBucket(os);
  const objs = await b.list('');
  const bytes = objs.reduce((n, o) => n + o.sizeBytes, 0);
  const metaBytes = objs.filter((o) => o.name.endsWith('/meta.json')).reduce((n, o) => n + o.sizeBytes, 0);
  const indexBytes = objs.filter((o) => o.name.endsWith('/index')).reduce((n, o) => n + o.sizeBytes, 0);
  const blocks = objs.filter((o) => o.name.endsWith('/meta.json')).length;
  b.close();
  row('series × hours, samples', `${NSERIES} × ${HOURS} h, ${samples}`);
  row('bucket blocks (raw)', String(blocks));
  row('bucket bytes', `${bytes} (index ${indexBytes}, meta.json ${metaBytes})`);
  row('bucket bytes/sample (raw)', (bytes / samples).toFixed(3));
  row('bucket bytes/sample without index', ((bytes - indexBytes) / samples).toFixed(3));
  row(
    'upload (s3rver on loopback)',
    `${Math.round(uploadMs)} ms, ${(bytes / 1e6 / (uploadMs / 1000)).toFixed(1)} MB/s (with the final cut's merges)`,
  );
  await tier.stop();
  await db.close();

  // The read side, each mode on a wiped data dir (bucket only) with an empty cache.
  const lo = T0 - H,
    hi = T0 + (HOURS + 1) * H; // scrape times jitter a few ms around the steps
  const name = labels[3]!.find((l) => l.name === '__name__')!.value;
  const oneSeries = labels[3]!.map((l) => new Matcher('=', l.name, l.value));
  const oneMetric = [new Matcher('=', '__name__', name)];
  const everything = [new Matcher('=', 'job', 'node')];
  const read = async (
    db: TSDB,
    t: BucketTier,
    ms: Matcher[],
    hints: QuerierHints | undefined,
  ): Promise<string> => {
    const s0 = { ...t.store.stats };
    const t0 = performance.now();
    const q = await db.querier(lo, hi, hints);
    const set = q.select(ms, { startMs: lo, endMs: hi });
    let n = 0,
      series = 0;
    while (set.next()) {
      series++;
      const c = set.at().cursor();
      while (c.next() !== ValueKind.None) n++;
      if (c.err()) throw c.err();
    }
    q.close();
    const ms_ = performance.now() - t0;
    const st = t.store.stats;
    const bytes = st.indexFetchedBytes - s0.indexFetchedBytes + st.chunkFetchedBytes - s0.chunkFetchedBytes;
    const reqs = st.indexFetches - s0.indexFetches + st.chunkRequests - s0.chunkRequests;
    return `${ms_.toFixed(1).padStart(7)} ms, fetched ${String(bytes).padStart(9)} B in ${String(reqs).padStart(4)} GETs (index ${st.indexFetchedBytes - s0.indexFetchedBytes} B: whole ${st.indexWholeFetchedBytes - s0.indexWholeFetchedBytes}, header ${st.indexHeaderFetchedBytes - s0.indexHeaderFetchedBytes}, ranges ${st.indexRangeFetchedBytes - s0.indexRangeFetchedBytes} in ${st.indexRangeRequests - s0.indexRangeRequests}), ${series} series, ${n} samples; cache ${st.cachedBytes} B, headers ${st.headerCachedBytes} B`;
  };
  const fresh = async (cacheBytes?: number): Promise<{ db: TSDB; t: BucketTier }> => {
    rmSync(join(dir, 'zone'), { recursive: true, force: true });
    const db = await openTSDB({ dir: join(dir, 'zone'), walFsync: 'none', autoCompact: false, wal: false });
    const t = tierOf(db, cacheBytes);
    await t.start();
    return { db, t };
  };
  const chunkFileBytes = bytes - indexBytes - metaBytes;
  row('chunk files in the bucket', `${chunkFileBytes} B`);
  for (const [what, ms] of [
    ['1 series', oneSeries],
    ['1 metric', oneMetric],
  ] as [string, Matcher[]][]) {
    for (const [mode, hints] of [
      ['whole blocks (no hints)', undefined],
      ['ranges (hints)', { selects: [ms] }],
    ] as [string, QuerierHints | undefined][]) {
      const { db: d, t: tt } = await fresh();
      row(`${what}, ${mode}, cold`, await read(d, tt, ms, hints));
      row(`${what}, ${mode}, warm`, await read(d, tt, ms, hints));
      await tt.stop();
      await d.close();
    }
  }
  {
    const { db: d, t: tt } = await fresh();
    row('all series, ranges, cold', await read(d, tt, everything, { selects: [everything] }));
    row('all series, ranges, warm', await read(d, tt, everything, { selects: [everything] }));
    await tt.stop();
    await d.close();
  }
  {
    // The bound: a cache of --cache-mib; after each query the cache is back under it.
    const { db: d, t: tt } = await fresh(CACHE_BYTES);
    for (const [what, ms] of [
      ['1 series', oneSeries],
      ['all series', everything],
      ['1 series', oneSeries],
      ['1 metric', oneMetric],
    ] as [string, Matcher[]][]) {
      const r = await read(d, tt, ms, { selects: [ms] });
      const disk = tt.store.cache.diskBytes();
      row(
        `bound ${CACHE_BYTES >> 20} MiB: ${what}`,
        `${r}; on disk ${disk} B ${disk <= CACHE_BYTES ? '≤' : '> (OVER)'} bound`,
      );
    }
    await tt.stop();
    await d.close();
  }
  const qs: number[] = [];
  {
    const { db: d, t: tt } = await fresh();
    await read(d, tt, oneSeries, { selects: [oneSeries] });
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      (await d.querier(lo, hi, { selects: [oneSeries] })).close();
      qs.push(Math.round((performance.now() - t0) * 10) / 10);
    }
    await tt.stop();
    await d.close();
  }
  row('querier() alone, warm, 1 series, 5 calls', `${qs.join(', ')} ms`);
} finally {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
}
