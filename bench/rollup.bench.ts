// npm run bench:rollup — rollups vs raw over 30 days of node_exporter-like data.
// Backfills ROLLUP_BENCH_DAYS (default 30) days of NSERIES (default 1,000) series
// (bench/node-dataset.ts, 15 s scrapes with ms jitter) into a TSDB through its appender, a day
// at a time, cutting blocks after each day (the compactor merges them and writes 5m rollups of
// blocks older than 40 h and 1h rollups of 5m blocks older than 10 d, Thanos' defaults). Then
// times the same range query through the PromQL engine with rollups (max_source_resolution
// auto: step 1h → 5m) and forced raw (0s), reports p50/p99 and the speed-up, the bytes per
// sample of each resolution, and how far the rollup answers are from raw ones.
// The TSDB runs with a FILESYSTEM bucket tier (zone/objstore): every compaction pass uploads the
// blocks it wrote, so the bucket ends with raw, 5m and 1h blocks; the bench prints bytes per
// sample in the bucket per resolution, then opens an empty data dir on the same bucket and
// checks the history answers the same (WIPE_CHECK=0 skips it).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, blockResolution, RES_1H, RES_5M, type TSDB } from '../zone/tsdb/index.ts';
import { BucketTier, type BucketBlockMeta } from '../zone/objstore/index.ts';
import { silentLogger } from '../shared/log.ts';
import { Block } from '../zone/tsdb/block-reader.ts';
import { Engine } from '../shared/promql/index.ts';
import { labelsFromRecord, formatLabels, type Labels } from '../shared/labels.ts';
import type { QueryResult } from '../shared/value.ts';
import { INTERVAL_MS, NodeDataset, PER_HOST, Prng } from './node-dataset.ts';

const H = 3600_000,
  D = 86400_000;
const DAYS = Number(process.env.ROLLUP_BENCH_DAYS ?? 30);
const NSERIES = Number(process.env.NSERIES ?? 1000);
const RUNS_RAW = Number(process.env.RUNS_RAW ?? 9);
const RUNS_ROLLUP = Number(process.env.RUNS_ROLLUP ?? 25);
const row = (k: string, v: string): void => console.log(`${k.padEnd(52)} ${v}`);

// ROLLUP_BENCH_DIR keeps the backfilled data between runs (reused when it holds blocks).
const keep = process.env.ROLLUP_BENCH_DIR;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'bench-rollup-'));
const reuse =
  keep !== undefined &&
  existsSync(join(keep, 'zone', 'blocks')) &&
  readdirSync(join(keep, 'zone', 'blocks')).length > 0;
const rng = new Prng(4242);
const data = new NodeDataset(NSERIES, rng);
const labels: Labels[] = data.labels.map((ls) => labelsFromRecord(Object.fromEntries(ls)));
const val = Float64Array.from(data.start);
const hosts = data.hosts();
const T0 = Date.UTC(2026, 0, 1);
const steps = (DAYS * D) / INTERVAL_MS;

const bucketDir = join(dir, 'bucket');
const TSDB_OPTS = {
  wal: false,
  autoCompact: false,
  retentionMs: (DAYS + 2) * D,
  rollup5mAfterMs: 40 * H,
  rollup1hAfterMs: 10 * D,
};
const withTier = async (dataDir: string): Promise<{ db: TSDB; tier: BucketTier }> => {
  const db = await openTSDB({ dir: dataDir, ...TSDB_OPTS });
  const tier = new BucketTier(
    {
      objectStore: { type: 'FILESYSTEM', directory: bucketDir },
      dataDir,
      cacheBytes: 4 << 30,
      retention: { rawMs: 0, fiveMinMs: 0, oneHourMs: 0 },
      labels: { zone: 'bench', region: 'bench' },
      syncIntervalMs: 3600_000,
      logger: silentLogger(),
    },
    db,
  );
  await tier.start();
  return { db, tier };
};
const { db, tier } = await withTier(join(dir, 'zone'));
const w0 = performance.now();
let samples = 0;
const perDay = D / INTERVAL_MS;
for (let s = 0; !reuse && s < steps; s += perDay) {
  const a = db.appender();
  for (let k = s; k < s + perDay; k++) {
    for (let h = 0; h < hosts; h++) {
      const t = data.scrapeTimeMs(T0, k, h);
      const end = Math.min(NSERIES, (h + 1) * PER_HOST);
      for (let i = h * PER_HOST; i < end; i++) a.append(labels[i]!, t, data.step(val, i, t));
      samples += end - h * PER_HOST;
    }
  }
  await a.commit();
  await db.cutBlocksNow();
}
const backfillS = (performance.now() - w0) / 1000;
if (reuse) samples = steps * NSERIES; // approximately (jitter aside): the dataset's size
const c0 = performance.now();
await db.compactNow();
const compactS = (performance.now() - c0) / 1000;

console.log(
  `\ncanopy rollup bench: ${NSERIES} series × ${DAYS} d at ${INTERVAL_MS / 1000} s = ${(samples / 1e6).toFixed(1)}M raw samples\n`,
);
row('backfill + cut/merge/rollup per day', `${backfillS.toFixed(1)} s (final pass ${compactS.toFixed(1)} s)`);

// Bytes per sample per resolution: block bytes (chunks + index + meta) over stored samples
// (windows for rollups) and over the raw samples they stand for.
const byRes = new Map<
  number,
  { blocks: number; bytes: number; stored: number; minT: number; maxT: number }
>();
for (const m of db.blocks()) {
  const b = Block.open(join(dir, 'zone', 'blocks', m.ulid));
  const r = blockResolution(m);
  const e = byRes.get(r) ?? { blocks: 0, bytes: 0, stored: 0, minT: Infinity, maxT: -Infinity };
  e.blocks++;
  e.bytes += b.sizeBytes;
  e.stored += m.stats.numSamples;
  e.minT = Math.min(e.minT, m.minTime);
  e.maxT = Math.max(e.maxT, m.maxTime);
  byRes.set(r, e);
  b.close();
}
const rawPerMs = samples / (DAYS * D);
for (const [r, e] of [...byRes].sort((a, b) => a[0] - b[0])) {
  const name = r === 0 ? 'raw' : r === RES_5M ? '5m' : r === RES_1H ? '1h' : `${r} ms`;
  const represented = rawPerMs * (e.maxT - e.minT);
  row(
    `${name}: ${e.blocks} blocks, ${((e.maxT - e.minT) / D).toFixed(1)} d`,
    `${(e.bytes / 1e6).toFixed(2)} MB, ${(e.bytes / e.stored).toFixed(2)} B per stored sample${r > 0 ? ` (6 aggregates), ${(e.bytes / represented).toFixed(3)} B per raw sample covered` : ''}`,
  );
}

// The bucket: every object of each complete block (chunks, index, meta.json) per resolution.
await tier.shipper.trigger();
const inBucket = new Map<number, { blocks: number; bytes: number; stored: number; span: number }>();
for (const e of tier.index.all()) {
  if (!e.meta) continue;
  const m: BucketBlockMeta = e.meta;
  const r = m.thanos.downsample.resolution;
  const x = inBucket.get(r) ?? { blocks: 0, bytes: 0, stored: 0, span: 0 };
  x.blocks++;
  x.bytes += e.files.reduce((n, f) => n + f.sizeBytes, 0);
  x.stored += m.stats.numSamples;
  x.span += m.maxTime - m.minTime;
  inBucket.set(r, x);
}
console.log('\nbucket (FILESYSTEM, uploaded by the post-compaction task):');
for (const [r, e] of [...inBucket].sort((a, b) => a[0] - b[0])) {
  const name = r === 0 ? 'raw' : r === RES_5M ? '5m' : r === RES_1H ? '1h' : `${r} ms`;
  row(
    `  ${name}: ${e.blocks} blocks, ${(e.span / D).toFixed(1)} d`,
    `${(e.bytes / 1e6).toFixed(2)} MB, ${(e.bytes / e.stored).toFixed(3)} B per stored sample${r > 0 ? `, ${(e.bytes / (rawPerMs * e.span)).toFixed(3)} B per raw sample covered` : ''}`,
  );
}

const engine = new Engine({ maxSamples: 200_000_000 });
const start = T0 + H,
  end = T0 + DAYS * D - H;
interface Timing {
  p50: number;
  p99: number;
  cpuP50: number;
  res: QueryResult;
}

/**
 * Times q with rollups (auto) and forced raw, interleaved (one warm-up each first), so both
 * see the same machine load; wall and CPU time per run.
 */
async function timePair(
  q: string,
  step: number,
  runsFast: number,
  runsRaw: number,
  endMs = end,
): Promise<{ fast: Timing; raw: Timing }> {
  const acc = {
    fast: { wall: [] as number[], cpu: [] as number[] },
    raw: { wall: [] as number[], cpu: [] as number[] },
  };
  const res: Record<'fast' | 'raw', QueryResult | undefined> = { fast: undefined, raw: undefined };
  const one = async (k: 'fast' | 'raw', record: boolean): Promise<void> => {
    const c = process.cpuUsage();
    const t = performance.now();
    res[k] = await engine.rangeQuery(db, q, start, endMs, step, {
      maxSourceResolution: k === 'fast' ? 'auto' : 0,
    });
    const wall = performance.now() - t;
    const cu = process.cpuUsage(c);
    if (record) {
      acc[k].wall.push(wall);
      acc[k].cpu.push((cu.user + cu.system) / 1000);
    }
  };
  await one('fast', false);
  await one('raw', false);
  for (let i = 0; i < Math.max(runsFast, runsRaw); i++) {
    if (i < runsRaw) await one('raw', true);
    if (i < runsFast) await one('fast', true);
  }
  const pct = (xs: number[], p: number): number =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
  const t = (k: 'fast' | 'raw'): Timing => ({
    p50: pct(acc[k].wall, 0.5),
    p99: pct(acc[k].wall, 0.99),
    cpuP50: pct(acc[k].cpu, 0.5),
    res: res[k]!,
  });
  return { fast: t('fast'), raw: t('raw') };
}

/** Relative differences at steps whose range lies inside the data (the first step's window starts before the data, where extrapolation differs). */
function diff(
  a: QueryResult,
  b: QueryResult,
  rangeMs = H,
  tol = 0.01,
): { worst: number; p99: number; points: number; within: number } {
  if (a.value.type !== 'matrix' || b.value.type !== 'matrix') throw new Error('want matrices');
  const other = new Map(
    b.value.matrix.map((s) => [formatLabels(s.labels), new Map(s.points.map((p) => [p.t, p.f]))]),
  );
  const rel: number[] = [];
  for (const s of a.value.matrix) {
    const o = other.get(formatLabels(s.labels));
    if (!o) continue;
    for (const p of s.points) {
      if (p.t - rangeMs < T0) continue;
      const x = o.get(p.t);
      if (x === undefined) continue;
      rel.push(x === 0 && p.f === 0 ? 0 : Math.abs(p.f - x) / Math.max(Math.abs(x), 1e-12));
    }
  }
  rel.sort((x, y) => x - y);
  const within = rel.filter((r) => r <= tol).length / Math.max(rel.length, 1);
  return {
    worst: rel[rel.length - 1] ?? NaN,
    p99: rel[Math.ceil(rel.length * 0.99) - 1] ?? NaN,
    points: rel.length,
    within,
  };
}

const Q = 'sum by (job) (rate(node_cpu_seconds_total[1h]))';
console.log(`\nquery: ${Q}, ${DAYS} d at step 1h (in-process engine over the TSDB)`);
const { fast, raw } = await timePair(Q, H, RUNS_ROLLUP, RUNS_RAW);
row(
  `rollups (auto → ${fast.res.resolution ? fast.res.resolution.usedMs / 60_000 + 'm' : 'raw'}), ${RUNS_ROLLUP} runs`,
  `p50 ${fast.p50.toFixed(1)} ms, p99 ${fast.p99.toFixed(1)} ms (CPU p50 ${fast.cpuP50.toFixed(1)} ms)`,
);
row(
  `raw (max_source_resolution=0s), ${RUNS_RAW} runs`,
  `p50 ${raw.p50.toFixed(1)} ms, p99 ${raw.p99.toFixed(1)} ms (CPU p50 ${raw.cpuP50.toFixed(1)} ms)`,
);
row(
  'speed-up (p50 wall; CPU)',
  `${(raw.p50 / fast.p50).toFixed(1)}x; ${(raw.cpuP50 / fast.cpuP50).toFixed(1)}x`,
);
const d0 = diff(fast.res, raw.res);
// The newest 40 h have no rollups yet (Thanos' age): the same query over the rolled-up days only.
const rolledEnd = T0 + (DAYS - 2) * D;
const part = await timePair(Q, H, RUNS_ROLLUP, RUNS_RAW, rolledEnd);
row(
  `same query over the first ${DAYS - 2} d only (all in rollups)`,
  `p50 ${part.fast.p50.toFixed(1)} ms vs raw ${part.raw.p50.toFixed(1)} ms: ${(part.raw.p50 / part.fast.p50).toFixed(1)}x (CPU ${(part.raw.cpuP50 / part.fast.cpuP50).toFixed(1)}x)`,
);
row(
  'agreement: rate, sum by (job)',
  `worst ${(d0.worst * 100).toFixed(3)}%, p99 ${(d0.p99 * 100).toFixed(3)}% over ${d0.points} points`,
);

console.log('\nagreement with raw at step 1h, per series (relative difference; values near 0 inflate it):');
const AGREE: Array<[string, number]> = [
  ['rate(node_cpu_seconds_total[1h])', 0.01],
  ['rate(node_network_receive_bytes_total[1h])', 0.01],
  ['rate(node_disk_reads_completed_total[1h])', 0.01],
  ['max_over_time(node_load1[1h])', 0.005],
  ['min_over_time(node_load1[1h])', 0.005],
  ['avg_over_time(node_load1[1h])', 0.005],
  ['max_over_time(node_hwmon_temp_celsius[1h])', 0.005],
  ['avg_over_time(node_hwmon_temp_celsius[1h])', 0.005],
  ['max_over_time(node_memory_Active_bytes[1h])', 0.005],
  ['avg_over_time(node_memory_Active_bytes[1h])', 0.005],
];
for (const [q, tol] of AGREE) {
  const a = await engine.rangeQuery(db, q, start, end, H, { maxSourceResolution: 'auto' });
  const b = await engine.rangeQuery(db, q, start, end, H, { maxSourceResolution: 0 });
  const d = diff(a, b, H, tol);
  row(
    `  ${q}`,
    `${(d.within * 100).toFixed(2)}% of ${d.points} points within ${tol * 100}%; p99 ${(d.p99 * 100).toFixed(3)}%, worst ${(d.worst * 100).toFixed(2)}% (${a.resolution?.usedMs ? a.resolution.usedMs / 60_000 + 'm' : 'raw'})`,
  );
}
const Q6 = 'sum by (job) (rate(node_cpu_seconds_total[6h]))';
const { fast: f6, raw: r6 } = await timePair(Q6, 6 * H, RUNS_ROLLUP, RUNS_RAW);
const d6 = diff(f6.res, r6.res, 6 * H);
row(
  `\n${Q6} step 6h (auto → ${f6.res.resolution ? f6.res.resolution.usedMs / 60_000 + 'm' : 'raw'})`,
  `p50 ${f6.p50.toFixed(1)} ms vs raw ${r6.p50.toFixed(1)} ms (${(r6.p50 / f6.p50).toFixed(1)}x; CPU ${(r6.cpuP50 / f6.cpuP50).toFixed(1)}x), worst diff ${(d6.worst * 100).toFixed(3)}%`,
);

await tier.stop();
await db.close();

if (process.env.WIPE_CHECK !== '0') {
  // An empty data dir on the same bucket: the history comes from the bucket (raw and rollups).
  const wiped = join(dir, 'wiped');
  rmSync(wiped, { recursive: true, force: true });
  const w = await withTier(wiped);
  const t = performance.now();
  const qs = [Q, 'max_over_time(node_load1[1h])', 'avg_over_time(node_load1[1h])'];
  let same = 0;
  for (const q of qs) {
    for (const msr of ['auto', 0] as const) {
      const a = await engine.rangeQuery(w.db, q, start, end, H, { maxSourceResolution: msr });
      const b = msr === 'auto' ? (q === Q ? fast.res : undefined) : q === Q ? raw.res : undefined;
      if (b && JSON.stringify(a.value) !== JSON.stringify(b.value))
        throw new Error(`wiped zone answers ${q} (${msr}) differently`);
      if (b) same++;
    }
  }
  row(
    '\nwiped data dir, same bucket',
    `${w.db.blocks().length} local blocks; ${same} answers identical to the original's (first queries incl. downloads ${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  await w.tier.stop();
  await w.db.close();
}
if (!keep) rmSync(dir, { recursive: true, force: true });
