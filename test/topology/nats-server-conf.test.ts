// topology/nats-server.conf (for topology/local.yaml, passwords from the environment) is what
// topology/nats-config.ts writes for that topology, below its four comment lines: it cannot go
// stale when the subjects or permissions change (e.g. per-replica subjects).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { natsServerConfig, zoneUser } from '../../topology/nats-config.ts';
import { loadTopology } from '../../shared/topology.ts';
import { REPO } from '../e2e/harness.ts';

test('topology/nats-server.conf equals the generated config for topology/local.yaml', () => {
  const topo = loadTopology(join(REPO, 'topology/local.yaml'));
  const env = (name: string): string => `$CANOPY_NATS_${name.toUpperCase().replace(/-/g, '_')}_PASSWORD`;
  const want = natsServerConfig({
    host: '127.0.0.1',
    port: 4222,
    root: { user: 'root', password: env('root') },
    zones: topo.zones.map((z) => ({ zone: z.name, user: zoneUser(z.name), password: env(z.name) })),
  });
  const file = readFileSync(join(REPO, 'topology/nats-server.conf'), 'utf8');
  assert.equal(file.split('\n').slice(4).join('\n'), want);
});
