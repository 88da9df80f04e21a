// Read-after-write through the root (issue 12): nats-server, the root and three zones as real
// processes; each trial writes one sample of a metric name never seen before to one zone —
// by remote_write, by JSON push or by the leaves' gRPC Push — and, as soon as the write is
// acknowledged, asks the root for it. Timestamps alternate between now and an hour ago.
// Shared by test/e2e/read-after-write.test.ts (a few hundred trials) and
// bench/read-after-write.bench.ts (1,000 and more, with latencies).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, makeGenericClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { AckStatus, ingestService, type IAck, type IBatch } from '../../proto/index.ts';
import { encodeWriteRequest } from './promql-diff/write-request.ts';
import {
  freePort,
  spawnCanopy,
  startNats,
  tempDir,
  waitFor,
  waitForHttp,
  getJson,
  type Proc,
} from './harness.ts';

export const RAW_ZONES = [
  { zone: 'raw-a', region: 'r1' },
  { zone: 'raw-b', region: 'r1' },
  { zone: 'raw-c', region: 'r2' },
];
export const METHODS = ['remote_write', 'push', 'grpc'] as const;
export type Method = (typeof METHODS)[number];

type IngestClient = Client & {
  push(b: IBatch, opts: { deadline: number }, cb: (err: ServiceError | null, ack?: IAck) => void): void;
};
const IngestClientCtor = makeGenericClientConstructor(ingestService, 'Ingest');

export interface Tree {
  rootUrl: string;
  zones: { zone: string; region: string; http: string; grpc: IngestClient; proc: Proc; args: string[] }[];
  procs: Proc[];
  stop(): Promise<void>;
}

/** Stops a zone process and starts it again on the same data directory and ports. */
export async function restartZone(tree: Tree, idx: number): Promise<void> {
  const z = tree.zones[idx]!;
  await z.proc.stop();
  z.proc = spawnCanopy(`zone-${z.zone}`, z.args);
  tree.procs.push(z.proc);
  if (!(await waitForHttp(`${z.http}/readyz`, 30_000)))
    throw new Error(`${z.zone} did not restart: ${z.proc.output.slice(-10).join('\n')}`);
}

export async function startTree(logLevel = 'warn'): Promise<Tree> {
  const dir = tempDir('raw');
  const procs: Proc[] = [];
  const stop = async (): Promise<void> => {
    for (const z of tree.zones) z.grpc.close();
    for (const p of [...procs].reverse()) await p.stop();
    dir.remove();
  };
  const tree: Tree = { rootUrl: '', zones: [], procs, stop };
  try {
    const nats = await startNats();
    procs.push(nats.proc);
    const rootPort = await freePort();
    tree.rootUrl = `http://127.0.0.1:${rootPort}`;
    procs.push(
      spawnCanopy('root', [
        'root',
        '--listen',
        `127.0.0.1:${rootPort}`,
        '--nats',
        nats.url,
        '--zone-timeout',
        '5s',
        '--log-level',
        logLevel,
      ]),
    );
    // Ingest limits that would refuse what this checks: the 1 MB label value (field hints'
    // caps) and the bench's write rate above a tenant's default 10k samples/s.
    const zoneCfg = join(dir.path, 'zone.yaml');
    writeFileSync(zoneCfg, 'limits: {maxLabelValueLength: 0, ingestionRate: 0}\n');
    for (const z of RAW_ZONES) {
      const http = await freePort();
      const grpc = await freePort();
      const args = [
        'zone',
        '--zone',
        z.zone,
        '--region',
        z.region,
        '--nats',
        nats.url,
        '--listen',
        `127.0.0.1:${http}`,
        '--grpc-listen',
        `127.0.0.1:${grpc}`,
        '--data-dir',
        `${dir.path}/${z.zone}`,
        '--log-level',
        logLevel,
        '--config',
        zoneCfg,
      ];
      const proc = spawnCanopy(`zone-${z.zone}`, args);
      procs.push(proc);
      tree.zones.push({
        ...z,
        http: `http://127.0.0.1:${http}`,
        grpc: new IngestClientCtor(
          `127.0.0.1:${grpc}`,
          credentials.createInsecure(),
        ) as unknown as IngestClient,
        proc,
        args,
      });
    }
    for (const url of [tree.rootUrl, ...tree.zones.map((z) => z.http)]) {
      if (!(await waitForHttp(`${url}/readyz`, 30_000)))
        throw new Error(`${url} not ready: ${procs.map((p) => p.output.slice(-5).join('\n')).join('\n')}`);
    }
    await waitFor('every zone alive at the root', async () => {
      const { body } = await getJson(`${tree.rootUrl}/api/v1/status/zones`);
      return RAW_ZONES.every((z) => body.data.find((x: any) => x.zone === z.zone)?.alive);
    });
    return tree;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Writes one sample; resolves once the zone acknowledged it, rejects otherwise. */
export async function write(
  tree: Tree,
  zoneIdx: number,
  method: Method,
  labels: Record<string, string>,
  tMs: number,
  value: number,
): Promise<void> {
  const z = tree.zones[zoneIdx]!;
  if (method === 'remote_write') {
    const body = encodeWriteRequest([
      {
        s: {
          labels: Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
          tsMs: [tMs],
          values: [value],
        },
        from: 0,
        to: 1,
      },
    ]);
    const r = await fetch(`${z.http}/api/v1/write`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
      body,
    });
    if (r.status !== 204) throw new Error(`remote_write to ${z.zone}: ${r.status} ${await r.text()}`);
    return;
  }
  if (method === 'push') {
    const { __name__, ...tags } = labels;
    const r = await fetch(`${z.http}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ metric: __name__, tags, timestamp: tMs, value }]),
    });
    if (r.status !== 204) throw new Error(`push to ${z.zone}: ${r.status} ${await r.text()}`);
    return;
  }
  const batch: IBatch = {
    batchId: `raw-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    series: [
      {
        labels: Object.entries(labels).map(([name, v]) => ({ name, value: v })),
        timestampsMs: [tMs],
        values: [value],
      },
    ],
  };
  const ack = await new Promise<IAck>((resolve, reject) =>
    z.grpc.push(batch, { deadline: Date.now() + 10_000 }, (err, a) => (err ? reject(err) : resolve(a!))),
  );
  if (ack.status !== AckStatus.OK)
    throw new Error(`gRPC push to ${z.zone}: status ${ack.status} ${ack.message}`);
}

export interface TrialResult {
  trials: number;
  /** Answers without the sample just written. */
  missing: string[];
  /** Answers with warnings (a zone skipped or lost). */
  warned: string[];
  /** ms from the ack to the root's answer, per trial. */
  readMs: number[];
  /** ms the write took to be acknowledged, per trial. */
  writeMs: number[];
}

/** `n` write-then-read trials with metric names unique to this run (`tag`). */
export async function runTrials(tree: Tree, n: number, tag: string, width = 1): Promise<TrialResult> {
  const out: TrialResult = { trials: n, missing: [], warned: [], readMs: [], writeMs: [] };
  let next = 0;
  const one = async (i: number): Promise<void> => {
    const method = METHODS[i % METHODS.length]!;
    const zoneIdx = Math.floor(i / METHODS.length) % tree.zones.length;
    const old = Math.floor(i / (METHODS.length * tree.zones.length)) % 2 === 1;
    const tMs = Date.now() - (old ? 3_600_000 : 0);
    const name = `raw_${tag}_${method}_${i}`;
    const value = i + 0.5;
    const w0 = performance.now();
    await write(tree, zoneIdx, method, { __name__: name, trial: String(i) }, tMs, value);
    const r0 = performance.now();
    const res = await fetch(
      `${tree.rootUrl}/api/v1/query?${new URLSearchParams({ query: name, time: String(tMs / 1000) })}`,
    );
    const body: any = await res.json();
    out.readMs.push(performance.now() - r0);
    out.writeMs.push(r0 - w0);
    const what = `${name} (${method} to ${tree.zones[zoneIdx]!.zone}, ${old ? 'an hour ago' : 'now'})`;
    if (body.warnings?.length) out.warned.push(`${what}: ${body.warnings.join('; ')}`);
    const got = body.data?.result ?? [];
    if (body.status !== 'success' || got.length !== 1 || Number(got[0].value[1]) !== value)
      out.missing.push(`${what}: ${JSON.stringify(body).slice(0, 300)}`);
  };
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await one(next++);
    }),
  );
  return out;
}

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
}
