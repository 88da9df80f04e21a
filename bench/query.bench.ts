// PromQL engine benchmark: dashboard-style queries over a MemoryStorage holding node_exporter-
// like CPU counters and request-latency histograms. Prints p50/p99 latency per query.
// Usage: npm run bench:query -- [--series=10000] [--hours=3] [--interval=30] [--iterations=10]
// (The TSDB-backed variant comes with the zone TSDB.)
import { MemoryStorage } from '../shared/memstore.ts';
import { labelsFromRecord, type Labels } from '../shared/labels.ts';
import { Engine } from '../shared/promql/index.ts';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}
const NSERIES = arg('series', 10_000);
const HOURS = arg('hours', 3);
const INTERVAL_MS = arg('interval', 30) * 1000;
const ITERATIONS = arg('iterations', 10);

const MODES = ['idle', 'user', 'system', 'iowait'];
const CPUS = 8;
const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
const PER_HOST = CPUS * MODES.length + LE.length;

let seed = 42;
const rnd = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;

function load(): { storage: MemoryStorage; endMs: number; samples: number } {
  const storage = new MemoryStorage();
  const hosts = Math.max(1, Math.round(NSERIES / PER_HOST));
  const endMs = HOURS * 3600_000;
  const steps = Math.floor(endMs / INTERVAL_MS) + 1;
  let samples = 0;
  const add = (ls: Labels, rate: number): void => {
    let v = rnd() * 1000;
    for (let i = 0; i < steps; i++) {
      v += rate * (INTERVAL_MS / 1000) * (0.5 + rnd());
      storage.add(ls, i * INTERVAL_MS, Math.round(v * 100) / 100);
    }
    samples += steps;
  };
  for (let h = 0; h < hosts; h++) {
    const instance = `host-${h}`;
    for (let cpu = 0; cpu < CPUS; cpu++) {
      for (const mode of MODES) {
        add(
          labelsFromRecord({
            __name__: 'node_cpu_seconds_total',
            instance,
            job: 'node',
            cpu: String(cpu),
            mode,
          }),
          mode === 'idle' ? 0.7 : 0.1,
        );
      }
    }
    let cum = 0;
    for (const le of LE) {
      cum += 2 + rnd() * 5;
      add(
        labelsFromRecord({ __name__: 'http_request_duration_seconds_bucket', instance, job: 'api', le }),
        cum,
      );
    }
  }
  return { storage, endMs, samples };
}

interface Case {
  name: string;
  expr: string;
  rangeMs: number;
  stepMs: number;
}

const cases: Case[] = [
  {
    name: 'one host rate, 1h',
    expr: 'rate(node_cpu_seconds_total{instance="host-7"}[5m])',
    rangeMs: 3600_000,
    stepMs: 15_000,
  },
  {
    name: 'one host rate, 6h',
    expr: 'rate(node_cpu_seconds_total{instance="host-7"}[5m])',
    rangeMs: 6 * 3600_000,
    stepMs: 60_000,
  },
  {
    name: 'one host rate, 24h',
    expr: 'rate(node_cpu_seconds_total{instance="host-7"}[5m])',
    rangeMs: 24 * 3600_000,
    stepMs: 300_000,
  },
  {
    name: 'sum by mode, all hosts, 1h',
    expr: 'sum by (mode) (rate(node_cpu_seconds_total[5m]))',
    rangeMs: 3600_000,
    stepMs: 60_000,
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
];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { storage, endMs, samples } = load();
  console.log(
    `loaded ${storage.seriesCount()} series, ${samples} samples (${HOURS}h every ${INTERVAL_MS / 1000}s) in ${((performance.now() - t0) / 1000).toFixed(1)}s`,
  );
  const engine = new Engine();
  console.log(
    `${'query'.padEnd(34)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'series'.padStart(7)}`,
  );
  for (const c of cases) {
    const times: number[] = [];
    let series = 0;
    for (let i = -1; i < ITERATIONS; i++) {
      const start = performance.now();
      const r =
        c.rangeMs === 0
          ? await engine.instantQuery(storage, c.expr, endMs)
          : await engine.rangeQuery(storage, c.expr, Math.max(0, endMs - c.rangeMs), endMs, c.stepMs);
      if (i >= 0) times.push(performance.now() - start); // iteration -1 warms up the JIT
      series =
        r.value.type === 'matrix'
          ? r.value.matrix.length
          : r.value.type === 'vector'
            ? r.value.vector.length
            : 1;
    }
    console.log(
      `${c.name.padEnd(34)} ${pct(times, 0.5).toFixed(1).padStart(9)} ${pct(times, 0.99).toFixed(1).padStart(9)} ${String(series).padStart(7)}`,
    );
  }
}

await main();
