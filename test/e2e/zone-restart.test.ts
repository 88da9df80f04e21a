// Restart with many active series (issue 3 acceptance): remote_write N series × 3 samples into
// a real zone, kill -9 it (nothing is cut into blocks, so everything comes back from the WAL),
// restart on the same data directory: the log shows WAL replay progress and the replayed head,
// and queries see every series and sample. Prints the replay time and the zone's RSS.
// Default 50k series; the 1M-series run is by hand:
//   ZONE_RESTART_SERIES=1000000 node scripts/test.js zone-restart
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import snappy from 'snappy';
import { freePort, spawnCanopy, tempDir, waitForHttp, type Proc } from './harness.ts';

const SERIES = Number(process.env.ZONE_RESTART_SERIES ?? 50_000);
const SAMPLES = 3;
const PER_REQUEST = 5000;
const PER_HOST = 100;
const INTERVAL_MS = 15_000;
const T0 = Math.floor((Date.now() - 10 * 60_000) / INTERVAL_MS) * INTERVAL_MS;
const SCALE = Math.max(1, SERIES / 50_000);

const dir = tempDir('restart');
let zone: Proc | undefined;
after(async () => {
  await zone?.stop('SIGKILL');
  dir.remove();
});

// A minimal remote_write encoder (WriteRequest{TimeSeries{Label…, Sample}}), so building 1M
// series' requests costs little next to the zone's work.
function varint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}
function labelBytes(name: string, value: string): number[] {
  const n = Buffer.from(name),
    v = Buffer.from(value);
  const inner: number[] = [0x0a];
  varint(inner, n.length);
  inner.push(...n, 0x12);
  varint(inner, v.length);
  inner.push(...v);
  const out: number[] = [0x0a];
  varint(out, inner.length);
  return [...out, ...inner];
}
function request(first: number, end: number, step: number): Buffer {
  const parts: number[] = [];
  const f = Buffer.alloc(8);
  for (let i = first; i < end; i++) {
    const host = Math.floor(i / PER_HOST);
    const ts: number[] = [
      ...labelBytes('__name__', 'restart_test_bytes'),
      ...labelBytes('instance', `host-${host}.example.com:9100`),
      ...labelBytes('device', `dev${i % PER_HOST}`),
    ];
    f.writeDoubleLE(i * 10 + step);
    const sample: number[] = [0x09, ...f, 0x10];
    varint(sample, T0 + step * INTERVAL_MS);
    ts.push(0x12);
    varint(ts, sample.length);
    ts.push(...sample);
    parts.push(0x0a);
    varint(parts, ts.length);
    parts.push(...ts);
  }
  return snappy.compressSync(Buffer.from(parts));
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function startZone(): Promise<{ proc: Proc; url: string; readyMs: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawnCanopy('zone', [
    'zone',
    '--listen',
    `127.0.0.1:${port}`,
    '--grpc-listen',
    `127.0.0.1:${await freePort()}`,
    '--data-dir',
    join(dir.path, 'zone'),
  ]);
  const url = `http://127.0.0.1:${port}`;
  const ok = await waitForHttp(`${url}/readyz`, 60_000 * SCALE);
  assert.ok(ok, `zone did not become ready:\n${proc.output.slice(-30).join('\n')}`);
  return { proc, url, readyMs: performance.now() - t0 };
}

async function query(url: string, q: string): Promise<any[]> {
  const t = (T0 + (SAMPLES - 1) * INTERVAL_MS) / 1000;
  const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}&time=${t}`);
  const b = (await r.json()) as any;
  assert.equal(b.status, 'success', `query ${q}: ${JSON.stringify(b).slice(0, 500)}`);
  return b.data.result;
}

test(
  `restart with ${SERIES} active series: WAL replay with progress, then queries see every sample`,
  { timeout: 120_000 * SCALE },
  async () => {
    let z = await startZone();
    zone = z.proc;
    const p0 = performance.now();
    for (let step = 0; step < SAMPLES; step++) {
      // Two requests in flight, as a remote_write queue with two shards.
      const inflight: Promise<void>[] = [];
      for (let first = 0; first < SERIES; first += PER_REQUEST) {
        const body = request(first, Math.min(SERIES, first + PER_REQUEST), step);
        inflight.push(
          fetch(`${z.url}/api/v1/write`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
            body,
          }).then(async (r) => {
            assert.equal(r.status, 204, `write ${first}: ${await r.text()}`);
          }),
        );
        if (inflight.length >= 2) await inflight.shift();
      }
      await Promise.all(inflight);
    }
    const pushS = (performance.now() - p0) / 1000;
    const rssBefore = rssBytes(z.proc.child.pid!);
    console.log(
      `# pushed ${SERIES} series × ${SAMPLES} samples in ${pushS.toFixed(1)} s (${Math.round((SERIES * SAMPLES) / pushS)} samples/s); zone RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB`,
    );

    await z.proc.stop('SIGKILL');
    z = await startZone();
    zone = z.proc;
    const rssAfter = rssBytes(z.proc.child.pid!);
    const logs = z.proc.output.join('\n');
    const replayed = z.proc.output
      .map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return null;
        }
      })
      .find((j) => j?.msg === 'tsdb WAL replayed into head');
    assert.ok(replayed, `the log reports the replayed head:\n${logs.slice(-3000)}`);
    assert.match(logs, /WAL replay progress/, 'the log shows replay progress');
    assert.equal(replayed.series, SERIES, 'series replayed');
    assert.equal(replayed.samplesReplayed, SERIES * SAMPLES, 'samples replayed');
    console.log(
      `# restart: ready after ${(z.readyMs / 1000).toFixed(1)} s (WAL replay ${(replayed.durationMs / 1000).toFixed(1)} s, ${replayed.rate} samples/s); RSS ${(rssAfter / 2 ** 20).toFixed(0)} MiB (${Math.round(rssAfter / SERIES)} B/series)`,
    );

    const [count] = await query(z.url, 'count(restart_test_bytes)');
    assert.equal(Number(count.value[1]), SERIES, 'every series answers');
    const [total] = await query(z.url, 'sum(count_over_time(restart_test_bytes[1h]))');
    assert.equal(Number(total.value[1]), SERIES * SAMPLES, 'every sample answers');
    const one = await query(
      z.url,
      `restart_test_bytes{instance="host-0.example.com:9100",device="dev7"}[1h]`,
    );
    assert.deepEqual(
      one[0].values.map((v: [number, string]) => v[1]),
      ['70', '71', '72'],
      'values of one series',
    );
    await z.proc.stop('SIGTERM');
  },
);
