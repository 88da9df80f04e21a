// HA alerting end to end (issue 16 part 5), as real processes: nats-server, two zone processes
// z1/a and z1/b with the same rule file and notifier config, and a webhook receiver in this test
// counting POSTs per alert group. Values are pushed to each live replica (what leaf fan-out does).
// nats-server runs with the generated per-zone-user config (topology/nats-config.ts), so the
// replicas talk on canopy.alerts.z1.> with the permissions `canopy up --secure` writes.
// Checks: a group that fires with both replicas up is notified once; a group that fires while a is
// SIGKILLed is notified once by b, and not again when a restarts and evaluates it too; a silence
// created on a while b is SIGKILLed mutes the alert on b after b restarts. Prints the figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureNatsServer,
  freePort,
  getJson,
  spawnCanopy,
  spawnProc,
  tempDir,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';
import { waitForPort } from '../../topology/ports.ts';
import { natsServerConfig, zoneUser } from '../../topology/nats-config.ts';
import { WebhookReceiver } from './alert-webhook.ts';

const PEER_TIMEOUT_MS = 1000;
const RULES = `
groups:
  - name: ha
    interval: 1s
    rules:
      - alert: BothUp
        expr: both_value > 0
      - alert: Failover
        expr: failover_value > 0
      - alert: Muted
        expr: muted_value > 0
`;
const notifierConfig = (url: string): string => `
route:
  receiver: hook
  group_by: ['alertname']
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: '${url}/hook'
`;

interface Replica {
  name: string;
  url: string;
  args: string[];
  proc?: Proc;
}

let dir: ReturnType<typeof tempDir>;
let hook: WebhookReceiver;
let nats: Proc | undefined;
const reps: Record<'a' | 'b', Replica> = {} as never;

const posts = (alertname: string): number =>
  hook.on('/hook').filter((r) => r.body.groupLabels.alertname === alertname).length;
const figures: string[] = [];

async function start(r: Replica): Promise<number> {
  const t0 = Date.now();
  r.proc = spawnCanopy(`zone-${r.name}`, r.args);
  assert.ok(
    await waitForHttp(`${r.url}/readyz`, 30_000),
    `replica ${r.name} did not start: ${r.proc.output.slice(-20).join('\n')}`,
  );
  return Date.now() - t0;
}

async function kill(r: Replica): Promise<void> {
  await r.proc?.stop('SIGKILL');
  r.proc = undefined;
}

async function push(r: Replica, metric: string): Promise<void> {
  const res = await fetch(`${r.url}/api/v1/push`, {
    method: 'POST',
    body: JSON.stringify([{ metric, value: 1, timestamp: Date.now() }]),
  });
  assert.equal(res.status, 204, await res.text());
}

async function firing(r: Replica, alertname: string): Promise<boolean> {
  const { body } = await getJson(`${r.url}/api/v1/alerts`);
  return body.data.alerts.some((a: any) => a.labels.alertname === alertname && a.state === 'firing');
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

before(async () => {
  dir = tempDir('alert-ha');
  hook = await new WebhookReceiver().start();
  writeFileSync(join(dir.path, 'rules.yml'), RULES);
  writeFileSync(join(dir.path, 'am.yml'), notifierConfig(hook.url));
  const natsPort = await freePort();
  const conf = join(dir.path, 'nats.conf');
  writeFileSync(
    conf,
    natsServerConfig({
      host: '127.0.0.1',
      port: natsPort,
      root: { user: 'root', password: 'root-pw' },
      zones: [{ zone: 'z1', user: zoneUser('z1'), password: 'z1-pw' }],
    }),
  );
  writeFileSync(join(dir.path, 'z1.pw'), 'z1-pw');
  nats = spawnProc('nats', ensureNatsServer(), ['-c', conf]);
  assert.ok(
    await waitForPort('127.0.0.1', natsPort, 15_000),
    `nats-server did not start: ${nats.output.join('\n')}`,
  );
  for (const name of ['a', 'b'] as const) {
    const port = await freePort();
    reps[name] = {
      name,
      url: `http://127.0.0.1:${port}`,
      args: [
        'zone',
        '--zone',
        'z1',
        '--replica',
        name,
        '--nats',
        `nats://127.0.0.1:${natsPort}`,
        '--nats-user',
        zoneUser('z1'),
        '--nats-password-file',
        join(dir.path, 'z1.pw'),
        '--listen',
        `127.0.0.1:${port}`,
        '--grpc-listen',
        `127.0.0.1:${await freePort()}`,
        '--data-dir',
        join(dir.path, name),
        '--rule-file',
        join(dir.path, 'rules.yml'),
        '--notifier-config',
        join(dir.path, 'am.yml'),
        '--alert-peer-timeout',
        `${PEER_TIMEOUT_MS}ms`,
      ],
    };
  }
  await Promise.all([start(reps.a), start(reps.b)]);
  // Both replicas hear each other before the first alert (3 heartbeats at most).
  await waitFor(
    'two live replicas',
    async () => {
      const m = await (await fetch(`${reps.a.url}/metrics`)).text();
      return /canopy_notifier_cluster_peers 2/.test(m);
    },
    15_000,
  );
});

after(async () => {
  for (const r of Object.values(reps)) await r.proc?.stop();
  await nats?.stop();
  await hook?.stop();
  process.stdout.write(`# ${figures.join('\n# ')}\n`);
  dir?.remove();
});

test('both replicas up: a firing group is notified once', async () => {
  const t0 = Date.now();
  await Promise.all([push(reps.a, 'both_value'), push(reps.b, 'both_value')]);
  await waitFor('BothUp at the webhook', async () => posts('BothUp') > 0, 15_000, 20);
  const latency = Date.now() - t0;
  await waitFor(
    'BothUp firing on both',
    async () => (await firing(reps.a, 'BothUp')) && (await firing(reps.b, 'BothUp')),
    10_000,
  );
  // b (position 1) flushes peer_timeout later and every group_interval: give it several rounds.
  await settle(PEER_TIMEOUT_MS + 4000);
  figures.push(`both up: BothUp notified ${posts('BothUp')} time(s), first after ${latency} ms`);
  assert.equal(posts('BothUp'), 1, 'one notification for the group, not one per replica');
});

test('a SIGKILLed, b notifies a new group once; a restarts, evaluates it too, and does not notify again', async () => {
  await kill(reps.a);
  const t0 = Date.now();
  await push(reps.b, 'failover_value');
  await waitFor('Failover at the webhook (from b)', async () => posts('Failover') > 0, 20_000, 20);
  const latency = Date.now() - t0;
  const restartMs = await start(reps.a);
  await push(reps.a, 'failover_value');
  await waitFor('Failover firing on the restarted a', async () => firing(reps.a, 'Failover'), 15_000);
  await settle(PEER_TIMEOUT_MS + 4000);
  figures.push(
    `a killed: Failover notified ${posts('Failover')} time(s) (first by b ${latency} ms after the push); a restarted in ${restartMs} ms; BothUp ${posts('BothUp')}`,
  );
  assert.equal(
    posts('Failover'),
    1,
    'the restarted replica must not notify a group its peer already notified',
  );
  assert.equal(posts('BothUp'), 1);
});

test('a silence created on a while b is down holds on b after b restarts', async () => {
  await kill(reps.b);
  const res = await fetch(`${reps.a.url}/api/v2/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      matchers: [{ name: 'alertname', value: 'Muted', isRegex: false, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: 'test',
      comment: 'made on a while b was down',
    }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const { silenceID } = JSON.parse(text) as { silenceID: string };
  const t0 = Date.now();
  await start(reps.b);
  await waitFor(
    'the silence on b',
    async () => (await getJson(`${reps.b.url}/api/v2/silences`)).body.some((s: any) => s.id === silenceID),
    10_000,
    20,
  );
  const syncMs = Date.now() - t0;
  await Promise.all([push(reps.a, 'muted_value'), push(reps.b, 'muted_value')]);
  await waitFor(
    'Muted firing on both',
    async () => (await firing(reps.a, 'Muted')) && (await firing(reps.b, 'Muted')),
    15_000,
  );
  const { body } = await getJson(`${reps.b.url}/api/v2/alerts?filter=alertname%3D%22Muted%22`);
  assert.equal(body.length, 1);
  assert.equal(body[0].status.state, 'suppressed');
  assert.deepEqual(body[0].status.silencedBy, [silenceID]);
  await settle(PEER_TIMEOUT_MS + 4000);
  figures.push(
    `silence made on a while b was down: on b ${syncMs} ms after b's restart began; Muted notified ${posts('Muted')} time(s); total posts ${hook.on('/hook').length}`,
  );
  assert.equal(posts('Muted'), 0, 'the silence holds on both replicas');
  assert.equal(posts('Failover') + posts('BothUp'), 2);
});
