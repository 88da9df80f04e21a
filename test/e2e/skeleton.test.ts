// The walking skeleton end to end, as real processes: nats-server, the root, two zones in two
// regions, a demo exporter and a leaf per zone. A sample scraped by a leaf comes back out of a
// query at the root with the zone's external labels; stopping a zone yields the other zone's
// data plus a warning within the zone timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

const procs: Proc[] = [];
let rootUrl = '';
const zoneHttp: Record<string, string> = {};
let dir: ReturnType<typeof tempDir>;

before(async () => {
  dir = tempDir('skeleton');
  const nats = await startNats();
  procs.push(nats.proc);
  const rootPort = await freePort();
  rootUrl = `http://127.0.0.1:${rootPort}`;
  procs.push(
    spawnCanopy('root', [
      'root',
      '--listen',
      `127.0.0.1:${rootPort}`,
      '--nats',
      nats.url,
      '--zone-timeout',
      '2s',
    ]),
  );
  const zones = [
    { zone: 'eu-a', region: 'eu' },
    { zone: 'us-a', region: 'us' },
  ];
  for (const z of zones) {
    const http = await freePort();
    const grpc = await freePort();
    zoneHttp[z.zone] = `http://127.0.0.1:${http}`;
    procs.push(
      spawnCanopy(`zone-${z.zone}`, [
        'zone',
        '--zone',
        z.zone,
        '--region',
        z.region,
        '--listen',
        `127.0.0.1:${http}`,
        '--grpc-listen',
        `127.0.0.1:${grpc}`,
        '--data-dir',
        `${dir.path}/${z.zone}`,
        '--nats',
        nats.url,
      ]),
    );
    const exporter = await freePort();
    procs.push(
      spawnCanopy(`exporter-${z.zone}`, [
        'demo-exporter',
        '--listen',
        `127.0.0.1:${exporter}`,
        '--host',
        `host-${z.zone}`,
      ]),
    );
    procs.push(
      spawnCanopy(`leaf-${z.zone}`, [
        'leaf',
        '--name',
        `leaf-${z.zone}`,
        '--zone',
        `127.0.0.1:${grpc}`,
        '--listen',
        `127.0.0.1:${await freePort()}`,
        '--scrape',
        `http://127.0.0.1:${exporter}/metrics`,
        '--scrape-interval',
        '1s',
        '--data-dir',
        `${dir.path}/leaf-${z.zone}`,
      ]),
    );
  }
  for (const [name, url] of [['root', rootUrl], ...Object.entries(zoneHttp)]) {
    assert.ok(
      await waitForHttp(`${url}/readyz`, 30_000),
      `${name} did not become ready: ${procs.map((p) => p.output.slice(-5).join('\n')).join('\n')}`,
    );
  }
});

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir?.remove();
});

test('up at the root returns one series per leaf target, with zone and region labels from every zone', async () => {
  const body = await waitFor('up from both zones at the root', async () => {
    const { body } = await getJson(`${rootUrl}/api/v1/query?query=up`);
    return body.status === 'success' && body.data.result.length === 2 ? body : undefined;
  });
  assert.equal(body.data.resultType, 'vector');
  const got = body.data.result
    .map((r: any) => [r.metric.zone, r.metric.region, r.metric.job, r.value[1]])
    .sort();
  assert.deepEqual(got, [
    ['eu-a', 'eu', 'scrape', '1'],
    ['us-a', 'us', 'scrape', '1'],
  ]);
  for (const r of body.data.result) assert.match(r.metric.instance, /^127\.0\.0\.1:\d+$/);
});

test('a region matcher returns only that region', async () => {
  const { body } = await getJson(`${rootUrl}/api/v1/query?query=${encodeURIComponent('up{region="eu"}')}`);
  assert.equal(body.status, 'success');
  assert.deepEqual(
    body.data.result.map((r: any) => r.metric.zone),
    ['eu-a'],
  );
});

test('scraped values arrive as the exporter served them, with all matcher types', async () => {
  const q = encodeURIComponent('node_cpu_seconds_total{mode=~"idle|user",cpu!="3",zone!~"us.*"}');
  const { body } = await getJson(`${rootUrl}/api/v1/query?query=${q}`);
  assert.equal(body.status, 'success');
  // 3 cpus (0,1,2) × 2 modes, from eu-a only.
  assert.equal(body.data.result.length, 6);
  for (const r of body.data.result) {
    assert.equal(r.metric.zone, 'eu-a');
    assert.ok(Number(r.value[1]) > 0);
  }
});

test('label names and values fan out and merge', async () => {
  const names = (await getJson(`${rootUrl}/api/v1/labels`)).body;
  assert.equal(names.status, 'success');
  for (const n of ['__name__', 'instance', 'job', 'region', 'zone'])
    assert.ok(names.data.includes(n), `labels lack ${n}`);
  const zones = (await getJson(`${rootUrl}/api/v1/label/zone/values`)).body;
  assert.deepEqual(zones.data, ['eu-a', 'us-a']);
  const metrics = (await getJson(`${rootUrl}/api/v1/label/__name__/values`)).body;
  assert.ok(metrics.data.includes('node_load1'));
});

test('POST form-encoded query works like GET; a bad query is a 400 with Prometheus error JSON', async () => {
  const r = await fetch(`${rootUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'query=up%7Bzone%3D%22us-a%22%7D',
  });
  const body = (await r.json()) as any;
  assert.equal(body.data.result.length, 1);
  const bad = await fetch(`${rootUrl}/api/v1/query?query=${encodeURIComponent('up{')}`);
  assert.equal(bad.status, 400);
  const eb = (await bad.json()) as any;
  assert.equal(eb.status, 'error');
  assert.equal(eb.errorType, 'bad_data');
});

test('a zone answers its own HTTP API with its external labels', async () => {
  const { body } = await getJson(`${zoneHttp['us-a']}/api/v1/query?query=up`);
  assert.equal(body.data.result.length, 1);
  assert.equal(body.data.result[0].metric.zone, 'us-a');
});

test('stopping a zone: the root answers within its timeout with the other zone and a warning', async () => {
  const us = procs.find((p) => p.name === 'zone-us-a')!;
  await us.stop('SIGKILL');
  const t0 = Date.now();
  const { status, body } = await getJson(`${rootUrl}/api/v1/query?query=up`);
  const tookMs = Date.now() - t0;
  assert.equal(status, 200);
  assert.deepEqual(
    body.data.result.map((r: any) => r.metric.zone),
    ['eu-a'],
  );
  assert.ok(
    Array.isArray(body.warnings) && body.warnings.some((w: string) => w.includes('us-a')),
    JSON.stringify(body.warnings),
  );
  assert.ok(tookMs < 5000, `took ${tookMs} ms`);
  const strict = await getJson(`${rootUrl}/api/v1/query?query=up&partial_response=false`);
  assert.equal(strict.status, 503);
  assert.equal(strict.body.status, 'error');
  assert.match(strict.body.error, /us-a/);
});
