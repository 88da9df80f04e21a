// Replicas forward HTTP writes to each other (issue 16 part 4, zone/replica-forward.ts): a
// remote_write client that reaches only replica a lands on b too; while b is down a holds the
// writes and b receives them, in order, once it returns. Two real zone processes, no NATS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import snappy from 'snappy';
import { prometheus } from '../../proto/prometheus/gen/prometheus.js';
import { freePort, getJson, spawnCanopy, tempDir, waitFor, waitForHttp, type Proc } from './harness.ts';

const dir = tempDir('ha-fwd');
const procs: Partial<Record<'a' | 'b', Proc>> = {};
after(async () => {
  for (const p of Object.values(procs)) await p?.stop('SIGKILL');
  dir.remove();
});

const T0 = Date.now() - 60_000;
function write(k: number): Buffer {
  const raw = prometheus.WriteRequest.encode({
    timeseries: [
      { labels: [{ name: '__name__', value: 'fwd_seq' }], samples: [{ value: k, timestamp: T0 + k * 1000 }] },
    ],
  }).finish();
  return snappy.compressSync(Buffer.from(raw));
}

test(
  'a write acknowledged by one replica reaches the other, also after the other was down',
  { timeout: 90_000 },
  async () => {
    const port = {
      a: { http: await freePort(), grpc: await freePort() },
      b: { http: await freePort(), grpc: await freePort() },
    };
    const url = (r: 'a' | 'b'): string => `http://127.0.0.1:${port[r].http}`;
    const start = async (r: 'a' | 'b'): Promise<void> => {
      const peer = r === 'a' ? 'b' : 'a';
      procs[r] = spawnCanopy(`zone-${r}`, [
        'zone',
        '--zone',
        'z1',
        '--replica',
        r,
        '--replica-peer',
        url(peer),
        '--listen',
        `127.0.0.1:${port[r].http}`,
        '--grpc-listen',
        `127.0.0.1:${port[r].grpc}`,
        '--data-dir',
        join(dir.path, r),
      ]);
      assert.ok(await waitForHttp(`${url(r)}/readyz`, 30_000), procs[r]!.output.slice(-5).join('\n'));
    };
    await start('a');
    await start('b');
    const post = async (k: number): Promise<number> =>
      (
        await fetch(`${url('a')}/api/v1/write`, {
          method: 'POST',
          body: write(k),
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
          },
        })
      ).status;
    const count = async (r: 'a' | 'b'): Promise<number> => {
      const { body } = await getJson(
        `${url(r)}/api/v1/query?query=${encodeURIComponent('count_over_time(fwd_seq[10m])')}`,
      );
      return Number(body.data?.result?.[0]?.value?.[1] ?? 0);
    };
    for (let k = 1; k <= 10; k++) assert.equal(await post(k), 204);
    await waitFor('b has the 10 samples written to a', async () => (await count('b')) === 10, 15_000);
    await procs.b!.stop('SIGKILL');
    for (let k = 11; k <= 30; k++) assert.equal(await post(k), 204);
    await start('b');
    await waitFor('b caught up with the writes it missed', async () => (await count('b')) === 30, 20_000);
    assert.equal(await count('a'), 30); // nothing forwarded back and doubled
    const m = await (await fetch(`${url('a')}/metrics`)).text();
    assert.match(m, /canopy_zone_replica_forward_requests_total\{peer="[^"]+",outcome="ok"\} 30/);
  },
);
