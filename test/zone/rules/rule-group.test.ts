// Rule group evaluation over an in-memory storage: the alert state machine (pending → firing →
// resolved, keep_firing_for), ALERTS/ALERTS_FOR_STATE and recording results written back with
// stale markers, state persisted in SQLite and restored, aligned ticks, and the shipped
// host-health rule firing for a silent leaf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { Engine, isStaleNaN } from '../../../shared/promql/index.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';
import { silentLogger } from '../../../shared/log.ts';
import { loadRuleFile, parseRuleFile } from '../../../shared/rulefmt/index.ts';
import {
  AlertStateStore,
  engineRuleQuery,
  newRuleMetrics,
  RuleGroup,
  type OutgoingAlert,
  type RuleGroupDeps,
} from '../../../zone/rules/index.ts';

const engine = new Engine();
const metrics = newRuleMetrics();

function deps(storage: MemoryStorage, sent: OutgoingAlert[], store?: AlertStateStore): RuleGroupDeps {
  return {
    query: engineRuleQuery(engine, storage),
    storage,
    store,
    externalLabels: { zone: 'z' },
    externalURL: 'http://zone',
    defaultIntervalMs: 1000,
    resendDelayMs: 60_000,
    metrics,
    logger: silentLogger(),
    onAlerts: (a) => {
      sent.push(...a);
    },
  };
}

const RULES = `groups:
  - name: g
    interval: 1s
    rules:
      - alert: High
        expr: v > 10
        for: 3s
        keep_firing_for: 2s
        labels: { severity: page }
        annotations: { summary: 'v={{ $value }} host={{ $labels.host }}' }
      - record: v:x2
        expr: v * 2
`;

function put(s: MemoryStorage, tMs: number, f: number, host = 'a'): void {
  s.add(labelsFromRecord({ __name__: 'v', host }), tMs, f);
}

function read(s: MemoryStorage, name: string): { labels: Record<string, string>; t: number; f: number }[] {
  const out: { labels: Record<string, string>; t: number; f: number }[] = [];
  for (const [, ser] of (
    s as unknown as {
      series: Map<string, { labels: { name: string; value: string }[]; ts: number[]; fs: number[] }>;
    }
  ).series) {
    const rec = Object.fromEntries(ser.labels.map((l) => [l.name, l.value]));
    if (rec.__name__ !== name) continue;
    ser.ts.forEach((t, i) => out.push({ labels: rec, t, f: ser.fs[i]! }));
  }
  return out.sort((a, b) => a.t - b.t);
}

test('pending → firing after `for`, keep_firing_for, resolved; ALERTS and recording results written', async () => {
  const s = new MemoryStorage();
  const sent: OutgoingAlert[] = [];
  const g = new RuleGroup(parseRuleFile('r.yml', RULES)[0]!, deps(s, sent));
  const T = 1_000_000;
  put(s, T - 500, 20);
  const states: string[] = [];
  const alertRule = g.alerts;
  for (let i = 0; i <= 4; i++) {
    await g.evalAt(T + i * 1000);
    states.push(
      alertRule
        .call(g)
        .map((x) => x.alert.state)
        .join(','),
    );
  }
  assert.deepEqual(states, ['pending', 'pending', 'pending', 'firing', 'firing']);
  assert.equal(sent.length, 1, 'sent once when it fired (resend delay 1 m)');
  assert.deepEqual(sent[0]!.labels, { alertname: 'High', host: 'a', severity: 'page', zone: 'z' });
  assert.equal(sent[0]!.annotations.summary, 'v=20 host=a');
  assert.equal(sent[0]!.startsAtMs, T + 3000);
  assert.equal(sent[0]!.endsAtMs, T + 3000 + 240_000);
  // Value drops: keep_firing_for (2 s) holds it firing, then it resolves.
  put(s, T + 4500, 1);
  await g.evalAt(T + 5000);
  await g.evalAt(T + 6000);
  assert.equal(g.alerts()[0]!.alert.state, 'firing');
  await g.evalAt(T + 7000);
  assert.equal(g.alerts()[0]!.alert.state, 'inactive');
  const resolved = sent.at(-1)!;
  assert.equal(resolved.endsAtMs, T + 7000, 'resolution sent with endsAt = resolvedAt');
  // ALERTS: pending then firing, then a stale marker once inactive.
  const alerts = read(s, 'ALERTS');
  const pending = alerts.filter((a) => a.labels.alertstate === 'pending');
  assert.deepEqual(
    pending.filter((a) => !isStaleNaN(a.f)).map((a) => a.t - T),
    [0, 1000, 2000],
  );
  assert.ok(
    isStaleNaN(pending.at(-1)!.f) && pending.at(-1)!.t === T + 3000,
    'pending series goes stale when the alert fires',
  );
  const firing = alerts.filter((a) => a.labels.alertstate === 'firing');
  assert.deepEqual(
    firing.map((a) => a.t - T),
    [3000, 4000, 5000, 6000, 7000],
  );
  assert.ok(isStaleNaN(firing.at(-1)!.f), 'stale marker when the alert stops');
  const fs = read(s, 'ALERTS_FOR_STATE');
  assert.equal(fs[0]!.f, T / 1000);
  const rec = read(s, 'v:x2');
  assert.deepEqual(
    rec.slice(0, 2).map((r) => [r.t - T, r.f, r.labels.host]),
    [
      [0, 40, 'a'],
      [1000, 40, 'a'],
    ],
  );
});

test('alert state survives a restart through SQLite: `for` continues', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-rules-'));
  try {
    const s = new MemoryStorage();
    const spec = parseRuleFile('r.yml', RULES)[0]!;
    const T = 2_000_000;
    put(s, T - 100, 50);
    let store = new AlertStateStore(join(dir, 'rules.db'));
    const g1 = new RuleGroup(spec, deps(s, [], store));
    await g1.evalAt(T);
    await g1.evalAt(T + 1000);
    store.close();
    store = new AlertStateStore(join(dir, 'rules.db'));
    const sent: OutgoingAlert[] = [];
    const g2 = new RuleGroup(spec, deps(s, sent, store));
    assert.equal(g2.alerts()[0]!.alert.activeAtMs, T);
    await g2.evalAt(T + 3000);
    assert.equal(
      g2.alerts()[0]!.alert.state,
      'firing',
      'fired 3 s after the original activeAt, not after the restart',
    );
    assert.equal(sent.length, 1);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duplicate label sets after applying labels make the rule unhealthy', async () => {
  const s = new MemoryStorage();
  put(s, 999_900, 20, 'a');
  put(s, 999_900, 20, 'b');
  const g = new RuleGroup(
    parseRuleFile(
      'r.yml',
      'groups:\n  - name: d\n    rules:\n      - record: r\n        expr: v\n        labels: { host: same }\n',
    )[0]!,
    deps(s, []),
  );
  await g.evalAt(1_000_000);
  assert.equal(g.rules[0]!.health, 'err');
  assert.match(g.rules[0]!.lastError, /same labelset/);
});

test('ticks are aligned to the interval and evaluation time is the tick', async () => {
  const s = new MemoryStorage();
  const g = new RuleGroup(
    parseRuleFile(
      'r.yml',
      'groups:\n  - name: t\n    interval: 100ms\n    rules:\n      - record: one\n        expr: vector(1)\n',
    )[0]!,
    deps(s, []),
  );
  g.start();
  await new Promise((r) => setTimeout(r, 350));
  await g.stop();
  const ts = read(s, 'one').map((x) => x.t);
  assert.ok(ts.length >= 2, `evaluations: ${ts.length}`);
  for (const t of ts) assert.equal(t % 100, 0);
});

test('the shipped host-health rule fires for a leaf whose heartbeat went silent', async () => {
  const s = new MemoryStorage();
  const spec = loadRuleFile(join(import.meta.dirname, '../../../examples/rules/host-health.yml'))[0]!;
  const sent: OutgoingAlert[] = [];
  const g = new RuleGroup(spec, deps(s, sent));
  const T = 10_000_000;
  for (let t = T - 120_000; t <= T; t += 10_000)
    s.add(
      labelsFromRecord({ __name__: 'canopy_leaf_heartbeat_timestamp_seconds', leaf: 'quiet' }),
      t,
      t / 1000,
    );
  for (let t = T - 120_000; t <= T + 100_000; t += 10_000)
    s.add(
      labelsFromRecord({ __name__: 'canopy_leaf_heartbeat_timestamp_seconds', leaf: 'alive' }),
      t,
      t / 1000,
    );
  for (let t = T; t <= T + 80_000; t += 10_000) await g.evalAt(t);
  const firing = g.alerts().filter((x) => x.alert.state === 'firing');
  assert.deepEqual(
    firing.map((x) => x.alert.labels.find((l) => l.name === 'leaf')!.value),
    ['quiet'],
  );
  assert.equal(sent[0]!.labels.severity, 'page');
  assert.match(sent[0]!.annotations.description!, /^No heartbeat from leaf quiet for 1m \d+s\.$/);
});

test('a recording rule feeds later rules of the same tick', async () => {
  const s = new MemoryStorage();
  put(s, 999_000, 7);
  const sent: OutgoingAlert[] = [];
  const g = new RuleGroup(
    parseRuleFile(
      'r.yml',
      'groups:\n  - name: c\n    rules:\n      - record: v:x3\n        expr: v * 3\n      - alert: FromRecorded\n        expr: v:x3 > 20\n',
    )[0]!,
    deps(s, sent),
  );
  await g.evalAt(1_000_000);
  assert.equal(g.alerts()[0]?.alert.state, 'firing');
  assert.equal(sent[0]!.labels.alertname, 'FromRecorded');
});
