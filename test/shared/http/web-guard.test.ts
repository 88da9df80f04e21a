// HttpServer with a web config file, in this process: basic auth (401 + WWW-Authenticate, the
// bcrypt cache), headers, plain HTTP refused, each client_auth_type, and changes to the file
// applied without a restart (per request for users, per connection for TLS).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { HttpServer } from '../../../shared/http/index.ts';
import { silentLogger } from '../../../shared/log.ts';
import { makeCerts, type TestCerts } from '../../e2e/certs.ts';
import { tlsRequest } from '../../e2e/tls-client.ts';

let dir: string;
let certs: TestCerts;
const log = silentLogger();

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-webguard-'));
  certs = makeCerts(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function serve(webFile: string): Promise<{ url: string; http: HttpServer }> {
  const http = new HttpServer({ logger: log, webConfigFile: webFile });
  http.get('/who', (req) => ({ status: 200, body: `user=${req.user ?? '-'}` }));
  const { url } = await http.listen('127.0.0.1:0');
  return { url, http };
}

function tlsFile(name: string, clientAuth: string, extra = ''): string {
  const p = join(dir, name);
  writeFileSync(
    p,
    `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n${clientAuth ? `  client_ca_file: ca.crt\n  client_auth_type: ${clientAuth}\n` : ''}${extra}`,
  );
  return p;
}

test('basic auth: 401 with WWW-Authenticate: Basic without or with wrong credentials, 200 with the right ones; headers on every answer', async () => {
  const hash = await bcrypt.hash('s3cret', 10);
  const p = tlsFile(
    'auth.yml',
    '',
    `http_server_config:\n  headers:\n    X-Frame-Options: deny\n    Content-Security-Policy: default-src 'none'\nbasic_auth_users:\n  alice: ${hash}\n`,
  );
  const { url, http } = await serve(p);
  try {
    assert.match(url, /^https:/);
    for (const cred of [
      {},
      { user: 'alice', password: 'wrong' },
      { user: 'mallory', password: 's3cret' },
      { user: 'alice', password: '' },
    ]) {
      const r = await tlsRequest(`${url}/who`, { ca: certs.caCert, ...cred });
      assert.equal(r.status, 401, JSON.stringify(cred));
      assert.equal(r.headers['www-authenticate'], 'Basic');
      assert.equal(r.body, 'Unauthorized\n');
      assert.equal(r.headers['x-frame-options'], 'deny');
    }
    const t0 = performance.now();
    const ok = await tlsRequest(`${url}/who`, { ca: certs.caCert, user: 'alice', password: 's3cret' });
    const first = performance.now() - t0;
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'user=alice');
    assert.equal(ok.headers['content-security-policy'], "default-src 'none'");
    // unknown paths are behind the same check (the 404 is only for the authenticated)
    assert.equal((await tlsRequest(`${url}/nowhere`, { ca: certs.caCert })).status, 401);
    // the verified triple is cached: later requests do not pay bcrypt (cost 10 is tens of ms)
    const t1 = performance.now();
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await tlsRequest(`${url}/who`, { ca: certs.caCert, user: 'alice', password: 's3cret' })).status,
        200,
      );
    const cached = (performance.now() - t1) / 5;
    process.stderr.write(
      `# basic auth: first request ${first.toFixed(1)} ms, cached ${cached.toFixed(1)} ms\n`,
    );

    // a changed file applies to the next request: new password, old one refused
    writeFileSync(
      p,
      `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  alice: ${await bcrypt.hash('n3w', 4)}\n`,
    );
    assert.equal(
      (await tlsRequest(`${url}/who`, { ca: certs.caCert, user: 'alice', password: 's3cret' })).status,
      401,
    );
    const now = await tlsRequest(`${url}/who`, { ca: certs.caCert, user: 'alice', password: 'n3w' });
    assert.equal(now.status, 200);
    assert.equal(
      now.headers['x-frame-options'],
      undefined,
      'headers removed from the file are no longer sent',
    );
    // an invalid file: 500 until fixed
    writeFileSync(p, 'basic_auth_users: [oops]\n');
    assert.equal(
      (await tlsRequest(`${url}/who`, { ca: certs.caCert, user: 'alice', password: 'n3w' })).error,
      'ECONNRESET',
    );
    writeFileSync(
      p,
      `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  alice: ${await bcrypt.hash('n3w', 4)}\n`,
    );
    assert.equal(
      (await tlsRequest(`${url}/who`, { ca: certs.caCert, user: 'alice', password: 'n3w' })).status,
      200,
    );
  } finally {
    await http.close();
  }
});

test("plain HTTP to a TLS server gets Go's 400 and nothing else; an untrusted server certificate is refused by the client", async () => {
  const { url, http } = await serve(tlsFile('plain.yml', ''));
  try {
    const r = await tlsRequest(`${url.replace('https:', 'http:')}/who`);
    assert.equal(r.status, 400);
    assert.match(r.body, /Client sent an HTTP request to an HTTPS server/);
    const untrusted = await tlsRequest(`${url}/who`);
    assert.equal(untrusted.error, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal((await tlsRequest(`${url}/who`, { ca: certs.caCert })).status, 200);
  } finally {
    await http.close();
  }
});

test('client_auth_type: each policy admits and refuses the right clients; the verified certificate names the user', async () => {
  const none = {};
  const good = { cert: certs.clientCert, key: certs.clientKey };
  const stranger = { cert: certs.strangerCert, key: certs.strangerKey };
  const cases: [string, boolean, boolean, boolean][] = [
    // policy, no cert, cert from the CA, cert from another CA
    ['RequestClientCert', true, true, true],
    ['RequireAnyClientCert', false, true, true],
    ['VerifyClientCertIfGiven', true, true, false],
    ['RequireAndVerifyClientCert', false, true, false],
  ];
  for (const [policy, ...expect] of cases) {
    const { url, http } = await serve(tlsFile(`mtls-${policy}.yml`, policy));
    try {
      const got = [];
      for (const c of [none, good, stranger]) {
        const r = await tlsRequest(`${url}/who`, { ca: certs.caCert, ...c });
        got.push(r.status === 200);
        if (r.status === 200 && c === good && policy.includes('Verify'))
          assert.equal(r.body, 'user=test-client');
      }
      assert.deepEqual(got, expect, policy);
    } finally {
      await http.close();
    }
  }
});

test('a changed client_auth_type applies to the next connection without a restart', async () => {
  const p = tlsFile('switch.yml', '');
  const { url, http } = await serve(p);
  try {
    assert.equal((await tlsRequest(`${url}/who`, { ca: certs.caCert })).status, 200);
    tlsFile('switch.yml', 'RequireAndVerifyClientCert');
    assert.equal((await tlsRequest(`${url}/who`, { ca: certs.caCert })).status, undefined);
    const r = await tlsRequest(`${url}/who`, {
      ca: certs.caCert,
      cert: certs.clientCert,
      key: certs.clientKey,
    });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'user=test-client');
  } finally {
    await http.close();
  }
});
