// Backfill differential: writes an OpenMetrics file (counters with resets, integer and float
// gauges; 1-minute resolution), imports it with `canopy import openmetrics` into a zone data dir
// (or promtool's blocks with `canopy import prometheus-tsdb`) and with `promtool tsdb
// create-blocks-from openmetrics` into a Prometheus dir, starts both and
// compares instant and range queries (rate, sum by, *_over_time, across block boundaries).
// Used by test/e2e/import-openmetrics.test.ts (1 day) and bench/import-vs-prometheus.bench.ts (7 days).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../harness.ts';
import { postQuery, runDiff, type DiffJob, type DiffReport } from '../promql-diff/run.ts';
import { startPair } from '../promql-diff/servers.ts';
import { rng } from '../../seeded-random.ts';

const MIN = 60_000;
const BLOCK = 2 * 3_600_000;

export interface DataShape {
  days: number;
  instances: number;
  /** Last sample time, ms (a whole minute). */
  endMs: number;
}

/** Series per instance: 4 counters, 3 gauges. */
export const SERIES_PER_INSTANCE = 7;

/**
 * Writes the file; returns the number of samples. Families are grouped (OpenMetrics); within a
 * series samples ascend, except `app_load`, written block by block newest block first (the
 * input need not be sorted across blocks).
 */
export function writeOpenMetrics(file: string, d: DataShape): number {
  const n = Math.round((d.days * 86_400_000) / MIN);
  const startMs = d.endMs - (n - 1) * MIN;
  const fd = openSync(file, 'w');
  let buf: string[] = [];
  let bytes = 0;
  const out = (s: string): void => {
    buf.push(s);
    bytes += s.length;
    if (bytes > 1 << 20) {
      writeSync(fd, buf.join(''));
      buf = [];
      bytes = 0;
    }
  };
  const sec = (t: number): string => String(t / 1000);
  let samples = 0;
  const r = rng(42);
  out('# HELP app_requests Requests handled.\n# TYPE app_requests counter\n');
  for (let i = 0; i < d.instances; i++) {
    for (const method of ['GET', 'POST']) {
      for (const code of ['200', '500']) {
        let v = Math.floor(r() * 1000);
        const lbl = `app_requests_total{code="${code}",instance="host-${i}:9100",job="app",method="${method}"}`;
        for (let k = 0; k < n; k++) {
          v = r() < 1 / 3000 ? 0 : v + Math.floor(r() * (code === '200' ? 60 : 3));
          out(`${lbl} ${v} ${sec(startMs + k * MIN)}\n`);
          samples++;
        }
      }
    }
  }
  out(
    '# HELP node_temp_celsius Temperature.\n# TYPE node_temp_celsius gauge\n# UNIT node_temp_celsius celsius\n',
  );
  for (let i = 0; i < d.instances; i++) {
    for (let k = 0; k < n; k++) {
      const v = 40 + 10 * Math.sin((k + i * 37) / 200) + Math.round(r() * 100) / 100;
      out(
        `node_temp_celsius{instance="host-${i}:9100",job="node"} ${v.toFixed(2)} ${sec(startMs + k * MIN)}\n`,
      );
      samples++;
    }
  }
  out('# TYPE node_memory_bytes gauge\n');
  for (let i = 0; i < d.instances; i++) {
    let v = 8e9 + i * 1e6;
    for (let k = 0; k < n; k++) {
      v += Math.round((r() - 0.5) * 4e6);
      out(`node_memory_bytes{instance="host-${i}:9100",job="node"} ${v} ${sec(startMs + k * MIN)}\n`);
      samples++;
    }
  }
  out('# TYPE app_load gauge\n');
  const firstBlock = Math.floor(startMs / BLOCK),
    lastBlock = Math.floor(d.endMs / BLOCK);
  for (let i = 0; i < d.instances; i++) {
    const lr = rng(1000 + i);
    const vals = Array.from({ length: n }, () => lr() * 4);
    for (let b = lastBlock; b >= firstBlock; b--) {
      for (let k = 0; k < n; k++) {
        const t = startMs + k * MIN;
        if (Math.floor(t / BLOCK) !== b) continue;
        out(`app_load{instance="host-${i}:9100",job="app"} ${vals[k]} ${sec(t)}\n`);
        samples++;
      }
    }
  }
  out('# EOF\n');
  writeSync(fd, buf.join(''));
  closeSync(fd);
  return samples;
}

/** Instant queries at block boundaries and around them, and range queries spanning boundaries. */
export function importJobs(d: DataShape): DiffJob[] {
  const startMs = d.endMs - d.days * 86_400_000 + MIN;
  const s = (ms: number): string => (ms / 1000).toFixed(3);
  const exprs = [
    'app_requests_total',
    'rate(app_requests_total[5m])',
    'sum by (method) (rate(app_requests_total[5m]))',
    'sum by (code) (increase(app_requests_total[1h]))',
    'sum(rate(app_requests_total[1d]))',
    'resets(app_requests_total[6h])',
    'irate(app_requests_total[3m])',
    'avg_over_time(node_temp_celsius[30m])',
    'max_over_time(node_temp_celsius[2h])',
    'min_over_time(node_temp_celsius[3h])',
    'quantile_over_time(0.9, node_temp_celsius[1h])',
    'stddev_over_time(node_temp_celsius[2h])',
    'changes(node_temp_celsius[1h])',
    'count_over_time(node_memory_bytes[1d])',
    'sum(node_memory_bytes)',
    'deriv(node_memory_bytes[10m])',
    'last_over_time(app_load[10m])',
    'sum by (job) (sum_over_time(app_load[2h]))',
    'topk(3, app_load)',
    'count by (__name__) ({__name__=~".+"})',
  ];
  const firstBoundary = Math.ceil(startMs / BLOCK) * BLOCK;
  const times = [
    d.endMs,
    firstBoundary,
    firstBoundary + BLOCK - 1,
    firstBoundary + 2 * BLOCK + 30_500,
    d.endMs - BLOCK + 1,
    Math.floor((startMs + d.endMs) / 2),
    startMs + 4 * MIN,
  ];
  const ranges: [number, number, number][] = [
    [firstBoundary - 3_600_000 + 7_000, firstBoundary + 5 * 3_600_000, 60], // 6 h over 3 boundaries
    [startMs, d.endMs, 3600], // everything, hourly
    [d.endMs - 86_400_000 + 90_000, d.endMs + 120_000, 300], // the last day, 5-minutely
  ];
  const jobs: DiffJob[] = [];
  for (const e of exprs) {
    for (const t of times) jobs.push({ expr: e, path: '/api/v1/query', params: { query: e, time: s(t) } });
    for (const [a, b, step] of ranges)
      jobs.push({
        expr: e,
        path: '/api/v1/query_range',
        params: { query: e, start: s(a), end: s(b), step: String(step) },
      });
  }
  return jobs;
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    n += st.isDirectory() ? dirBytes(p) : st.size;
  }
  return n;
}

export interface ImportDiffReport {
  samples: number;
  fileBytes: number;
  canopyImportSeconds: number;
  promtoolSeconds: number;
  canopyBlocks: number;
  promBlocks: number;
  canopyBytesPerSample: number;
  promBytesPerSample: number;
  diff: DiffReport;
  canopyStdout: string;
  /** Series each server holds at the end (count({__name__=~".+"})): the comparison is not over nothing. */
  seriesServed: { prom: number; canopy: number };
}

async function seriesAt(base: string, tMs: number): Promise<number> {
  const r = await postQuery(base, '/api/v1/query', {
    query: 'count({__name__=~".+"})',
    time: (tMs / 1000).toFixed(3),
  });
  return Number(r.body?.data?.result?.[0]?.value?.[1] ?? 0);
}

/**
 * Generates, imports into both, starts both, compares. `dir` must be empty. via 'openmetrics':
 * canopy imports the file; 'prometheus-tsdb': canopy imports promtool's blocks.
 */
export async function runImportDiff(
  dir: string,
  d: DataShape,
  bins: { prometheus: string; promtool: string },
  via: 'openmetrics' | 'prometheus-tsdb' = 'openmetrics',
  log: (s: string) => void = () => {},
): Promise<ImportDiffReport> {
  const file = join(dir, 'data.om.txt');
  const samples = writeOpenMetrics(file, d);
  const fileBytes = statSync(file).size;
  log(`wrote ${samples} samples, ${(fileBytes / 1e6).toFixed(1)} MB`);
  const canopy = (args: string[]): { seconds: number; stdout: string; stderr: string } => {
    const t = Date.now();
    const c = spawnSync(
      process.execPath,
      [join(REPO, 'bin/canopy.js'), 'import', ...args, '--data-dir', join(dir, 'zone')],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    if (c.status !== 0) throw new Error(`canopy import failed (${c.status}): ${c.stderr}`);
    log(`canopy import ${args[0]}: ${((Date.now() - t) / 1000).toFixed(1)} s; ${c.stderr.trim()}`);
    return { seconds: (Date.now() - t) / 1000, stdout: c.stdout, stderr: c.stderr };
  };
  const c = via === 'openmetrics' ? canopy(['openmetrics', file]) : undefined;
  const t0 = Date.now();
  const p = spawnSync(bins.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'prom')], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const promtoolSeconds = (Date.now() - t0) / 1000;
  if (p.status !== 0) throw new Error(`promtool failed (${p.status}): ${p.stderr}`);
  log(`promtool: ${promtoolSeconds.toFixed(1)} s`);
  const imported = c ?? canopy(['prometheus-tsdb', join(dir, 'prom')]);
  const canopyImportSeconds = imported.seconds;
  const canopyBlocks = readdirSync(join(dir, 'zone', 'blocks')).length;
  const promBlocks = readdirSync(join(dir, 'prom')).filter((n) => /^[0-9A-Z]{26}$/.test(n)).length;
  const canopyBytes = dirBytes(join(dir, 'zone', 'blocks'));
  const promBytes = readdirSync(join(dir, 'prom'))
    .filter((n) => /^[0-9A-Z]{26}$/.test(n))
    .reduce((a, n) => a + dirBytes(join(dir, 'prom', n)), 0);
  const pair = await startPair(
    bins.prometheus,
    dir,
    ['--retention', '1y'],
    [],
    ['--storage.tsdb.retention.time=1y'],
  );
  try {
    const diff = await runDiff(pair.prom, pair.zone, importJobs(d), {}, 4);
    return {
      samples,
      fileBytes,
      canopyImportSeconds,
      promtoolSeconds,
      canopyBlocks,
      promBlocks,
      canopyBytesPerSample: canopyBytes / samples,
      promBytesPerSample: promBytes / samples,
      diff,
      canopyStdout: imported.stdout,
      seriesServed: { prom: await seriesAt(pair.prom, d.endMs), canopy: await seriesAt(pair.zone, d.endMs) },
    };
  } finally {
    await pair.stop();
  }
}
