// NATS with credentials and TLS, as real processes: nats-server with one user per zone
// (topology/nats-config.ts) behind TLS, a zone and the root given their passwords inside the
// URL. nats-server refuses a client without credentials and a zone's user on another zone's
// subjects; the root ignores a zone absent from its topology; no password reaches any log line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  ensureNatsServer,
  freePort,
  getJson,
  spawnCanopy,
  spawnProc,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';
import { waitForPort } from '../../topology/ports.ts';
import { natsServerConfig, zoneUser } from '../../topology/nats-config.ts';
import { makeTestCerts, type TestCerts } from './tls-certs.ts';

const procs: Record<string, Proc> = {};
let certs: TestCerts;
let natsPort = 0;
let rootUrl = '';
let zaUrl = '';
const pw: Record<string, string> = {};

const secret = (): string => randomBytes(12).toString('hex');
const tlsUrl = (user?: string, pass?: string): string =>
  `tls://${user ? `${user}:${pass}@` : ''}127.0.0.1:${natsPort}`;

before(async () => {
  certs = makeTestCerts('nats-auth');
  for (const u of ['root', 'za', 'zb', 'zc']) pw[u] = secret();
  natsPort = await freePort();
  const conf = join(certs.dir, 'nats.conf');
  writeFileSync(
    conf,
    natsServerConfig({
      host: '127.0.0.1',
      port: natsPort,
      // The root's password as a bcrypt hash, the zones' in plain text: both forms work.
      root: { user: 'root', password: bcrypt.hashSync(pw.root!, 8) },
      zones: ['za', 'zb', 'zc'].map((z) => ({ zone: z, user: zoneUser(z), password: pw[z]! })),
      tls: { certFile: certs.server.certFile, keyFile: certs.server.keyFile },
    }),
  );
  procs.nats = spawnProc('nats', ensureNatsServer(), ['-c', conf]);
  assert.ok(
    await waitForPort('127.0.0.1', natsPort, 15_000),
    `nats-server did not start: ${procs.nats.output.join('\n')}`,
  );

  const zaHttp = await freePort();
  zaUrl = `http://127.0.0.1:${zaHttp}`;
  const topo = join(certs.dir, 'topology.yaml');
  writeFileSync(
    topo,
    `regions:\n  - name: eu\n    zones:\n      - name: za\n        http: 127.0.0.1:${zaHttp}\n      - name: zb\n`,
  );
  const rootPort = await freePort();
  rootUrl = `http://127.0.0.1:${rootPort}`;
  const ca = ['--nats-tls-ca-file', certs.ca.certFile];
  procs.root = spawnCanopy('root', [
    'root',
    '--listen',
    `127.0.0.1:${rootPort}`,
    '--nats',
    tlsUrl('root', pw.root),
    ...ca,
    '--topology',
    topo,
    '--zone-timeout',
    '3s',
  ]);
  const zone = async (z: string, pass: string, httpAddr?: string): Promise<Proc> => {
    const http = httpAddr ?? `127.0.0.1:${await freePort()}`;
    return spawnCanopy(`zone-${z}`, [
      'zone',
      '--zone',
      z,
      '--region',
      'eu',
      '--listen',
      http,
      '--grpc-listen',
      `127.0.0.1:${await freePort()}`,
      '--data-dir',
      join(certs.dir, z),
      '--storage',
      'memory',
      '--nats',
      tlsUrl(zoneUser(z), pass),
      ...ca,
    ]);
  };
  procs.za = await zone('za', pw.za!, `127.0.0.1:${zaHttp}`);
  // zb with a wrong password: refused by nats-server; zc: a valid NATS user the topology lacks.
  procs.zb = await zone('zb', `${pw.zb}-wrong`);
  procs.zc = await zone('zc', pw.zc!);
  for (const [n, u] of [
    ['root', rootUrl],
    ['za', zaUrl],
  ])
    assert.ok(await waitForHttp(`${u}/readyz`, 30_000), `${n} not ready`);
});

after(async () => {
  for (const k of ['za', 'zb', 'zc', 'root', 'nats']) await procs[k]?.stop();
  certs?.remove();
});

async function client(user?: string, pass?: string): Promise<NatsConnection> {
  return connect({
    servers: `tls://127.0.0.1:${natsPort}`,
    tls: { caFile: certs.ca.certFile },
    ...(user ? { user, pass } : {}),
    timeout: 5000,
    reconnect: false,
  });
}

test('nats-server refuses a client without credentials or with a wrong password', async () => {
  await assert.rejects(client(), /authorization violation/i);
  await assert.rejects(client(zoneUser('za'), 'nope'), /authorization violation/i);
  await waitFor(
    'zone zb to report its refused connection',
    async () => procs.zb!.output.some((l) => /authorization violation/i.test(l)),
    20_000,
  );
});

test("a zone's user cannot receive another zone's queries nor publish another zone's heartbeat", async () => {
  const za = await client(zoneUser('za'), pw.za);
  const root = await client('root', pw.root);
  try {
    const errors: string[] = [];
    void (async () => {
      for await (const s of za.status()) if (s.type === 'error') errors.push(String(s.error));
    })();
    const subErr = new Promise<string>((resolve) =>
      za.subscribe('canopy.query.zb', { callback: (err) => void (err && resolve(String(err))) }),
    );
    const heard: string[] = [];
    root.subscribe('canopy.heartbeat.*', { callback: (_e, m) => void heard.push(m.subject) });
    await root.flush();
    za.publish('canopy.heartbeat.zb', new Uint8Array([1]));
    za.publish('canopy.heartbeat.za', new Uint8Array([1]));
    assert.match(await subErr, /permissions violation/i);
    await waitFor(
      'the publish violation',
      async () => errors.some((e) => /permissions violation for publish to "canopy\.heartbeat\.zb"/i.test(e)),
      5000,
    );
    await waitFor("za's own heartbeat at the root", async () => heard.includes('canopy.heartbeat.za'), 5000);
    assert.ok(!heard.includes('canopy.heartbeat.zb'), 'the forged heartbeat never reached the root');
  } finally {
    await za.close();
    await root.close();
  }
});

test('the tree works with credentials in the URL over TLS; a zone absent from the topology is ignored', async () => {
  const now = Math.floor(Date.now() / 1000);
  const r = await fetch(`${zaUrl}/api/v1/push`, {
    method: 'POST',
    body: JSON.stringify([{ metric: 'probe_ok', tags: { target: 'a' }, timestamp: now, value: 1 }]),
  });
  assert.ok(r.ok, `push: ${r.status} ${await r.text()}`);
  const res = await waitFor('probe_ok from za at the root', async () => {
    const { body } = await getJson(`${rootUrl}/api/v1/query?query=probe_ok`);
    return body.status === 'success' && body.data.result.length === 1 ? body.data.result : undefined;
  });
  assert.equal(res[0].metric.zone, 'za');
  const zones = (await getJson(`${rootUrl}/api/v1/status/zones`)).body.data;
  assert.deepEqual(zones.map((z: { zone: string }) => z.zone).sort(), ['za', 'zb']);
  assert.equal(zones.find((z: { zone: string }) => z.zone === 'za').http, zaUrl);
  await waitFor('zc counted as not in the topology', async () => {
    const m = await (await fetch(`${rootUrl}/metrics`)).text();
    return /canopy_root_heartbeats_ignored_total\{reason="not_in_topology"\} [1-9]/.test(m);
  });
  assert.ok(procs.root!.output.some((l) => l.includes('zone zc is not in the topology')));
});

test('no password appears in any log line of the zones or the root', () => {
  const lines = ['root', 'za', 'zb', 'zc'].flatMap((k) => procs[k]!.output);
  assert.ok(lines.length > 5);
  assert.ok(
    lines.some((l) => l.includes('connected to NATS')),
    'the zones and root logged their connection',
  );
  for (const p of Object.values(pw)) {
    const leaked = lines.filter((l) => l.includes(p));
    assert.deepEqual(leaked, [], 'a password was logged');
  }
});
