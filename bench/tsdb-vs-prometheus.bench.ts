// Canopy zone vs Prometheus 2.42 on the same node_exporter-like data, same machine, same client:
// remote_write (protobuf + snappy over HTTP, same batches and concurrency) into a real
// `canopy zone` process and into `prometheus --web.enable-remote-write-receiver`, one after the
// other. Prints per system: ingest samples/s; bytes per sample on disk in the blocks cut from the
// head (with and without the index, from each block's meta.json numSamples); memory per active
// series (RSS growth / series; for Prometheus also process_resident_memory_bytes /
// prometheus_tsdb_head_series); and the Canopy/Prometheus ratios.
// Both run with a short block range (default 20 min: chunks of 80 samples in both, where 2 h
// blocks would hold 120) so blocks are cut within the run: the head is cut once it spans 1.5
// ranges. Prometheus gets --storage.tsdb.{min,max}-block-duration (hidden flags), Canopy
// tsdb.block_range in a config file.
// The data ends at about now (Prometheus's head rejects samples far behind its newest).
// Usage: npm run bench:tsdb:prom -- [--series=100000] [--minutes=120] [--block-minutes=30]
//        [--concurrency=4] [--batch=2000] [--only=canopy|prometheus] [--keep] [--profile]
//        [--canopy-first]
// (--keep leaves the work dir; --profile writes a CPU profile of the zone into it, --heap-snapshot a
// heap snapshot of it after the measurement; the default
// order is Prometheus first.)
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, waitForHttp } from '../topology/ports.ts';
import { findOnPath } from '../topology/path.ts';
import { INTERVAL_MS, NodeDataset, PER_HOST, Prng } from './node-dataset.ts';
import { nodeEnvFor, nodeFlagsFor } from '../bin/node-flags.js';
import {
  blocks,
  cpuSeconds,
  encode,
  field,
  metric,
  poster,
  REPO,
  rss,
  spawnLogged,
  stop,
  waitUntil,
  type Blocks,
} from './remote-write-harness.ts';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}
const only = process.argv.find((x) => x.startsWith('--only='))?.split('=')[1];
const NSERIES = arg('series', 100_000);
const MINUTES = arg('minutes', 60);
const BLOCK_MIN = arg('block-minutes', 20);
const CONCURRENCY = arg('concurrency', 4);
const BATCH = arg('batch', 2000);
const INTERVAL = INTERVAL_MS;
const STEPS = Math.floor((MINUTES * 60_000) / INTERVAL);
// Aligned so both systems see the same timestamps; the last step lands ~1 min before now.
const T_START = Math.floor((Date.now() - 60_000 - STEPS * INTERVAL) / INTERVAL) * INTERVAL;

// ---- the node_exporter-like dataset of bench/node-dataset.ts, as remote_write payloads ----
const rng = new Prng(12345);

interface Dataset {
  gen: NodeDataset;
  /** Encoded protobuf Label fields (field 1 of TimeSeries) per series. */
  labelBytes: Buffer[];
}

function dataset(): Dataset {
  rng.seed = 12345;
  const gen = new NodeDataset(NSERIES, rng);
  const labelBytes = gen.labels.map((ls) =>
    Buffer.concat(
      ls.map(([n, v]) =>
        field(0x0a, Buffer.concat([field(0x0a, Buffer.from(n)), field(0x12, Buffer.from(v))])),
      ),
    ),
  );
  return { gen, labelBytes };
}

/**
 * The samples of one step for every series, oldest step first; the same sequence (values and
 * per-host ms jitter) on every call, so both systems get identical data.
 */
function* steps(d: Dataset): Generator<{ ts: Float64Array; vs: Float64Array }> {
  rng.seed = 999;
  const val = d.gen.start.slice();
  const ts = new Float64Array(NSERIES),
    vs = new Float64Array(NSERIES);
  const hosts = d.gen.hosts();
  for (let s = 0; s < STEPS; s++) {
    for (let h = 0; h < hosts; h++) {
      const t = d.gen.scrapeTimeMs(T_START, s, h);
      for (let i = h * PER_HOST; i < Math.min(NSERIES, (h + 1) * PER_HOST); i++) {
        ts[i] = t;
        vs[i] = d.gen.step(val, i, t);
      }
    }
    yield { ts, vs };
  }
}

// ---- processes and measurements ----
const { post, agent } = poster(CONCURRENCY);

interface Result {
  name: string;
  samples: number;
  seconds: number;
  samplesPerS: number;
  cpuSecondsPerMSamples: number;
  blocks: Blocks;
  rssPerSeries: number;
  promRssPerSeries?: number;
  /** Where the resident memory is at the measurement, per series: the runtime heap in use, heap reserved, off-heap buffers (Node) */
  heap?: { used: number; total: number; external: number };
}

interface Target {
  name: string;
  proc: ChildProcess;
  url: string;
  writePath: string;
  blocksDir: string;
  /** Resolves when the head has been cut down to at most 1.5 block ranges. */
  settled(): Promise<boolean>;
}

async function run(t: Target, d: Dataset): Promise<Result> {
  const pid = t.proc.pid!;
  await new Promise((r) => setTimeout(r, 2000));
  const rss0 = rss(pid),
    cpu0 = cpuSeconds(pid);
  const url = new URL(t.writePath, t.url);
  let samples = 0,
    errors = 0,
    lastLog = performance.now();
  const t0 = performance.now();
  const total = STEPS * NSERIES;
  // As Prometheus's remote_write queue: CONCURRENCY shards, each owning a fixed slice of the
  // series and sending its batches in order (a series' samples never overtake each other).
  const per = Math.ceil(NSERIES / CONCURRENCY);
  const bufs = Array.from({ length: CONCURRENCY }, () => Buffer.alloc(BATCH * 256));
  for (const { ts, vs } of steps(d)) {
    await Promise.all(
      bufs.map(async (buf, k) => {
        const end = Math.min(NSERIES, (k + 1) * per);
        for (let first = k * per; first < end; first += BATCH) {
          const last = Math.min(end, first + BATCH);
          const r = await post(url, encode(d, ts, vs, first, last, buf));
          if (r.status < 200 || r.status > 299) {
            if (errors++ < 5) console.error(`${t.name}: ${r.status} ${r.text.slice(0, 300)}`);
          }
          samples += last - first;
        }
      }),
    );
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      console.log(
        `  ${t.name}: ${((samples / total) * 100).toFixed(0)}% (${Math.round(samples / ((lastLog - t0) / 1000)).toLocaleString()} samples/s)`,
      );
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  if (errors > 0) console.error(`${t.name}: ${errors} requests failed`);
  const ok = await t.settled();
  if (!ok) console.error(`${t.name}: blocks did not settle in time; measuring what is there`);
  await new Promise((r) => setTimeout(r, 5000));
  const res: Result = {
    name: t.name,
    samples,
    seconds,
    samplesPerS: samples / seconds,
    cpuSecondsPerMSamples: (cpu / samples) * 1e6,
    blocks: blocks(t.blocksDir),
    rssPerSeries: (rss(pid) - rss0) / NSERIES,
  };
  res.heap =
    t.name === 'canopy'
      ? {
          used: await metric(t.url, 'nodejs_heap_size_used_bytes'),
          total: await metric(t.url, 'nodejs_heap_size_total_bytes'),
          external: await metric(t.url, 'nodejs_external_memory_bytes'),
        }
      : {
          used: await metric(t.url, 'go_memstats_heap_inuse_bytes'),
          total: await metric(t.url, 'go_memstats_heap_sys_bytes'),
          external: 0,
        };
  if (t.name === 'prometheus')
    res.promRssPerSeries =
      (await metric(t.url, 'process_resident_memory_bytes')) /
      (await metric(t.url, 'prometheus_tsdb_head_series'));
  if (t.name === 'canopy' && process.argv.includes('--heap-snapshot'))
    await heapSnapshot(pid, dirname(t.blocksDir));
  return res;
}

/** Asks the zone for a heap snapshot (SIGUSR2) after the measurement and waits until it is written. */
async function heapSnapshot(pid: number, dataDir: string): Promise<void> {
  const dir = dirname(dataDir);
  const count = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));
  process.kill(pid, 'SIGUSR2');
  let last = -1;
  await waitUntil(() => {
    const f = count()[0];
    if (f === undefined) return false;
    const size = statSync(join(dir, f)).size;
    const done = size > 0 && size === last;
    last = size;
    return done;
  }, 600_000);
  console.log(
    `canopy heap snapshot: ${join(dir, count()[0] ?? '?')} (summarise with node bench/heap-summary.js <file>)`,
  );
}

async function startCanopy(root: string): Promise<Target> {
  const port = await freePort();
  const cfg = join(root, 'zone.yml');
  // Ingest limits off: the bench backfills far above a tenant's default 10k samples/s and 150k series.
  writeFileSync(
    cfg,
    `tsdb:\n  block_range: ${BLOCK_MIN}m\n  out_of_order_window: ${Math.min(BLOCK_MIN, 60)}m\nlimits: {ingestionRate: 0, maxSeriesPerTenant: 0}\n`,
  );
  const data = join(root, 'canopy');
  const prof = process.argv.includes('--profile') ? ['--cpu-prof', `--cpu-prof-dir=${root}`] : [];
  if (process.argv.includes('--heap-snapshot'))
    prof.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${root}`);
  const proc = spawnLogged(
    process.execPath,
    [
      ...nodeFlagsFor('zone'),
      ...prof,
      join(REPO, 'bin/canopy.js'),
      'zone',
      '--config',
      cfg,
      '--listen',
      `127.0.0.1:${port}`,
      '--grpc-listen',
      `127.0.0.1:${await freePort()}`,
      '--data-dir',
      data,
    ],
    join(root, 'canopy.log'),
    nodeEnvFor('zone'),
  );
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHttp(`${url}/readyz`, 60_000)))
    throw new Error(`canopy zone did not start (log: ${root}/canopy.log)`);
  const rangeMs = BLOCK_MIN * 60_000;
  const expected = (): boolean => {
    // Cut ranges: every range wholly before (newest - 1.5 ranges) lies in blocks.
    const b = blocks(join(data, 'blocks'));
    return b.blocks > 0 && b.samples >= expectedBlockSamples(rangeMs);
  };
  return {
    name: 'canopy',
    proc,
    url,
    writePath: '/api/v1/write',
    blocksDir: join(data, 'blocks'),
    settled: () => waitUntil(expected, 180_000),
  };
}

/** Samples in the block ranges both systems must have cut (head spans ≤ 1.5 ranges after). */
function expectedBlockSamples(rangeMs: number): number {
  const maxT = T_START + (STEPS - 1) * INTERVAL;
  let cutUntil = Math.floor(T_START / rangeMs) * rangeMs;
  let minT = T_START;
  while (maxT - minT > rangeMs * 1.5) {
    cutUntil += rangeMs;
    minT = Math.max(T_START, cutUntil);
  }
  let n = 0;
  for (let s = 0; s < STEPS; s++) if (T_START + s * INTERVAL + 10 < cutUntil - 10) n += NSERIES;
  return n * 0.99;
}

async function startPrometheus(root: string, bin: string): Promise<Target> {
  const port = await freePort();
  const cfg = join(root, 'prometheus.yml');
  writeFileSync(cfg, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
  const data = join(root, 'prometheus');
  const proc = spawnLogged(
    bin,
    [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      `--storage.tsdb.min-block-duration=${BLOCK_MIN}m`,
      `--storage.tsdb.max-block-duration=${BLOCK_MIN}m`,
    ],
    join(root, 'prometheus.log'),
  );
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHttp(`${url}/-/ready`, 60_000)))
    throw new Error(`prometheus did not start (log: ${root}/prometheus.log)`);
  const rangeMs = BLOCK_MIN * 60_000;
  const settled = async (): Promise<boolean> => {
    const b = blocks(data);
    return b.blocks > 0 && b.samples >= expectedBlockSamples(rangeMs);
  };
  return {
    name: 'prometheus',
    proc,
    url,
    writePath: '/api/v1/write',
    blocksDir: data,
    settled: () => waitUntil(settled, 240_000),
  };
}

function row(k: string, ...v: string[]): void {
  console.log(`${k.padEnd(46)} ${v.map((x) => x.padStart(14)).join(' ')}`);
}

async function main(): Promise<void> {
  const prom = findOnPath('prometheus');
  const root = mkdtempSync(join(tmpdir(), 'tsdb-vs-prom-'));
  console.log(
    `dataset: ${NSERIES} node_exporter-like series × ${STEPS} steps (${MINUTES} min at 15 s, ms jitter) = ${((NSERIES * STEPS) / 1e6).toFixed(1)}M samples, ending ~1 min ago`,
  );
  console.log(
    `client: remote_write, ${BATCH} samples per request, ${CONCURRENCY} in flight; block range ${BLOCK_MIN} min; work dir ${root}`,
  );
  const d = dataset();
  const results: Result[] = [];
  try {
    const runProm = async (): Promise<void> => {
      if (!prom || only === 'canopy') return;
      const t = await startPrometheus(root, prom);
      try {
        results.push(await run(t, d));
      } finally {
        await stop(t.proc);
      }
    };
    const runCanopy = async (): Promise<void> => {
      if (only === 'prometheus') return;
      const t = await startCanopy(root);
      try {
        results.push(await run(t, d));
      } finally {
        await stop(t.proc);
      }
    };
    if (!prom) console.log('prometheus not found on PATH: Canopy only');
    // Run order alternates with --canopy-first, to see how much a shared machine's load moves.
    if (process.argv.includes('--canopy-first')) {
      await runCanopy();
      await runProm();
    } else {
      await runProm();
      await runCanopy();
    }
  } finally {
    agent.destroy();
  }
  console.log('');
  row('', ...results.map((r) => r.name), ...(results.length === 2 ? ['canopy/prom'] : []));
  const line = (k: string, f: (r: Result) => number, digits: number): void => {
    const vs = results.map(f);
    const c = results.find((r) => r.name === 'canopy'),
      p = results.find((r) => r.name === 'prometheus');
    row(
      k,
      ...vs.map((v) =>
        v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }),
      ),
      ...(c && p ? [(f(c) / f(p)).toFixed(3)] : []),
    );
  };
  line('remote_write ingest, samples/s', (r) => r.samplesPerS, 0);
  line('server CPU-s per 1M samples ingested', (r) => r.cpuSecondsPerMSamples, 2);
  line('blocks cut', (r) => r.blocks.blocks, 0);
  line('samples in blocks', (r) => r.blocks.samples, 0);
  line('bytes/sample on disk (blocks, with index)', (r) => r.blocks.bytes / r.blocks.samples, 3);
  line(
    'bytes/sample on disk (without index)',
    (r) => (r.blocks.bytes - r.blocks.indexBytes) / r.blocks.samples,
    3,
  );
  line('memory per active series (RSS growth), B', (r) => r.rssPerSeries, 0);
  line('  heap in use at the end, B per series', (r) => (r.heap?.used ?? NaN) / NSERIES, 0);
  line('  heap reserved at the end, B per series', (r) => (r.heap?.total ?? NaN) / NSERIES, 0);
  line('  off-heap buffers at the end (Node), B/series', (r) => (r.heap?.external ?? NaN) / NSERIES, 0);
  const p = results.find((r) => r.promRssPerSeries !== undefined);
  if (p)
    console.log(
      `prometheus: process_resident_memory_bytes / prometheus_tsdb_head_series = ${Math.round(p.promRssPerSeries!)} B (whole process)`,
    );
  console.log(JSON.stringify({ series: NSERIES, minutes: MINUTES, blockMinutes: BLOCK_MIN, results }));
  if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
}

await main();
