// The HA replicas' notification delay: alert_peer_timeout / --alert-peer-timeout (default 15 s,
// Alertmanager's --cluster.peer-timeout), validated at start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseZoneConfig, type ZoneConfig } from '../../../zone/config.ts';

test('alert_peer_timeout: default 15s, config key, flag wins, bad values refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peer-timeout-'));
  try {
    assert.equal((parseZoneConfig(['--replica', 'a']) as ZoneConfig).alertPeerTimeoutMs, 15_000);
    const f = join(dir, 'zone.yml');
    writeFileSync(f, 'replica: b\nalert_peer_timeout: 2s\n');
    assert.equal((parseZoneConfig(['--config', f]) as ZoneConfig).alertPeerTimeoutMs, 2000);
    assert.equal(
      (parseZoneConfig(['--config', f, '--alert-peer-timeout', '500ms']) as ZoneConfig).alertPeerTimeoutMs,
      500,
    );
    assert.throws(() => parseZoneConfig(['--alert-peer-timeout', 'soon']), /alert-peer-timeout/);
    assert.throws(() => parseZoneConfig(['--alert-peer-timeout', '10ms']), /alert-peer-timeout/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
