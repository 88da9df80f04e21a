// PromQL latency, Canopy zone vs Prometheus 2.42, same data, same machine, same HTTP client:
// node_exporter-like CPU counters and request-latency histograms (the mix of query.bench.ts) are
// remote-written (protobuf + snappy, time-ordered windows, identical requests) into a real
// `canopy zone` and `prometheus --web.enable-remote-write-receiver`; then the dashboard queries
// of issue 4 run N times against both /api/v1/query(_range), one query in flight at a time,
// alternating systems. Prints p50/p99 per query side by side with the Canopy/Prometheus ratio.
// The data ends at about now (Prometheus' head only accepts samples within ~1 h of its newest,
// so windows go oldest first).
// Usage: npm run bench:query:prom -- [--series=10000] [--hours=3] [--interval=15] [--iterations=20]
//   [--zone-node-args='--trace-gc --max-semi-space-size=8'] (node flags of the zone only)
//   [--log=FILE] (every timed request and every zone output line, in ms since the zone started,
//   to line a slow iteration up with what the zone did meanwhile, e.g. its GC trace; the writes
//   are synchronous in this client, so they can only make Canopy's figures worse)
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../topology/path.ts';
import { tempDir } from '../test/e2e/harness.ts';
import { pushToBoth, startPair } from '../test/e2e/promql-diff/servers.ts';
import { encodeWriteRequest, type SeriesData } from '../test/e2e/promql-diff/write-request.ts';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}
const NSERIES = arg('series', 10_000);
const HOURS = arg('hours', 3);
const INTERVAL_MS = arg('interval', 15) * 1000;
const ITERATIONS = arg('iterations', 20);
const ZONE_NODE_ARGS = (
  process.argv.find((x) => x.startsWith('--zone-node-args='))?.slice('--zone-node-args='.length) ?? ''
)
  .split(' ')
  .filter(Boolean);
const LOG = process.argv.find((x) => x.startsWith('--log='))?.slice('--log='.length);
const WINDOW_MS = 10 * 60_000;
const SERIES_PER_REQUEST = 1000;

const MODES = ['idle', 'user', 'system', 'iowait'];
const CPUS = 8;
const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
const PER_HOST = CPUS * MODES.length + LE.length;

let seed = 42;
const rnd = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;

interface Gen {
  labels: [string, string][];
  rate: number;
  v: number;
}

function series(): Gen[] {
  const out: Gen[] = [];
  const hosts = Math.max(1, Math.round(NSERIES / PER_HOST));
  const sorted = (r: Record<string, string>): [string, string][] =>
    Object.entries(r).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (let h = 0; h < hosts; h++) {
    const instance = `host-${h}`;
    for (let cpu = 0; cpu < CPUS; cpu++) {
      for (const mode of MODES)
        out.push({
          labels: sorted({
            __name__: 'node_cpu_seconds_total',
            instance,
            job: 'node',
            cpu: String(cpu),
            mode,
          }),
          rate: mode === 'idle' ? 0.7 : 0.1,
          v: rnd() * 1000,
        });
    }
    let cum = 0;
    for (const le of LE) {
      cum += 2 + rnd() * 5;
      out.push({
        labels: sorted({ __name__: 'http_request_duration_seconds_bucket', instance, job: 'api', le }),
        rate: cum,
        v: rnd() * 1000,
      });
    }
  }
  return out;
}

/** Time-ordered windows of requests over disjoint series; values advance as they are generated. */
function* windows(gens: Gen[], startMs: number, endMs: number): Generator<Buffer[]> {
  for (let w = startMs; w <= endMs; w += WINDOW_MS) {
    const bodies: Buffer[] = [];
    for (let first = 0; first < gens.length; first += SERIES_PER_REQUEST) {
      const parts: { s: SeriesData; from: number; to: number }[] = [];
      for (let i = first; i < Math.min(gens.length, first + SERIES_PER_REQUEST); i++) {
        const g = gens[i]!;
        const s: SeriesData = { labels: g.labels, tsMs: [], values: [] };
        for (let t = w; t < Math.min(w + WINDOW_MS, endMs + 1); t += INTERVAL_MS) {
          g.v += g.rate * (INTERVAL_MS / 1000) * (0.5 + rnd());
          s.tsMs.push(t);
          s.values.push(Math.round(g.v * 100) / 100);
        }
        parts.push({ s, from: 0, to: s.tsMs.length });
      }
      bodies.push(encodeWriteRequest(parts));
    }
    yield bodies;
  }
}

interface Case {
  name: string;
  expr: string;
  rangeMs: number;
  stepMs: number;
}

function cases(): Case[] {
  const full = HOURS * 3600_000;
  const c: Case[] = [
    {
      name: 'one host rate, 1h',
      expr: 'rate(node_cpu_seconds_total{instance="host-7"}[5m])',
      rangeMs: 3600_000,
      stepMs: 15_000,
    },
    {
      name: `one host rate, ${HOURS}h`,
      expr: 'rate(node_cpu_seconds_total{instance="host-7"}[5m])',
      rangeMs: full,
      stepMs: 60_000,
    },
    {
      name: 'sum by mode, all hosts, 1h',
      expr: 'sum by (mode) (rate(node_cpu_seconds_total[5m]))',
      rangeMs: 3600_000,
      stepMs: 60_000,
    },
    {
      name: `sum by mode, all hosts, ${HOURS}h`,
      expr: 'sum by (mode) (rate(node_cpu_seconds_total[5m]))',
      rangeMs: full,
      stepMs: 300_000,
    },
    {
      name: 'topk busiest hosts, 1h',
      expr: 'topk(5, sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])))',
      rangeMs: 3600_000,
      stepMs: 60_000,
    },
    {
      name: 'regex matchers, 1h',
      expr: 'sum(rate(node_cpu_seconds_total{instance=~"host-1.*", mode=~"user|system"}[5m]))',
      rangeMs: 3600_000,
      stepMs: 60_000,
    },
    {
      name: 'histogram_quantile p99, 1h',
      expr: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
      rangeMs: 3600_000,
      stepMs: 60_000,
    },
    {
      name: 'instant: sum by mode',
      expr: 'sum by (mode) (rate(node_cpu_seconds_total[5m]))',
      rangeMs: 0,
      stepMs: 0,
    },
    {
      name: 'instant: one host, 1h rate',
      expr: 'rate(node_cpu_seconds_total{instance="host-7"}[1h])',
      rangeMs: 0,
      stepMs: 0,
    },
  ];
  return c;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

async function run(base: string, c: Case, endMs: number): Promise<{ ms: number; series: number }> {
  const params: Record<string, string> =
    c.rangeMs === 0
      ? { query: c.expr, time: String(endMs / 1000) }
      : {
          query: c.expr,
          start: String((endMs - c.rangeMs) / 1000),
          end: String(endMs / 1000),
          step: String(c.stepMs / 1000),
        };
  const t0 = performance.now();
  const r = await fetch(`${base}/api/v1/${c.rangeMs === 0 ? 'query' : 'query_range'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const body = (await r.json()) as any;
  const ms = performance.now() - t0;
  if (body.status !== 'success')
    throw new Error(`cannot run ${c.name} on ${base}: ${body.errorType}: ${body.error}`);
  return { ms, series: body.data.result.length };
}

async function main(): Promise<void> {
  const prometheus = findOnPath('prometheus');
  if (!prometheus) {
    console.log('prometheus is not installed (Debian package prometheus); nothing to compare against');
    return;
  }
  const dir = tempDir('bench-query-prom');
  const zoneStart = performance.now();
  const pair = await startPair(prometheus, dir.path, [], ZONE_NODE_ARGS);
  const log = (line: string): void => {
    if (LOG) appendFileSync(LOG, `${(performance.now() - zoneStart).toFixed(0).padStart(9)} ${line}\n`);
  };
  if (LOG) {
    writeFileSync(LOG, '');
    const zone = pair.procs.find((p) => p.name === 'zone')!;
    const onData = (d: Buffer): void => {
      for (const l of d.toString('utf8').split('\n')) if (l) log(`zone: ${l}`);
    };
    zone.child.stdout!.on('data', onData);
    zone.child.stderr!.on('data', onData);
  }
  try {
    const endMs = Math.floor((Date.now() - 60_000) / INTERVAL_MS) * INTERVAL_MS;
    const startMs = endMs - HOURS * 3600_000;
    const gens = series();
    const t0 = performance.now();
    const requests = await pushToBoth(pair, windows(gens, startMs, endMs), 4);
    const samples = gens.length * (Math.floor((endMs - startMs) / INTERVAL_MS) + 1);
    console.log(
      `loaded ${gens.length} series × ${HOURS} h every ${INTERVAL_MS / 1000} s = ${samples.toLocaleString()} samples into both (${requests} requests each) in ${((performance.now() - t0) / 1000).toFixed(1)} s; data dir ${join(dir.path)}`,
    );
    await new Promise((r) => setTimeout(r, 3000));
    const head = `${'query'.padEnd(36)} ${'series'.padStart(6)} | ${'canopy p50'.padStart(10)} ${'p99'.padStart(8)} | ${'prom p50'.padStart(9)} ${'p99'.padStart(8)} | ${'p50 ratio'.padStart(9)} ${'p99 ratio'.padStart(9)}`;
    console.log(head);
    log('queries start');
    for (const c of cases()) {
      const zt: number[] = [],
        pt: number[] = [];
      let zs = 0,
        ps = 0;
      for (let i = -1; i < ITERATIONS; i++) {
        const z = await run(pair.zone, c, endMs);
        log(`query: ${c.name} #${i} canopy ${z.ms.toFixed(1)} ms`);
        const p = await run(pair.prom, c, endMs);
        log(`query: ${c.name} #${i} prometheus ${p.ms.toFixed(1)} ms`);
        if (i < 0) continue; // first round warms caches and the JIT on both
        zt.push(z.ms);
        pt.push(p.ms);
        zs = z.series;
        ps = p.series;
      }
      const f = (x: number): string => x.toFixed(1);
      console.log(
        `${c.name.padEnd(36)} ${String(zs === ps ? zs : `${zs}≠${ps}`).padStart(6)} | ${f(pct(zt, 0.5)).padStart(10)} ${f(pct(zt, 0.99)).padStart(8)} | ${f(pct(pt, 0.5)).padStart(9)} ${f(pct(pt, 0.99)).padStart(8)} | ${(pct(zt, 0.5) / pct(pt, 0.5)).toFixed(2).padStart(9)} ${(pct(zt, 0.99) / pct(pt, 0.99)).toFixed(2).padStart(9)}`,
      );
    }
  } finally {
    await pair.stop();
    dir.remove();
  }
}

await main();
