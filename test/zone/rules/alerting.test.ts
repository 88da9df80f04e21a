// The zone's per-tenant alerting (zone/rules/alerting.ts): one TenantAlerting per tenant, rules
// over the tenant's series only with results written as the tenant's, metric families
// registered once with a tenant label, silences per tenant and surviving a restart, the tenant
// rule directory (Mimir's layout) and the `tenants:` config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { Engine } from '../../../shared/promql/index.ts';
import { labelsFromRecord, labelsToRecord } from '../../../shared/labels.ts';
import { silentLogger } from '../../../shared/log.ts';
import { Alerting, type AlertingOptions } from '../../../zone/rules/index.ts';
import { tenantStorage } from '../../../zone/tenant-view.ts';
import { parseZoneConfig, type ZoneConfig } from '../../../zone/config.ts';

const RULES = (name: string): string => `groups:
  - name: ${name}
    interval: 1s
    rules:
      - record: total
        expr: sum(v)
      - alert: Some
        expr: count(v) > 0
`;

function opts(
  dir: string,
  storage: MemoryStorage,
  registry: Registry,
  extra: Partial<AlertingOptions> = {},
): AlertingOptions {
  return {
    ruleFiles: [join(dir, 'anon.yml')],
    alertmanagerUrls: [],
    stateDb: join(dir, 'state', 'rules.db'),
    evaluationIntervalMs: 1000,
    externalLabels: { zone: 'z' },
    externalURL: 'http://zone',
    storageFor: (t) => tenantStorage(storage, t),
    engine: new Engine(),
    registry,
    logger: silentLogger(),
    buildInfo: {},
    ...extra,
  };
}

function stored(s: MemoryStorage, name: string): Record<string, string>[] {
  const all = (s as unknown as { series: Map<string, { labels: { name: string; value: string }[] }> }).series;
  return [...all.values()].map((x) => labelsToRecord(x.labels)).filter((r) => r.__name__ === name);
}

test('each tenant evaluates its own rules over its own series and records into its own tenant; metrics once, by tenant', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-alerting-'));
  try {
    writeFileSync(join(dir, 'anon.yml'), RULES('anon'));
    writeFileSync(join(dir, 'a.yml'), RULES('a'));
    mkdirSync(join(dir, 'by-tenant', 'team-b'), { recursive: true });
    writeFileSync(join(dir, 'by-tenant', 'team-b', 'b.yaml'), RULES('b'));
    writeFileSync(join(dir, 'by-tenant', 'team-b', 'notes.txt'), 'not a rule file');
    const s = new MemoryStorage();
    const T = Math.floor(Date.now() / 1000) * 1000;
    s.add(labelsFromRecord({ __name__: 'v', i: '1' }), T - 100, 1);
    s.add(labelsFromRecord({ __name__: 'v', __tenant__: 'team-a', i: '1' }), T - 100, 10);
    s.add(labelsFromRecord({ __name__: 'v', __tenant__: 'team-a', i: '2' }), T - 100, 20);
    const registry = new Registry();
    const a = await Alerting.open(
      opts(dir, s, registry, {
        tenants: { 'team-a': { ruleFiles: [join(dir, 'a.yml')], alertmanagerUrls: [] } },
        ruleDir: join(dir, 'by-tenant'),
      }),
    );
    try {
      assert.deepEqual(
        a
          .list()
          .map((t) => t.tenant)
          .sort(),
        ['anonymous', 'team-a', 'team-b'],
      );
      for (const t of a.list()) for (const g of t.rules.list()) await g.evalAt(T);
      const totals = stored(s, 'total')
        .map((r) => `${r.__tenant__ ?? 'anonymous'}`)
        .sort();
      assert.deepEqual(totals, ['anonymous', 'team-a']); // team-b has no series: sum() is empty
      const byTenant = Object.fromEntries(
        stored(s, 'ALERTS').map((r) => [r.__tenant__ ?? 'anonymous', r.alertstate]),
      );
      assert.deepEqual(byTenant, { anonymous: 'firing', 'team-a': 'firing' });
      const alerts = (t: string) =>
        (a.alertsData(t) as { alerts: { labels: Record<string, string>; value: string }[] }).alerts;
      assert.equal(alerts('team-a')[0]!.value, '2');
      assert.equal(alerts('anonymous')[0]!.value, '1');
      assert.deepEqual(alerts('team-b'), []);
      assert.deepEqual(alerts('nobody'), []);
      assert.deepEqual(
        (a.rulesData('team-b') as { groups: { name: string }[] }).groups.map((g) => g.name),
        ['b'],
      );
      assert.deepEqual((a.rulesData('nobody') as { groups: unknown[] }).groups, []);
      // The notifier of each tenant got its own alerts only.
      assert.equal(a.get('team-a')!.notifier.alerts.size, 1);
      assert.equal(a.get('team-b')!.notifier.alerts.size, 0);
      const text = await registry.metrics();
      for (const t of ['anonymous', 'team-a', 'team-b'])
        assert.match(
          text,
          new RegExp(`canopy_rule_evaluations_total\\{rule_group="[^"]+",tenant="${t}"\\} 2`),
        );
      assert.match(text, /canopy_notifier_alerts_received_total\{status="firing",tenant="team-a"\} 1/);
      // A tenant's silence mutes its own alerts only.
      const alertA = [...a.get('team-a')!.notifier.alerts.values()][0]!;
      a.get('team-b')!.notifier.silences.set({
        matchers: [{ name: 'alertname', value: 'Some', isRegex: false, isEqual: true }],
        startsAtMs: Date.now(),
        endsAtMs: Date.now() + 60_000,
        createdBy: 'b',
        comment: '',
      });
      assert.deepEqual(a.get('team-a')!.notifier.silencedBy(alertA), []);
    } finally {
      await a.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a named tenant's silences survive a restart, without its config; anonymous and the tenant keep separate files", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-alerting-'));
  try {
    writeFileSync(join(dir, 'anon.yml'), RULES('anon'));
    const s = new MemoryStorage();
    const first = await Alerting.open(
      opts(dir, s, new Registry(), { tenants: { 'team-x': { ruleFiles: [], alertmanagerUrls: [] } } }),
    );
    const id = first.get('team-x')!.notifier.silences.set({
      matchers: [{ name: 'a', value: 'b', isRegex: false, isEqual: true }],
      startsAtMs: Date.now(),
      endsAtMs: Date.now() + 60_000,
      createdBy: 'x',
      comment: '',
    });
    await first.stop();
    const again = await Alerting.open(opts(dir, s, new Registry()));
    try {
      assert.equal(again.get('team-x')?.notifier.silences.get(id)?.createdBy, 'x');
      assert.equal(again.anonymous.notifier.silences.get(id), undefined);
    } finally {
      await again.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tenant rule directory: a subdirectory that is not a tenant id is refused; a bad rule file names the tenant on reload', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-alerting-'));
  try {
    writeFileSync(join(dir, 'anon.yml'), RULES('anon'));
    mkdirSync(join(dir, 'by-tenant', 'a b'), { recursive: true });
    await assert.rejects(
      Alerting.open(opts(dir, new MemoryStorage(), new Registry(), { ruleDir: join(dir, 'by-tenant') })),
      /subdirectory "a b" is not a tenant id: tenant ID "a b" contains unsupported character " "/,
    );
    rmSync(join(dir, 'by-tenant', 'a b'), { recursive: true });
    mkdirSync(join(dir, 'by-tenant', 'team-c'));
    const a = await Alerting.open(
      opts(dir, new MemoryStorage(), new Registry(), { ruleDir: join(dir, 'by-tenant') }),
    );
    try {
      assert.deepEqual(a.get('team-c')!.rules.list(), []);
      writeFileSync(join(dir, 'by-tenant', 'team-c', 'c.yml'), RULES('c'));
      mkdirSync(join(dir, 'by-tenant', 'team-d'));
      writeFileSync(join(dir, 'by-tenant', 'team-d', 'd.yml'), 'groups: [{name: d, rules: [{alert: X}]}]\n');
      const err = await a.reload();
      assert.match(err ?? '', /^tenant team-d: .*d\.yml/);
      assert.deepEqual(
        a
          .get('team-c')!
          .rules.list()
          .map((g) => g.name),
        ['c'],
      );
    } finally {
      await a.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zone config: tenants: map and tenant_rule_dir / --tenant-rule-dir, paths relative to the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-zcfg-'));
  try {
    const f = join(dir, 'zone.yml');
    writeFileSync(
      f,
      "tenants:\n  team-a:\n    rule_files: ['rules/a/*.yml']\n    notifier_config: am-a.yml\n    alertmanager_urls: ['http://am:9093']\ntenant_rule_dir: by-tenant\n",
    );
    const c = parseZoneConfig(['--config', f]) as ZoneConfig;
    assert.deepEqual(c.tenantAlerting, {
      tenants: {
        'team-a': {
          ruleFiles: [join(dir, 'rules/a/*.yml')],
          notifierConfig: join(dir, 'am-a.yml'),
          alertmanagerUrls: ['http://am:9093'],
        },
      },
      ruleDir: join(dir, 'by-tenant'),
    });
    assert.equal(
      (parseZoneConfig(['--config', f, '--tenant-rule-dir', '/r']) as ZoneConfig).tenantAlerting.ruleDir,
      '/r',
    );
    const bad = (yaml: string, re: RegExp): void => {
      writeFileSync(f, yaml);
      assert.throws(() => parseZoneConfig(['--config', f]), re);
    };
    bad(
      'tenants:\n  anonymous:\n    rule_files: []\n',
      /key "tenants.anonymous": expected a tenant id \(anonymous's rules are the top-level rule_files/,
    );
    bad(
      'tenants:\n  "a/b": {}\n',
      /key "tenants.a\/b": expected a tenant id \(tenant ID "a\/b" contains unsupported character "\/"\)/,
    );
    bad('tenants:\n  t:\n    rules: []\n', /key "tenants.t.rules": unknown key/);
    bad(
      'tenants:\n  t:\n    alertmanager_urls: [am]\n',
      /key "tenants.t.alertmanager_urls\[0\]": expected an http\(s\) URL/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
