// Leaf acceptance, durability: real processes (nats-server, the root, a zone, three leaves).
// A test HTTP target serves `test_seq` = 1, 2, 3, … (one per scrape, per path), so the values
// at the root show exactly which scrapes arrived. During one zone outage (LEAF_OUTAGE_SECONDS,
// default 20; the issue's 5-minute run is `LEAF_OUTAGE_SECONDS=300 node scripts/test.js
// leaf-outage`):
//   leaf a (default buffer) keeps collecting: every value arrives, exactly once;
//   leaf b (4 KiB buffer bound) loses whole scrapes: the values missing at the root × 5 samples
//     per scrape equal canopy_leaf_samples_dropped_total{reason="buffer_full"};
//   leaf c is restarted mid-outage with a non-empty buffer: nothing is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { waitFor } from './harness.ts';
import { leafMetric, query, sleep, startStack, type Stack } from '../leaf/e2e-stack.ts';

const OUTAGE_MS = Number(process.env.LEAF_OUTAGE_SECONDS ?? 20) * 1000;
/** Samples per scrape batch: test_seq + up, scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling. */
const PER_SCRAPE = 5;

let stack: Stack;
let server: Server;
let frozen = false;
const served: Record<'a' | 'b' | 'c', number> = { a: 0, b: 0, c: 0 };
const leaves = { a: '', b: '', c: '' };
const observed: { bBufferFull: number; cBufferedAtStop: number; aOldestAgeS: number } = {
  bBufferFull: 0,
  cBufferedAtStop: 0,
  aOldestAgeS: 0,
};

function leafYaml(job: string, port: number, extra = ''): string {
  return `data_dir: ${join(stack.dir.path, `data-${job}`)}
heartbeat_interval: 1h
send_max_backoff: 1s
${extra}
scrape_configs:
  - job_name: ${job}
    scrape_interval: 1s
    metrics_path: /${job}
    static_configs:
      - targets: ['127.0.0.1:${port}']
`;
}

async function drained(url: string): Promise<boolean> {
  return (
    (await leafMetric(url, 'canopy_leaf_buffer_batches')) === 0 ||
    (await leafMetric(url, 'canopy_leaf_buffer_oldest_batch_age_seconds')) < 1.5
  );
}

before(async () => {
  stack = await startStack('leaf-outage');
  server = createServer((req, res) => {
    const path = (req.url ?? '').slice(1);
    if (frozen || !(path in served)) {
      res.writeHead(503).end();
      return;
    }
    const v = ++served[path as keyof typeof served];
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(`# TYPE test_seq counter\ntest_seq ${v}\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const [a, b, c0] = await Promise.all([
    stack.startLeaf('leaf-a', leafYaml('a', port)),
    stack.startLeaf('leaf-b', leafYaml('b', port, 'buffer_max_bytes: 4096')),
    stack.startLeaf('leaf-c', leafYaml('c', port)),
  ]);
  let c = c0;
  leaves.a = a.url;
  leaves.b = b.url;
  await waitFor(
    'test_seq of every leaf at the root',
    async () => (await query(stack.rootUrl, 'test_seq')).length === 3,
    60_000,
  );

  await stack.stopZone();
  const outageStart = Date.now();
  await sleep(OUTAGE_MS / 2);
  observed.cBufferedAtStop = await leafMetric(c.url, 'canopy_leaf_buffer_batches');
  await c.proc.stop(); // SIGTERM: a clean restart, buffer on disk
  c = await stack.startLeaf('leaf-c', leafYaml('c', port));
  leaves.c = c.url;
  await sleep(Math.max(0, outageStart + OUTAGE_MS - Date.now()));
  observed.aOldestAgeS = await leafMetric(leaves.a, 'canopy_leaf_buffer_oldest_batch_age_seconds');
  observed.bBufferFull = await leafMetric(leaves.b, 'canopy_leaf_samples_dropped_total', {
    reason: 'buffer_full',
  });
  await stack.startZone();

  for (const [job, url] of Object.entries(leaves))
    await waitFor(`leaf ${job} drained`, () => drained(url), 60_000, 250);
  frozen = true; // from now on scrapes fail: the served values are final
  await sleep(1500);
  for (const [job, url] of Object.entries(leaves))
    await waitFor(`leaf ${job} drained after the freeze`, () => drained(url), 30_000, 250);
});

after(async () => {
  server?.close();
  await stack?.stop();
});

async function valuesAtRoot(job: string): Promise<number[]> {
  const r = await query(stack.rootUrl, `test_seq{job="${job}"}[1h]`);
  assert.equal(r.length, 1, `one test_seq series for job ${job}`);
  // the freeze's staleness marker: Prometheus drops stale NaNs from range vectors, the engine
  // here returns them (reported, not ours to change)
  return (r[0].values as [number, string][]).map(([, v]) => Number(v)).filter((v) => !Number.isNaN(v));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

test(`zone down ${OUTAGE_MS / 1000}s while the leaf keeps collecting: every sample arrives exactly once`, async (tc) => {
  assert.ok(
    observed.aOldestAgeS >= OUTAGE_MS / 2000,
    `the leaf buffered through the outage (oldest batch ${observed.aOldestAgeS}s old)`,
  );
  const got = await valuesAtRoot('a');
  assert.ok(served.a >= OUTAGE_MS / 1000, `scraped through the outage (${served.a} scrapes)`);
  assert.deepEqual(
    got,
    range(1, served.a),
    `failed scrapes: ${await leafMetric(leaves.a, 'canopy_leaf_scrapes_total', { outcome: 'failed' })}`,
  );
  assert.equal(await leafMetric(leaves.a, 'canopy_leaf_samples_dropped_total'), 0);
  tc.diagnostic(
    `leaf a: ${served.a} scrapes, all ${got.length} values at the root once; oldest buffered batch was ${observed.aOldestAgeS}s old when the zone came back`,
  );
});

test('tiny buffer bound: the loss is exactly what canopy_leaf_samples_dropped_total{reason="buffer_full"} reports', async (tc) => {
  const got = await valuesAtRoot('b');
  const dropped = await leafMetric(leaves.b, 'canopy_leaf_samples_dropped_total', { reason: 'buffer_full' });
  assert.ok(observed.bBufferFull > 0, 'the bound was hit during the outage');
  assert.equal(
    await leafMetric(leaves.b, 'canopy_leaf_scrapes_total', { outcome: 'ok' }),
    served.b,
    'no scrape failed before the freeze (precondition)',
  );
  for (let i = 1; i < got.length; i++)
    assert.ok(got[i]! > got[i - 1]!, `values arrive once, in order: ${got[i - 1]} then ${got[i]}`);
  const missing = range(1, served.b).filter((v) => !got.includes(v));
  assert.ok(missing.length > 0);
  assert.equal(missing.length * PER_SCRAPE, dropped, `missing values ${missing.join(',')}`);
  tc.diagnostic(
    `leaf b: ${served.b} scrapes, ${missing.length} lost (values ${missing[0]}…${missing[missing.length - 1]}), buffer_full = ${dropped} samples`,
  );
  // the oldest data went first: everything lost is older than everything kept after the gap
  const lastMissing = missing[missing.length - 1]!;
  assert.deepEqual(
    got.filter((v) => v > lastMissing),
    range(lastMissing + 1, served.b),
  );
});

test('leaf restarted with a non-empty buffer while the zone is down: nothing lost', async () => {
  assert.ok(observed.cBufferedAtStop > 0, 'batches were buffered when the leaf stopped');
  const segs = readdirSync(join(stack.dir.path, 'data-c')).filter((f) => f.endsWith('.seg'));
  assert.ok(segs.length >= 1);
  assert.deepEqual(await valuesAtRoot('c'), range(1, served.c));
});
