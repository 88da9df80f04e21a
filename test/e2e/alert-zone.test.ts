// Zone-local alerting end to end, as real processes: one zone (no NATS, no root) with a rule
// file evaluated every 1 s and an Alertmanager-format notifier config pointing at a webhook
// server in this test. Values arrive through the zone's JSON push. Covers: threshold → webhook
// latency (printed), silences and inhibition muting exactly what they match, 50 alerts in one
// notification, a failing receiver retried and counted, amtool against the zone, and a zone
// restart while an alert is pending (`for` continues from the persisted state).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../topology/path.ts';
import { freePort, getJson, spawnCanopy, tempDir, waitFor, waitForHttp, type Proc } from './harness.ts';
import { WebhookReceiver } from './alert-webhook.ts';

let dir: ReturnType<typeof tempDir>;
let hook: WebhookReceiver;
let zone: Proc | undefined;
let zoneUrl = '';
let zoneArgs: string[] = [];

const RULES = `
groups:
  - name: fast
    interval: 1s
    rules:
      - alert: HighValue
        expr: test_value > 10
        labels: { severity: page }
        annotations:
          summary: 'value {{ $value }} on {{ $labels.host }} in {{ $externalLabels.zone }}'
      - alert: Slow
        expr: pending_value > 0
        for: 8s
      - alert: Many
        expr: many_value > 0
      - alert: Flaky
        expr: flaky_value > 0
      - alert: Broken
        expr: broken_value > 0
      - alert: DiskFull
        expr: inhib_source > 0
        labels: { severity: critical }
      - alert: DiskSlow
        expr: inhib_target > 0
        labels: { severity: warning }
      - alert: Muted
        expr: muted_value > 0
      - record: test_value:doubled
        expr: test_value * 2
`;

function notifierConfig(hookUrl: string): string {
  const r = (name: string, path = name): string =>
    `  - name: ${name}\n    webhook_configs:\n      - url: '${hookUrl}/${path}'\n`;
  return `
route:
  receiver: default
  group_by: ['alertname']
  group_wait: 0s
  group_interval: 2s
  repeat_interval: 1h
  routes:
    - matchers: ['severity="page"']
      receiver: chat
      continue: true
    - matchers: ['alertname="Many"']
      receiver: many
      group_wait: 500ms
    - matchers: ['alertname="Flaky"']
      receiver: flaky
    - matchers: ['alertname="Broken"']
      receiver: broken
    - matchers: ['alertname=~"Disk.*"']
      receiver: disk
      group_by: ['alertname', 'instance']
    - matchers: ['alertname="Muted"']
      receiver: muted
      group_by: ['...']
    - receiver: default # after a 'continue' match the parent route is not used: catch the rest here
receivers:
${['default', 'many', 'flaky', 'broken', 'disk', 'muted'].map((n) => r(n)).join('')}
  - name: chat
    slack_configs:
      - api_url: '${hookUrl}/slack'
        channel: '#ops'
        send_resolved: true
        title: '{{ .CommonLabels.alertname }} ({{ .Status }})'
        text: '{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}'
    pagerduty_configs:
      - routing_key: 'rk-1'
        url: '${hookUrl}/pd'
inhibit_rules:
  - source_matchers: ['alertname="DiskFull"']
    target_matchers: ['severity="warning"']
    equal: ['instance']
`;
}

async function push(
  items: { metric: string; tags?: Record<string, string>; value: number }[],
): Promise<void> {
  const t = Date.now();
  const r = await fetch(`${zoneUrl}/api/v1/push`, {
    method: 'POST',
    body: JSON.stringify(items.map((i) => ({ ...i, timestamp: t }))),
  });
  assert.equal(r.status, 204, await r.text());
}

async function startZone(): Promise<void> {
  zone = spawnCanopy('zone', zoneArgs);
  assert.ok(
    await waitForHttp(`${zoneUrl}/readyz`, 30_000),
    `zone did not start: ${zone.output.slice(-20).join('\n')}`,
  );
}

before(async () => {
  dir = tempDir('alert-zone');
  hook = await new WebhookReceiver().start();
  hook.script.set('/flaky', [500, 503]);
  hook.script.set('/broken', [400, 400, 400]);
  writeFileSync(join(dir.path, 'rules.yml'), RULES);
  writeFileSync(join(dir.path, 'am.yml'), notifierConfig(hook.url));
  const port = await freePort();
  zoneUrl = `http://127.0.0.1:${port}`;
  zoneArgs = [
    'zone',
    '--zone',
    'z1',
    '--region',
    'r1',
    '--listen',
    `127.0.0.1:${port}`,
    '--grpc-listen',
    `127.0.0.1:${await freePort()}`,
    '--data-dir',
    join(dir.path, 'data'),
    '--rule-file',
    join(dir.path, 'rules.yml'),
    '--notifier-config',
    join(dir.path, 'am.yml'),
    '--web.enable-lifecycle',
  ];
  await startZone();
});

after(async () => {
  await zone?.stop();
  await hook?.stop();
  dir?.remove();
});

test('a value crossing a threshold reaches the webhook within 5 s (1 s evaluation interval)', async () => {
  await push([{ metric: 'test_value', tags: { host: 'a' }, value: 1 }]);
  const t0 = Date.now();
  await push([{ metric: 'test_value', tags: { host: 'a' }, value: 42 }]);
  const got = await waitFor(
    'HighValue at the webhook',
    async () => hook.on('/default').find((r) => r.body.commonLabels.alertname === 'HighValue'),
    10_000,
    20,
  );
  const latencyMs = got.atMs - t0;
  process.stdout.write(`# alert latency (push → zone rule → notifier → webhook): ${latencyMs} ms\n`);
  assert.ok(latencyMs < 5000, `latency ${latencyMs} ms`);
  const b = got.body;
  assert.equal(b.version, '4');
  assert.equal(b.status, 'firing');
  assert.equal(b.receiver, 'default');
  assert.deepEqual(b.groupLabels, { alertname: 'HighValue' });
  assert.equal(b.alerts.length, 1);
  assert.equal(b.alerts[0].labels.zone, 'z1', 'external labels are attached to notified alerts');
  assert.equal(b.alerts[0].labels.severity, 'page');
  assert.equal(b.alerts[0].annotations.summary, 'value 42 on a in z1');
  assert.match(b.alerts[0].fingerprint, /^[0-9a-f]{16}$/);
  assert.equal(
    b.groupKey,
    '{}/{}:{alertname="HighValue"}',
    'the catch-all child route took it after the continue route',
  );

  // Prometheus API shapes; the recording rule wrote back into the TSDB; ALERTS series exist.
  const rules = (await getJson(`${zoneUrl}/api/v1/rules`)).body;
  const high = rules.data.groups[0].rules.find((r: any) => r.name === 'HighValue');
  assert.equal(high.type, 'alerting');
  assert.equal(high.state, 'firing');
  const alerts = (await getJson(`${zoneUrl}/api/v1/alerts`)).body.data.alerts;
  assert.ok(
    alerts.some((a: any) => a.labels.alertname === 'HighValue' && a.state === 'firing' && a.value === '42'),
  );
  const rec = await waitFor(
    'recorded series',
    async () => {
      const r = (await getJson(`${zoneUrl}/api/v1/query?query=test_value:doubled`)).body;
      return r.data.result.find((s: any) => s.value[1] === '84');
    },
    5000,
  );
  assert.equal(rec.metric.host, 'a');
  const al = (
    await getJson(`${zoneUrl}/api/v1/query?query=${encodeURIComponent('ALERTS{alertname="HighValue"}')}`)
  ).body;
  assert.equal(al.data.result[0].metric.alertstate, 'firing');

  // Resolution is notified (send_resolved defaults to true for webhooks).
  await push([{ metric: 'test_value', tags: { host: 'a' }, value: 0 }]);
  const res = await waitFor(
    'resolved notification',
    async () =>
      hook
        .on('/default')
        .find((r) => r.body.commonLabels.alertname === 'HighValue' && r.body.status === 'resolved'),
    10_000,
    50,
  );
  assert.notEqual(res.body.alerts[0].endsAt, '0001-01-01T00:00:00Z');

  // The same alert also went (continue: true) to Slack- and PagerDuty-style receivers.
  const slack = hook.on('/slack');
  assert.equal(slack[0]!.body.channel, '#ops');
  assert.equal(slack[0]!.body.attachments[0].title, 'HighValue (firing)');
  assert.equal(slack[0]!.body.attachments[0].text, 'value 42 on a in z1');
  const pd = await waitFor(
    'PagerDuty resolve',
    async () => (hook.on('/pd').length >= 2 ? hook.on('/pd') : undefined),
    5000,
    50,
  );
  assert.deepEqual(
    pd.map((p) => p.body.event_action),
    ['trigger', 'resolve'],
  );
  assert.equal(pd[0]!.body.routing_key, 'rk-1');
  assert.equal(pd[0]!.body.dedup_key, pd[1]!.body.dedup_key);
  assert.equal(pd[0]!.body.payload.summary, '[FIRING:1] HighValue');
});

test('grouping: 50 alerts of one group arrive as one notification', async () => {
  await push(
    Array.from({ length: 50 }, (_, i) => ({ metric: 'many_value', tags: { instance: `i${i}` }, value: 1 })),
  );
  await waitFor('Many notification', async () => hook.on('/many').length > 0, 10_000, 50);
  await new Promise((r) => setTimeout(r, 2500)); // a later group_interval must not resend (dedup)
  const got = hook.on('/many');
  assert.equal(got.length, 1, `expected one notification, got ${got.length}`);
  assert.equal(got[0]!.body.alerts.length, 50);
  assert.deepEqual(got[0]!.body.groupLabels, { alertname: 'Many' });
});

test('inhibition mutes exactly the targets with an equal instance; silences mute exactly what they match', async () => {
  const end = new Date(Date.now() + 3_600_000).toISOString();
  const sil = await fetch(`${zoneUrl}/api/v2/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      matchers: [
        { name: 'alertname', value: 'Muted', isRegex: false },
        { name: 'host', value: 'a|c', isRegex: true },
      ],
      startsAt: new Date().toISOString(),
      endsAt: end,
      createdBy: 'test',
      comment: 'mute a and c',
    }),
  });
  assert.equal(sil.status, 200);
  const { silenceID } = (await sil.json()) as { silenceID: string };
  await push([
    { metric: 'inhib_source', tags: { instance: 'x' }, value: 1 },
    { metric: 'inhib_target', tags: { instance: 'x' }, value: 1 },
    { metric: 'inhib_target', tags: { instance: 'y' }, value: 1 },
    { metric: 'muted_value', tags: { host: 'a' }, value: 1 },
    { metric: 'muted_value', tags: { host: 'b' }, value: 1 },
  ]);
  await waitFor(
    'disk and muted notifications',
    async () => hook.on('/disk').length >= 2 && hook.on('/muted').length >= 1,
    10_000,
    50,
  );
  await new Promise((r) => setTimeout(r, 2500));
  const disk = hook
    .on('/disk')
    .flatMap((r) => r.body.alerts.map((a: any) => `${a.labels.alertname}/${a.labels.instance}`))
    .sort();
  assert.deepEqual(
    disk,
    ['DiskFull/x', 'DiskSlow/y'],
    'DiskSlow/x is inhibited by DiskFull/x; DiskSlow/y is not',
  );
  const muted = hook.on('/muted').flatMap((r) => r.body.alerts.map((a: any) => a.labels.host));
  assert.deepEqual(muted, ['b']);
  const am = (
    await getJson(`${zoneUrl}/api/v2/alerts?filter=${encodeURIComponent('alertname=~"Muted|DiskSlow"')}`)
  ).body;
  const state = Object.fromEntries(
    am.map((a: any) => [`${a.labels.alertname}/${a.labels.host ?? a.labels.instance}`, a.status]),
  );
  assert.deepEqual(state['Muted/a'].silencedBy, [silenceID]);
  assert.equal(state['Muted/a'].state, 'suppressed');
  assert.equal(state['Muted/b'].state, 'active');
  assert.equal(state['DiskSlow/x'].inhibitedBy.length, 1);
  assert.equal(state['DiskSlow/y'].state, 'active');
  // Receiver filters are anchored RE2 regexes; a bad one is a 400 with Alertmanager's text.
  const bad = await fetch(`${zoneUrl}/api/v2/alerts?receiver=${encodeURIComponent('[')}`);
  assert.equal(bad.status, 400);
  assert.equal(
    await bad.json(),
    'failed to parse receiver param: error parsing regexp: missing closing ]: `[)$`',
  );
  const groups = (
    await getJson(`${zoneUrl}/api/v2/alerts/groups?receiver=${encodeURIComponent('(?i)MUTED')}`)
  ).body;
  assert.ok(
    groups.length > 0 && groups.every((g: any) => g.receiver.name === 'muted'),
    JSON.stringify(groups.map((g: any) => g.receiver.name)),
  );
  // Expiring the silence lets the muted alert through at the next group flush.
  assert.equal((await fetch(`${zoneUrl}/api/v2/silence/${silenceID}`, { method: 'DELETE' })).status, 200);
  await waitFor(
    'Muted/a after expiry',
    async () => hook.on('/muted').some((r) => r.body.alerts.some((a: any) => a.labels.host === 'a')),
    10_000,
    50,
  );
  const list = (await getJson(`${zoneUrl}/api/v2/silences`)).body;
  assert.equal(list.find((s: any) => s.id === silenceID).status.state, 'expired');
});

test('a failing receiver is retried with backoff and failures are counted', async () => {
  await push([
    { metric: 'flaky_value', value: 1 },
    { metric: 'broken_value', value: 1 },
  ]);
  await waitFor('flaky delivered after retries', async () => hook.on('/flaky').length >= 3, 15_000, 50);
  await waitFor('broken attempted', async () => hook.on('/broken').length >= 1, 10_000, 50);
  const flaky = hook.on('/flaky');
  assert.ok(flaky[1]!.atMs - flaky[0]!.atMs >= 150, 'backoff between attempts');
  const metrics = await waitFor(
    'failure counters',
    async () => {
      const m = await (await fetch(`${zoneUrl}/metrics`)).text();
      return /canopy_notifier_notifications_failed_total\{receiver="broken",integration="webhook",tenant="anonymous"\} 1/.test(
        m,
      )
        ? m
        : undefined;
    },
    5000,
  );
  assert.match(
    metrics,
    /canopy_notifier_notification_requests_failed_total\{receiver="flaky",integration="webhook",tenant="anonymous"\} 2/,
  );
  assert.doesNotMatch(metrics, /canopy_notifier_notifications_failed_total\{receiver="flaky"/);
  assert.equal(hook.on('/broken').length, 1, 'a 4xx answer is not retried');
});

test(
  'amtool works against the zone (silence add/query/expire, alert query)',
  { skip: findOnPath('amtool') ? false : 'amtool not installed (Debian package prometheus-alertmanager)' },
  () => {
    const am = (args: string[]): string => {
      const r = spawnSync('amtool', [`--alertmanager.url=${zoneUrl}`, ...args], {
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.equal(r.status, 0, `amtool ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const id = am([
      'silence',
      'add',
      'alertname=Nothing',
      'team=~"db.*"',
      '--comment=amtool test',
      '--duration=1h',
      '--author=ci',
    ]).trim();
    assert.match(id, /^[0-9a-f-]{36}$/);
    const q = JSON.parse(am(['silence', 'query', '-o', 'json', 'alertname=Nothing']));
    assert.equal(q.length, 1);
    assert.deepEqual(q[0].matchers.map((m: any) => [m.name, m.value, m.isRegex]).sort(), [
      ['alertname', 'Nothing', false],
      ['team', 'db.*', true],
    ]);
    am(['silence', 'expire', id]);
    const alerts = JSON.parse(am(['alert', 'query', '-o', 'json', 'alertname=DiskFull']));
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].labels.instance, 'x');
    assert.match(am(['config', 'show']), /inhibit_rules/);
  },
);

test('rules reload on POST /-/reload and SIGHUP; a bad file keeps the running rules', async () => {
  const file = join(dir.path, 'rules.yml');
  const groups = async (): Promise<string[]> =>
    (await getJson(`${zoneUrl}/api/v1/rules`)).body.data.groups.map((g: any) => g.name);
  writeFileSync(
    file,
    RULES + '  - name: added\n    rules:\n      - record: added_one\n        expr: vector(1)\n',
  );
  const ok = await fetch(`${zoneUrl}/-/reload`, { method: 'POST' });
  assert.equal(ok.status, 200, await ok.text());
  assert.deepEqual(await groups(), ['fast', 'added']);
  writeFileSync(file, RULES + '  - name: broken\n    rules:\n      - record: x\n        expr: sum(\n');
  const bad = await fetch(`${zoneUrl}/-/reload`, { method: 'POST' });
  assert.equal(bad.status, 500);
  assert.match(await bad.text(), /rules\.yml: group "broken": rules\[0\] \(record "x"\): key "expr"/);
  assert.deepEqual(await groups(), ['fast', 'added'], 'previous rules keep running');
  writeFileSync(file, RULES);
  process.kill(zone!.child.pid!, 'SIGHUP');
  await waitFor('SIGHUP reload', async () => (await groups()).join() === 'fast', 10_000, 100);
  const still = (await getJson(`${zoneUrl}/api/v2/alerts?filter=alertname%3D%22DiskFull%22`)).body;
  assert.equal(still.length, 1, 'notifier alerts survive a reload');
});

test('zone restarted while an alert is pending: `for` continues from the persisted state', async () => {
  await push([{ metric: 'pending_value', value: 1 }]);
  const pending = await waitFor(
    'Slow pending',
    async () => {
      const a = (await getJson(`${zoneUrl}/api/v1/alerts`)).body.data.alerts.find(
        (x: any) => x.labels.alertname === 'Slow',
      );
      return a?.state === 'pending' ? a : undefined;
    },
    10_000,
    100,
  );
  const activeAtMs = Date.parse(pending.activeAt);
  await new Promise((r) => setTimeout(r, Math.max(0, activeAtMs + 2000 - Date.now())));
  await zone!.stop();
  const stoppedAt = Date.now();
  await startZone();
  const restartedAt = Date.now();
  process.stdout.write(`# zone down for ${restartedAt - stoppedAt} ms while Slow was pending (for: 8s)\n`);
  const after = (await getJson(`${zoneUrl}/api/v1/alerts`)).body.data.alerts.find(
    (x: any) => x.labels.alertname === 'Slow',
  );
  if (after) assert.equal(Date.parse(after.activeAt), activeAtMs, 'activeAt restored from SQLite');
  const fired = await waitFor(
    'Slow at the webhook',
    async () => hook.on('/default').find((r) => r.body.commonLabels.alertname === 'Slow'),
    20_000,
    50,
  );
  const firedAfterActiveMs = fired.atMs - activeAtMs;
  process.stdout.write(
    `# Slow fired ${firedAfterActiveMs} ms after it became active (for: 8s; a reset 'for' would give >= 8 s after restart)\n`,
  );
  assert.ok(firedAfterActiveMs >= 8000, `fired too early: ${firedAfterActiveMs}`);
  // A reset `for` would fire >= ~7 s after the restarted zone is ready.
  assert.ok(
    fired.atMs - restartedAt < 6000,
    `for restarted: fired ${fired.atMs - restartedAt} ms after the restart`,
  );
  assert.equal(Date.parse(fired.body.alerts[0].startsAt) - activeAtMs >= 8000, true);
});
