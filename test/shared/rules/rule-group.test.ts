// The shared rule-group runner in the root's mode (results handed to `output` once per
// evaluation, nothing written per rule, alerts awaited by the caller) and the one rendering of
// /api/v1/rules and /api/v1/alerts that zone and root serve. The zone's mode (per-rule writes,
// stale markers, state store) is tested in test/zone/rules/rule-group.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { Engine } from '../../../shared/promql/index.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';
import { silentLogger } from '../../../shared/log.ts';
import { parseRuleFile, type EvalSample, type OutgoingAlert } from '../../../shared/rulefmt/index.ts';
import { alertsData, engineRuleQuery, RuleGroup, ruleGroupsData } from '../../../shared/rules/index.ts';

const RULES = `groups:
  - name: 'global:g'
    interval: 1s
    rules:
      - record: v:x2
        expr: v * 2
      - alert: High
        expr: v > 10
        for: 1s
        keep_firing_for: 5s
        labels: { severity: page }
      - record: v:x2:again
        expr: v:x2
`;

test('root mode: recording results go to output once per evaluation, later rules do not see them, alerts are awaited', async () => {
  const s = new MemoryStorage();
  s.add(labelsFromRecord({ __name__: 'v', host: 'a' }), 999_500, 20);
  const outputs: EvalSample[][] = [];
  const sent: OutgoingAlert[][] = [];
  let delivering = false;
  const g = new RuleGroup(parseRuleFile('eu-a:r.yml', RULES)[0]!, {
    query: engineRuleQuery(new Engine(), s),
    output: async (samples) => {
      assert.equal(delivering, false, 'output runs after the alerts were delivered');
      outputs.push(samples);
    },
    externalLabels: {},
    externalURL: 'http://root',
    defaultIntervalMs: 60_000,
    resendDelayMs: 60_000,
    logger: silentLogger(),
    onAlerts: async (a) => {
      delivering = true;
      await new Promise((r) => setTimeout(r, 20));
      sent.push(a);
      delivering = false;
    },
  });
  await g.evalAt(1_000_000);
  await g.evalAt(1_001_000);
  assert.equal(outputs.length, 2, 'one output per evaluation');
  assert.deepEqual(
    outputs[0]!.map((x) => [x.labels.find((l) => l.name === '__name__')?.value, x.tMs, x.f]),
    [['v:x2', 1_000_000, 40]],
    'recording results only (no ALERTS); the third rule read nothing (results are not written back)',
  );
  assert.equal(sent.length, 1, 'sent when it fired');
  assert.deepEqual(sent[0]![0]!.labels, { alertname: 'High', host: 'a', severity: 'page' });
  assert.equal(sent[0]![0]!.generatorURL, 'http://root/graph?g0.expr=v%20%3E%2010&g0.tab=1');
  assert.equal(s.seriesCount(), 1, 'nothing written to the storage it read');
  assert.equal(g.lastEvalMs, 1_001_000);
});

test('rules and alerts rendering: file prefix, type filter, external labels under the alert labels, keepFiringSince', async () => {
  const s = new MemoryStorage();
  s.add(labelsFromRecord({ __name__: 'v', host: 'a', zone: 'own' }), 999_500, 20);
  const g = new RuleGroup(parseRuleFile('r.yml', RULES)[0]!, {
    query: engineRuleQuery(new Engine(), s),
    externalLabels: { zone: 'z', region: 'eu' },
    externalURL: 'http://zone',
    defaultIntervalMs: 60_000,
    resendDelayMs: 60_000,
    logger: silentLogger(),
    onAlerts: () => {},
  });
  await g.evalAt(1_000_000);
  const [group] = ruleGroupsData([g], {
    filePrefix: 'root:',
    externalLabels: { zone: 'z', region: 'eu' },
  }) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(group!), [
    'name',
    'file',
    'interval',
    'limit',
    'evaluationTime',
    'lastEvaluation',
    'rules',
  ]);
  assert.equal(group!.file, 'root:r.yml');
  assert.equal(group!.interval, 1);
  assert.equal(group!.lastEvaluation, '1970-01-01T00:16:40.000Z');
  const rules = group!.rules as Record<string, unknown>[];
  assert.deepEqual(
    rules.map((r) => [r.type, r.name, r.health]),
    [
      ['recording', 'v:x2', 'ok'],
      ['alerting', 'High', 'ok'],
      ['recording', 'v:x2:again', 'ok'],
    ],
  );
  const high = rules[1]!;
  assert.deepEqual(Object.keys(high), [
    'state',
    'name',
    'query',
    'labels',
    'health',
    'evaluationTime',
    'lastEvaluation',
    'duration',
    'keepFiringFor',
    'annotations',
    'alerts',
    'type',
  ]);
  assert.equal(high.state, 'pending');
  assert.equal(high.duration, 1);
  assert.equal(high.keepFiringFor, 5);
  const alert = (high.alerts as Record<string, unknown>[])[0]!;
  assert.deepEqual(
    alert.labels,
    { zone: 'own', region: 'eu', alertname: 'High', host: 'a', severity: 'page' },
    "the series' own labels win over external labels",
  );
  assert.equal(alert.value, '20');
  assert.equal(alert.activeAt, '1970-01-01T00:16:40.000Z');
  assert.deepEqual(
    (ruleGroupsData([g], { type: 'alert' }) as { rules: { name: string }[] }[])[0]!.rules.map((r) => r.name),
    ['High'],
  );
  assert.deepEqual(
    (ruleGroupsData([g], { type: 'record' }) as { rules: { name: string }[] }[])[0]!.rules.map((r) => r.name),
    ['v:x2', 'v:x2:again'],
  );
  // Fires at +1 s; the value drops at +1.5 s: keep_firing_for holds it and keepFiringSince shows.
  await g.evalAt(1_001_000);
  s.add(labelsFromRecord({ __name__: 'v', host: 'a', zone: 'own' }), 1_001_500, 1);
  await g.evalAt(1_002_000);
  const alerts = alertsData([g], { zone: 'z' }) as Record<string, unknown>[];
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.state, 'firing');
  assert.equal(alerts[0]!.keepFiringSince, '1970-01-01T00:16:42.000Z');
  assert.deepEqual(Object.keys(alerts[0]!), [
    'labels',
    'annotations',
    'state',
    'activeAt',
    'keepFiringSince',
    'value',
  ]);
});
