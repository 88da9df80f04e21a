// The zone's alerting settings: config keys (paths relative to the config file) and flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseZoneConfig, type ZoneConfig } from '../../../zone/config.ts';

test('rule_files, notifier_config, rule_state_db, alertmanager_urls, evaluation_interval; flags add to them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-zcfg-'));
  try {
    const f = join(dir, 'zone.yml');
    writeFileSync(
      f,
      "rule_files: ['rules/*.yml', '/abs/r.yml']\nnotifier_config: am.yml\nrule_state_db: state/rules.db\nalertmanager_urls: ['http://am:9093']\nevaluation_interval: 15s\n",
    );
    const c = parseZoneConfig([
      '--config',
      f,
      '--rule-file',
      'extra.yml',
      '--alertmanager-url',
      'http://am2:9093',
    ]) as ZoneConfig;
    assert.deepEqual(c.ruleFiles, [join(dir, 'rules/*.yml'), '/abs/r.yml', 'extra.yml']);
    assert.equal(c.notifierConfig, join(dir, 'am.yml'));
    assert.equal(c.ruleStateDb, join(dir, 'state/rules.db'));
    assert.deepEqual(c.alertmanagerUrls, ['http://am:9093', 'http://am2:9093']);
    assert.equal(c.evaluationIntervalMs, 15_000);
    const d = parseZoneConfig([
      '--data-dir',
      '/var/z',
      '--notifier-config',
      'n.yml',
      '--evaluation-interval',
      '1s',
    ]) as ZoneConfig;
    assert.equal(d.ruleStateDb, '/var/z/rules.db');
    assert.equal(d.notifierConfig, 'n.yml');
    assert.equal(d.evaluationIntervalMs, 1000);
    assert.throws(
      () => parseZoneConfig(['--alertmanager-url', 'am:9093']),
      /flag --alertmanager-url: expected an http\(s\) URL/,
    );
    writeFileSync(f, "alertmanager_urls: ['am:9093']\n");
    assert.throws(
      () => parseZoneConfig(['--config', f]),
      /key "alertmanager_urls\[0\]": expected an http\(s\) URL/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
