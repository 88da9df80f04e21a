// Global root benchmark: nats-server and three zone processes holding SERIES series spread
// over them (loaded through POST /api/v1/push), the root in this process. For typical
// dashboard aggregations, prints latency (p50/p90) and bytes the root received, with pushdown
// versus the naive plan (raw series of every selector pulled to the root), and the root's
// overhead over the slowest zone (total time minus the slowest zone's answer time), p50.
// Also the benefit of pruning zones by field hints: queries for a metric only one zone holds
// (and for one no zone holds), answered with and without hints (latency, bytes, zone requests).
// Usage: npm run bench:global -- [--series=30000] [--iterations=15] (--series=100000 for the figure)
import { connectNats } from '../shared/bus/index.ts';
import { silentLogger } from '../shared/log.ts';
import { Fanout } from '../global/fanout.ts';
import { ZoneDirectory } from '../global/zones.ts';
import { HintsDirectory } from '../global/hints.ts';
import { RootQuery, type QueryStats } from '../global/query.ts';
import type { PlanMode } from '../global/plan/index.ts';
import { writeFileSync } from 'node:fs';
import { freePort, spawnCanopy, startNats, tempDir, waitForHttp, type Proc } from '../test/e2e/harness.ts';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}
const SERIES = arg('series', 30_000);
const ITERATIONS = arg('iterations', 15);
const ZONES = [
  { zone: 'eu-1', region: 'eu' },
  { zone: 'eu-2', region: 'eu' },
  { zone: 'us-1', region: 'us' },
];
const SCRAPE_MS = 30_000;
const SPAN_MS = 6 * 60_000;
const END = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
const JOBS = 20;
const CODES = ['200', '404', '500'];

// eu1_only_* is loaded into zone eu-1 only.
const PRUNE_QUERIES = [
  'sum by (job) (rate(eu1_only_requests_total[5m]))',
  'topk(3, eu1_only_requests_total)',
  'eu1_only_requests_total{job="job-1"}',
  'sum(rate(no_zone_has_this_total[5m]))',
];

const QUERIES = [
  'sum by (job) (rate(http_requests_total[5m]))',
  'sum(rate(http_requests_total{code="500"}[5m])) / sum(rate(http_requests_total[5m]))',
  'topk(5, sum by (instance) (rate(http_requests_total[5m])))',
  'avg by (job) (process_resident_memory_bytes)',
  'max by (zone) (process_resident_memory_bytes)',
  'count by (code) (http_requests_total)',
  'quantile by (job) (0.9, rate(http_requests_total[5m]))',
  'max_over_time(sum by (job) (rate(http_requests_total[2m]))[4m:1m])',
];

async function load(url: string, zone: { zone: string; region: string }, perZone: number): Promise<void> {
  // perZone series: (instance, code) of http_requests_total + one memory gauge per instance.
  const instances = Math.max(1, Math.floor(perZone / (CODES.length + 1)));
  let batch: unknown[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const r = await fetch(`${url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    if (r.status !== 204) throw new Error(`push to ${zone.zone}: ${r.status} ${await r.text()}`);
    batch = [];
  };
  for (let i = 0; i < instances; i++) {
    const tags = {
      zone: zone.zone,
      region: zone.region,
      job: `job-${i % JOBS}`,
      instance: `${zone.zone}-host-${i}`,
    };
    for (let t = END - SPAN_MS; t <= END; t += SCRAPE_MS) {
      const k = (t - (END - SPAN_MS)) / SCRAPE_MS;
      CODES.forEach((code, c) =>
        batch.push({
          metric: 'http_requests_total',
          tags: { ...tags, code },
          timestamp: t,
          value: k * (10 + (i % 7) + c),
        }),
      );
      batch.push({
        metric: 'process_resident_memory_bytes',
        tags,
        timestamp: t,
        value: 1e8 + ((i * 7919 + k * 104729) % 1e7),
      });
      if (zone.zone === 'eu-1' && i % 4 === 0)
        batch.push({ metric: 'eu1_only_requests_total', tags, timestamp: t, value: k * (3 + (i % 5)) });
    }
    if (batch.length >= 40_000) await flush();
  }
  await flush();
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

async function main(): Promise<void> {
  const procs: Proc[] = [];
  const dir = tempDir('bench-global');
  try {
    const nats = await startNats();
    procs.push(nats.proc);
    const urls: string[] = [];
    // Ingest limits off: the load runs far above a tenant's default 10k samples/s.
    const zoneCfg = `${dir.path}/zone.yml`;
    writeFileSync(zoneCfg, 'limits: {ingestionRate: 0, maxSeriesPerTenant: 0}\n');
    for (const z of ZONES) {
      const http = await freePort();
      procs.push(
        spawnCanopy(z.zone, [
          'zone',
          '--config',
          zoneCfg,
          '--zone',
          z.zone,
          '--region',
          z.region,
          '--nats',
          nats.url,
          '--listen',
          `127.0.0.1:${http}`,
          '--grpc-listen',
          `127.0.0.1:${await freePort()}`,
          '--data-dir',
          `${dir.path}/${z.zone}`,
          '--log-level',
          'warn',
        ]),
      );
      urls.push(`http://127.0.0.1:${http}`);
    }
    for (const u of urls)
      if (!(await waitForHttp(`${u}/readyz`, 30_000))) throw new Error(`zone ${u} did not start`);
    const t0 = performance.now();
    await Promise.all(ZONES.map((z, i) => load(urls[i]!, z, Math.floor(SERIES / ZONES.length))));
    console.log(
      `loaded ${SERIES} series (${SPAN_MS / SCRAPE_MS + 1} samples each) into ${ZONES.length} zones in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const log = silentLogger();
    const bus = await connectNats({ url: nats.url, name: 'bench-root', logger: log });
    const zones = new ZoneDirectory(30_000, log);
    zones.start(bus);
    const hints = new HintsDirectory(60_000, log);
    hints.start(bus);
    const root = new RootQuery({ fanout: new Fanout(bus, zones, log), zoneTimeoutMs: 60_000, zones, hints });
    while (zones.list().filter((z) => zones.isAlive(z)).length < ZONES.length)
      await new Promise((r) => setTimeout(r, 100));
    while (ZONES.some((z) => hints.whyUntrusted(z.zone) !== '')) await new Promise((r) => setTimeout(r, 100));
    const opts = () => ({ timeoutMs: 120_000, signal: new AbortController().signal, partialResponse: false });

    console.log(
      `\n${'query'.padEnd(92)} ${'plan'.padEnd(9)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'bytes'.padStart(12)} ${'root overhead p50 ms'.padStart(21)}`,
    );
    const bytesBy: Record<string, Record<PlanMode, number>> = {};
    for (const q of QUERIES) {
      for (const mode of ['pushdown', 'naive'] as PlanMode[]) {
        const runs: QueryStats[] = [];
        const iters = mode === 'naive' ? Math.max(3, Math.floor(ITERATIONS / 3)) : ITERATIONS;
        await root.execute(q, { range: false, startMs: END, endMs: END, stepMs: 0 }, opts(), mode); // warm-up
        for (let i = 0; i < iters; i++)
          runs.push(
            (await root.execute(q, { range: false, startMs: END, endMs: END, stepMs: 0 }, opts(), mode))
              .stats,
          );
        const lat = runs.map((r) => r.totalMs);
        const over = runs.map((r) => r.totalMs - Math.max(0, ...Object.values(r.zoneMs)));
        (bytesBy[q] ??= { pushdown: 0, naive: 0 })[mode] = runs[0]!.bytes;
        console.log(
          `${q.padEnd(92)} ${mode.padEnd(9)} ${pct(lat, 0.5).toFixed(1).padStart(8)} ${pct(lat, 0.9).toFixed(1).padStart(8)} ${String(runs[0]!.bytes).padStart(12)} ${pct(over, 0.5).toFixed(2).padStart(21)}`,
        );
      }
    }
    console.log('\nbytes received, naive / pushdown:');
    for (const [q, b] of Object.entries(bytesBy))
      console.log(`  ${(b.naive / Math.max(1, b.pushdown)).toFixed(0).padStart(8)}×  ${q}`);

    // Pruning by field hints: the same root with and without its hints directory.
    const unpruned = new RootQuery({ fanout: new Fanout(bus, zones, log), zoneTimeoutMs: 60_000, zones });
    const zonesAsked = async (q: string): Promise<number> =>
      (await root.explain(q)).fragments.reduce((a, f) => a + f.zones.asked.length, 0);
    console.log(`\npruning by field hints (pushdown plan, ${ITERATIONS} iterations):`);
    console.log(
      `${'query'.padEnd(60)} ${'hints'.padEnd(6)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'bytes'.padStart(10)} ${'zones asked'.padStart(12)}`,
    );
    for (const q of PRUNE_QUERIES) {
      for (const [label, r] of [
        ['on', root],
        ['off', unpruned],
      ] as const) {
        const runs: QueryStats[] = [];
        await r.execute(q, { range: false, startMs: END, endMs: END, stepMs: 0 }, opts());
        for (let i = 0; i < ITERATIONS; i++)
          runs.push(
            (await r.execute(q, { range: false, startMs: END, endMs: END, stepMs: 0 }, opts())).stats,
          );
        const lat = runs.map((x) => x.totalMs);
        const asked = label === 'on' ? await zonesAsked(q) : ZONES.length;
        console.log(
          `${q.padEnd(60)} ${label.padEnd(6)} ${pct(lat, 0.5).toFixed(1).padStart(8)} ${pct(lat, 0.9).toFixed(1).padStart(8)} ${String(runs[0]!.bytes).padStart(10)} ${String(asked).padStart(12)}`,
        );
      }
    }
    // What the hints barrier (a NATS round trip before pruning) costs a query.
    const barrier: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await hints.barrier();
      barrier.push(performance.now() - t);
    }
    console.log(
      `hints barrier (NATS flush) p50 ${pct(barrier, 0.5).toFixed(3)} ms, p90 ${pct(barrier, 0.9).toFixed(3)} ms`,
    );
    zones.stop();
    hints.stop();
    await bus.close();
  } finally {
    for (const p of procs.reverse()) await p.stop();
    dir.remove();
  }
}

await main();
