// --rules.store-zone / rules_store_zone: validated at start against the topology.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRootConfig, type RootConfig } from '../../../global/config.ts';

test('rules store zone: flag or YAML key, must name a zone of the topology', () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-zone-'));
  try {
    const topo = join(dir, 'topology.yaml');
    writeFileSync(
      topo,
      'regions:\n  - name: eu\n    zones:\n      - name: eu-a\n        http: 127.0.0.1:9101\n',
    );
    const base = ['--nats', 'nats://127.0.0.1:4222', '--topology', topo];
    assert.equal((parseRootConfig(base) as RootConfig).rulesStoreZone, undefined);
    assert.equal(
      (parseRootConfig([...base, '--rules.store-zone', 'eu-a']) as RootConfig).rulesStoreZone,
      'eu-a',
    );
    const file = join(dir, 'root.yaml');
    writeFileSync(file, `rules_store_zone: eu-a\ntopology: ${topo}\nnats: {url: nats://127.0.0.1:4222}\n`);
    assert.equal((parseRootConfig(['--config', file]) as RootConfig).rulesStoreZone, 'eu-a');
    // The topology's root.rules_store_zone is the default; the flag overrides it.
    const topo2 = join(dir, 'topology2.yaml');
    writeFileSync(
      topo2,
      'root:\n  rules_store_zone: eu-b\nregions:\n  - name: eu\n    zones:\n      - name: eu-a\n      - name: eu-b\n',
    );
    assert.equal(
      (parseRootConfig(['--nats', 'nats://127.0.0.1:4222', '--topology', topo2]) as RootConfig)
        .rulesStoreZone,
      'eu-b',
    );
    assert.equal(
      (
        parseRootConfig([
          '--nats',
          'nats://127.0.0.1:4222',
          '--topology',
          topo2,
          '--rules.store-zone',
          'eu-a',
        ]) as RootConfig
      ).rulesStoreZone,
      'eu-a',
    );
    assert.throws(
      () => parseRootConfig([...base, '--rules.store-zone', 'eu-z']),
      /rules.store-zone "eu-z" is not a zone of .*zones: eu-a/,
    );
    assert.throws(
      () => parseRootConfig(['--nats', 'nats://127.0.0.1:4222', '--rules.store-zone', 'eu-a']),
      /needs a topology/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
