// A real Prometheus 2.42 (Debian package) scrapes the demo exporter and remote-writes to a
// zone; the zone answers with the values Prometheus itself stored. JSON push and the TSDB
// snapshot admin API over the same zone. Skipped with a note when prometheus is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../topology/path.ts';
import {
  freePort,
  getJson,
  spawnCanopy,
  spawnProc,
  tempDir,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';

const prometheus = findOnPath('prometheus');
const procs: Proc[] = [];
let zone = '';
let prom = '';
let dir: ReturnType<typeof tempDir>;

before(async () => {
  dir = tempDir('rw');
  const zp = await freePort();
  zone = `http://127.0.0.1:${zp}`;
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
      '--web.enable-admin-api',
    ]),
  );
  const ep = await freePort();
  procs.push(spawnCanopy('exporter', ['demo-exporter', '--listen', `127.0.0.1:${ep}`, '--host', 'rw']));
  assert.ok(await waitForHttp(`${zone}/readyz`, 30_000), procs[0]!.output.join('\n'));
  if (!prometheus) return;
  const pp = await freePort();
  prom = `http://127.0.0.1:${pp}`;
  const cfg = join(dir.path, 'prometheus.yml');
  writeFileSync(
    cfg,
    `global:\n  scrape_interval: 1s\n  external_labels:\n    sender: prom\nscrape_configs:\n  - job_name: demo\n    static_configs:\n      - targets: ['127.0.0.1:${ep}']\nremote_write:\n  - url: ${zone}/api/v1/write\n    queue_config:\n      batch_send_deadline: 1s\n`,
  );
  procs.push(
    spawnProc('prometheus', prometheus, [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${join(dir.path, 'prom')}`,
      `--web.listen-address=127.0.0.1:${pp}`,
    ]),
  );
  assert.ok(await waitForHttp(`${prom}/-/ready`, 30_000), procs[2]!.output.join('\n'));
});

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir?.remove();
});

test(
  'Prometheus 2.42 remote_write lands in the zone with the values Prometheus stored',
  { skip: prometheus ? false : 'prometheus is not installed' },
  async () => {
    const q = encodeURIComponent('node_memory_MemTotal_bytes{job="demo"}');
    const zoneBody = await waitFor('remote-written samples in the zone', async () => {
      const { body } = await getJson(`${zone}/api/v1/query?query=${q}`);
      return body.data?.result?.length === 1 ? body : undefined;
    });
    const r = zoneBody.data.result[0];
    assert.equal(r.metric.sender, 'prom');
    assert.equal(r.metric.zone, 'z1');
    // Compare a range of raw samples: every sample the zone holds, Prometheus holds too.
    // Let a few scrapes flow, then look at a window that remote_write has surely delivered.
    await new Promise((res) => setTimeout(res, 6000));
    const t = Math.floor(Date.now() / 1000) - 2;
    const sel = encodeURIComponent('node_cpu_seconds_total{cpu="0",mode="user"}[30s]');
    const z = (await getJson(`${zone}/api/v1/query?query=${sel}&time=${t}`)).body.data.result[0].values as [
      number,
      string,
    ][];
    const p = (await getJson(`${prom}/api/v1/query?query=${sel}&time=${t}`)).body.data.result[0].values as [
      number,
      string,
    ][];
    assert.ok(z.length >= 2, `zone has ${z.length} samples`);
    const pm = new Map(p.map(([ts, v]) => [ts, v]));
    for (const [ts, v] of z) assert.equal(pm.get(ts), v, `sample at ${ts}`);
  },
);

test('JSON push: accepted samples are queryable; a bad item is a 400 naming it', async () => {
  const now = Date.now();
  const ok = await fetch(`${zone}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ metric: 'orders_total', tags: { shop: 'a' }, timestamp: now, value: 42 }]),
  });
  assert.equal(ok.status, 204);
  const { body } = await getJson(`${zone}/api/v1/query?query=orders_total`);
  assert.equal(body.data.result[0].value[1], '42');
  const bad = await fetch(`${zone}/api/v1/push`, {
    method: 'POST',
    body: JSON.stringify([
      { metric: 'x', value: 1 },
      { metric: '0bad', value: 'nope' },
    ]),
  });
  assert.equal(bad.status, 400);
  const eb = (await bad.json()) as any;
  assert.equal(eb.errorType, 'bad_data');
  assert.match(eb.error, /item 1/);
  const m = await (await fetch(`${zone}/metrics`)).text();
  assert.match(m, /canopy_zone_samples_dropped_total\{reason="[a-z_]+",tenant="anonymous"\} [1-9]/);
});

test('TSDB snapshot: POST /api/v1/admin/tsdb/snapshot writes the head under snapshots/<name>', async () => {
  const r = await fetch(`${zone}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
  assert.equal(r.status, 200);
  const body = (await r.json()) as any;
  assert.equal(body.status, 'success');
  assert.match(body.data.name, /^\d{8}T\d{6}Z-[0-9a-f]{16}$/);
  assert.ok(existsSync(join(dir.path, 'zone', 'snapshots', body.data.name)));
});
