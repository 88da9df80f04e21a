// Crash test (issue 3 acceptance): a client pushes Prometheus remote_write continuously into a
// real zone process, remembering every request answered 204; the zone is killed with SIGKILL at
// a seeded random moment and restarted on the same data directory. Every acknowledged sample
// must be there and nothing may be duplicated: each request k carries one sample per series at
// t = T0 + k·100 ms with value k·100 + s, so every sample names its request. Repeated for a few
// cycles (each restart replays the WAL left by every earlier crash).
//   ZONE_CRASH_SEED=123 ZONE_CRASH_CYCLES=10 node scripts/test.js zone-crash
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import snappy from 'snappy';
import { prometheus } from '../../proto/prometheus/gen/prometheus.js';
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

function body(k: number): Buffer {
  const t = T0 + k * STEP_MS;
  const raw = prometheus.WriteRequest.encode({
    timeseries: Array.from({ length: SERIES }, (_, s) => ({
      labels: [
        { name: '__name__', value: 'crash_test_value' },
        { name: 'series', value: String(s) },
      ],
      samples: [{ value: valueOf(k, s), timestamp: t }],
    })),
  }).finish();
  return snappy.compressSync(Buffer.from(raw));
}

async function startZone(): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const proc = spawnCanopy('zone', ['zone', '--listen', `127.0.0.1:${port}`, '--grpc-listen', `127.0.0.1:${await freePort()}`, '--data-dir', join(dir.path, 'zone')]);
  const url = `http://127.0.0.1:${port}`;
  const ok = await waitForHttp(`${url}/readyz`, 60_000);
  assert.ok(ok, `zone did not become ready:\n${proc.output.slice(-30).join('\n')}`);
  return { proc, url };
}

/**
 * Pushes requests k = first, first+1, … with CONCURRENCY in flight until the zone dies; kill()
 * runs killAfterMs after the first acknowledgement. Returns the next unused k.
 */
async function pushUntilDead(url: string, first: number, acked: Set<number>, sent: Set<number>, killAfterMs: number, kill: () => void): Promise<number> {
  let next = first;
  let dead = false;
  const unexpected: string[] = [];
  const worker = async (): Promise<void> => {
    while (!dead) {
      const k = next++;
      sent.add(k);
      try {
        const r = await fetch(`${url}/api/v1/write`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
          body: body(k),
        });
        const text = await r.text();
        if (r.status === 204) {
          acked.add(k);
          timer ??= setTimeout(kill, killAfterMs); // the moment is counted from the first ack
        } else unexpected.push(`request ${k}: ${r.status} ${text}`);
      } catch {
        dead = true; // connection refused or reset: the zone was killed
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  clearTimeout(timer);
  assert.deepEqual(unexpected, [], 'every request before the kill is answered 204');
  return next;
}

interface Stored {
  /** Per series: request ids in timestamp order. */
  ks: number[][];
  counts: number[];
}

async function readBack(url: string): Promise<Stored> {
  const evalS = (T0 + 3_600_000 - 1) / 1000;
  const get = async (q: string): Promise<any> => {
    const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}&time=${evalS}`);
    const b = (await r.json()) as any;
    assert.equal(b.status, 'success', `query ${q}: ${JSON.stringify(b)}`);
    return b.data.result;
  };
  const ks: number[][] = Array.from({ length: SERIES }, () => []);
  const counts: number[] = new Array(SERIES).fill(0);
  for (const r of await get('crash_test_value[1h]')) {
    const s = Number(r.metric.series);
    for (const [ts, v] of r.values as [number, string][]) {
      const tMs = Math.round(ts * 1000);
      const k = (tMs - T0) / STEP_MS;
      assert.ok(Number.isInteger(k), `series ${s}: sample at ${tMs} is not on the request grid`);
      assert.equal(Number(v), valueOf(k, s), `series ${s}: value at request ${k}`);
      ks[s]!.push(k);
    }
  }
  for (const r of await get('count_over_time(crash_test_value[1h])')) counts[Number(r.metric.series)] = Number(r.value[1]);
  return { ks, counts };
}

test(`kill -9 during remote_write: every acknowledged sample survives, none duplicated (seed ${SEED})`, { timeout: 240_000 }, async () => {
  console.log(`# zone-crash seed=${SEED} cycles=${CYCLES} (repeat with ZONE_CRASH_SEED=${SEED})`);
  const acked = new Set<number>();
  const sent = new Set<number>();
  let next = 0;
  let started = await startZone();
  zone = started.proc;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const killAfterMs = Math.round(rnd() * 2000);
    const proc = started.proc;
    const before = acked.size;
    next = await pushUntilDead(started.url, next, acked, sent, killAfterMs, () => process.kill(proc.child.pid!, 'SIGKILL'));
    await proc.stop('SIGKILL'); // already dead: waits for the exit
    console.log(`# cycle ${cycle}: killed ${killAfterMs} ms after the first ack; ${acked.size - before} requests acknowledged this cycle, ${acked.size} in all`);
    assert.ok(acked.size > before, `cycle ${cycle}: some requests were acknowledged before the kill`);

    started = await startZone();
    zone = started.proc;
    const { ks, counts } = await readBack(started.url);
    for (let s = 0; s < SERIES; s++) {
      const got = ks[s]!;
      const have = new Set(got);
      assert.equal(have.size, got.length, `series ${s}: duplicated samples after restart ${cycle}`);
      for (let i = 1; i < got.length; i++) assert.ok(got[i - 1]! < got[i]!, `series ${s}: samples out of order at ${got[i]}`);
      assert.equal(counts[s], got.length, `series ${s}: count_over_time ${counts[s]} vs ${got.length} raw samples`);
      const lost = [...acked].filter((k) => !have.has(k));
      assert.deepEqual(lost.slice(0, 10), [], `series ${s}: ${lost.length} acknowledged requests lost after restart ${cycle}`);
      const phantom = got.filter((k) => !sent.has(k));
      assert.deepEqual(phantom, [], `series ${s}: samples that were never sent`);
    }
    console.log(`# cycle ${cycle}: restart ok, ${ks[0]!.length} samples per series stored (${acked.size} acknowledged, ${sent.size} sent)`);
  }
  await started.proc.stop('SIGTERM');
});
