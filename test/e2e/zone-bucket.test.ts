// Object storage tier with real processes (issue 15, parts 2, 3 and 7): a zone with 1 h blocks
// and an S3 bucket on a real s3rver process gets ~6.5 h of backfilled remote_write data
// (1,000 series, 10 s interval). It is killed with SIGKILL in the middle of a block upload:
// the test freezes s3rver (SIGSTOP) the moment a block's chunk file lands in the bucket
// without its meta.json, kills the zone, and thaws s3rver. After a restart on the same data
// dir, every block is in the bucket exactly once and complete. Then the data dir is wiped and
// the zone restarted empty on the same bucket: range queries answer exactly as before.
// POST /api/v1/admin/tsdb/compact answers only once every local block is complete in the bucket.
// Prints the bucket's bytes per sample (raw). Raw blocks leaving local retention are rolled up
// to 5m first; both resolutions reach the bucket through the compaction pass's upload task.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { watch, writeFileSync, existsSync, readdirSync, rmSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import snappy from 'snappy';
import { prometheus } from '../../proto/prometheus/gen/prometheus.js';
import {
  loadObjectStoreConfig,
  openBucket,
  type Bucket,
  type BucketBlockMeta,
} from '../../zone/objstore/index.ts';
import { freePort, spawnCanopy, tempDir, waitFor, waitForHttp, type Proc } from './harness.ts';
import { startS3rver, type S3rver } from '../zone/objstore/s3rver.ts';

const SERIES = 1000;
const STEP_MS = 10_000;
const PER_REQUEST_STEPS = 30;
const H = 3600_000;
const T0 = Math.floor((Date.now() - 7 * H) / H) * H;
const T_END = Date.now() - 30 * 60_000;

const dir = tempDir('bucket');
let s3: S3rver | undefined;
let zone: Proc | undefined;
let watcher: FSWatcher | undefined;
let bucket: Bucket | undefined;
after(async () => {
  watcher?.close();
  await zone?.stop('SIGKILL');
  bucket?.close();
  if (s3) process.kill(s3.pid, 'SIGCONT'); // in case the test failed while it was frozen
  await s3?.stop();
  dir.remove();
});

function body(k: number): Buffer {
  const t0 = T0 + k * PER_REQUEST_STEPS * STEP_MS;
  const raw = prometheus.WriteRequest.encode({
    timeseries: Array.from({ length: SERIES }, (_, s) => ({
      labels: [
        { name: '__name__', value: 'bucket_test_bytes_total' },
        { name: 'instance', value: `host-${s % 50}:9100` },
        { name: 'device', value: `dev${Math.floor(s / 50)}` },
      ],
      samples: Array.from({ length: PER_REQUEST_STEPS }, (_, i) => ({
        timestamp: t0 + i * STEP_MS,
        value: Math.floor((t0 + i * STEP_MS - T0) / 1000) * (s + 1) + (i % 7),
      })),
    })),
  }).finish();
  return snappy.compressSync(Buffer.from(raw));
}

async function startZone(): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const proc = spawnCanopy('zone', [
    'zone',
    '--config',
    join(dir.path, 'zone.yaml'),
    '--listen',
    `127.0.0.1:${port}`,
    '--grpc-listen',
    `127.0.0.1:${await freePort()}`,
    '--object-store-config',
    join(dir.path, 's3.yaml'),
  ]);
  zone = proc; // stopped by after() even when the test fails half-way
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHttp(`${url}/-/ready`, 60_000)))
    throw new Error(`zone did not start: ${proc.output.slice(-30).join('\n')}`);
  return { proc, url };
}

/** ulid → object names under it. */
async function listing(): Promise<Map<string, string[]>> {
  const by = new Map<string, string[]>();
  for (const o of await bucket!.list('')) {
    const [u, ...rest] = o.name.split('/');
    by.set(u!, [...(by.get(u!) ?? []), rest.join('/')]);
  }
  return by;
}

async function queryRange(
  url: string,
  q: string,
  start: number,
  end: number,
  step: string,
  msr = '',
): Promise<unknown> {
  const p = new URLSearchParams({ query: q, start: String(start / 1000), end: String(end / 1000), step });
  if (msr) p.set('max_source_resolution', msr);
  const r = await fetch(`${url}/api/v1/query_range?${p}`);
  const j = (await r.json()) as { status: string; data: { result: unknown } };
  assert.equal(j.status, 'success', JSON.stringify(j));
  return j.data.result;
}

const localBlocks = (): string[] =>
  existsSync(join(dir.path, 'zone', 'blocks'))
    ? readdirSync(join(dir.path, 'zone', 'blocks')).filter((n) => !n.endsWith('.tmp'))
    : [];

test(
  'zone + s3rver: kill -9 mid-upload resumes exactly once; a wiped zone answers its history from the bucket',
  { timeout: 600_000 },
  async () => {
    s3 = await startS3rver('canopy-e2e');
    writeFileSync(join(dir.path, 's3.yaml'), s3.yaml);
    writeFileSync(
      join(dir.path, 'zone.yaml'),
      `zone: z1\nregion: r1\ndata_dir: ${join(dir.path, 'zone')}\nadmin_api: true\ntsdb:\n  block_range: 1h\n  retention: 2h\nbucket:\n  sync_interval: 2s\n  cache_size: 64MB\n# a backfill: 1,000 series × 30 steps per request, faster than the default 10k samples/s\nlimits:\n  ingestionRate: 0\n`,
    );
    bucket = openBucket(loadObjectStoreConfig(join(dir.path, 's3.yaml')));

    // 1. Freeze s3rver the moment a block's chunks are in but its meta.json is not, then kill -9.
    let z = await startZone();
    let caught: string | null = null;
    const s3pid = s3.pid;
    const objects = join(s3.dir, 'canopy-e2e');
    let resolveCaught!: () => void;
    const caughtP = new Promise<void>((r) => (resolveCaught = r));
    watcher = watch(s3.dir, { recursive: true }, (_ev, f) => {
      const m = /([0-9A-Z]{26})[/\\]chunks[/\\]000001/.exec(String(f ?? ''));
      if (!m || caught) return;
      process.kill(s3pid, 'SIGSTOP');
      const blockDir = join(objects, m[1]!);
      const metaThere = existsSync(blockDir) && readdirSync(blockDir).some((n) => n.startsWith('meta.json'));
      if (metaThere) return void process.kill(s3pid, 'SIGCONT'); // too late for this block; wait for the next
      caught = m[1]!;
      resolveCaught();
    });
    const requests = Math.floor((T_END - T0) / (PER_REQUEST_STEPS * STEP_MS));
    let sent = 0;
    const writer = (async () => {
      for (let k = 0; k < requests && !caught; k++) {
        const r = await fetch(`${z.url}/api/v1/write`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
          },
          body: body(k),
        });
        assert.equal(r.status, 204, await r.text());
        sent = k + 1;
      }
    })();
    await Promise.race([
      caughtP,
      writer.then(() => waitFor('a block upload to catch', async () => caught !== null, 60_000)),
    ]);
    await z.proc.stop('SIGKILL');
    process.kill(s3pid, 'SIGCONT');
    watcher.close();
    await writer.catch(() => {}); // the zone is gone mid-request
    const atKill = await listing();
    console.log(
      `# killed mid-upload of block ${caught}; bucket then: ${[...atKill].map(([u, f]) => `${u}:${f.length}`).join(' ')}`,
    );
    assert.ok(!(atKill.get(caught!) ?? []).includes('meta.json'), 'the caught block was partial at the kill');

    // 2. Restart on the same data dir; write the rest; every block lands exactly once.
    z = await startZone();
    for (let k = sent; k < requests; k++) {
      const r = await fetch(`${z.url}/api/v1/write`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
        },
        body: body(k),
      });
      assert.equal(r.status, 204, await r.text());
    }
    // POST /api/v1/admin/tsdb/compact runs a compaction, rollup and upload pass and answers when
    // it is done: every local block is complete in the bucket at once.
    const c = await fetch(`${z.url}/api/v1/admin/tsdb/compact`, { method: 'POST' });
    assert.equal(c.status, 200, await c.text());
    const atCompact = await listing();
    for (const u of localBlocks())
      assert.ok(
        atCompact.get(u)?.includes('meta.json'),
        `local block ${u} complete in the bucket when compact answers`,
      );
    await waitFor(
      'every local block in the bucket, no partial uploads',
      async () => {
        const l = await listing();
        return (
          localBlocks().every((u) => l.get(u)?.includes('meta.json')) &&
          [...l.values()].every((f) => f.includes('meta.json')) &&
          (l.get(caught!)?.includes('meta.json') || !localBlocks().includes(caught!))
        );
      },
      120_000,
      500,
    );
    const l = await listing();
    const metas: BucketBlockMeta[] = [];
    for (const [u, files] of l) {
      assert.deepEqual(files.sort(), ['chunks/000001', 'index', 'meta.json'], `block ${u}`);
      metas.push(JSON.parse(String(await bucket.get(`${u}/meta.json`))) as BucketBlockMeta);
    }
    // Raw blocks and the 5m rollups of raw blocks local retention let go (uploaded by the same
    // post-compaction task): each source block at most once per resolution, no overlaps.
    const res = (m: BucketBlockMeta): number => m.thanos.downsample.resolution;
    for (const m of metas) assert.deepEqual(m.thanos.labels, { zone: 'z1', region: 'r1' });
    assert.deepEqual(
      [...new Set(metas.map(res))].sort((a, b) => a - b),
      [0, 300_000],
      'raw and 5m blocks in the bucket',
    );
    for (const r of [0, 300_000]) {
      const at = metas.filter((m) => res(m) === r).sort((a, b) => a.minTime - b.minTime);
      const sources = at.flatMap((m) => m.compaction.sources);
      assert.equal(
        new Set(sources).size,
        sources.length,
        `no source block twice in the bucket at resolution ${r}`,
      );
      for (let i = 1; i < at.length; i++)
        assert.ok(at[i]!.minTime >= at[i - 1]!.maxTime, `bucket blocks at resolution ${r} do not overlap`);
    }
    const rawMetas = metas.filter((m) => res(m) === 0);
    assert.ok(rawMetas.length >= 4, `expected ≥ 4 raw blocks in the bucket, got ${rawMetas.length}`);
    const rawIds = new Set(rawMetas.map((m) => m.ulid));
    const objectBytes = (await bucket.list(''))
      .filter((o) => rawIds.has(o.name.split('/')[0]!))
      .reduce((n, o) => n + o.sizeBytes, 0);
    const samples = rawMetas.reduce((n, m) => n + m.stats.numSamples, 0);
    console.log(
      `# bucket (raw): ${rawMetas.length} blocks, ${samples} samples, ${objectBytes} bytes, ${(objectBytes / samples).toFixed(3)} bytes/sample; 5m blocks: ${metas.length - rawMetas.length}; local blocks kept: ${localBlocks().length}`,
    );
    assert.ok(
      localBlocks().filter((u) => rawIds.has(u)).length < rawMetas.length,
      'local retention deleted raw blocks the bucket holds',
    );

    // 3. Queries over the bucket's range, before and after wiping the data dir.
    const end = Math.max(...metas.map((m) => m.maxTime)) - 1;
    const queries = [
      'sum by (instance) (rate(bucket_test_bytes_total[5m]))',
      'count_over_time(bucket_test_bytes_total{device="dev3"}[30m])',
      'bucket_test_bytes_total{instance="host-7:9100"}',
    ];
    const before = await Promise.all(queries.map((q) => queryRange(z.url, q, T0, end, '300')));
    // Read through the 5m rollups (local before the wipe, from the bucket after it).
    const viaRollups = (u: string): Promise<unknown> =>
      queryRange(u, 'max_over_time(bucket_test_bytes_total{device="dev3"}[1h])', T0 + H, end, '3600', '5m');
    const rollupsBefore = await viaRollups(z.url);
    assert.ok((before[0] as unknown[]).length === 50);
    await z.proc.stop('SIGTERM');
    rmSync(join(dir.path, 'zone'), { recursive: true, force: true });
    z = await startZone();
    assert.equal(localBlocks().length, 0);
    const t = performance.now();
    const afterWipe = await Promise.all(queries.map((q) => queryRange(z.url, q, T0, end, '300')));
    console.log(
      `# wiped zone: first queries (cold cache, ranged fetches) ${Math.round(performance.now() - t)} ms`,
    );
    assert.deepEqual(afterWipe, before);
    assert.deepEqual(await viaRollups(z.url), rollupsBefore);
    const metricsText = await (await fetch(`${z.url}/metrics`)).text();
    assert.match(metricsText, new RegExp(`^canopy_zone_bucket_blocks ${metas.length}$`, 'm'));
    // Raw blocks are read by ranges (one index fetch each); rollup blocks are downloaded whole.
    assert.match(metricsText, new RegExp(`^canopy_zone_bucket_index_fetches_total ${rawMetas.length}$`, 'm'));
    // Only the selected series' chunk pages were fetched, by range: less than the blocks' chunk files.
    const chunkBytes = Number(/^canopy_zone_bucket_chunk_fetched_bytes_total (\d+)$/m.exec(metricsText)?.[1]);
    const chunkFiles = (await bucket.list(''))
      .filter((o) => o.name.includes('/chunks/'))
      .reduce((n, o) => n + o.sizeBytes, 0);
    console.log(
      `# wiped zone: chunk bytes fetched by range ${chunkBytes} of ${chunkFiles} in the chunk files`,
    );
    assert.ok(chunkBytes > 0 && chunkBytes <= chunkFiles, `${chunkBytes} of ${chunkFiles}`);
    zone = z.proc;
  },
);
