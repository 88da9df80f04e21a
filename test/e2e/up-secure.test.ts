// `canopy up --secure` end to end: the launcher generates a CA and certificates, starts
// nats-server with one user per zone and TLS, the zones and the root with NATS passwords and
// TLS, and leaves shipping over gRPC with client certificates (mTLS). A query through the root
// returns every zone's `up`; nats-server refuses a client without credentials; no NATS password
// appears in the launcher's output (every child's log lines pass through it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { ensureNatsServer, getJson, spawnCanopy, tempDir, waitFor, type Proc } from './harness.ts';

let dir: ReturnType<typeof tempDir>;
let up: Proc;
let ep: { root: { http: string }; nats: string; zones: { name: string }[]; leaves: { name: string }[]; secure?: { ca: string; dir: string; webConfig: string } };

before(async () => {
  ensureNatsServer();
  dir = tempDir('up-secure');
  const topo = join(dir.path, 'topology.yaml');
  writeFileSync(
    topo,
    [
      'root:', '  http: 127.0.0.1:0',
      'regions:',
      '  - name: eu', '    zones:', '      - name: eu-a', '        leaves: 1',
      '  - name: us', '    zones:', '      - name: us-a', '        leaves: 1',
      `data_dir: ${join(dir.path, 'data')}`,
      '',
    ].join('\n'),
  );
  up = spawnCanopy('up', ['up', '--secure', '--topology', topo, '--state-dir', join(dir.path, 'state'), '--scrape-interval', '1s']);
  const file = join(dir.path, 'state', 'endpoints.json');
  await waitFor('canopy up --secure to write endpoints.json', async () => existsSync(file), 120_000, 500).catch((e) => {
    throw new Error(`${(e as Error).message}\n${up.output.slice(-40).join('\n')}`);
  });
  ep = JSON.parse(readFileSync(file, 'utf8'));
});

after(async () => {
  await up?.stop();
  dir?.remove();
});

test('a query through the root returns every zone\'s up, over NATS with per-zone users and TLS and leaves on mTLS', async () => {
  assert.ok(ep.secure, 'endpoints.json names the secure directory');
  assert.match(ep.nats, /^tls:\/\/127\.0\.0\.1:\d+$/);
  const zones = await waitFor(
    'up from both zones at the root',
    async () => {
      const { body } = await getJson(`${ep.root.http}/api/v1/query?query=up`);
      const zs = new Set<string>((body.data?.result ?? []).filter((r: any) => r.value[1] === '1').map((r: any) => r.metric.zone));
      return zs.size === 2 ? [...zs].sort() : undefined;
    },
    90_000,
    1000,
  );
  assert.deepEqual(zones, ['eu-a', 'us-a']);
  // The leaves authenticated with their certificates (the zones log each identity once).
  await waitFor('leaf identities logged by the zones', async () => ep.leaves.every((l) => up.output.some((line) => line.includes('leaf authenticated') && line.includes(l.name))), 30_000);
});

test('nats-server of the secure tree refuses a client without credentials; passwords stay out of the logs; key files are private', async () => {
  await assert.rejects(connect({ servers: ep.nats, tls: { caFile: ep.secure!.ca }, timeout: 5000, reconnect: false }), /authorization violation/i);
  const natsDir = join(ep.secure!.dir, 'nats');
  const passwords = readdirSync(natsDir).filter((f) => f.endsWith('.password')).map((f) => readFileSync(join(natsDir, f), 'utf8').trim());
  assert.equal(passwords.length, 3, 'root and one user per zone');
  for (const p of passwords) assert.deepEqual(up.output.filter((l) => l.includes(p)), []);
  for (const f of readdirSync(natsDir)) assert.equal(statSync(join(natsDir, f)).mode & 0o077, 0, `${f} is private`);
  const pki = join(ep.secure!.dir, 'pki');
  for (const f of readdirSync(pki).filter((x) => x.endsWith('.key'))) assert.equal(statSync(join(pki, f)).mode & 0o077, 0, `${f} is private`);
});
