// Alerting through the whole pipeline, as real processes: an exporter this test controls →
// a real leaf (1 s scrape and flush) → gRPC → zone (rules every 1 s) → built-in notifier →
// webhook server in this test; the zone also forwards its alerts to a real Alertmanager
// (Debian prometheus-alertmanager). NATS and the root run too: the root merges alerts from the
// zones; then both are stopped and a new alert still arrives from the zone alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { findOnPath } from '../../topology/path.ts';
import {
  freePort,
  getJson,
  spawnCanopy,
  spawnProc,
  startNats,
  tempDir,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';
import { WebhookReceiver } from './alert-webhook.ts';

const AM_BIN = '/usr/bin/prometheus-alertmanager';

function ensureAlertmanager(): string | undefined {
  const found =
    findOnPath('prometheus-alertmanager') ??
    (spawnSync('test', ['-x', AM_BIN]).status === 0 ? AM_BIN : undefined);
  if (found) return found;
  if (process.getuid?.() === 0) {
    process.stderr.write('prometheus-alertmanager not found; installing it with apt-get\n');
    spawnSync('apt-get', ['install', '-y', '-qq', 'prometheus-alertmanager'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return spawnSync('test', ['-x', AM_BIN]).status === 0 ? AM_BIN : undefined;
  }
  return undefined;
}

const procs: Record<string, Proc> = {};
let dir: ReturnType<typeof tempDir>;
let hook: WebhookReceiver;
let exporter: Server;
const values: Record<string, number> = { app_queue_depth: 1, app_errors: 0 };
let zoneUrl = '';
let rootUrl = '';
let amUrl = '';
const amBin = ensureAlertmanager();

before(async () => {
  dir = tempDir('alert-leaf');
  hook = await new WebhookReceiver().start();
  exporter = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      Object.entries(values)
        .map(([k, v]) => `# TYPE ${k} gauge\n${k} ${v}\n`)
        .join(''),
    );
  });
  await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', () => r()));
  const exporterUrl = `http://127.0.0.1:${(exporter.address() as AddressInfo).port}/metrics`;

  writeFileSync(
    join(dir.path, 'rules.yml'),
    `groups:
  - name: app
    interval: 1s
    rules:
      - alert: QueueTooDeep
        expr: app_queue_depth > 50
        labels: { severity: page }
        annotations: { summary: 'queue at {{ $value }} on {{ $labels.instance }}' }
      - alert: ErrorsSeen
        expr: app_errors > 0
  - name: health
    interval: 1s
    rules:
      # The host-health template (examples/rules/host-health.yml) with a threshold for a 1 s heartbeat (loose enough for a loaded CI machine).
      - alert: LeafHeartbeatMissing
        expr: time() - max by (leaf) (max_over_time(canopy_leaf_heartbeat_timestamp_seconds{leaf="leaf-hb"}[1h])) > 6
  - name: 'global:fleet'
    interval: 1s
    rules:
      - alert: FleetQueueDeep
        expr: sum(app_queue_depth) > 50
        annotations: { summary: 'fleet queue {{ $value }}' }
`,
  );
  writeFileSync(
    join(dir.path, 'notifier.yml'),
    `route:
  receiver: hook
  group_by: ['alertname']
  group_wait: 0s
  group_interval: 1s
receivers:
  - name: hook
    webhook_configs:
      - url: '${hook.url}/zone'
`,
  );
  const amArgs: string[] = [];
  if (amBin) {
    const amPort = await freePort();
    amUrl = `http://127.0.0.1:${amPort}`;
    writeFileSync(
      join(dir.path, 'am.yml'),
      `route:\n  receiver: hook\n  group_wait: 0s\n  group_interval: 1s\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: '${hook.url}/alertmanager'\n`,
    );
    procs.am = spawnProc('alertmanager', amBin, [
      `--config.file=${join(dir.path, 'am.yml')}`,
      `--storage.path=${join(dir.path, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);
    amArgs.push('--alertmanager-url', amUrl);
  }
  const nats = await startNats();
  procs.nats = nats.proc;
  const rootPort = await freePort();
  rootUrl = `http://127.0.0.1:${rootPort}`;
  const zonePort = await freePort();
  const grpc = await freePort();
  zoneUrl = `http://127.0.0.1:${zonePort}`;
  // The root reaches a zone's rules, alerts and silences at the address its topology names.
  writeFileSync(
    join(dir.path, 'topology.yaml'),
    `regions:\n  - name: eu\n    zones:\n      - name: eu-a\n        http: 127.0.0.1:${zonePort}\n`,
  );
  procs.root = spawnCanopy('root', [
    'root',
    '--listen',
    `127.0.0.1:${rootPort}`,
    '--nats',
    nats.url,
    '--topology',
    join(dir.path, 'topology.yaml'),
    '--zone-timeout',
    '2s',
  ]);
  procs.zone = spawnCanopy('zone', [
    'zone',
    '--zone',
    'eu-a',
    '--region',
    'eu',
    '--listen',
    `127.0.0.1:${zonePort}`,
    '--grpc-listen',
    `127.0.0.1:${grpc}`,
    '--nats',
    nats.url,
    '--data-dir',
    join(dir.path, 'zone'),
    '--rule-file',
    join(dir.path, 'rules.yml'),
    '--notifier-config',
    join(dir.path, 'notifier.yml'),
    ...amArgs,
  ]);
  procs.leaf = spawnCanopy('leaf', [
    'leaf',
    '--name',
    'leaf-1',
    '--zone',
    `127.0.0.1:${grpc}`,
    '--listen',
    `127.0.0.1:${await freePort()}`,
    '--scrape',
    exporterUrl,
    '--scrape-interval',
    '1s',
    '--flush-interval',
    '1s',
    '--data-dir',
    join(dir.path, 'leaf'),
  ]);
  writeFileSync(
    join(dir.path, 'leaf-hb.yml'),
    `name: leaf-hb\nzones: ['127.0.0.1:${grpc}']\nlisten: '127.0.0.1:${await freePort()}'\ndata_dir: '${join(dir.path, 'leaf-hb')}'\nheartbeat_interval: 1s\nflush_interval: 500ms\n`,
  );
  procs.leafHb = spawnCanopy('leaf-hb', ['leaf', '--config', join(dir.path, 'leaf-hb.yml')]);
  for (const [name, url] of [
    ['zone', zoneUrl],
    ['root', rootUrl],
    ...(amBin ? [['alertmanager', amUrl]] : []),
  ] as [string, string][]) {
    assert.ok(
      await waitForHttp(`${url}/-/ready`, 30_000),
      `${name} did not become ready: ${Object.values(procs)
        .map((p) => p.output.slice(-5).join('\n'))
        .join('\n')}`,
    );
  }
  // The leaf's samples are flowing before the clock starts.
  await waitFor(
    'scraped data in the zone',
    async () =>
      (await getJson(`${zoneUrl}/api/v1/query?query=app_queue_depth`)).body.data.result.length === 1,
    30_000,
  );
});

after(async () => {
  for (const p of Object.values(procs).reverse()) await p.stop();
  await hook?.stop();
  await new Promise<void>((r) => (exporter ? exporter.close(() => r()) : r()));
  dir?.remove();
});

test('a value crossing a threshold at a leaf reaches the webhook in under 5 s', async () => {
  const t0 = Date.now();
  values.app_queue_depth = 100;
  const got = await waitFor(
    'QueueTooDeep at the webhook',
    async () => hook.on('/zone').find((r) => r.body.commonLabels.alertname === 'QueueTooDeep'),
    15_000,
    20,
  );
  const ms = got.atMs - t0;
  process.stdout.write(
    `# alert latency (exporter value → leaf scrape 1 s → flush 1 s → zone rule 1 s → webhook): ${ms} ms\n`,
  );
  assert.ok(ms < 5000, `latency ${ms} ms`);
  assert.equal(got.body.alerts[0].labels.zone, 'eu-a');
  assert.equal(got.body.alerts[0].annotations.summary.startsWith('queue at 100 on'), true);
  // The root merges the zone's alerts and rules.
  const merged = await waitFor(
    'alert at the root',
    async () => {
      const { body } = await getJson(`${rootUrl}/api/v1/alerts`);
      return body.data.alerts.find((a: any) => a.labels.alertname === 'QueueTooDeep');
    },
    15_000,
  );
  assert.equal(merged.labels.zone, 'eu-a');
  const rules = (await getJson(`${rootUrl}/api/v1/rules`)).body.data.groups;
  assert.ok(rules.some((g: any) => g.name === 'app' && g.file.startsWith('eu-a:')));
  const sil = await fetch(`${zoneUrl}/api/v2/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      matchers: [{ name: 'alertname', value: 'Nothing', isRegex: false }],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 60_000).toISOString(),
      createdBy: 'test',
      comment: 'merged at the root',
    }),
  });
  const { silenceID } = (await sil.json()) as { silenceID: string };
  const rootSilences = (await getJson(`${rootUrl}/api/v2/silences`)).body;
  assert.deepEqual(
    rootSilences.map((x: any) => x.id),
    [silenceID],
  );
  const v2 = (await getJson(`${rootUrl}/api/v2/alerts`)).body;
  assert.ok(v2.some((a: any) => a.labels.alertname === 'QueueTooDeep' && a.status.state === 'active'));
});

test('global rule groups are evaluated at the root and notified through a zone', async () => {
  const got = await waitFor(
    'FleetQueueDeep at the webhook',
    async () => hook.on('/zone').find((r) => r.body.commonLabels.alertname === 'FleetQueueDeep'),
    20_000,
    50,
  );
  assert.equal(got.body.alerts[0].annotations.summary, 'fleet queue 100');
  assert.equal(got.body.alerts[0].labels.zone, undefined, 'sum() over all zones carries no zone label');
  const zoneRules = (await getJson(`${zoneUrl}/api/v1/rules`)).body.data.groups.map((g: any) => g.name);
  assert.deepEqual(zoneRules, ['app', 'health'], 'zones do not evaluate global groups');
  const rootRules = (await getJson(`${rootUrl}/api/v1/rules`)).body.data.groups;
  const fleet = rootRules.find((g: any) => g.name === 'global:fleet');
  assert.equal(fleet.rules[0].state, 'firing');
  assert.match(fleet.file, /^root:eu-a:/);
});

test(
  'a real Alertmanager receives the forwarded alerts',
  {
    skip: amBin
      ? false
      : 'prometheus-alertmanager is not installed and cannot be installed (not root): apt-get install prometheus-alertmanager',
  },
  async () => {
    const alerts = await waitFor(
      'alert in Alertmanager',
      async () => {
        const { body } = await getJson(`${amUrl}/api/v2/alerts`);
        return body.find((a: any) => a.labels.alertname === 'QueueTooDeep') ? body : undefined;
      },
      45_000,
    );
    const a = alerts.find((x: any) => x.labels.alertname === 'QueueTooDeep');
    assert.equal(a.labels.zone, 'eu-a');
    assert.equal(a.labels.severity, 'page');
    assert.match(a.generatorURL, /\/graph\?g0\.expr=/);
    const viaAm = await waitFor(
      'Alertmanager webhook',
      async () => hook.on('/alertmanager').find((r) => r.body.commonLabels.alertname === 'QueueTooDeep'),
      45_000,
    );
    assert.equal(viaAm.body.status, 'firing');
  },
);

test(
  'amtool against the root: silences are written to every zone, listed merged and expired',
  { skip: findOnPath('amtool') ? false : 'amtool not installed (Debian package prometheus-alertmanager)' },
  () => {
    const am = (args: string[]): string => {
      const r = spawnSync('amtool', [`--alertmanager.url=${rootUrl}`, ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(r.status, 0, `amtool ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const id = am(['silence', 'add', 'alertname=FromRoot', '--comment=root', '--duration=1h']).trim();
    const atRoot = JSON.parse(am(['silence', 'query', '-o', 'json', 'alertname=FromRoot']));
    assert.deepEqual(
      atRoot.map((x: any) => x.id),
      [id],
    );
    const alerts = JSON.parse(am(['alert', 'query', '-o', 'json', 'alertname=QueueTooDeep']));
    assert.equal(alerts[0].labels.zone, 'eu-a');
    am(['silence', 'expire', id]);
    assert.equal(JSON.parse(am(['silence', 'query', '-o', 'json', 'alertname=FromRoot'])).length, 0);
  },
);

test('host health: a leaf whose heartbeat goes silent raises LeafHeartbeatMissing', async () => {
  await waitFor(
    'leaf-hb heartbeats in the zone',
    async () => {
      const q = encodeURIComponent('canopy_leaf_heartbeat_timestamp_seconds{leaf="leaf-hb"}');
      return (await getJson(`${zoneUrl}/api/v1/query?query=${q}`)).body.data.result.length === 1;
    },
    20_000,
  );
  assert.equal(
    hook.on('/zone').filter((r) => r.body.commonLabels.alertname === 'LeafHeartbeatMissing').length,
    0,
    'no alert while it beats',
  );
  await procs.leafHb!.stop();
  const t0 = Date.now();
  const got = await waitFor(
    'LeafHeartbeatMissing at the webhook',
    async () => hook.on('/zone').find((r) => r.body.commonLabels.alertname === 'LeafHeartbeatMissing'),
    30_000,
    50,
  );
  process.stdout.write(
    `# heartbeat alert ${got.atMs - t0} ms after the leaf stopped (threshold 6 s, heartbeat 1 s)\n`,
  );
  assert.equal(got.body.alerts[0].labels.leaf, 'leaf-hb');
});

test('with NATS and the root stopped, a zone alert still arrives', async () => {
  await procs.root!.stop();
  await procs.nats!.stop();
  const t0 = Date.now();
  values.app_errors = 3;
  const got = await waitFor(
    'ErrorsSeen at the webhook',
    async () => hook.on('/zone').find((r) => r.body.commonLabels.alertname === 'ErrorsSeen'),
    15_000,
    20,
  );
  const ms = got.atMs - t0;
  process.stdout.write(`# alert latency with NATS and the root down: ${ms} ms\n`);
  assert.ok(ms < 5000, `latency ${ms} ms`);
});
