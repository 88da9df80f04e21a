// `canopy up --secure` end to end: the launcher generates a CA and certificates, starts
// nats-server with one user per zone and TLS, the zones and the root with NATS passwords and
// TLS, leaves shipping over gRPC with client certificates (mTLS), and every HTTP server (zones,
// root, leaves) behind one web config (TLS + basic auth user admin). A query through the root
// over HTTPS returns every zone's `up`; requests without credentials get 401 and plain HTTP is
// refused; the root reaches the zones over HTTPS with its HTTP client config (silences written
// at the root land in each zone, the zones' rule groups and alerts merge at the root);
// nats-server refuses a client without credentials; no password appears in the launcher's
// output (every child's log lines pass through it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { execFileSync } from 'node:child_process';
import { ensureNatsServer, spawnCanopy, tempDir, waitFor, type Proc } from './harness.ts';
import { tlsJson, tlsRequest, type TlsClientOptions } from './tls-client.ts';
import { findOnPath } from '../../topology/path.ts';

let dir: ReturnType<typeof tempDir>;
let up: Proc;
let ep: {
  root: { http: string };
  nats: string;
  zones: { name: string; http: string }[];
  leaves: { name: string; http: string }[];
  secure?: {
    ca: string;
    dir: string;
    webConfig: string;
    user: string;
    passwordFile: string;
    httpClientConfig: string;
  };
};
let admin: TlsClientOptions;

/** What the launcher printed, and the start-up lines it held in <state-dir>/startup.log. */
function allLogLines(): string[] {
  const held = join(dir.path, 'state', 'startup.log');
  return [...up.output, ...(existsSync(held) ? readFileSync(held, 'utf8').split('\n') : [])];
}

/** A GET or write with the CA and the admin user; the answer's JSON body. */
const authed = (url: string, o: TlsClientOptions = {}): ReturnType<typeof tlsJson> =>
  tlsJson(url, { ...admin, ...o });

before(async () => {
  ensureNatsServer();
  dir = tempDir('up-secure');
  const topo = join(dir.path, 'topology.yaml');
  writeFileSync(
    topo,
    [
      'root:',
      '  http: 127.0.0.1:0',
      'regions:',
      '  - name: eu',
      '    zones:',
      '      - name: eu-a',
      '        leaves: 1',
      '        rule_files: [rules.yml]',
      '  - name: us',
      '    zones:',
      '      - name: us-a',
      '        leaves: 1',
      '        rule_files: [rules.yml]',
      `data_dir: ${join(dir.path, 'data')}`,
      '',
    ].join('\n'),
  );
  // one rule group per zone, evaluated every second: an always-firing alert to silence
  writeFileSync(
    join(dir.path, 'rules.yml'),
    [
      'groups:',
      '  - name: secure-tree',
      '    interval: 1s',
      '    rules:',
      '      - alert: SecureTreeCanary',
      '        expr: vector(1)',
      '        labels: { severity: none }',
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

test("a query through the root over HTTPS (CA + basic auth) returns every zone's up, over NATS with per-zone users and TLS and leaves on mTLS", async () => {
  assert.ok(ep.secure, 'endpoints.json names the secure directory');
  assert.match(ep.nats, /^tls:\/\/127\.0\.0\.1:\d+$/);
  for (const url of [ep.root.http, ...ep.zones.map((z) => z.http), ...ep.leaves.map((l) => l.http)])
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(statSync(ep.secure!.passwordFile).mode & 0o777, 0o600, 'the admin password file is private');
  const zones = await waitFor(
    'up from both zones at the root',
    async () => {
      const { body } = await authed(`${ep.root.http}/api/v1/query?query=up`);
      const zs = new Set<string>(
        (body?.data?.result ?? []).filter((r: any) => r.value[1] === '1').map((r: any) => r.metric.zone),
      );
      return zs.size === 2 ? [...zs].sort() : undefined;
    },
    90_000,
    1000,
  );
  assert.deepEqual(zones, ['eu-a', 'us-a']);
  // The leaves authenticated with their certificates (the zones log each identity once).
  await waitFor(
    'leaf identities logged by the zones',
    async () =>
      ep.leaves.every((l) =>
        allLogLines().some((line) => line.includes('leaf authenticated') && line.includes(l.name)),
      ),
    30_000,
  );
  // the summary tells how to query it
  const text = up.output.join('\n');
  assert.ok(
    text.includes(
      `curl --cacert ${ep.secure!.ca} -u admin:$(cat ${ep.secure!.passwordFile}) '${ep.root.http}/api/v1/query?query=up'`,
    ),
    'the summary prints the curl command',
  );
});

test('every HTTP server of the secure tree (root, zones, leaves): 401 without or with a wrong password, 200 with admin, plain HTTP refused, untrusted without the CA', async () => {
  const servers = [ep.root.http, ...ep.zones.map((z) => z.http), ...ep.leaves.map((l) => l.http)];
  assert.equal(servers.length, 5);
  for (const url of servers) {
    const none = await tlsRequest(`${url}/metrics`, { ca: ep.secure!.ca });
    assert.equal(none.status, 401, `${url} without credentials`);
    assert.match(String(none.headers['www-authenticate']), /^Basic/);
    assert.equal(
      (await tlsRequest(`${url}/metrics`, { ...admin, password: 'wrong' })).status,
      401,
      `${url} with a wrong password`,
    );
    assert.equal((await authed(`${url}/metrics`)).status, 200, `${url} with admin`);
    const plain = await tlsRequest(`${url.replace('https:', 'http:')}/metrics`);
    assert.equal(plain.status, 400, `${url} over plain HTTP`);
    assert.match(plain.body, /HTTP request to an HTTPS server/);
    assert.equal(
      (await tlsRequest(`${url}/metrics`, { user: admin.user, password: admin.password })).error,
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      `${url} is not trusted without the CA`,
    );
  }
});

test('the root reaches the zones over HTTPS: their rule groups and alerts merge at the root; a silence written at the root lands in every zone', async () => {
  // rules: each zone's group, its file prefixed with the zone (fetched from the zone with the root's HTTP client config)
  const files = await waitFor(
    "both zones' rule groups at the root",
    async () => {
      const { body } = await authed(`${ep.root.http}/api/v1/rules`);
      const fs = (body?.data?.groups ?? [])
        .filter((g: any) => g.name === 'secure-tree')
        .map((g: any) => String(g.file).split(':')[0]);
      return fs.length === 2 ? fs.sort() : undefined;
    },
    30_000,
    500,
  );
  assert.deepEqual(files, ['eu-a', 'us-a']);
  const alertZones = await waitFor(
    'the canary alert of both zones at the root',
    async () => {
      const { body } = await authed(`${ep.root.http}/api/v1/alerts`);
      const zs = (body?.data?.alerts ?? [])
        .filter((a: any) => a.labels?.alertname === 'SecureTreeCanary' && a.state === 'firing')
        .map((a: any) => a.labels.zone);
      return zs.length === 2 ? zs.sort() : undefined;
    },
    60_000,
    500,
  );
  assert.deepEqual(alertZones, ['eu-a', 'us-a']);

  const silence = JSON.stringify({
    matchers: [{ name: 'alertname', value: 'SecureTreeCanary', isRegex: false, isEqual: true }],
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 3600_000).toISOString(),
    createdBy: 'up-secure test',
    comment: 'secure tree silence',
  });
  const post = { method: 'POST', body: silence, headers: { 'content-type': 'application/json' } };
  assert.equal(
    (await tlsRequest(`${ep.root.http}/api/v2/silences`, { ca: ep.secure!.ca, ...post })).status,
    401,
    'no credentials, no silence',
  );
  const created = await authed(`${ep.root.http}/api/v2/silences`, post);
  assert.equal(created.status, 200, created.text);
  const ids = String(created.body.silenceID).split(',');
  assert.equal(ids.length, 2, 'one silence per zone');
  for (const z of ep.zones) {
    const { status, body } = await authed(`${z.http}/api/v2/silences`);
    assert.equal(status, 200);
    const mine = (body as any[]).filter(
      (x) => x.comment === 'secure tree silence' && x.status?.state === 'active',
    );
    assert.equal(mine.length, 1, `zone ${z.name} holds the silence`);
    assert.ok(ids.includes(mine[0].id));
  }
  // and read back through the root (GET fanned out to both zones)
  const merged = await authed(`${ep.root.http}/api/v2/silences`);
  assert.equal((merged.body as any[]).filter((x) => x.comment === 'secure tree silence').length, 2);
  assert.deepEqual(
    up.output.filter((l) => l.includes('zone left out') || l.includes('did not answer a silence write')),
    [],
    'no zone call failed',
  );
});

test('promtool 2.42 queries the root over TLS (CA from SSL_CERT_FILE, basic auth in the URL); the web config passes promtool check web-config', async (t) => {
  const promtool = findOnPath('promtool');
  if (!promtool) return void t.skip('promtool not installed');
  execFileSync(promtool, ['check', 'web-config', ep.secure!.webConfig], { stdio: 'pipe' });
  const host = ep.root.http.replace('https://', '');
  const out = execFileSync(
    promtool,
    ['query', 'instant', `https://admin:${admin.password}@${host}`, 'count by (zone) (up)'],
    {
      env: { ...process.env, SSL_CERT_FILE: ep.secure!.ca },
      encoding: 'utf8',
    },
  );
  assert.match(out, /zone="eu-a"/);
  assert.match(out, /zone="us-a"/);
});

test('nats-server of the secure tree refuses a client without credentials; NATS and HTTP passwords stay out of the logs; key files are private', async () => {
  await assert.rejects(
    connect({ servers: ep.nats, tls: { caFile: ep.secure!.ca }, timeout: 5000, reconnect: false }),
    /authorization violation/i,
  );
  const natsDir = join(ep.secure!.dir, 'nats');
  const passwords = readdirSync(natsDir)
    .filter((f) => f.endsWith('.password'))
    .map((f) => readFileSync(join(natsDir, f), 'utf8').trim());
  assert.equal(passwords.length, 3, 'root and one user per zone');
  for (const p of [...passwords, admin.password!])
    assert.deepEqual(
      allLogLines().filter((l) => l.includes(p)),
      [],
    );
  for (const f of readdirSync(natsDir))
    assert.equal(statSync(join(natsDir, f)).mode & 0o077, 0, `${f} is private`);
  const pki = join(ep.secure!.dir, 'pki');
  for (const f of readdirSync(pki).filter((x) => x.endsWith('.key')))
    assert.equal(statSync(join(pki, f)).mode & 0o077, 0, `${f} is private`);
});
