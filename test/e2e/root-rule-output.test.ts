// The root's recording rules are stored (global/rules/rule-output.ts), as real processes:
// nats-server, two zones (each with a "global:" recording rule in its rule file) and a root with
// --rules.store-zone eu-a. The rule's output is queryable through the root, and the samples
// written before a root restart answer the same after it (they live in zone eu-a's TSDB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

const procs: Record<string, Proc> = {};
let dir: ReturnType<typeof tempDir>;
let rootArgs: string[] = [];
let rootUrl = '';
const zoneUrls: Record<string, string> = {};
let pusher: NodeJS.Timeout | undefined;

async function push(zone: string, value: number): Promise<void> {
  const r = await fetch(`${zoneUrls[zone]}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { metric: 'app_queue_depth', tags: { instance: `${zone}-1` }, timestamp: Date.now(), value },
    ]),
  });
  assert.equal(r.status, 204, await r.text());
}

async function rootQuery(q: string, tSec?: number): Promise<any[]> {
  const { status, body } = await getJson(
    `${rootUrl}/api/v1/query?query=${encodeURIComponent(q)}${tSec !== undefined ? `&time=${tSec}` : ''}`,
  );
  assert.equal(status, 200, JSON.stringify(body));
  return body.data.result;
}

async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${rootUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ')[1]) : NaN;
}

before(async () => {
  dir = tempDir('root-rule-output');
  writeFileSync(
    join(dir.path, 'rules.yml'),
    `groups:\n  - name: 'global:fleet'\n    interval: 1s\n    rules:\n      - record: fleet:app_queue_depth:sum\n        expr: sum(app_queue_depth)\n        labels: { source: root }\n`,
  );
  const nats = await startNats();
  procs.nats = nats.proc;
  const ports: Record<string, [number, number]> = {
    'eu-a': [await freePort(), await freePort()],
    'eu-b': [await freePort(), await freePort()],
  };
  writeFileSync(
    join(dir.path, 'topology.yaml'),
    `regions:\n  - name: eu\n    zones:\n${Object.entries(ports)
      .map(([z, [http]]) => `      - name: ${z}\n        http: 127.0.0.1:${http}\n`)
      .join('')}`,
  );
  for (const [z, [http, grpc]] of Object.entries(ports)) {
    zoneUrls[z] = `http://127.0.0.1:${http}`;
    procs[z] = spawnCanopy(z, [
      'zone',
      '--zone',
      z,
      '--region',
      'eu',
      '--listen',
      `127.0.0.1:${http}`,
      '--grpc-listen',
      `127.0.0.1:${grpc}`,
      '--nats',
      nats.url,
      '--data-dir',
      join(dir.path, z),
      '--rule-file',
      join(dir.path, 'rules.yml'),
    ]);
  }
  const rootPort = await freePort();
  rootUrl = `http://127.0.0.1:${rootPort}`;
  rootArgs = [
    'root',
    '--listen',
    `127.0.0.1:${rootPort}`,
    '--nats',
    nats.url,
    '--topology',
    join(dir.path, 'topology.yaml'),
    '--zone-timeout',
    '3s',
    '--rules.store-zone',
    'eu-a',
  ];
  procs.root = spawnCanopy('root', rootArgs);
  for (const [name, url] of [...Object.entries(zoneUrls), ['root', rootUrl]]) {
    assert.ok(
      await waitForHttp(`${url}/-/ready`, 30_000),
      `${name} did not become ready: ${Object.values(procs)
        .map((p) => p.output.slice(-5).join('\n'))
        .join('\n')}`,
    );
  }
  const tick = async (): Promise<void> => {
    await push('eu-a', 3);
    await push('eu-b', 4);
  };
  await tick();
  pusher = setInterval(() => void tick().catch(() => {}), 1000);
});

after(async () => {
  if (pusher) clearInterval(pusher);
  for (const p of Object.values(procs).reverse()) await p.stop();
  dir?.remove();
});

test('a root recording rule is stored in the store zone and queryable through the root, also after a root restart', async () => {
  // The sum over both zones (3 + 4), recorded by the root, stored in eu-a.
  const got = await waitFor(
    'fleet:app_queue_depth:sum through the root',
    async () => {
      const r = await rootQuery('fleet:app_queue_depth:sum');
      return r.length > 0 && r[0].value[1] === '7' ? r : undefined;
    },
    45_000,
    250,
  );
  assert.equal(got.length, 1);
  assert.equal(got[0].metric.source, 'root');
  assert.equal(got[0].metric.zone, 'eu-a', 'stored in (and read from) the store zone');
  // Stored in eu-a's own TSDB, not in eu-b's.
  const atZone = (await getJson(`${zoneUrls['eu-a']}/api/v1/query?query=fleet:app_queue_depth:sum`)).body.data
    .result;
  assert.equal(atZone.length, 1);
  assert.equal(
    (await getJson(`${zoneUrls['eu-b']}/api/v1/query?query=fleet:app_queue_depth:sum`)).body.data.result
      .length,
    0,
  );
  // Let a few evaluations be stored, then note what the root answers for the past up to now.
  await waitFor(
    '5 stored evaluations',
    async () =>
      Number((await rootQuery('count_over_time(fleet:app_queue_depth:sum[5m])'))[0]?.value[1] ?? 0) >= 5,
    30_000,
    250,
  );
  assert.ok((await metric('canopy_root_rule_samples_written_total')) >= 5);
  assert.equal(await metric('canopy_root_rule_samples_dropped_total', '{reason="send_failed"}'), 0);
  const tStop = Math.floor(Date.now() / 1000) - 2; // evaluations up to 2 s ago have been written
  const before = await rootQuery('count_over_time(fleet:app_queue_depth:sum[5m])', tStop);
  const n = Number(before[0].value[1]);
  assert.ok(n >= 3, `count before restart: ${n}`);

  await procs.root!.stop();
  procs.root = spawnCanopy('root', rootArgs);
  assert.ok(
    await waitForHttp(`${rootUrl}/-/ready`, 30_000),
    `root did not restart: ${procs.root.output.slice(-10).join('\n')}`,
  );
  // Same answer for the time before the restart: the samples are in the zone, not in the root.
  const afterRestart = await waitFor(
    'the pre-restart count through the restarted root',
    async () => {
      const r = await rootQuery('count_over_time(fleet:app_queue_depth:sum[5m])', tStop);
      return r.length > 0 ? r : undefined;
    },
    30_000,
    250,
  );
  assert.equal(afterRestart[0].value[1], String(n));
  assert.equal((await rootQuery('fleet:app_queue_depth:sum', tStop))[0].value[1], '7');
  // And the restarted root goes on recording.
  await waitFor(
    'new evaluations after the restart',
    async () => (await metric('canopy_root_rule_samples_written_total')) >= 1,
    30_000,
    250,
  );
});
