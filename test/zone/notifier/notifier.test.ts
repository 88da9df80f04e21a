// The notifier's pieces: Alertmanager config parsing (amtool agreement on the example), the
// routing tree with `continue`, dedup (needsUpdate), silences (persisted, expiry), inhibition,
// payload formats, and grouping/dedup/resolution through the Notifier with a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../../topology/path.ts';
import { silentLogger } from '../../../shared/log.ts';
import { fingerprint, Notifier, parseNotifierConfig } from '../../../zone/notifier/index.ts';
import { Route } from '../../../zone/notifier/route.ts';
import { needsUpdate } from '../../../zone/notifier/notification-log.ts';
import { Silences } from '../../../zone/notifier/silences.ts';
import { openNotifierDb } from '../../../zone/notifier/notifier-db.ts';
import { Inhibitor } from '../../../zone/notifier/inhibition.ts';
import { parseMatchers } from '../../../zone/notifier/label-matchers.ts';
import { pagerdutyPayload, slackPayload, webhookPayload } from '../../../zone/notifier/integrations.ts';
import type { NotifierAlert } from '../../../zone/notifier/alert.ts';

const EXAMPLE = join(import.meta.dirname, '../../../examples/alertmanager.yml');

function alert(labels: Record<string, string>, endsAtMs = 0, startsAtMs = 1000): NotifierAlert {
  return {
    labels,
    annotations: {},
    startsAtMs,
    endsAtMs,
    updatedAtMs: startsAtMs,
    generatorURL: '',
    fingerprint: fingerprint(labels),
    timeout: false,
  };
}

test(
  'the example alertmanager.yml parses, and amtool check-config accepts it',
  { skip: findOnPath('amtool') ? false : 'amtool not installed' },
  () => {
    const c = parseNotifierConfig(EXAMPLE);
    assert.deepEqual([...c.receivers.keys()], ['team-webhook', 'team-slack', 'oncall-pagerduty']);
    assert.equal(c.inhibitRules.length, 1);
    const r = spawnSync('amtool', ['check-config', EXAMPLE], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  },
);

test('config errors name the file and key', () => {
  const bad: [string, RegExp][] = [
    ['route:\n  receiver: x\nreceivers: []\n', /f\.yml: key "route.receiver": undefined receiver "x"/],
    [
      'route:\n  receiver: x\n  group_wait: soon\nreceivers:\n  - name: x\n',
      /f\.yml: key "route.group_wait": expected a duration/,
    ],
    [
      'route:\n  receiver: x\n  routes:\n    - matchers: ["a=~("]\nreceivers:\n  - name: x\n',
      /route.routes\[0\].matchers\[0\]/,
    ],
    [
      'route:\n  receiver: x\nreceivers:\n  - name: x\n    webhook_configs:\n      - url: notaurl\n',
      /receivers\[0\].webhook_configs\[0\].url": expected a URL/,
    ],
    [
      'route:\n  receiver: x\nreceivers:\n  - name: x\n    webhook_configs:\n      - url: http://a\n        sendresolved: true\n',
      /key "receivers\[0\].webhook_configs\[0\].sendresolved": unknown key/,
    ],
  ];
  for (const [text, re] of bad)
    assert.throws(
      () => parseNotifierConfig('f.yml', text),
      (e: Error) => (assert.match(e.message, re), true),
    );
});

test('routing: first matching child wins unless it has continue; inherited group_by and timings', () => {
  const c = parseNotifierConfig(EXAMPLE);
  const root = new Route(c.route);
  const names = (l: Record<string, string>): string[] => root.match(l).map((r) => r.cfg.receiver);
  assert.deepEqual(names({ alertname: 'X', severity: 'page' }), ['oncall-pagerduty', 'team-slack']);
  assert.deepEqual(names({ alertname: 'X', severity: 'critical' }), ['team-slack']);
  assert.deepEqual(names({ alertname: 'LeafHeartbeatMissing', severity: 'info' }), ['team-webhook']);
  assert.deepEqual(names({ alertname: 'Other' }), ['team-webhook']);
  const pd = root.match({ alertname: 'X', severity: 'page', zone: 'eu', host: 'h' })[0]!;
  assert.deepEqual(pd.groupLabels({ alertname: 'X', severity: 'page', zone: 'eu', host: 'h' }), {
    alertname: 'X',
    zone: 'eu',
  });
  assert.equal(pd.cfg.groupWaitMs, 10_000);
  assert.equal(root.match({ alertname: 'LeafX' })[0]!.cfg.groupWaitMs, 0);
});

test("needsUpdate follows Alertmanager's dedup stage", () => {
  const s = (...x: string[]): Set<string> => new Set(x);
  assert.equal(needsUpdate(undefined, s('a'), s(), true, 1000, 0), true);
  assert.equal(needsUpdate(undefined, s(), s('a'), true, 1000, 0), false, 'only resolved and never notified');
  const e = { firing: s('a', 'b'), resolved: s(), tsMs: 100 };
  assert.equal(
    needsUpdate(e, s('a'), s(), false, 1000, 200),
    false,
    'subset of what was sent, repeat not due',
  );
  assert.equal(needsUpdate(e, s('a', 'c'), s(), false, 1000, 200), true, 'new firing alert');
  assert.equal(needsUpdate(e, s('a'), s('b'), true, 1000, 200), true, 'newly resolved with send_resolved');
  assert.equal(needsUpdate(e, s('a'), s('b'), false, 1000, 200), false);
  assert.equal(needsUpdate(e, s(), s('a', 'b'), false, 1000, 200), true, 'all resolved clears the log');
  assert.equal(needsUpdate(e, s('a'), s(), false, 1000, 1100), true, 'repeat_interval passed');
});

test('silences: match, persist across restarts, expire', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-sil-'));
  try {
    let now = 10_000;
    const db = openNotifierDb(join(dir, 'n.db'));
    const sil = new Silences(db, () => now);
    const id = sil.set({
      matchers: [
        { name: 'alertname', value: 'A', isRegex: false, isEqual: true },
        { name: 'host', value: 'h[12]', isRegex: true, isEqual: true },
      ],
      startsAtMs: now,
      endsAtMs: now + 60_000,
      createdBy: 't',
      comment: 'c',
    });
    assert.deepEqual(sil.mutes({ alertname: 'A', host: 'h1' }), [id]);
    assert.deepEqual(sil.mutes({ alertname: 'A', host: 'h3' }), []);
    assert.deepEqual(sil.mutes({ alertname: 'B', host: 'h1' }), []);
    const mem = new Silences(undefined, () => now);
    const bad = (value: string): void =>
      void mem.set({
        matchers: [
          { name: 'alertname', value: 'A', isRegex: false, isEqual: true },
          { name: 'host', value, isRegex: true, isEqual: true },
        ],
        startsAtMs: now,
        endsAtMs: now + 1000,
        createdBy: '',
        comment: '',
      });
    // Alertmanager 0.25's validateSilence text; the regex is checked as written (unanchored).
    assert.throws(
      () => bad('(a'),
      (e: Error) =>
        e.message ===
        'silence invalid: invalid label matcher 1: invalid regular expression "(a": error parsing regexp: missing closing ): `(a`',
    );
    assert.throws(
      () => bad('a)(b'),
      /invalid label matcher 1: invalid regular expression "a\)\(b": error parsing regexp: unexpected \): `a\)\(b`/,
    );
    const fold = mem.set({
      matchers: [{ name: 'host', value: '(?i)H[12]', isRegex: true, isEqual: true }],
      startsAtMs: now,
      endsAtMs: now + 1000,
      createdBy: '',
      comment: '',
    });
    assert.deepEqual(mem.mutes({ alertname: 'Z', host: 'h2' }), [fold]);
    assert.throws(
      () =>
        sil.set({
          matchers: [{ name: 'a', value: '.*', isRegex: true, isEqual: true }],
          startsAtMs: now,
          endsAtMs: now + 1,
          createdBy: '',
          comment: '',
        }),
      /must not match the empty string/,
    );
    db.close();
    const db2 = openNotifierDb(join(dir, 'n.db'));
    const again = new Silences(db2, () => now);
    assert.deepEqual(again.mutes({ alertname: 'A', host: 'h2' }), [id], 'persisted');
    now += 60_000;
    assert.deepEqual(again.mutes({ alertname: 'A', host: 'h2' }), [], 'expired by time');
    assert.throws(() => again.expire(id), /already expired/);
    now += 121 * 3_600_000;
    assert.equal(again.gc(), 1);
    db2.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inhibition: equal labels, resolved sources, two-sided matches', () => {
  const c = parseNotifierConfig(
    'f.yml',
    'route:\n  receiver: x\nreceivers:\n  - name: x\ninhibit_rules:\n  - source_matchers: [\'severity="critical"\']\n    target_matchers: [\'severity=~"warning|critical"\']\n    equal: [instance]\n',
  );
  const alerts = [
    alert({ alertname: 'Src', severity: 'critical', instance: 'a' }),
    alert({ alertname: 'Old', severity: 'critical', instance: 'b' }, 500),
  ];
  const inh = new Inhibitor(c.inhibitRules, () => alerts);
  const t = alert({ alertname: 'T', severity: 'warning', instance: 'a' });
  assert.deepEqual(inh.inhibitedBy(t.labels, t.fingerprint, 1000), [alerts[0]!.fingerprint]);
  const other = alert({ alertname: 'T', severity: 'warning', instance: 'c' });
  assert.deepEqual(inh.inhibitedBy(other.labels, other.fingerprint, 1000), []);
  const b = alert({ alertname: 'T', severity: 'warning', instance: 'b' });
  assert.deepEqual(inh.inhibitedBy(b.labels, b.fingerprint, 1000), [], 'a resolved source does not inhibit');
  const crit = alert({ alertname: 'Other', severity: 'critical', instance: 'a' });
  assert.deepEqual(
    inh.inhibitedBy(crit.labels, crit.fingerprint, 1000),
    [],
    'both sides: not inhibited by alerts matching both sides',
  );
});

test('payloads: webhook v4, Slack attachment, PagerDuty Events v2', () => {
  const n = {
    receiver: 'r',
    groupKey: '{}:{alertname="A"}',
    groupLabels: { alertname: 'A' },
    externalURL: 'http://zone',
    nowMs: 5000,
    alerts: [alert({ alertname: 'A', i: '1' }), alert({ alertname: 'A', i: '2' }, 4000)],
  };
  n.alerts[0]!.annotations = { summary: 's' };
  const w = webhookPayload(n, 1) as any;
  assert.equal(w.version, '4');
  assert.equal(w.status, 'firing');
  assert.equal(w.truncatedAlerts, 1);
  assert.deepEqual(w.commonLabels, { alertname: 'A' });
  assert.equal(w.alerts[0].endsAt, '0001-01-01T00:00:00Z');
  assert.equal(
    webhookPayload(n, 0).alerts instanceof Array && (webhookPayload(n, 0) as any).alerts[1].status,
    'resolved',
  );
  const sl = slackPayload(n, {
    kind: 'slack',
    url: 'http://s',
    sendResolved: false,
    channel: '#c',
    username: 'u',
    title: '',
    text: '',
  }) as any;
  assert.equal(sl.channel, '#c');
  assert.equal(sl.attachments[0].title, '[FIRING:1] A');
  assert.equal(sl.attachments[0].color, 'danger');
  const pd = pagerdutyPayload(n, {
    kind: 'pagerduty',
    url: 'http://p',
    sendResolved: true,
    routingKey: 'k',
    severity: 'critical',
    client: 'Canopy',
    clientURL: '',
    description: '',
  }) as any;
  assert.equal(pd.event_action, 'trigger');
  assert.equal(pd.routing_key, 'k');
  assert.match(pd.dedup_key, /^[0-9a-f]{64}$/);
  assert.equal(pd.payload.severity, 'critical');
  assert.equal(pd.payload.custom_details.num_resolved, '1');
});

test('Notifier: one notification per group, dedup across flushes, resolved notification', async () => {
  const posts: any[] = [];
  const { createServer } = await import('node:http');
  const srv = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      posts.push(JSON.parse(b));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(srv.address() as any).port}/`;
  const cfg = parseNotifierConfig(
    'f.yml',
    `route:\n  receiver: w\n  group_by: [alertname]\n  group_wait: 50ms\n  group_interval: 100ms\nreceivers:\n  - name: w\n    webhook_configs:\n      - url: '${url}'\n`,
  );
  const n = new Notifier({
    config: cfg,
    dbPath: ':memory:',
    externalURL: 'http://z',
    logger: silentLogger(),
  });
  try {
    const now = Date.now();
    n.put(
      Array.from({ length: 20 }, (_, i) => ({
        labels: { alertname: 'G', i: String(i) },
        annotations: {},
        startsAtMs: now,
        endsAtMs: now + 60_000,
        generatorURL: '',
      })),
    );
    n.put([
      {
        labels: { alertname: 'H' },
        annotations: {},
        startsAtMs: now,
        endsAtMs: now + 60_000,
        generatorURL: '',
      },
    ]);
    // Poll (a loaded CI machine delays timers), then give repeats a chance to show up.
    for (let i = 0; i < 100 && posts.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(posts.length, 2, 'one per group, no repeats');
    assert.equal(posts.find((p) => p.groupLabels.alertname === 'G').alerts.length, 20);
    n.put([
      {
        labels: { alertname: 'H' },
        annotations: {},
        startsAtMs: now,
        endsAtMs: Date.now(),
        generatorURL: '',
      },
    ]);
    for (let i = 0; i < 100 && posts.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    const last = posts.at(-1);
    assert.equal(last.status, 'resolved');
    assert.equal(last.groupLabels.alertname, 'H');
    assert.equal(posts.length, 3);
  } finally {
    await n.stop();
    srv.close();
  }
});

test('notifier config accepts unsupported Alertmanager keys but reports them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-am-'));
  try {
    const f = join(dir, 'am.yml');
    writeFileSync(
      f,
      "global:\n  smtp_smarthost: 'localhost:25'\nroute:\n  receiver: e\nreceivers:\n  - name: e\n    email_configs:\n      - to: a@b.c\ntemplates: ['*.tmpl']\n",
    );
    const c = parseNotifierConfig(f);
    assert.deepEqual(c.ignored.sort(), ['global.smtp_smarthost', 'receivers[0].email_configs', 'templates']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('notifier templates: Alertmanager data, range, built-in named templates; broken ones fail the config', () => {
  const n = {
    receiver: 'r',
    groupKey: 'k',
    groupLabels: { alertname: 'A' },
    externalURL: 'http://zone',
    nowMs: 5000,
    alerts: [
      alert({ alertname: 'A', i: '1' }),
      alert({ alertname: 'A', i: '2' }),
      alert({ alertname: 'A', i: '3' }, 4000),
    ],
  };
  const cfg = {
    kind: 'slack' as const,
    url: 'http://s',
    sendResolved: true,
    channel: '',
    username: 'u',
    title:
      '{{ .CommonLabels.alertname }}: {{ len .Alerts.Firing }} firing, {{ len .Alerts.Resolved }} resolved',
    text: '{{ range .Alerts.Firing }}<{{ .Labels.i }}>{{ end }}{{ with .CommonAnnotations.nope }}x{{ else }}!{{ end }}',
  };
  const p = slackPayload(n, cfg) as any;
  assert.equal(p.attachments[0].title, 'A: 2 firing, 1 resolved');
  assert.equal(p.attachments[0].text, '<1><2>!');
  const d = slackPayload(n, {
    ...cfg,
    title: '{{ template "slack.default.title" . }}',
    text: '{{ template "custom.from.a.file" . }}',
  }) as any;
  assert.equal(d.attachments[0].title, '[FIRING:2] A');
  assert.match(d.attachments[0].text, /^🔥 A\n🔥 A\n✅ A$/, 'unknown named template → default text');
  assert.throws(
    () =>
      parseNotifierConfig(
        'f.yml',
        "route:\n  receiver: s\nreceivers:\n  - name: s\n    slack_configs:\n      - api_url: http://s\n        title: '{{ .Status '\n",
      ),
    /f\.yml: key "receivers\[0\]\.slack_configs\[0\]\.title": template: /,
  );
});

test(
  'matcher regexes are RE2 with Go error texts, accepted and rejected as amtool 0.25 does',
  { skip: findOnPath('amtool') ? false : 'amtool is not installed' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'am-re-'));
    try {
      const cfg = (route: string): string =>
        `route:\n  receiver: x\n  routes:\n    - receiver: x\n${route}receivers:\n  - name: x\n`;
      const cases: [string, string | null][] = [
        ['      matchers: ["a=~(b"]\n', 'error parsing regexp: missing closing ): `^(?:(b)$`'],
        [
          '      match_re:\n        a: "(?<n>b)"\n',
          'error parsing regexp: invalid or unsupported Perl syntax: `(?<`',
        ],
        ['      match_re:\n        a: "a)(b"\n', null], // valid once wrapped in ^(?:…)$, as Alertmanager compiles it
        ['      matchers: [\'a=~"(?i)PROD|\\\\pL+"\']\n', null],
        ['      matchers: [\'a=~"h\\d+"\']\n', null], // a spurious escape keeps its backslash
      ];
      for (const [route, want] of cases) {
        const f = join(dir, 'am.yml');
        writeFileSync(f, cfg(route));
        const am = spawnSync(findOnPath('amtool')!, ['check-config', f], { encoding: 'utf8' });
        let ours: string | null = null;
        try {
          parseNotifierConfig(f);
        } catch (e) {
          ours = (e as Error).message;
        }
        if (want === null) {
          assert.equal(am.status, 0, `amtool: ${am.stdout}${am.stderr}`);
          assert.equal(ours, null);
        } else {
          assert.ok(`${am.stdout}${am.stderr}`.includes(want), `amtool: ${am.stdout}${am.stderr}`);
          assert.ok(ours?.includes(want), `ours: ${ours}`);
        }
      }
      const [m] = parseMatchers('a=~"(?i)PROD|\\pL+"', 'test');
      assert.deepEqual(
        ['prod', 'PrOd', 'héllo', 'h3llo', ''].map((v) => m!.matches(v)),
        [true, true, true, false, false],
      );
      const [d] = parseMatchers('a=~"h\\d+"', 'test');
      assert.deepEqual(
        ['h12', 'hd', 'h\\d'].map((v) => d!.matches(v)),
        [true, false, false],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
