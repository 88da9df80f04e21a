// Bucket tier benchmark on node_exporter-like data: a TSDB (2 h blocks) with a bucket tier on a
// real s3rver process gets --hours of --series, cuts and uploads every block; reports the
// bucket's bytes per sample (raw; chunks + index + meta.json), the upload rate, and — after the
// data dir is wiped — the cold (download) and warm (cached) time of a full-range read.
// Usage: npm run bench:bucket -- [--series=1000] [--hours=24]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, type TSDB } from '../zone/tsdb/index.ts';
import { BucketTier, loadObjectStoreConfig, openBucket, type ObjectStoreConfig } from '../zone/objstore/index.ts';
import { labelsFromRecord, type Labels } from '../shared/labels.ts';
import { ValueKind } from '../shared/storage.ts';
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
const tierOf = (db: TSDB): BucketTier =>
  new BucketTier({ objectStore: os, dataDir: join(dir, 'zone'), cacheBytes: 4 * 2 ** 30, retention: { rawMs: 0, fiveMinMs: 0, oneHourMs: 0 }, labels: { zone: 'bench' }, syncIntervalMs: 3600_000, logger: silentLogger() }, db);

try {
  let db = await openTSDB({ dir: join(dir, 'zone'), walFsync: 'none', autoCompact: false, wal: false });
  let tier = tierOf(db);
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
  row('upload (s3rver on loopback)', `${Math.round(uploadMs)} ms, ${((bytes / 1e6) / (uploadMs / 1000)).toFixed(1)} MB/s (with the final cut's merges)`);
  await tier.stop();
  await db.close();

  // Wipe the data dir; read everything back from the bucket (cold), then again (cached).
  rmSync(join(dir, 'zone'), { recursive: true, force: true });
  db = await openTSDB({ dir: join(dir, 'zone'), walFsync: 'none', autoCompact: false, wal: false });
  tier = tierOf(db);
  await tier.start();
  for (const kind of ['cold (downloads)', 'warm (cache)', 'warm again']) {
    const t0 = performance.now();
    const q = await db.querier(T0 - H, T0 + (HOURS + 1) * H); // scrape times jitter a few ms around the steps
    const openMs = performance.now() - t0;
    const set = q.select([new Matcher('=', 'job', 'node')], { startMs: T0 - H, endMs: T0 + (HOURS + 1) * H });
    let n = 0;
    while (set.next()) {
      const c = set.at().cursor();
      while (c.next() !== ValueKind.None) n++;
    }
    q.close();
    row(`read all after wipe, ${kind}`, `${Math.round(performance.now() - t0)} ms (querier ${Math.round(openMs)} ms), ${n} samples${n === samples ? '' : ` — MISMATCH, wrote ${samples}`}`);
  }
  const qs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    (await db.querier(T0 - H, T0 + (HOURS + 1) * H)).close();
    qs.push(Math.round((performance.now() - t0) * 10) / 10);
  }
  row('querier() alone, cached blocks, 5 calls', `${qs.join(', ')} ms`);
  await tier.stop();
  await db.close();
} finally {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
}
