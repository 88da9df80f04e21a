// Scaffolding for the zone-replica tests (issue 16): nats-server, the root, zone z1 as two
// replicas (a, b; own data directories) and one leaf scraping a test target every second with
// ship_to all, all real processes. The target serves `ha_seq_total` = 1, 2, 3… (one per scrape),
// so the samples at the root show exactly which scrapes arrived, and counts what it served.
// Used by test/e2e/ha-replicas.test.ts (short) and bench/ha-churn.bench.ts (the 10-minute run).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { freePort, getJson, spawnCanopy, startNats, tempDir, waitForHttp, type Proc } from './harness.ts';

export const REPLICAS = ['a', 'b'] as const;
export type ReplicaName = (typeof REPLICAS)[number];

export interface HaStack {
  rootUrl: string;
  /** Scrapes served so far, with the time of each (ms). */
  served: { n: number; times: number[] };
  replicaUrl(r: ReplicaName): string;
  isUp(r: ReplicaName): boolean;
  kill(r: ReplicaName): Promise<void>;
  start(r: ReplicaName): Promise<void>;
  stop(): Promise<void>;
  leafUrl: string;
  procs: Proc[];
}

export async function startHaStack(prefix: string): Promise<HaStack> {
  const dir = tempDir(prefix);
  const procs: Proc[] = [];
  const served = { n: 0, times: [] as number[] };
  const server: Server = createServer((req, res) => {
    served.n++;
    served.times.push(Date.now());
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(`# TYPE ha_seq_total counter\nha_seq_total ${served.n}\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const targetPort = (server.address() as AddressInfo).port;
  const nats = await startNats();
  procs.push(nats.proc);
  const rp = await freePort();
  const rootUrl = `http://127.0.0.1:${rp}`;
  procs.push(
    spawnCanopy('root', ['root', '--listen', `127.0.0.1:${rp}`, '--nats', nats.url, '--zone-timeout', '5s']),
  );
  const ports: Record<string, { http: number; grpc: number }> = {};
  for (const r of REPLICAS) ports[r] = { http: await freePort(), grpc: await freePort() };
  const live: Partial<Record<ReplicaName, Proc>> = {};
  const replicaUrl = (r: ReplicaName): string => `http://127.0.0.1:${ports[r]!.http}`;
  const start = async (r: ReplicaName): Promise<void> => {
    const p = spawnCanopy(`zone-${r}`, [
      'zone',
      '--zone',
      'z1',
      '--replica',
      r,
      '--region',
      'r1',
      '--listen',
      `127.0.0.1:${ports[r]!.http}`,
      '--grpc-listen',
      `127.0.0.1:${ports[r]!.grpc}`,
      '--data-dir',
      join(dir.path, `zone-${r}`),
      '--nats',
      nats.url,
    ]);
    procs.push(p);
    live[r] = p;
    if (!(await waitForHttp(`${replicaUrl(r)}/readyz`, 30_000)))
      throw new Error(`zone replica ${r} did not start: ${p.output.slice(-10).join('\n')}`);
  };
  if (!(await waitForHttp(`${rootUrl}/readyz`, 30_000))) throw new Error('root did not start');
  await Promise.all(REPLICAS.map((r) => start(r)));
  const leafCfg = join(dir.path, 'leaf.yaml');
  writeFileSync(
    leafCfg,
    `data_dir: ${join(dir.path, 'leaf-data')}
heartbeat_interval: 1h
flush_interval: 1s
ship_to: all
zones: [${REPLICAS.map((r) => `'127.0.0.1:${ports[r]!.grpc}'`).join(', ')}]
scrape_configs:
  - job_name: ha
    scrape_interval: 1s
    static_configs:
      - targets: ['127.0.0.1:${targetPort}']
`,
  );
  const lp = await freePort();
  const leaf = spawnCanopy('leaf', [
    'leaf',
    '--config',
    leafCfg,
    '--name',
    'leaf-1',
    '--listen',
    `127.0.0.1:${lp}`,
  ]);
  procs.push(leaf);
  const leafUrl = `http://127.0.0.1:${lp}`;
  if (!(await waitForHttp(`${leafUrl}/healthz`, 30_000)))
    throw new Error(`leaf did not start: ${leaf.output.slice(-10).join('\n')}`);
  return {
    rootUrl,
    served,
    leafUrl,
    procs,
    replicaUrl,
    isUp: (r) => live[r] !== undefined,
    async kill(r) {
      await live[r]?.stop('SIGKILL');
      delete live[r];
    },
    start,
    async stop() {
      for (const p of [...procs].reverse()) await p.stop();
      await new Promise<void>((r) => server.close(() => r()));
      dir.remove();
    },
  };
}

/** Instant query at the root: { result, warnings } or throws on an error answer. */
export async function rootQuery(
  rootUrl: string,
  q: string,
  timeSec?: number,
): Promise<{ result: any[]; warnings: string[] }> {
  const { status, body } = await getJson(
    `${rootUrl}/api/v1/query?query=${encodeURIComponent(q)}${timeSec !== undefined ? `&time=${timeSec}` : ''}`,
  );
  if (status !== 200 || body.status !== 'success')
    throw new Error(`query ${q}: HTTP ${status} ${JSON.stringify(body).slice(0, 500)}`);
  return { result: body.data.result, warnings: body.warnings ?? [] };
}

/** What the samples of one range-vector series show: gaps, duplicates, and the counter's sequence. */
export interface SeriesCheck {
  series: number;
  samples: number;
  maxGapMs: number;
  duplicateTimestamps: number;
  /** Values of ha_seq_total missing from first..last (a scrape that never arrived). */
  missingValues: number;
  first: number;
  last: number;
  labels: Record<string, string>;
}

export function checkSeries(result: any[]): SeriesCheck {
  const s = result[0];
  const pts: [number, string][] = s?.values ?? [];
  let maxGapMs = 0,
    dup = 0,
    missing = 0;
  for (let i = 1; i < pts.length; i++) {
    const dt = Math.round((pts[i]![0] - pts[i - 1]![0]) * 1000);
    if (dt <= 0) dup++;
    maxGapMs = Math.max(maxGapMs, dt);
    const dv = Number(pts[i]![1]) - Number(pts[i - 1]![1]);
    if (dv > 1) missing += dv - 1;
  }
  return {
    series: result.length,
    samples: pts.length,
    maxGapMs,
    duplicateTimestamps: dup,
    missingValues: missing,
    first: pts.length ? Number(pts[0]![1]) : NaN,
    last: pts.length ? Number(pts[pts.length - 1]![1]) : NaN,
    labels: s?.metric ?? {},
  };
}

/**
 * A query load while replicas churn: every `everyMs` an instant `up` and a range-vector read of
 * the last minute at the root; counts errors and answers with gaps (> 2.5 s) or duplicates.
 */
export function queryLoad(
  rootUrl: string,
  everyMs: number,
): { stop(): Promise<{ queries: number; errors: string[]; gappy: number; warnings: number }> } {
  let stopped = false;
  const stats = { queries: 0, errors: [] as string[], gappy: 0, warnings: 0 };
  const loop = (async () => {
    while (!stopped) {
      const t0 = Date.now();
      try {
        const up = await rootQuery(rootUrl, 'up{job="ha"}');
        stats.queries++;
        if (up.result.length !== 1) stats.errors.push(`up returned ${up.result.length} series`);
        const w = await rootQuery(rootUrl, 'ha_seq_total[1m]');
        stats.queries++;
        stats.warnings += up.warnings.length + w.warnings.length;
        const c = checkSeries(w.result);
        if (c.series !== 1 || c.maxGapMs > 2500 || c.duplicateTimestamps > 0 || c.missingValues > 0)
          stats.gappy++;
      } catch (e) {
        stats.errors.push((e as Error).message);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - t0))));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return stats;
    },
  };
}
