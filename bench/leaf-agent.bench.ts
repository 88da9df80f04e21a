// Leaf agent overhead, as a real process: `npm run bench:leaf` (after the data-plane figures)
// or `node --import tsx bench/leaf-agent.bench.ts [seconds]` (default 60 per phase).
// A real zone acks the batches; this process serves a 1,000-series exposition target and
// sends StatsD over UDP. The leaf's CPU comes from /proc/<pid>/stat (utime + stime) over the
// measured window, its RSS from /proc/<pid>/status (VmRSS) sampled every second.
//   phase 1: 1,000 scraped series every 10 s                     (issue: < 1 % of a core, < 80 MB)
//   phase 2: the same plus 10,000 StatsD lines/s (1,000 series, c/g/ms/s mixed)
//   phase 3: StatsD lines/s sustained without loss (25k, 50k, 100k, 200k offered for 5 s each,
//            until the leaf's canopy_leaf_statsd_lines_total falls behind what was sent)
// Each phase runs after a 20 s warm-up (first scrapes, JIT).
// LEAF_BENCH_NODE_ARGS passes node flags to the leaf (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p");
// LEAF_BENCH_PHASES=1 stops after phase 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHttp } from '../topology/ports.ts';
import { nodeFlagsFor } from '../bin/node-flags.js';

const SECONDS = Number(process.argv[2] ?? process.env.LEAF_BENCH_SECONDS ?? 60);
const WARMUP_MS = 20_000;
const CLK_TCK = 100; // Linux USER_HZ
const LINES_PER_SEC = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** [utime, stime] in clock ticks (fields 14, 15 of /proc/<pid>/stat). */
function cpuTicks(pid: number): [number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(f[11]), Number(f[12])];
}
function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function leafMetric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const l of text.split('\n'))
    if (l.startsWith(name + ' ') || l.startsWith(name + '{')) sum += Number(l.slice(l.lastIndexOf(' ') + 1));
  return sum;
}

/** 1,000 series: 50 metrics × 20 label values, counters moving between scrapes. */
let scrapeNo = 0;
function exposition(): string {
  scrapeNo++;
  const out: string[] = [];
  for (let m = 0; m < 50; m++) {
    out.push(`# HELP bench_metric_${m}_total A benchmark counter.`, `# TYPE bench_metric_${m}_total counter`);
    for (let i = 0; i < 20; i++)
      out.push(
        `bench_metric_${m}_total{instance_id="i-${i}",region="eu-west-1",path="/api/v${m % 3}/items"} ${scrapeNo * (m + i + 1)}`,
      );
  }
  return out.join('\n') + '\n';
}

// Measure what a user runs: the production bundle (`npm run bench:leaf` builds it first); the
// sources through tsx only when there is no bundle. LEAF_BENCH_CANOPY=<prefix>/lib/node_modules/
// canopy/bin/canopy.js measures an installed package (`npm install -g canopy-*.tgz`) instead.
const INSTALLED = process.env.LEAF_BENCH_CANOPY;
const RUN = INSTALLED || existsSync(join(import.meta.dirname, '../dist/cli.js')) ? 'dist' : 'src';
function spawnCanopy(args: string[], nodeArgs: string[] = []): ChildProcess {
  const bin = INSTALLED ?? join(import.meta.dirname, '../bin/canopy.js');
  return spawn(process.execPath, [...nodeFlagsFor(args[0]), ...nodeArgs, bin, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CANOPY_RUN: RUN },
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-leafbench-'));
  const procs: ChildProcess[] = [];
  const target = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition()),
  );
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const targetPort = (target.address() as AddressInfo).port;
  try {
    const [zh, zg, lh, ls] = [await freePort(), await freePort(), await freePort(), await freePort()];
    procs.push(
      spawnCanopy([
        'zone',
        '--zone',
        'bench',
        '--listen',
        `127.0.0.1:${zh}`,
        '--grpc-listen',
        `127.0.0.1:${zg}`,
        '--data-dir',
        join(dir, 'zone'),
        '--log-level',
        'warn',
      ]),
    );
    if (!(await waitForHttp(`http://127.0.0.1:${zh}/readyz`, 60_000))) throw new Error('zone did not start');
    const leaf = spawnCanopy(
      [
        'leaf',
        '--name',
        'bench',
        '--zone',
        `127.0.0.1:${zg}`,
        '--listen',
        `127.0.0.1:${lh}`,
        '--statsd-listen',
        `127.0.0.1:${ls}`,
        '--scrape',
        `http://127.0.0.1:${targetPort}/metrics`,
        '--scrape-interval',
        '10s',
        '--data-dir',
        join(dir, 'leaf'),
        '--log-level',
        'warn',
      ],
      (process.env.LEAF_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    );
    procs.push(leaf);
    const leafUrl = `http://127.0.0.1:${lh}`;
    if (!(await waitForHttp(`${leafUrl}/healthz`, 60_000))) throw new Error('leaf did not start');
    const pid = leaf.pid!;
    console.log(
      `leaf runs ${INSTALLED ? `the installed package (${INSTALLED})` : RUN === 'dist' ? 'the production bundle (dist/)' : 'the sources through tsx (no dist/: npm run build)'}`,
    );

    const measure = async (label: string): Promise<void> => {
      await sleep(WARMUP_MS);
      const t0 = performance.now();
      const c0 = cpuTicks(pid);
      const rss: number[] = [];
      while (performance.now() - t0 < SECONDS * 1000) {
        rss.push(rssBytes(pid));
        await sleep(1000);
      }
      const secs = (performance.now() - t0) / 1000;
      const c1 = cpuTicks(pid);
      const pct = (ticks: number): number => (ticks / CLK_TCK / secs) * 100;
      const cpuPct = pct(c1[0] - c0[0] + c1[1] - c0[1]);
      const avg = rss.reduce((a, b) => a + b, 0) / rss.length;
      console.log(
        `${label.padEnd(52)} CPU ${cpuPct.toFixed(2)} % of a core (user ${pct(c1[0] - c0[0]).toFixed(2)}, system ${pct(c1[1] - c0[1]).toFixed(2)}), RSS avg ${(avg / 1e6).toFixed(1)} MB / max ${(Math.max(...rss) / 1e6).toFixed(1)} MB (${secs.toFixed(0)} s)`,
      );
    };

    await measure('leaf: 1,000 scraped series / 10 s');
    if (process.env.LEAF_BENCH_PHASES === '1') return;

    // phase 2: add 10k StatsD lines/s, in 20 ms ticks (packets of ≤ 40 lines)
    const sock = createSocket('udp4');
    const types = ['c', 'g', 'ms', 's'];
    let sent = 0;
    let n = 0;
    const startSending = (linesPerSec: number): NodeJS.Timeout =>
      setInterval(() => {
        const lines: string[] = [];
        for (let i = 0; i < linesPerSec / 50; i++) {
          const s = n++ % 1000;
          const t = types[s % 4]!;
          lines.push(
            `bench.statsd_${s}:${t === 's' ? 'u' + (n % 5000) : ((n * 7) % 1000) / 10}|${t}|#env:prod,host:h${s % 10}`,
          );
          if (lines.length === 40 || i === linesPerSec / 50 - 1) {
            sock.send(lines.join('\n'), ls, '127.0.0.1');
            sent += lines.length;
            lines.length = 0;
          }
        }
      }, 20);
    let tick = startSending(LINES_PER_SEC);
    await measure(`leaf: + ${LINES_PER_SEC / 1000}k StatsD lines/s`);
    clearInterval(tick);
    await sleep(1500);
    const got = await leafMetric(leafUrl, 'canopy_leaf_statsd_lines_total');
    console.log(
      `${'leaf: StatsD lines received / sent'.padEnd(52)} ${got} / ${sent} (${(((sent - got) / sent) * 100).toFixed(3)} % lost in UDP)`,
    );
    // phase 3: the highest rate sustained for 5 s without losing a line
    for (const rate of [25_000, 50_000, 100_000, 200_000]) {
      const before = await leafMetric(leafUrl, 'canopy_leaf_statsd_lines_total');
      const sentBefore = sent;
      tick = startSending(rate);
      await sleep(5000);
      clearInterval(tick);
      await sleep(1500);
      const recv = (await leafMetric(leafUrl, 'canopy_leaf_statsd_lines_total')) - before;
      const s = sent - sentBefore;
      console.log(
        `${`leaf: StatsD at ${rate / 1000}k lines/s offered (5 s)`.padEnd(52)} ${recv} / ${s} received (${(s / 5 / 1000).toFixed(0)}k/s actually sent, ${(((s - recv) / s) * 100).toFixed(2)} % lost)`,
      );
      if (recv < s) break;
    }
    const dropped = await leafMetric(leafUrl, 'canopy_leaf_samples_dropped_total');
    const acked = await leafMetric(leafUrl, 'canopy_leaf_samples_sent_total');
    console.log(`${'leaf: samples acked by the zone / dropped'.padEnd(52)} ${acked} / ${dropped}`);
    sock.close();
  } finally {
    for (const p of procs.reverse()) {
      if (p.exitCode !== null || p.signalCode !== null) continue;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await exited;
    }
    target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
