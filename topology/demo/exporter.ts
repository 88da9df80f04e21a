// The demo workload's exporter: serves node-exporter-like metrics (CPU seconds per mode,
// memory, load, network and disk counters, filesystem gauges, an HTTP latency histogram) in
// Prometheus text format 0.0.4. Values move with wall-clock time, deterministically from the
// host name, so each demo host looks different but plausible.
import { createServer } from 'node:http';
import { parseFlags, HOST_PORT_RE, type FlagSpec } from '../../shared/config/index.ts';
import { CanopyError } from '../../shared/errors.ts';
import { untilStopSignal } from '../../shared/signals.ts';

export const DEMO_FLAGS: Record<string, FlagSpec> = {
  listen: { type: 'string', arg: 'HOST:PORT', help: 'address to serve /metrics on (default 127.0.0.1:9100)' },
  host: { type: 'string', arg: 'NAME', help: 'host name the metrics describe (seeds the values)' },
  cpus: { type: 'string', arg: 'N', help: 'number of CPUs (default 4)' },
  help: { type: 'bool', help: 'show this help' },
};

function seedOf(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

const MODES = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];
/** Mean share of a CPU's time in each non-idle mode; idle takes the rest (≈ 0.72). */
const BUSY_SHARE: Record<string, number> = {
  iowait: 0.02,
  irq: 0.001,
  nice: 0.004,
  softirq: 0.01,
  steal: 0,
  system: 0.08,
  user: 0.165,
};
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Load swings as sin(t / 300 s), a ~31 min period: busy shares, network and disk rates follow it. */
const SWING_S = 300;

/**
 * The integral over [0, t] of rate·(1 + amp·sin(t/periodS + phase)): a counter whose rate swings
 * by ±amp around `rate` but never goes backwards (amp < 1 keeps the derivative positive).
 */
function swingingCounter(rate: number, amp: number, periodS: number, phase: number, t: number): number {
  return rate * (t + amp * periodS * (Math.cos(phase) - Math.cos(t / periodS + phase)));
}

/** Renders the exposition for `host` at time `tMs` (the process started at startMs). */
export function renderDemoMetrics(host: string, cpus: number, startMs: number, tMs: number): string {
  const seed = seedOf(host);
  // seconds since the simulated boot (1 to 31 days before the exporter started)
  const up = (tMs - startMs) / 1000 + 86_400 * (1 + seed * 30);
  const lines: string[] = [];
  const push = (s: string): void => void lines.push(s);
  push('# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.');
  push('# TYPE node_cpu_seconds_total counter');
  // Each CPU spends exactly one second per second across its modes: the busy modes swing ±20 %
  // around their share, idle gets the rest, so sum(rate(node_cpu_seconds_total[1m])) ≈ cpus.
  for (let c = 0; c < cpus; c++) {
    const phase = c + seed * 10;
    let busy = 0;
    const values = new Map<string, number>();
    for (const m of MODES) {
      if (m === 'idle') continue;
      const v = swingingCounter(BUSY_SHARE[m]!, 0.2, SWING_S, phase, up);
      busy += v;
      values.set(m, v);
    }
    values.set('idle', up - busy);
    for (const m of MODES)
      push(`node_cpu_seconds_total{cpu="${c}",mode="${m}"} ${values.get(m)!.toFixed(2)}`);
  }
  const total = 16 * 1024 ** 3;
  const avail = total * (0.45 + 0.1 * Math.sin(up / 600 + seed * 7));
  push('# HELP node_memory_MemTotal_bytes Memory information field MemTotal_bytes.');
  push('# TYPE node_memory_MemTotal_bytes gauge');
  push(`node_memory_MemTotal_bytes ${total}`);
  push('# HELP node_memory_MemAvailable_bytes Memory information field MemAvailable_bytes.');
  push('# TYPE node_memory_MemAvailable_bytes gauge');
  push(`node_memory_MemAvailable_bytes ${Math.round(avail / 4096) * 4096}`);
  push('# HELP node_load1 1m load average.');
  push('# TYPE node_load1 gauge');
  push(`node_load1 ${(cpus * (0.3 + 0.25 * Math.sin(up / 120 + seed * 3))).toFixed(2)}`);
  // bytes per second around which each device's counter rises (±30 % with the load swing)
  const scale = 0.8 + seed * 0.4;
  for (const [name, help, label, devs] of [
    [
      'node_network_receive_bytes_total',
      'Network device statistic receive_bytes.',
      'device',
      [
        ['eth0', 1.5e6],
        ['lo', 75e3],
      ],
    ],
    [
      'node_network_transmit_bytes_total',
      'Network device statistic transmit_bytes.',
      'device',
      [
        ['eth0', 0.9e6],
        ['lo', 75e3],
      ],
    ],
    [
      'node_disk_read_bytes_total',
      'The total number of bytes read successfully.',
      'device',
      [
        ['sda', 2e6],
        ['sdb', 6e6],
      ],
    ],
    [
      'node_disk_written_bytes_total',
      'The total number of bytes written successfully.',
      'device',
      [
        ['sda', 1.2e6],
        ['sdb', 4e6],
      ],
    ],
  ] as const) {
    push(`# HELP ${name} ${help}`);
    push(`# TYPE ${name} counter`);
    for (const [dev, rate] of devs)
      push(
        `${name}{${label}="${dev}"} ${Math.floor(swingingCounter(rate * scale, 0.3, SWING_S, seed * 5 + rate, up))}`,
      );
  }
  push('# HELP node_filesystem_avail_bytes Filesystem space available to non-root users in bytes.');
  push('# TYPE node_filesystem_avail_bytes gauge');
  for (const [mp, dev, size] of [
    ['/', '/dev/sda1', 100e9],
    ['/data', '/dev/sdb1', 500e9],
  ] as const) {
    const used = 0.3 + seed * 0.4 + ((tMs - startMs) / 1000) * 1e-7;
    push(
      `node_filesystem_avail_bytes{device="${dev}",fstype="ext4",mountpoint="${mp}"} ${Math.round((size * (1 - Math.min(used, 0.99))) / 4096) * 4096}`,
    );
  }
  push('# HELP http_request_duration_seconds A histogram of request latencies.');
  push('# TYPE http_request_duration_seconds histogram');
  const reqs = Math.floor(up * (20 + seed * 30));
  for (const handler of ['/api', '/static']) {
    const scale = handler === '/api' ? 0.08 : 0.01;
    const n = handler === '/api' ? reqs : Math.floor(reqs / 3);
    for (const b of BUCKETS) {
      // Exponential latency distribution: P(X <= b) = 1 - exp(-b/scale).
      push(
        `http_request_duration_seconds_bucket{handler="${handler}",le="${b}"} ${Math.floor(n * (1 - Math.exp(-b / scale)))}`,
      );
    }
    push(`http_request_duration_seconds_bucket{handler="${handler}",le="+Inf"} ${n}`);
    push(`http_request_duration_seconds_sum{handler="${handler}"} ${(n * scale).toFixed(3)}`);
    push(`http_request_duration_seconds_count{handler="${handler}"} ${n}`);
  }
  return lines.join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const f = parseFlags(argv, DEMO_FLAGS, 'demo-exporter');
  if (f.help) return -1;
  const listen = (f.listen as string | undefined) ?? '127.0.0.1:9100';
  if (!HOST_PORT_RE.test(listen))
    throw new CanopyError(
      'flag_invalid',
      `canopy demo-exporter: flag --listen: expected HOST:PORT, got "${listen}"`,
    );
  const host = (f.host as string | undefined) ?? 'demo';
  const cpus = Number((f.cpus as string | undefined) ?? '4');
  const startMs = Date.now();
  const server = createServer((req, res) => {
    if (req.url === '/metrics' || req.url?.startsWith('/metrics?')) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(renderDemoMetrics(host, cpus, startMs, Date.now()));
    } else {
      res.writeHead(404);
      res.end('not found\n');
    }
  });
  const i = listen.lastIndexOf(':');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(listen.slice(i + 1)), listen.slice(0, i), resolve);
  });
  await untilStopSignal();
  server.close();
  return 0;
}
