// npm run bench:rollup — rollups vs raw over 30 days of node_exporter-like data.
// Backfills ROLLUP_BENCH_DAYS (default 30) days of NSERIES (default 1,000) series
// (bench/node-dataset.ts, 15 s scrapes with ms jitter) into a TSDB through its appender, a day
// at a time, cutting blocks after each day (the compactor merges them and writes 5m rollups of
// blocks older than 40 h and 1h rollups of 5m blocks older than 10 d, Thanos' defaults). Then
// times the same range query through the PromQL engine with rollups (max_source_resolution
// auto: step 1h → 5m) and forced raw (0s), reports p50/p99 and the speed-up, the bytes per
// sample of each resolution, and how far the rollup answers are from raw ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, blockResolution, RES_1H, RES_5M } from '../zone/tsdb/index.ts';
import { Block } from '../zone/tsdb/block-reader.ts';
import { Engine } from '../shared/promql/index.ts';
import { labelsFromRecord, formatLabels, type Labels } from '../shared/labels.ts';
import type { QueryResult } from '../shared/value.ts';
import { INTERVAL_MS, NodeDataset, PER_HOST, Prng } from './node-dataset.ts';

const H = 3600_000, D = 86400_000;
const DAYS = Number(process.env.ROLLUP_BENCH_DAYS ?? 30);
const NSERIES = Number(process.env.NSERIES ?? 1000);
const RUNS_RAW = Number(process.env.RUNS_RAW ?? 7);
const RUNS_ROLLUP = Number(process.env.RUNS_ROLLUP ?? 21);
const row = (k: string, v: string): void => console.log(`${k.padEnd(52)} ${v}`);

const dir = mkdtempSync(join(tmpdir(), 'bench-rollup-'));
const rng = new Prng(4242);
const data = new NodeDataset(NSERIES, rng);
const labels: Labels[] = data.labels.map((ls) => labelsFromRecord(Object.fromEntries(ls)));
const val = Float64Array.from(data.start);
const hosts = data.hosts();
const T0 = Date.UTC(2026, 0, 1);
const steps = (DAYS * D) / INTERVAL_MS;

const db = await openTSDB({ dir, wal: false, autoCompact: false, retentionMs: (DAYS + 2) * D, rollup5mAfterMs: 40 * H, rollup1hAfterMs: 10 * D });
const w0 = performance.now();
let samples = 0;
const perDay = D / INTERVAL_MS;
for (let s = 0; s < steps; s += perDay) {
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
const c0 = performance.now();
await db.compactNow();
const compactS = (performance.now() - c0) / 1000;

console.log(`\ncanopy rollup bench: ${NSERIES} series × ${DAYS} d at ${INTERVAL_MS / 1000} s = ${(samples / 1e6).toFixed(1)}M raw samples\n`);
row('backfill + cut/merge/rollup per day', `${backfillS.toFixed(1)} s (final pass ${compactS.toFixed(1)} s)`);

// Bytes per sample per resolution: block bytes (chunks + index + meta) over stored samples
// (windows for rollups) and over the raw samples they stand for.
const byRes = new Map<number, { blocks: number; bytes: number; stored: number; minT: number; maxT: number }>();
for (const m of db.blocks()) {
  const b = Block.open(join(dir, 'blocks', m.ulid));
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

const engine = new Engine({ maxSamples: 200_000_000 });
const start = T0 + H, end = T0 + DAYS * D - H;
async function time(q: string, step: number, msr: number | 'auto', runs: number): Promise<{ p50: number; p99: number; res: QueryResult }> {
  const ms: number[] = [];
  let res!: QueryResult;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    res = await engine.rangeQuery(db, q, start, end, step, { maxSourceResolution: msr });
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const pct = (p: number): number => ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]!;
  return { p50: pct(0.5), p99: pct(0.99), res };
}

/** Relative differences at steps whose range lies inside the data (the first step's window starts before the data, where extrapolation differs). */
function diff(a: QueryResult, b: QueryResult, rangeMs = H): { worst: number; p99: number; points: number } {
  if (a.value.type !== 'matrix' || b.value.type !== 'matrix') throw new Error('want matrices');
  const other = new Map(b.value.matrix.map((s) => [formatLabels(s.labels), new Map(s.points.map((p) => [p.t, p.f]))]));
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
  return { worst: rel[rel.length - 1] ?? NaN, p99: rel[Math.ceil(rel.length * 0.99) - 1] ?? NaN, points: rel.length };
}

const Q = 'sum by (job) (rate(node_cpu_seconds_total[1h]))';
console.log(`\nquery: ${Q}, ${DAYS} d at step 1h (in-process engine over the TSDB)`);
const fast = await time(Q, H, 'auto', RUNS_ROLLUP);
const raw = await time(Q, H, 0, RUNS_RAW);
row(`rollups (auto → ${fast.res.resolution ? fast.res.resolution.usedMs / 60_000 + 'm' : 'raw'}), ${RUNS_ROLLUP} runs`, `p50 ${fast.p50.toFixed(1)} ms, p99 ${fast.p99.toFixed(1)} ms`);
row(`raw (max_source_resolution=0s), ${RUNS_RAW} runs`, `p50 ${raw.p50.toFixed(1)} ms, p99 ${raw.p99.toFixed(1)} ms`);
row('speed-up (p50)', `${(raw.p50 / fast.p50).toFixed(1)}x`);
const d0 = diff(fast.res, raw.res);
row('agreement: rate, sum by (job)', `worst ${(d0.worst * 100).toFixed(3)}%, p99 ${(d0.p99 * 100).toFixed(3)}% over ${d0.points} points`);

console.log('\nagreement with raw at step 1h (per series, 5m rollups):');
for (const q of ['rate(node_cpu_seconds_total[1h])', 'rate(node_network_receive_bytes_total[1h])', 'max_over_time(node_load1[1h])', 'min_over_time(node_load1[1h])', 'avg_over_time(node_load1[1h])', 'avg_over_time(node_hwmon_temp_celsius[1h])', 'max_over_time(node_memory_Active_bytes[1h])']) {
  const a = await engine.rangeQuery(db, q, start, end, H, { maxSourceResolution: 'auto' });
  const b = await engine.rangeQuery(db, q, start, end, H, { maxSourceResolution: 0 });
  const d = diff(a, b);
  row(`  ${q}`, `worst ${(d.worst * 100).toFixed(3)}%, p99 ${(d.p99 * 100).toFixed(3)}% (${d.points} points, ${a.resolution?.usedMs ? a.resolution.usedMs / 60_000 + 'm' : 'raw'})`);
}
const Q6 = 'sum by (job) (rate(node_cpu_seconds_total[6h]))';
const f6 = await time(Q6, 6 * H, 'auto', RUNS_ROLLUP);
const r6 = await time(Q6, 6 * H, 0, RUNS_RAW);
const d6 = diff(f6.res, r6.res, 6 * H);
row(`\n${Q6} step 6h (auto → ${f6.res.resolution ? f6.res.resolution.usedMs / 60_000 + 'm' : 'raw'})`, `p50 ${f6.p50.toFixed(1)} ms vs raw ${r6.p50.toFixed(1)} ms (${(r6.p50 / f6.p50).toFixed(1)}x), worst diff ${(d6.worst * 100).toFixed(3)}%`);

await db.close();
rmSync(dir, { recursive: true, force: true });
