// Series churn, Canopy zone vs Prometheus 2.42 side by side (issue 17): cohorts of pods replaced
// again and again, as a Kubernetes cluster that redeploys (the case: 2,000 pods every
// 15 minutes for 12 hours). Both get the same remote_write stream, one after the other (same
// client as bench:tsdb:prom): each cohort's pods (5 series each: container cpu, memory, network
// rx/tx, ready) plus a fixed set of node series, sampled every 15 s for --cohort-minutes of
// sample time, then the next cohort with new pod names and uids. Time is compressed: the
// timestamps are synthetic (the run covers cohorts × cohort-minutes of sample time ending about
// now, sent as fast as the server takes it) and the block range is short (default 10 min, so
// blocks are cut and the head truncated during every cohort: Prometheus gets
// --storage.tsdb.{min,max}-block-duration, Canopy tsdb.block_range). Prints the RSS of each
// server after each cohort and the Canopy/Prometheus ratio at the end; "flat" compares the mean
// RSS of the last quarter of cohorts with the second quarter (after the first blocks were cut).
// Usage: npm run bench:churn:prom -- [--pods=2000] [--cohorts=16] [--cohort-minutes=15]
//        [--block-minutes=10] [--node-series=1000] [--only=canopy|prometheus] [--keep]
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHttp } from '../topology/ports.ts';
import { findOnPath } from '../topology/path.ts';
import { Prng } from './node-dataset.ts';
import { nodeEnvFor, nodeFlagsFor } from '../bin/node-flags.js';
import {
  blocks,
  encode,
  field,
  metric,
  poster,
  REPO,
  rss,
  spawnLogged,
  stop,
} from './remote-write-harness.ts';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}
const only = process.argv.find((x) => x.startsWith('--only='))?.split('=')[1];
const PODS = arg('pods', 2000);
const COHORTS = arg('cohorts', 16);
const COHORT_MIN = arg('cohort-minutes', 15);
const BLOCK_MIN = arg('block-minutes', 10);
const NODE_SERIES = arg('node-series', 1000);
const CONCURRENCY = 4;
const BATCH = 2000;
const INTERVAL = 15_000;
const STEPS = (COHORT_MIN * 60_000) / INTERVAL;
const POD_METRICS = [
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'container_network_receive_bytes_total',
  'container_network_transmit_bytes_total',
  'kube_pod_status_ready',
];
const T_START = Math.floor((Date.now() - 60_000 - COHORTS * STEPS * INTERVAL) / INTERVAL) * INTERVAL;

function labelBytes(ls: [string, string][]): Buffer {
  return Buffer.concat(
    ls.map(([n, v]) =>
      field(0x0a, Buffer.concat([field(0x0a, Buffer.from(n)), field(0x12, Buffer.from(v))])),
    ),
  );
}

const rng = new Prng(4242);
const hex = (n: number): string =>
  Array.from({ length: n }, () => Math.floor(rng.next() * 16).toString(16)).join('');

/** The label bytes of the node series and of one cohort's pod series (sorted label names). */
function nodeSeries(): Buffer[] {
  return Array.from({ length: NODE_SERIES }, (_, i) =>
    labelBytes([
      ['__name__', `node_metric_${i % 50}`],
      ['instance', `node-${Math.floor(i / 50)}:9100`],
      ['job', 'node'],
    ]),
  );
}
function cohortSeries(c: number): Buffer[] {
  rng.seed = 1000 + c; // the same cohorts for both systems
  const out: Buffer[] = [];
  for (let p = 0; p < PODS; p++) {
    const pod = `app-${p % 40}-${hex(10)}-${hex(5)}`,
      uid = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    for (const m of POD_METRICS)
      out.push(
        labelBytes([
          ['__name__', m],
          ['container', `app-${p % 40}`],
          ['namespace', `ns-${p % 20}`],
          ['node', `node-${p % 50}`],
          ['pod', pod],
          ['uid', uid],
        ]),
      );
  }
  return out;
}

interface Target {
  name: string;
  proc: ChildProcess;
  url: string;
  blocksDir: string;
}

interface Row {
  cohort: number;
  rssMB: number;
  blocks: number;
  seconds: number;
}

async function run(t: Target, nodes: Buffer[]): Promise<Row[]> {
  const pid = t.proc.pid!;
  const { post, agent } = poster(CONCURRENCY);
  const url = new URL('/api/v1/write', t.url);
  const rows: Row[] = [];
  const bufs = Array.from({ length: CONCURRENCY }, () => Buffer.alloc(BATCH * 320));
  let errors = 0;
  const t0 = performance.now();
  try {
    for (let c = 0; c < COHORTS; c++) {
      const d = { labelBytes: [...nodes, ...cohortSeries(c)] };
      const n = d.labelBytes.length;
      const ts = new Float64Array(n),
        vs = new Float64Array(n);
      const per = Math.ceil(n / CONCURRENCY);
      for (let s = 0; s < STEPS; s++) {
        const tMs = T_START + (c * STEPS + s) * INTERVAL;
        ts.fill(tMs);
        for (let i = 0; i < n; i++) vs[i] = i < NODE_SERIES ? (c * STEPS + s) * 10 + i : s * 3 + (i % 7);
        // As Prometheus's remote_write queue: shards owning fixed slices, batches in order.
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async (_, k) => {
            for (let lo = k * per; lo < Math.min(n, (k + 1) * per); lo += BATCH) {
              const r = await post(
                url,
                encode(d, ts, vs, lo, Math.min(lo + BATCH, (k + 1) * per, n), bufs[k]!),
              );
              if (r.status >= 300 && errors++ < 5)
                console.error(`${t.name}: ${r.status} ${r.text.slice(0, 200)}`);
            }
          }),
        );
      }
      await new Promise((r) => setTimeout(r, 1000)); // a moment for a cut the last commit triggered
      rows.push({
        cohort: c + 1,
        rssMB: rss(pid) / 2 ** 20,
        blocks: blocks(t.blocksDir).blocks,
        seconds: (performance.now() - t0) / 1000,
      });
      // Where the RSS is: runtime heap in use / reserved, and (Node) off-heap buffers, MB.
      const mb = async (name: string): Promise<string> =>
        ((await metric(t.url, name).catch(() => NaN)) / 2 ** 20).toFixed(0);
      const where =
        t.name === 'canopy'
          ? `heap ${await mb('nodejs_heap_size_used_bytes')}/${await mb('nodejs_heap_size_total_bytes')} ext ${await mb('nodejs_external_memory_bytes')}`
          : `heap ${await mb('go_memstats_heap_inuse_bytes')}/${await mb('go_memstats_heap_sys_bytes')}`;
      console.log(
        `${t.name.padEnd(10)} cohort ${String(c + 1).padStart(3)}  RSS ${rows.at(-1)!.rssMB.toFixed(1).padStart(7)} MB  blocks ${String(rows.at(-1)!.blocks).padStart(3)}  ${rows.at(-1)!.seconds.toFixed(0)} s  load ${loadavg()[0]!.toFixed(2)}  ${where}`,
      );
    }
  } finally {
    agent.destroy();
  }
  if (errors > 0) console.error(`${t.name}: ${errors} failed requests`);
  return rows;
}

async function startCanopy(root: string): Promise<Target> {
  const port = await freePort();
  const cfg = join(root, 'zone.yml');
  writeFileSync(
    cfg,
    `tsdb:\n  block_range: ${BLOCK_MIN}m\n  out_of_order_window: ${BLOCK_MIN}m\nlimits: {ingestionRate: 0, maxSeriesPerTenant: 0}\n`,
  );
  const data = join(root, 'canopy');
  const proc = spawnLogged(
    process.execPath,
    [
      ...nodeFlagsFor('zone'),
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
  return { name: 'canopy', proc, url, blocksDir: join(data, 'blocks') };
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
  return { name: 'prometheus', proc, url, blocksDir: data };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'churn-vs-prom-'));
  console.log(
    `churn: ${COHORTS} cohorts × ${PODS} pods × ${POD_METRICS.length} series (+ ${NODE_SERIES} node series), each cohort ${COHORT_MIN} min of samples at 15 s (synthetic timestamps, ${((COHORTS * COHORT_MIN) / 60).toFixed(1)} h ending ~now), block range ${BLOCK_MIN} min; work dir ${root}`,
  );
  const nodes = nodeSeries();
  const results = new Map<string, Row[]>();
  try {
    const prom = findOnPath('prometheus');
    if (prom && only !== 'canopy') {
      const t = await startPrometheus(root, prom);
      try {
        results.set('prometheus', await run(t, nodes));
      } finally {
        await stop(t.proc);
      }
    }
    if (only !== 'prometheus') {
      const t = await startCanopy(root);
      try {
        results.set('canopy', await run(t, nodes));
      } finally {
        await stop(t.proc);
      }
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
  }
  console.log('\ncohort   ' + [...results.keys()].map((k) => `${k} RSS MB`.padStart(18)).join(''));
  for (let c = 0; c < COHORTS; c++)
    console.log(
      String(c + 1).padStart(6) +
        '   ' +
        [...results.values()].map((r) => (r[c]?.rssMB.toFixed(1) ?? '-').padStart(18)).join(''),
    );
  const q = Math.max(1, Math.floor(COHORTS / 4));
  const summary: Record<string, unknown> = {
    pods: PODS,
    cohorts: COHORTS,
    cohortMinutes: COHORT_MIN,
    blockMinutes: BLOCK_MIN,
    loadavg: loadavg(),
  };
  for (const [k, r] of results) {
    const second = mean(r.slice(q, 2 * q).map((x) => x.rssMB)),
      last = mean(r.slice(-q).map((x) => x.rssMB));
    console.log(
      `${k}: end RSS ${r.at(-1)!.rssMB.toFixed(1)} MB; mean of the last ${q} cohorts / of cohorts ${q + 1}-${2 * q}: ${(last / second).toFixed(3)} (1.0 = flat); blocks ${r.at(-1)!.blocks}`,
    );
    summary[k] = {
      endRssMB: r.at(-1)!.rssMB,
      flatness: last / second,
      rss: r.map((x) => +x.rssMB.toFixed(1)),
    };
  }
  const p = results.get('prometheus')?.at(-1)?.rssMB,
    cn = results.get('canopy')?.at(-1)?.rssMB;
  if (p && cn) console.log(`canopy/prometheus end RSS: ${(cn / p).toFixed(3)} (target ≤ 1)`);
  console.log(
    `load average at the end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (2 cores shared with other processes)`,
  );
  console.log(JSON.stringify(summary));
}

await main();
