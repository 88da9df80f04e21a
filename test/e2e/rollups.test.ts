// Rollups through a real zone: 12 days of backfilled data written as blocks into the zone's
// data dir, the admin API's compaction pass writes 5m and 1h rollup blocks, and range queries
// read them (data.resolution) and agree with the same query forced to raw samples.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openTSDB } from '../../zone/tsdb/index.ts';
import { labelsFromRecord } from '../../shared/labels.ts';
import {
  freePort,
  getJson,
  spawnCanopy,
  startNats,
  tempDir,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';

const H = 3600_000,
  D = 86400_000;
const START = Date.UTC(2026, 0, 1);
const DAYS = 12;
const procs: Proc[] = [];
let zone = '';
let root = '';
let dir: ReturnType<typeof tempDir>;

before(async () => {
  dir = tempDir('rollups');
  const db = await openTSDB({
    dir: join(dir.path, 'zone'),
    walFsync: 'none',
    autoCompact: false,
    wal: false,
    retentionMs: 30 * D,
  });
  const ls = [0, 1, 2, 3].map((i) =>
    labelsFromRecord({ __name__: 'http_requests_total', job: i < 2 ? 'api' : 'web', instance: String(i) }),
  );
  const temp = labelsFromRecord({ __name__: 'temperature_celsius', job: 'web', instance: '0' });
  const acc = [0, 0, 0, 0];
  for (let day = 0; day < DAYS; day++) {
    const a = db.appender();
    for (let t = START + day * D; t < START + (day + 1) * D; t += 30_000) {
      ls.forEach((l, i) => {
        if (t % (70 * H) === i * 5 * H) acc[i] = 0; // restarts
        acc[i]! += 1 + i + Math.sin(t / (4 * H));
        a.append(l, t, Math.round(acc[i]! * 10) / 10);
      });
      a.append(temp, t, Math.round((40 + 10 * Math.sin(t / (11 * H)) + 2 * Math.sin(t / 780_000)) * 10) / 10);
    }
    await a.commit();
    await db.cutBlocksNow();
  }
  await db.close();
  const nats = await startNats();
  procs.push(nats.proc);
  const zp = await freePort(),
    rp = await freePort();
  zone = `http://127.0.0.1:${zp}`;
  root = `http://127.0.0.1:${rp}`;
  procs.push(
    spawnCanopy('zone', [
      'zone',
      '--zone',
      'z1',
      '--listen',
      `127.0.0.1:${zp}`,
      '--grpc-listen',
      `127.0.0.1:${await freePort()}`,
      '--data-dir',
      join(dir.path, 'zone'),
      '--retention',
      '30d',
      '--web.enable-admin-api',
      '--nats',
      nats.url,
    ]),
  );
  procs.push(
    spawnCanopy('root', ['root', '--listen', `127.0.0.1:${rp}`, '--nats', nats.url, '--zone-timeout', '20s']),
  );
  for (const u of [zone, root])
    assert.ok(
      await waitForHttp(`${u}/readyz`, 30_000),
      procs.map((p) => p.output.slice(-5).join('\n')).join('\n'),
    );
});

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir?.remove();
});

async function range(q: string, step: string, msr?: string, base = zone): Promise<any> {
  const p = new URLSearchParams({
    query: q,
    start: String((START + 2 * H) / 1000),
    end: String((START + DAYS * D - H) / 1000),
    step,
  });
  if (msr !== undefined) p.set('max_source_resolution', msr);
  return (await getJson(`${base}/api/v1/query_range?${p}`)).body;
}

function worst(a: any, b: any): number {
  const key = (m: Record<string, string>): string => JSON.stringify(m);
  const other = new Map<string, Map<number, number>>(
    b.data.result.map((s: any) => [
      key(s.metric),
      new Map(s.values.map(([t, v]: [number, string]) => [t, Number(v)])),
    ]),
  );
  let w = 0,
    n = 0;
  for (const s of a.data.result) {
    const o = other.get(key(s.metric));
    assert.ok(o, `series ${key(s.metric)} only in one answer`);
    for (const [t, v] of s.values as [number, string][]) {
      const x = o.get(t);
      if (x === undefined) continue;
      n++;
      w = Math.max(w, Math.abs(Number(v) - x) / Math.max(Math.abs(x), 1e-9));
    }
  }
  assert.ok(n > 40, `only ${n} common points`);
  return w;
}

test('POST /api/v1/admin/tsdb/compact writes 5m and 1h rollups; queries read them and say so', async () => {
  const r = await fetch(`${zone}/api/v1/admin/tsdb/compact`, { method: 'POST' });
  const body = (await r.json()) as any;
  assert.equal(r.status, 200, JSON.stringify(body));
  const res = new Set(body.data.written.map((b: any) => b.resolution));
  assert.ok(res.has(300_000) && res.has(3_600_000), JSON.stringify(body.data.written));
  // A second pass has nothing to do.
  const again = (await (await fetch(`${zone}/api/v1/admin/tsdb/compact`, { method: 'POST' })).json()) as any;
  assert.deepEqual(again.data.written, []);

  const q = 'sum by (job) (rate(http_requests_total[1h]))';
  const auto = await range(q, '1h');
  assert.equal(auto.status, 'success');
  const raw = await range(q, '1h', '0s');
  assert.equal(auto.data.resolution, '5m');
  assert.equal(raw.data.resolution, undefined, 'a query forced to raw is Prometheus-shaped');
  assert.ok(worst(auto, raw) <= 0.01);
  const coarse = await range('sum by (job) (rate(http_requests_total[6h]))', '6h');
  assert.equal(coarse.data.resolution, '1h');
  assert.ok(worst(coarse, await range('sum by (job) (rate(http_requests_total[6h]))', '6h', 'raw')) <= 0.01);
  for (const f of ['max_over_time', 'min_over_time', 'avg_over_time']) {
    const a = await range(`${f}(temperature_celsius[1h])`, '1h', '5m');
    assert.equal(a.data.resolution, '5m');
    assert.ok(worst(a, await range(`${f}(temperature_celsius[1h])`, '1h', '0s')) <= 0.005, f);
  }
  const bad = await fetch(
    `${zone}/api/v1/query_range?query=up&start=0&end=60&step=15&max_source_resolution=fast`,
  );
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as any).error, /max_source_resolution/);
});

test('the root passes max_source_resolution down to the zones and reports the resolution they read', async () => {
  const q = 'sum by (job) (rate(http_requests_total[1h]))';
  await waitFor('the root sees the zone', async () => {
    const b = (await getJson(`${root}/api/v1/query?query=up&time=${(START + D) / 1000}`)).body;
    const z = (await getJson(`${root}/api/v1/status/zones`)).body;
    return b.status === 'success' && JSON.stringify(z).includes('z1') ? true : undefined;
  });
  const auto = await range(q, '1h', undefined, root);
  assert.equal(auto.status, 'success', JSON.stringify(auto).slice(0, 300));
  assert.equal(auto.data.resolution, '5m');
  const raw = await range(q, '1h', '0s', root);
  assert.equal(raw.data.resolution, undefined);
  // The root's answers equal the zone's own, rollups and raw.
  assert.equal(worst(auto, await range(q, '1h')), 0);
  assert.equal(worst(raw, await range(q, '1h', '0s')), 0);
  assert.ok(worst(auto, raw) <= 0.01);
  const bad = await fetch(
    `${root}/api/v1/query_range?query=up&start=0&end=60&step=15&max_source_resolution=fast`,
  );
  assert.equal(bad.status, 400);
});
