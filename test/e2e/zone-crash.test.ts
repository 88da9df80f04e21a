// Crash test (issue 3 acceptance): a client pushes Prometheus remote_write continuously into a
// real zone process, remembering every request answered 204; the zone is killed with SIGKILL at
// a seeded random moment and restarted on the same data directory. Every acknowledged sample
// must be there and nothing may be duplicated: each request k carries one sample per series at
// t = T0 + k·100 ms with value k·100 + s, so every sample names its request. Repeated for a few
// cycles (each restart replays the WAL left by every earlier crash). A leaf-style gRPC client
// (canopy.v1.Ingest/Push, acked after the WAL commit) pushes its own metric at the same time.
//   ZONE_CRASH_SEED=123 ZONE_CRASH_CYCLES=10 node scripts/test.js zone-crash
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import snappy from 'snappy';
import { credentials, makeGenericClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { prometheus } from '../../proto/prometheus/gen/prometheus.js';
import { AckStatus, ingestService, type IAck, type IBatch } from '../../proto/index.ts';
import { freePort, spawnCanopy, tempDir, waitForHttp, type Proc } from './harness.ts';

const SEED = Number(process.env.ZONE_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CYCLES = Number(process.env.ZONE_CRASH_CYCLES ?? 3);
const SERIES = 20;
const CONCURRENCY = 4;
const STEP_MS = 100;

// mulberry32: small seeded PRNG, so a failing run can be repeated with its seed.
let state = SEED >>> 0;
function rnd(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const dir = tempDir('crash');
let zone: Proc | undefined;
after(async () => {
  await zone?.stop('SIGKILL');
  dir.remove();
});

const T0 = Math.floor((Date.now() - 50 * 60_000) / 1000) * 1000;
const valueOf = (k: number, s: number): number => k * 100 + s;

const RW_METRIC = 'crash_test_value';
const GRPC_METRIC = 'crash_test_grpc';

function body(k: number): Buffer {
  const t = T0 + k * STEP_MS;
  const raw = prometheus.WriteRequest.encode({
    timeseries: Array.from({ length: SERIES }, (_, s) => ({
      labels: [
        { name: '__name__', value: RW_METRIC },
        { name: 'series', value: String(s) },
      ],
      samples: [{ value: valueOf(k, s), timestamp: t }],
    })),
  }).finish();
  return snappy.compressSync(Buffer.from(raw));
}

function batch(k: number): IBatch {
  const t = T0 + k * STEP_MS;
  return {
    batchId: `crash-${SEED}-${k}`,
    source: 'crash-test',
    series: Array.from({ length: SERIES }, (_, s) => ({
      labels: [
        { name: '__name__', value: GRPC_METRIC },
        { name: 'series', value: String(s) },
      ],
      timestampsMs: [t],
      values: [valueOf(k, s)],
    })),
  };
}

type IngestClient = Client & {
  push(b: IBatch, opts: { deadline: number }, cb: (err: ServiceError | null, ack?: IAck) => void): void;
};
const IngestClientCtor = makeGenericClientConstructor(ingestService, 'Ingest');

/** One sender: acked (true), refused with a status (string), or throws when the zone is gone. */
type Send = (k: number) => Promise<true | string>;

function remoteWriteSender(url: string): Send {
  return async (k) => {
    const r = await fetch(`${url}/api/v1/write`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '0.1.0',
      },
      body: body(k),
    });
    const text = await r.text();
    return r.status === 204 ? true : `${r.status} ${text}`;
  };
}

function grpcSender(client: IngestClient): Send {
  return (k) =>
    new Promise((resolve, reject) => {
      client.push(batch(k), { deadline: Date.now() + 10_000 }, (err, ack) => {
        if (err) reject(err);
        else resolve(ack?.status === AckStatus.OK ? true : `ack ${JSON.stringify(ack)}`);
      });
    });
}

async function startZone(): Promise<{ proc: Proc; url: string; grpc: string }> {
  const port = await freePort();
  const grpc = `127.0.0.1:${await freePort()}`;
  const proc = spawnCanopy('zone', [
    'zone',
    '--listen',
    `127.0.0.1:${port}`,
    '--grpc-listen',
    grpc,
    '--data-dir',
    join(dir.path, 'zone'),
  ]);
  const url = `http://127.0.0.1:${port}`;
  const ok = await waitForHttp(`${url}/readyz`, 60_000);
  assert.ok(ok, `zone did not become ready:\n${proc.output.slice(-30).join('\n')}`);
  return { proc, url, grpc };
}

/** What one sender has done across cycles. */
interface Ledger {
  name: string;
  metric: string;
  acked: Set<number>;
  sent: Set<number>;
  next: number;
}

/**
 * Pushes requests k = next, next+1, … with CONCURRENCY in flight until the zone dies; calls
 * onAck after every acknowledgement (the kill is timed from the first ones).
 */
async function pushUntilDead(send: Send, l: Ledger, onAck: () => void): Promise<void> {
  let dead = false;
  const unexpected: string[] = [];
  const worker = async (): Promise<void> => {
    while (!dead) {
      const k = l.next++;
      l.sent.add(k);
      try {
        const r = await send(k);
        if (r === true) {
          l.acked.add(k);
          onAck();
        } else unexpected.push(`${l.name} request ${k}: ${r}`);
      } catch {
        dead = true; // connection refused, reset or unavailable: the zone was killed
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.deepEqual(unexpected, [], `${l.name}: every request before the kill is acknowledged`);
}

interface Stored {
  /** Per series: request ids in timestamp order. */
  ks: number[][];
  counts: number[];
}

async function readBack(url: string, metric: string): Promise<Stored> {
  const evalS = (T0 + 3_600_000 - 1) / 1000;
  const get = async (q: string): Promise<any> => {
    const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}&time=${evalS}`);
    const b = (await r.json()) as any;
    assert.equal(b.status, 'success', `query ${q}: ${JSON.stringify(b)}`);
    return b.data.result;
  };
  const ks: number[][] = Array.from({ length: SERIES }, () => []);
  const counts: number[] = new Array(SERIES).fill(0);
  for (const r of await get(`${metric}[1h]`)) {
    const s = Number(r.metric.series);
    for (const [ts, v] of r.values as [number, string][]) {
      const tMs = Math.round(ts * 1000);
      const k = (tMs - T0) / STEP_MS;
      assert.ok(Number.isInteger(k), `series ${s}: sample at ${tMs} is not on the request grid`);
      assert.equal(Number(v), valueOf(k, s), `series ${s}: value at request ${k}`);
      ks[s]!.push(k);
    }
  }
  for (const r of await get(`count_over_time(${metric}[1h])`))
    counts[Number(r.metric.series)] = Number(r.value[1]);
  return { ks, counts };
}

function verify(l: Ledger, st: Stored, cycle: number): void {
  const { ks, counts } = st;
  for (let s = 0; s < SERIES; s++) {
    const got = ks[s]!;
    const have = new Set(got);
    assert.equal(have.size, got.length, `${l.name} series ${s}: duplicated samples after restart ${cycle}`);
    for (let i = 1; i < got.length; i++)
      assert.ok(got[i - 1]! < got[i]!, `${l.name} series ${s}: samples out of order at ${got[i]}`);
    assert.equal(
      counts[s],
      got.length,
      `${l.name} series ${s}: count_over_time ${counts[s]} vs ${got.length} raw samples`,
    );
    const lost = [...l.acked].filter((k) => !have.has(k));
    assert.deepEqual(
      lost.slice(0, 10),
      [],
      `${l.name} series ${s}: ${lost.length} acknowledged requests lost after restart ${cycle}`,
    );
    const phantom = got.filter((k) => !l.sent.has(k));
    assert.deepEqual(phantom, [], `${l.name} series ${s}: samples that were never sent`);
  }
}

test(
  `kill -9 during remote_write and leaf gRPC ingest: every acknowledged sample survives, none duplicated (seed ${SEED})`,
  { timeout: 240_000 },
  async () => {
    console.log(`# zone-crash seed=${SEED} cycles=${CYCLES} (repeat with ZONE_CRASH_SEED=${SEED})`);
    const ledgers: Ledger[] = [
      { name: 'remote_write', metric: RW_METRIC, acked: new Set(), sent: new Set(), next: 0 },
      { name: 'grpc', metric: GRPC_METRIC, acked: new Set(), sent: new Set(), next: 0 },
    ];
    let started = await startZone();
    zone = started.proc;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const killAfterMs = Math.round(rnd() * 2000);
      const proc = started.proc;
      const before = ledgers.map((l) => l.acked.size);
      // Kill killAfterMs after both senders have had an acknowledgement this cycle.
      let timer: NodeJS.Timeout | undefined;
      const onFirstAck = (): void => {
        if (timer === undefined && ledgers.every((l, i) => l.acked.size > before[i]!))
          timer = setTimeout(() => process.kill(proc.child.pid!, 'SIGKILL'), killAfterMs);
      };
      const client = new IngestClientCtor(
        started.grpc,
        credentials.createInsecure(),
      ) as unknown as IngestClient;
      await Promise.all([
        pushUntilDead(remoteWriteSender(started.url), ledgers[0]!, onFirstAck),
        pushUntilDead(grpcSender(client), ledgers[1]!, onFirstAck),
      ]);
      clearTimeout(timer);
      client.close();
      await proc.stop('SIGKILL'); // already dead: waits for the exit
      const counts = ledgers
        .map((l, i) => `${l.name} ${l.acked.size - before[i]!} acknowledged (${l.acked.size} in all)`)
        .join(', ');
      console.log(`# cycle ${cycle}: killed ${killAfterMs} ms after the first ack; ${counts}`);
      ledgers.forEach((l, i) =>
        assert.ok(
          l.acked.size > before[i]!,
          `cycle ${cycle}: ${l.name} had requests acknowledged before the kill`,
        ),
      );

      started = await startZone();
      zone = started.proc;
      for (const l of ledgers) {
        const st = await readBack(started.url, l.metric);
        verify(l, st, cycle);
        console.log(
          `# cycle ${cycle}: ${l.name}: restart ok, ${st.ks[0]!.length} samples per series stored (${l.acked.size} acknowledged, ${l.sent.size} sent)`,
        );
      }
    }
    await started.proc.stop('SIGTERM');
  },
);
