// `canopy up --secure` with an HA zone (replicas: 2): each replica gets its own NATS user (its
// own per-replica subjects), its gRPC server certificate and, for the writes it forwards to the
// other replica, the tree's HTTP client config (CA + admin user). Checked end to end: the root
// lists both replicas alive, the leaf ships over mTLS to both, and a JSON push acknowledged by
// replica a reaches replica b over HTTPS with credentials.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNatsServer, spawnCanopy, tempDir, waitFor, type Proc } from './harness.ts';
import { tlsJson, type TlsClientOptions } from './tls-client.ts';

let dir: ReturnType<typeof tempDir>;
let up: Proc;
let ep: {
  root: { http: string };
  zones: { name: string; replica?: string; http: string }[];
  secure?: { ca: string; dir: string; user: string; passwordFile: string };
};
let admin: TlsClientOptions;

/** A GET or write with the CA and the admin user; the answer's JSON body. */
const authed = (url: string, o: TlsClientOptions = {}): ReturnType<typeof tlsJson> =>
  tlsJson(url, { ...admin, ...o });

before(async () => {
  ensureNatsServer();
  dir = tempDir('up-secure-replicas');
  const topo = join(dir.path, 'topology.yaml');
  writeFileSync(
    topo,
    [
      'root:',
      '  http: 127.0.0.1:0',
      'regions:',
      '  - name: eu',
      '    zones:',
      '      - name: z1',
      '        replicas: 2',
      '        leaves: 1',
      `data_dir: ${join(dir.path, 'data')}`,
      '',
    ].join('\n'),
  );
  up = spawnCanopy('up', [
    'up',
    '--secure',
    '--topology',
    topo,
    '--state-dir',
    join(dir.path, 'state'),
    '--scrape-interval',
    '1s',
  ]);
  const file = join(dir.path, 'state', 'endpoints.json');
  await waitFor(
    'canopy up --secure to write endpoints.json',
    async () => existsSync(file),
    120_000,
    500,
  ).catch((e) => {
    throw new Error(`${(e as Error).message}\n${up.output.slice(-40).join('\n')}`);
  });
  ep = JSON.parse(readFileSync(file, 'utf8'));
  admin = {
    ca: ep.secure!.ca,
    user: ep.secure!.user,
    password: readFileSync(ep.secure!.passwordFile, 'utf8').trim(),
  };
});

after(async () => {
  await up?.stop();
  dir?.remove();
});

test(
  'secure tree with a 2-replica zone: per-replica NATS users, both replicas alive at the root, the leaf ships to both over mTLS',
  { timeout: 120_000 },
  async () => {
    assert.deepEqual(
      ep.zones.map((z) => `${z.name}/${z.replica}`),
      ['z1/a', 'z1/b'],
    );
    const natsDir = join(ep.secure!.dir, 'nats');
    assert.deepEqual(
      readdirSync(natsDir)
        .filter((f) => f.endsWith('.password'))
        .sort(),
      ['root.password', 'zone-z1-a.password', 'zone-z1-b.password'],
    );
    const conf = readFileSync(join(natsDir, 'nats-server.conf'), 'utf8');
    assert.match(
      conf,
      /user: "zone-z1-a"[\s\S]*canopy\.query\.z1\.a/,
      'replica a may receive only its own query subject',
    );
    const zones = await waitFor(
      'both replicas alive at the root',
      async () => {
        const { body } = await authed(`${ep.root.http}/api/v1/status/zones`);
        const d = (body?.data ?? []) as { zone: string; replica?: string; alive: boolean }[];
        return d.length === 2 && d.every((z) => z.alive) ? d : undefined;
      },
      60_000,
      500,
    );
    assert.deepEqual(zones.map((z) => `${z.zone}/${z.replica}`).sort(), ['z1/a', 'z1/b']);
    for (const z of ep.zones) {
      await waitFor(
        `the leaf's up at replica ${z.replica}`,
        async () => {
          const { body } = await authed(`${z.http}/api/v1/query?query=up`);
          return (body?.data?.result ?? []).length === 1;
        },
        60_000,
        500,
      );
    }
    const { body } = await authed(`${ep.root.http}/api/v1/query?query=up`);
    assert.equal(body.data.result.length, 1, 'one series at the root, replicas deduplicated');
    assert.equal(body.data.result[0].metric.replica, undefined, 'no replica label in results');
  },
);

test(
  "a write acknowledged by replica a reaches replica b over HTTPS with the tree's client credentials",
  { timeout: 60_000 },
  async () => {
    const [a, b] = ep.zones;
    const ts = Math.floor(Date.now() / 1000);
    const push = await authed(`${a!.http}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ metric: 'secure_forward_probe', tags: { k: 'v' }, timestamp: ts, value: 7 }]),
    });
    assert.ok(push.status! < 300, `push to replica a: ${push.status} ${push.text}`);
    await waitFor(
      'the forwarded sample at replica b',
      async () => {
        const { body } = await authed(`${b!.http}/api/v1/query?query=secure_forward_probe`);
        return (body?.data?.result ?? []).length === 1 && body.data.result[0].value[1] === '7';
      },
      30_000,
      250,
    );
    const metrics = (await authed(`${a!.http}/metrics`)).text;
    assert.match(
      metrics,
      /canopy_zone_replica_forward_requests_total\{peer="https:[^"]+",outcome="ok"\} [1-9]/,
    );
    assert.doesNotMatch(
      metrics,
      /outcome="rejected"\} [1-9]/,
      'no forwarded write was refused (401 without credentials)',
    );
    const held = readFileSync(join(dir.path, 'state', 'startup.log'), 'utf8').split('\n');
    assert.deepEqual(
      [...up.output, ...held].filter((l) => l.includes(admin.password!)),
      [],
      'no password in the logs',
    );
  },
);
