// Issue 14, parts 1 and 2, with real processes: zone, root and leaf behind a Prometheus web
// config file (TLS with certificates openssl made for this run, bcrypt basic auth, mTLS,
// headers), Prometheus 2.42's promtool querying the zone over TLS with credentials, and the
// mutating endpoints (admin API, lifecycle) off by default and working with their flags.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { findOnPath } from '../../topology/path.ts';
import {
  freePort,
  runCanopy,
  spawnCanopy,
  spawnProc,
  startNats,
  tempDir,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';
import { makeCerts, type TestCerts } from './certs.ts';
import { tlsRequest, type TlsClientOptions } from './tls-client.ts';

let dir: ReturnType<typeof tempDir>;
let certs: TestCerts;
let nats: { proc: Proc; url: string } | undefined;
const procs: Proc[] = [];
const web = { auth: '', mtls: '', certOnly: '' };
const ALICE = { user: 'alice', password: 'correct horse' };

before(async () => {
  dir = tempDir('web-auth');
  certs = makeCerts(dir.path);
  const tls = `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n`;
  web.auth = join(dir.path, 'web.yml');
  writeFileSync(
    web.auth,
    `${tls}http_server_config:\n  headers:\n    X-Frame-Options: deny\n    Strict-Transport-Security: max-age=31536000\nbasic_auth_users:\n  alice: ${await bcrypt.hash(ALICE.password, 10)}\n`,
  );
  web.mtls = join(dir.path, 'mtls.yml');
  writeFileSync(web.mtls, `${tls}  client_ca_file: ca.crt\n  client_auth_type: RequireAndVerifyClientCert\n`);
  web.certOnly = join(dir.path, 'cert-only.yml');
  writeFileSync(
    web.certOnly,
    `${tls}  client_ca_file: ca.crt\n  client_auth_type: VerifyClientCertIfGiven\n`,
  );
});

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  await nats?.proc.stop();
  dir?.remove();
});

function get(url: string, o: TlsClientOptions = {}): ReturnType<typeof tlsRequest> {
  return tlsRequest(url, { ca: certs.caCert, ...o });
}

/** Starts a canopy process serving HTTPS and waits until `path` answers 200 with `creds`. */
async function startTls(
  name: string,
  args: string[],
  port: number,
  creds: TlsClientOptions,
  path = '/healthz',
): Promise<{ proc: Proc; url: string }> {
  const proc = spawnCanopy(name, args);
  procs.push(proc);
  const url = `https://127.0.0.1:${port}`;
  await waitFor(
    `${name} over TLS`,
    async () => (await get(`${url}${path}`, creds)).status === 200 || undefined,
    30_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n${proc.output.slice(-20).join('\n')}`);
  });
  return { proc, url };
}

/** Waits until the root at `url` lists `zone` as alive. */
async function zoneAliveAt(url: string, zone: string): Promise<void> {
  await waitFor(`zone ${zone} alive at ${url}`, async () => {
    const r = await get(`${url}/api/v1/status/zones`, ALICE);
    return (
      (JSON.parse(r.body).data as { zone: string; alive: boolean }[]).some(
        (z) => z.zone === zone && z.alive,
      ) || undefined
    );
  });
}

async function zoneArgs(port: number, extra: string[]): Promise<string[]> {
  return [
    'zone',
    '--zone',
    'z1',
    '--listen',
    `127.0.0.1:${port}`,
    '--grpc-listen',
    `127.0.0.1:${await freePort()}`,
    '--data-dir',
    join(dir.path, `zone-${port}`),
    ...extra,
  ];
}

test('zone with a web config: 401 without or with wrong credentials, 200 with the right ones over TLS; headers; plain HTTP refused; promtool queries it', async () => {
  const port = await freePort();
  const { url } = await startTls(
    'zone-auth',
    await zoneArgs(port, ['--web.config.file', web.auth]),
    port,
    ALICE,
  );
  for (const creds of [{}, { user: 'alice', password: 'wrong' }, { user: 'bob', password: ALICE.password }]) {
    const r = await get(`${url}/api/v1/query?query=up`, creds);
    assert.equal(r.status, 401, JSON.stringify(creds));
    assert.equal(r.headers['www-authenticate'], 'Basic');
  }
  const push = await get(`${url}/api/v1/push`, {
    ...ALICE,
    method: 'POST',
    body: JSON.stringify([{ metric: 'up', tags: { job: 'tls' }, value: 1 }]),
  });
  assert.equal(push.status, 204, push.body);
  const r = await get(`${url}/api/v1/query?query=up`, ALICE);
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).data.result[0].metric.job, 'tls');
  assert.equal(r.headers['x-frame-options'], 'deny');
  assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
  // no write without credentials either
  assert.equal((await get(`${url}/api/v1/push`, { method: 'POST', body: '[]' })).status, 401);
  const plain = await tlsRequest(`http://127.0.0.1:${port}/api/v1/query?query=up`);
  assert.equal(plain.status, 400);
  assert.match(plain.body, /HTTP request to an HTTPS server/);
  assert.equal(
    (await tlsRequest(`${url}/healthz`)).error,
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'a client without the CA does not trust the server',
  );

  // promtool 2.42 has no --http.config.file (2.43 added it): Go's HTTP client takes basic auth
  // from the URL and the CA from SSL_CERT_FILE
  const promtool = findOnPath('promtool');
  if (!promtool) return void process.stderr.write('# promtool not installed: promtool part skipped\n');
  const run = (password: string): ReturnType<typeof spawnSync> =>
    spawnSync(
      promtool,
      ['query', 'instant', `https://alice:${encodeURIComponent(password)}@127.0.0.1:${port}`, 'up'],
      { env: { ...process.env, SSL_CERT_FILE: certs.caCert }, encoding: 'utf8', timeout: 30_000 },
    );
  const ok = run(ALICE.password);
  assert.equal(ok.status, 0, String(ok.stderr));
  assert.match(String(ok.stdout), /up\{.*job="tls".*\} => 1 @/);
  const bad = run('wrong');
  assert.notEqual(bad.status, 0);
  assert.match(String(bad.stderr), /401/);
});

test('Prometheus 2.42 scrapes a secured zone and remote-writes to it with its usual tls_config and basic_auth', async (t) => {
  const prometheus = findOnPath('prometheus');
  if (!prometheus) return void t.skip('prometheus not installed');
  const port = await freePort();
  const { url } = await startTls(
    'zone-rw',
    await zoneArgs(port, ['--web.config.file', web.auth]),
    port,
    ALICE,
  );
  const pp = await freePort();
  const cfg = join(dir.path, 'prometheus.yml');
  const client = `    tls_config:\n      ca_file: ${certs.caCert}\n    basic_auth:\n      username: alice\n      password: ${ALICE.password}\n`;
  writeFileSync(
    cfg,
    `global:\n  scrape_interval: 1s\n  external_labels:\n    sender: prom\nscrape_configs:\n  - job_name: zone\n    scheme: https\n${client}    static_configs:\n      - targets: ['127.0.0.1:${port}']\nremote_write:\n  - url: ${url}/api/v1/write\n${client}    queue_config:\n      batch_send_deadline: 1s\n`,
  );
  const prom = spawnProc('prometheus', prometheus, [
    `--config.file=${cfg}`,
    `--storage.tsdb.path=${join(dir.path, 'prom')}`,
    `--web.listen-address=127.0.0.1:${pp}`,
  ]);
  procs.push(prom);
  assert.ok(await waitForHttp(`http://127.0.0.1:${pp}/-/ready`, 30_000), prom.output.join('\n'));
  // the scrape worked (up = 1 in Prometheus) and its samples arrived at the zone over TLS with credentials
  const got = await waitFor(
    'remote-written up{job="zone"} at the zone',
    async () => {
      const r = await get(
        `${url}/api/v1/query?query=${encodeURIComponent('up{job="zone",sender="prom"}')}`,
        ALICE,
      );
      const res = JSON.parse(r.body).data?.result ?? [];
      return res.length > 0 ? res : undefined;
    },
    30_000,
    500,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n${prom.output.slice(-15).join('\n')}`);
  });
  assert.equal(got[0].value[1], '1');
});

test('zone with mTLS (RequireAndVerifyClientCert): no client certificate or one from another CA is refused', async () => {
  const port = await freePort();
  const good = { cert: certs.clientCert, key: certs.clientKey };
  const { url } = await startTls(
    'zone-mtls',
    await zoneArgs(port, ['--web.config.file', web.mtls, '--storage', 'memory']),
    port,
    good,
  );
  const none = await get(`${url}/api/v1/query?query=up`);
  assert.equal(none.status, undefined, 'refused without a certificate');
  assert.ok(none.error);
  const stranger = await get(`${url}/api/v1/query?query=up`, {
    cert: certs.strangerCert,
    key: certs.strangerKey,
  });
  assert.equal(stranger.status, undefined, 'refused with a certificate from another CA');
  assert.equal((await get(`${url}/api/v1/query?query=up`, good)).status, 200);
});

test('root with a web config: basic auth over TLS; silence writes need an authenticated user', async () => {
  nats ??= await startNats();
  const port = await freePort();
  const { url } = await startTls(
    'root-auth',
    ['root', '--listen', `127.0.0.1:${port}`, '--nats', nats.url, '--web.config.file', web.auth],
    port,
    ALICE,
  );
  assert.equal((await get(`${url}/api/v1/query?query=vector(1)`)).status, 401);
  assert.equal(
    (await get(`${url}/api/v1/query?query=vector(1)`, { user: 'alice', password: 'nope' })).status,
    401,
  );
  const r = await get(`${url}/api/v1/query?query=vector(1)`, ALICE);
  assert.equal(r.status, 200, r.body);
  assert.equal(JSON.parse(r.body).data.result[0].value[1], '1');
  assert.equal((await tlsRequest(`http://127.0.0.1:${port}/api/v1/query?query=vector(1)`)).status, 400);

  // TLS without users: reads are open, silence writes only with a verified client certificate
  const p2 = await freePort();
  const { url: u2 } = await startTls(
    'root-cert',
    ['root', '--listen', `127.0.0.1:${p2}`, '--nats', nats.url, '--web.config.file', web.certOnly],
    p2,
    {},
  );
  const silence = JSON.stringify({
    matchers: [{ name: 'alertname', value: 'X', isRegex: false }],
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 3600e3).toISOString(),
    createdBy: 't',
    comment: 'c',
  });
  const anon = await get(`${u2}/api/v2/silences`, {
    method: 'POST',
    body: silence,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(anon.status, 403);
  assert.match(anon.body, /authenticated user/);
  assert.equal((await get(`${u2}/api/v2/silence/abc`, { method: 'DELETE' })).status, 403);
  assert.equal((await get(`${u2}/api/v2/silences`)).status, 200);
  const signed = await get(`${u2}/api/v2/silences`, {
    method: 'POST',
    body: silence,
    headers: { 'content-type': 'application/json' },
    cert: certs.clientCert,
    key: certs.clientKey,
  });
  assert.notEqual(signed.status, 403, 'a verified client certificate is an authenticated user');
  assert.equal(signed.status, 503, `no zone is alive to take it: ${signed.body}`);
});

test('root reaches zones behind a web config with --zone.http-config.file (Prometheus HTTP client config): silences written through the root land in the zone', async () => {
  nats ??= await startNats();
  const zp = await freePort();
  const { url: zoneUrl } = await startTls(
    'zone-behind',
    await zoneArgs(zp, [
      '--region',
      'r1',
      '--web.config.file',
      web.auth,
      '--storage',
      'memory',
      '--nats',
      nats.url,
    ]),
    zp,
    ALICE,
  );
  // the root reaches a zone's HTTP API only at its topology address: https:// for a zone with TLS
  const topo = join(dir.path, 'zone-behind-topology.yaml');
  writeFileSync(
    topo,
    `regions:\n  - name: r1\n    zones:\n      - { name: z1, http: "https://127.0.0.1:${zp}" }\n`,
  );
  const clientCfg = join(dir.path, 'zone-client.yml');
  writeFileSync(
    clientCfg,
    `basic_auth:\n  username: alice\n  password_file: alice.pw\ntls_config:\n  ca_file: ca.crt\n`,
  );
  writeFileSync(join(dir.path, 'alice.pw'), `${ALICE.password}\n`);
  const rp = await freePort();
  const { url } = await startTls(
    'root-client',
    [
      'root',
      '--listen',
      `127.0.0.1:${rp}`,
      '--nats',
      nats.url,
      '--topology',
      topo,
      '--web.config.file',
      web.auth,
      '--zone.http-config.file',
      clientCfg,
    ],
    rp,
    ALICE,
  );
  await zoneAliveAt(url, 'z1');
  const silence = JSON.stringify({
    matchers: [{ name: 'alertname', value: 'ViaRoot', isRegex: false }],
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 3600e3).toISOString(),
    createdBy: 'alice',
    comment: 'through the root',
  });
  const w = await get(`${url}/api/v2/silences`, {
    ...ALICE,
    method: 'POST',
    body: silence,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(w.status, 200, w.body);
  const atZone = await get(`${zoneUrl}/api/v2/silences`, ALICE);
  assert.ok(
    (JSON.parse(atZone.body) as { comment: string }[]).some((x) => x.comment === 'through the root'),
    atZone.body,
  );
  const merged = await get(`${url}/api/v2/silences`, ALICE);
  assert.ok(
    (JSON.parse(merged.body) as { comment: string }[]).some((x) => x.comment === 'through the root'),
    "the root reads the zone's silences back",
  );

  // a root that does not trust the zones' CA says why
  const bp = await freePort();
  const { url: bare } = await startTls(
    'root-bare',
    [
      'root',
      '--listen',
      `127.0.0.1:${bp}`,
      '--nats',
      nats.url,
      '--topology',
      topo,
      '--web.config.file',
      web.auth,
    ],
    bp,
    ALICE,
  );
  await zoneAliveAt(bare, 'z1');
  const refused = await get(`${bare}/api/v2/silences`, {
    ...ALICE,
    method: 'POST',
    body: silence,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(refused.status, 503, refused.body);
  assert.match(refused.body, /zone z1 did not answer: fetch failed: .*certificate/);
  // one that trusts them but has no credentials says so, instead of passing the zone's 401 on
  const caOnly = join(dir.path, 'zone-client-ca-only.yml');
  writeFileSync(caOnly, 'tls_config:\n  ca_file: ca.crt\n');
  const cp = await freePort();
  const { url: noCreds } = await startTls(
    'root-no-creds',
    [
      'root',
      '--listen',
      `127.0.0.1:${cp}`,
      '--nats',
      nats.url,
      '--topology',
      topo,
      '--web.config.file',
      web.auth,
      '--zone.http-config.file',
      caOnly,
    ],
    cp,
    ALICE,
  );
  await zoneAliveAt(noCreds, 'z1');
  const r401 = await get(`${noCreds}/api/v2/silences`, {
    ...ALICE,
    method: 'POST',
    body: silence,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(r401.status, 502, r401.body);
  assert.match(r401.body, /zone z1 refused the root \(HTTP 401\).*--zone.http-config.file/);
});

test('a bad --zone.http-config.file stops the root with exit code 2', () => {
  const bad = join(dir.path, 'bad-client.yml');
  writeFileSync(bad, 'tls_config:\n  ca_file: nowhere.crt\n');
  const r = runCanopy(['root', '--nats', 'nats://127.0.0.1:1', '--zone.http-config.file', bad]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /key "tls_config.ca_file": cannot read .*nowhere\.crt: ENOENT/);
});

test('leaf with a web config', async () => {
  const port = await freePort();
  const args = [
    'leaf',
    '--name',
    'l1',
    '--zone',
    `127.0.0.1:${await freePort()}`,
    '--listen',
    `127.0.0.1:${port}`,
    '--data-dir',
    join(dir.path, 'leaf'),
    '--web.config.file',
    web.auth,
  ];
  const { url } = await startTls('leaf-auth', args, port, ALICE);
  assert.equal((await get(`${url}/metrics`)).status, 401);
  assert.equal((await get(`${url}/api/v1/push`, { method: 'POST', body: '[]' })).status, 401);
  const m = await get(`${url}/metrics`, ALICE);
  assert.equal(m.status, 200);
  assert.equal(m.headers['x-frame-options'], 'deny');
  assert.equal((await tlsRequest(`http://127.0.0.1:${port}/metrics`)).status, 400);
});

test("default zone: snapshot, delete_series, reload and quit refused with Prometheus's answers", async () => {
  const port = await freePort();
  const proc = spawnCanopy('zone-default', await zoneArgs(port, []));
  procs.push(proc);
  const url = `http://127.0.0.1:${port}`;
  assert.ok(await waitForHttp(`${url}/readyz`, 30_000), proc.output.join('\n'));
  for (const path of [
    '/api/v1/admin/tsdb/snapshot',
    '/api/v1/admin/tsdb/delete_series',
    '/api/v1/admin/tsdb/clean_tombstones',
  ]) {
    const r = await fetch(`${url}${path}`, { method: 'POST' });
    assert.equal(r.status, 503, path);
    assert.deepEqual(await r.json(), {
      status: 'error',
      errorType: 'unavailable',
      error: 'admin APIs disabled',
    });
  }
  for (const path of ['/-/reload', '/-/quit']) {
    for (const method of ['POST', 'PUT']) {
      const r = await fetch(`${url}${path}`, { method });
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(await r.text(), 'Lifecycle API is not enabled.');
    }
    const g = await fetch(`${url}${path}`);
    assert.equal(g.status, 405);
    assert.equal(await g.text(), 'Only POST or PUT requests allowed');
  }
  assert.equal((await fetch(`${url}/readyz`)).status, 200, 'the zone still runs after /-/quit was refused');
});

test('with --web.enable-admin-api and --web.enable-lifecycle: snapshots (at most --snapshot.max-count kept, --snapshot.max-size refused), reload and quit work', async () => {
  const port = await freePort();
  const args = await zoneArgs(port, [
    '--web.enable-admin-api',
    '--web.enable-lifecycle',
    '--snapshot.max-count',
    '2',
  ]);
  const proc = spawnCanopy('zone-admin', args);
  procs.push(proc);
  const url = `http://127.0.0.1:${port}`;
  assert.ok(await waitForHttp(`${url}/readyz`, 30_000), proc.output.join('\n'));
  const push = await fetch(`${url}/api/v1/push`, {
    method: 'POST',
    body: JSON.stringify([{ metric: 'snap_test', value: 1 }]),
  });
  assert.equal(push.status, 204);
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${url}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
    const body = (await r.json()) as { data: { name: string } };
    assert.equal(r.status, 200, JSON.stringify(body));
    names.push(body.data.name);
    await new Promise((res) => setTimeout(res, 1100)); // names sort by their second
  }
  const snapDir = join(dir.path, `zone-${port}`, 'snapshots');
  assert.deepEqual(readdirSync(snapDir).sort(), names.slice(1).sort(), 'the oldest snapshot was deleted');
  const d = await fetch(`${url}/api/v1/admin/tsdb/delete_series?match[]=up`, { method: 'POST' });
  assert.equal(d.status, 501);
  const reload = await fetch(`${url}/-/reload`, { method: 'POST' });
  assert.equal(reload.status, 200);
  const quit = await fetch(`${url}/-/quit`, { method: 'POST' });
  assert.equal(quit.status, 200);
  assert.equal(await quit.text(), 'Requesting termination... Goodbye!');
  const code = await new Promise<number | null>((res) =>
    proc.child.exitCode !== null ? res(proc.child.exitCode) : proc.child.once('exit', (c) => res(c)),
  );
  assert.equal(code, 0, proc.output.slice(-10).join('\n'));

  // a size bound the next snapshot would exceed: refused, nothing written
  const p2 = await freePort();
  const small = spawnCanopy(
    'zone-small',
    await zoneArgs(p2, ['--web.enable-admin-api', '--snapshot.max-size', '1KB']),
  );
  procs.push(small);
  const u2 = `http://127.0.0.1:${p2}`;
  assert.ok(await waitForHttp(`${u2}/readyz`, 30_000), small.output.join('\n'));
  await fetch(`${u2}/api/v1/push`, {
    method: 'POST',
    body: JSON.stringify(
      Array.from({ length: 200 }, (_, i) => ({ metric: 'fill', tags: { i: String(i) }, value: i })),
    ),
  });
  const r = await fetch(`${u2}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
  const body = (await r.json()) as { errorType: string; error: string };
  assert.equal(r.status, 503, JSON.stringify(body));
  assert.equal(body.errorType, 'unavailable');
  assert.match(body.error, /cannot create snapshot: .*would exceed the bound of 1000 bytes/);
});

test('a bad web config file stops zone, root and leaf at start with exit code 2, naming the file and the key', () => {
  const bad = join(dir.path, 'bad.yml');
  writeFileSync(
    bad,
    'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: Sometimes\n',
  );
  const cases = [
    ['zone', '--storage', 'memory', '--listen', '127.0.0.1:0', '--grpc-listen', '127.0.0.1:0'],
    ['root', '--nats', 'nats://127.0.0.1:1', '--listen', '127.0.0.1:0'],
    ['leaf', '--zone', '127.0.0.1:1', '--data-dir', join(dir.path, 'leaf-bad'), '--listen', '127.0.0.1:0'],
  ];
  for (const args of cases) {
    const r = runCanopy([...args, '--web.config.file', bad]);
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.match(
      r.stderr,
      new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: key "tls_server_config.client_auth_type"`),
      args[0],
    );
  }
});
