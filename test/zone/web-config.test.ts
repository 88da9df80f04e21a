// The zone's web and admin settings: defaults off (as Prometheus), config keys (web_config_file
// relative to the config file), flags overriding them, and a bad web config refused at parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseZoneConfig, type ZoneConfig } from '../../zone/config.ts';

test('admin API and lifecycle off by default; keys and flags turn them on; snapshot bounds; web_config_file relative to the file', () => {
  const d = parseZoneConfig([]) as ZoneConfig;
  assert.equal(d.adminApi, false);
  assert.equal(d.lifecycleApi, false);
  assert.deepEqual(d.snapshots, { maxCount: 3, maxBytes: 0 });
  assert.equal(d.webConfigFile, undefined);
  const dir = mkdtempSync(join(tmpdir(), 'canopy-zweb-'));
  try {
    writeFileSync(join(dir, 'web.yml'), 'http_server_config:\n  headers:\n    X-Frame-Options: deny\n');
    const f = join(dir, 'zone.yml');
    writeFileSync(
      f,
      'admin_api: true\nlifecycle_api: true\nweb_config_file: web.yml\nsnapshot:\n  max_count: 5\n  max_size: 2GB\n',
    );
    const c = parseZoneConfig(['--config', f]) as ZoneConfig;
    assert.equal(c.adminApi, true);
    assert.equal(c.lifecycleApi, true);
    assert.equal(c.webConfigFile, join(dir, 'web.yml'));
    assert.deepEqual(c.snapshots, { maxCount: 5, maxBytes: 2e9 });
    const o = parseZoneConfig([
      '--config',
      f,
      '--web.enable-admin-api=false',
      '--snapshot.max-count',
      '1',
      '--snapshot.max-size',
      '1MiB',
    ]) as ZoneConfig;
    assert.equal(o.adminApi, false);
    assert.deepEqual(o.snapshots, { maxCount: 1, maxBytes: 1 << 20 });
    const flags = parseZoneConfig(['--web.enable-admin-api', '--web.enable-lifecycle']) as ZoneConfig;
    assert.equal(flags.adminApi && flags.lifecycleApi, true);
    assert.throws(
      () => parseZoneConfig(['--snapshot.max-count', '0']),
      /flag --snapshot.max-count: expected a positive integer/,
    );
    writeFileSync(join(dir, 'bad.yml'), 'basic_auth_users:\n  bob: hunter2\n');
    assert.throws(
      () => parseZoneConfig(['--web.config.file', join(dir, 'bad.yml')]),
      /bad\.yml: key "basic_auth_users\.bob": expected a bcrypt hash/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
