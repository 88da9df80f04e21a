// The demo tree's rules (topology/demo/rules.yml, loaded by topology/local.yaml's zones): Canopy
// and promtool accept them, every zone of local.yaml loads them, and over the demo exporter's
// metrics the Watchdog fires everywhere while the filesystem alert fires on some hosts only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleFile } from '../../../shared/rulefmt/index.ts';
import { loadTopology } from '../../../shared/topology.ts';
import { findOnPath } from '../../../topology/path.ts';
import { renderDemoMetrics } from '../../../topology/demo/exporter.ts';

const RULES = join(import.meta.dirname, '../../../topology/demo/rules.yml');

test('demo rules: Canopy and promtool accept them; every local.yaml zone loads them and node.yml', () => {
  const groups = loadRuleFile(RULES);
  assert.deepEqual(
    groups.flatMap((g) => g.rules.map((r) => r.name)),
    ['Watchdog', 'HostRootFilesystemLow', 'HostLoadHigh'],
  );
  if (findOnPath('promtool')) {
    const r = spawnSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  }
  const topo = loadTopology(join(import.meta.dirname, '../../../topology/local.yaml'));
  for (const z of topo.zones) {
    assert.ok(z.ruleFiles.includes(RULES), `${z.name}: ${z.ruleFiles.join(', ')}`);
    for (const f of z.ruleFiles) assert.ok(existsSync(f), f);
  }
});

test('demo rules: the filesystem alert fires on some local.yaml hosts, not all (free space is fixed per host name)', () => {
  const topo = loadTopology(join(import.meta.dirname, '../../../topology/local.yaml'));
  const hosts = topo.zones.flatMap((z) =>
    Array.from({ length: z.leaves }, (_, i) => `${z.name}-host-${i + 1}`),
  );
  const low = hosts.filter((h) => {
    const line = renderDemoMetrics(h, 4, 0, 60_000)
      .split('\n')
      .find((l) => l.startsWith('node_filesystem_avail_bytes{') && l.includes('mountpoint="/"'))!;
    return Number(line.split(' ').pop()) < 40e9;
  });
  assert.ok(low.length > 0 && low.length < hosts.length, `hosts under 40 GB free: ${low.join(', ')}`);
});
