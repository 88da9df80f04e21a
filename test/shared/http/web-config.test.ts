// parseWebConfig: the exporter-toolkit format Prometheus 2.42 reads, and the errors a bad file
// gets at start (file and key named). Every file here is also given to Prometheus 2.42's own
// checker, `promtool check web-config`, which must reach the same verdict (skipped without
// promtool); the places where Canopy is stricter are marked.
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { parseWebConfig } from '../../../shared/http/index.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import { makeCerts, type TestCerts } from '../../e2e/certs.ts';

let dir: string;
let certs: TestCerts;
const HASH = bcrypt.hashSync('secret', 4);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-webcfg-'));
  certs = makeCerts(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(text: string): string {
  const p = join(dir, `web-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(p, text);
  return p;
}

const promtool = spawnSync('promtool', ['--version']).status === 0;

/** Prometheus's verdict on a web config file, or undefined without promtool. */
function upstreamAccepts(p: string): boolean | undefined {
  return promtool ? spawnSync('promtool', ['check', 'web-config', p]).status === 0 : undefined;
}

function accepts(text: string): ReturnType<typeof parseWebConfig> {
  const p = file(text);
  assert.notEqual(upstreamAccepts(p), false, `promtool check web-config refuses ${text}`);
  return parseWebConfig(p);
}

function rejects(text: string, ...parts: (string | RegExp)[]): void {
  rejectsAs(true, text, ...parts);
}

function rejectsAs(upstreamToo: boolean, text: string, ...parts: (string | RegExp)[]): void {
  const p = file(text);
  if (upstreamToo) assert.notEqual(upstreamAccepts(p), true, `promtool check web-config accepts ${text}`);
  assert.throws(
    () => parseWebConfig(p),
    (e: unknown) => {
      assert.ok(isCanopyError(e, 'config_invalid'), String(e));
      assert.ok(e.message.includes(p), e.message);
      for (const part of parts)
        assert.match(
          e.message,
          typeof part === 'string' ? new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : part,
        );
      return true;
    },
  );
}

test('an empty file: plain HTTP, no users, no headers (as upstream)', () => {
  const c = accepts('');
  assert.equal(c.tls, undefined);
  assert.equal(c.users.size, 0);
  assert.deepEqual(c.headers, {});
  assert.equal(c.http2, true);
});

test('a full file parses; paths are relative to the file; RequireClientCert is the old name of RequireAnyClientCert', () => {
  const c = accepts(
    `tls_server_config:
  cert_file: server.crt
  key_file: ${certs.serverKey}
  client_ca_file: ca.crt
  client_auth_type: RequireAndVerifyClientCert
  min_version: TLS13
  max_version: TLS13
  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]
  curve_preferences: [CurveP256, X25519]
  prefer_server_cipher_suites: false
http_server_config:
  http2: false
  headers:
    X-Frame-Options: sameorigin
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: ${HASH}
`,
  );
  assert.equal(c.tls?.certFile, certs.serverCert);
  assert.equal(c.tls?.clientCaFile, certs.caCert);
  assert.equal(c.tls?.clientAuthType, 'RequireAndVerifyClientCert');
  assert.equal(c.tls?.secureContext.minVersion, 'TLSv1.3');
  assert.equal(c.tls?.secureContext.honorCipherOrder, false);
  assert.match(String(c.tls?.secureContext.ciphers), /ECDHE-ECDSA-AES128-GCM-SHA256/);
  assert.equal(c.tls?.secureContext.ecdhCurve, 'P-256:X25519');
  assert.equal(c.http2, false);
  assert.equal(c.headers['X-Frame-Options'], 'sameorigin');
  assert.equal(c.users.get('alice'), HASH);
  assert.deepEqual(c.files.slice(1), [certs.serverCert, certs.serverKey, certs.caCert]);
  const old = accepts(
    `tls_server_config: {cert_file: server.crt, key_file: server.key, client_auth_type: RequireClientCert}\n`,
  );
  assert.equal(old.tls?.clientAuthType, 'RequireAnyClientCert');
});

test('unknown keys are refused (upstream unmarshals strictly)', () => {
  rejects('tls_config:\n  cert_file: x\n', 'key "tls_config": unknown key');
  rejects('tls_server_config:\n  certfile: x\n', 'key "tls_server_config.certfile": unknown key');
  rejects('http_server_config:\n  http3: true\n', 'key "http_server_config.http3"');
  // keys of later exporter-toolkit versions than Prometheus 2.42's
  rejects('rate_limit:\n  burst: 1\n', 'key "rate_limit": unknown key');
});

test('TLS settings: missing halves, unknown names, CA without a client auth policy', () => {
  rejects(
    'tls_server_config:\n  cert_file: server.crt\n',
    'key "tls_server_config.key_file"',
    'private key file',
  );
  rejects('tls_server_config:\n  key_file: server.key\n', 'key "tls_server_config.cert_file"');
  rejects(
    'tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n',
    'key "tls_server_config.cert_file"',
  );
  rejects(
    'tls_server_config: {cert_file: server.crt, key_file: server.key, client_auth_type: VerifyAll}\n',
    'key "tls_server_config.client_auth_type"',
    'RequireAndVerifyClientCert',
    '"VerifyAll"',
  );
  rejects(
    'tls_server_config: {cert_file: server.crt, key_file: server.key, client_ca_file: ca.crt}\n',
    'key "tls_server_config.client_auth_type"',
    'client_ca_file is set',
  );
  rejects(
    'tls_server_config: {cert_file: server.crt, key_file: server.key, min_version: TLS14}\n',
    'key "tls_server_config.min_version"',
    'TLS12',
  );
  // stricter than upstream, whose handshakes would all fail
  rejectsAs(
    false,
    'tls_server_config: {cert_file: server.crt, key_file: server.key, min_version: TLS13, max_version: TLS12}\n',
    'key "tls_server_config.max_version"',
    'no older than min_version (TLS13)',
  );
  rejects(
    'tls_server_config: {cert_file: server.crt, key_file: server.key, cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]}\n',
    'key "tls_server_config.cipher_suites[0]"',
  );
  rejects(
    'tls_server_config: {cert_file: server.crt, key_file: server.key, curve_preferences: [CurveP1]}\n',
    'key "tls_server_config.curve_preferences[0]"',
  );
});

test('TLS files: unreadable, not a certificate, key not matching the certificate', () => {
  rejects(
    'tls_server_config: {cert_file: nope.crt, key_file: server.key}\n',
    'key "tls_server_config.cert_file"',
    join(dir, 'nope.crt'),
    'ENOENT',
  );
  rejects(
    'tls_server_config: {cert_file: server.crt, key_file: nope.key}\n',
    'key "tls_server_config.key_file"',
    'ENOENT',
  );
  rejects(
    `tls_server_config: {cert_file: server.crt, key_file: ${certs.clientKey}}\n`,
    'key "tls_server_config.cert_file"',
    'cannot load the certificate',
    certs.clientKey,
  );
  copyFileSync(certs.serverKey, join(dir, 'not-a-ca.pem'));
  // stricter than upstream, which silently trusts nobody when the CA file holds no certificate
  rejectsAs(
    false,
    'tls_server_config: {cert_file: server.crt, key_file: server.key, client_ca_file: not-a-ca.pem, client_auth_type: RequireAndVerifyClientCert}\n',
    'key "tls_server_config.client_ca_file"',
    'no PEM certificate',
  );
});

test('basic_auth_users must be bcrypt hashes; the hash is not echoed', () => {
  rejects('basic_auth_users:\n  bob: plaintext-password\n', 'key "basic_auth_users.bob"', 'bcrypt');
  const p = file('basic_auth_users:\n  bob: plaintext-password\n');
  assert.throws(
    () => parseWebConfig(p),
    (e: Error) => !e.message.includes('plaintext-password'),
  );
  rejects(`basic_auth_users:\n  bob: ${HASH.replace('$04$', '$03$')}\n`, 'cost between 4 and 31');
  rejects('basic_auth_users:\n  bob: [1]\n', 'key "basic_auth_users.bob"');
  assert.equal(
    accepts(`basic_auth_users:\n  bob: ${HASH.replace('$2b$', '$2y$')}\n`).users.size,
    1,
    'htpasswd writes $2y$',
  );
});

test('headers: only the five upstream allows, with their enumerated values', () => {
  rejects(
    'http_server_config:\n  headers:\n    Server: canopy\n',
    'key "http_server_config.headers.Server"',
    'Content-Security-Policy',
  );
  rejects(
    'http_server_config:\n  headers:\n    X-Frame-Options: allow\n',
    'key "http_server_config.headers.X-Frame-Options"',
    '"deny", "sameorigin"',
  );
  rejects('http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n', '"nosniff"');
});

test('a missing file or bad YAML names the file', () => {
  assert.throws(
    () => parseWebConfig(join(dir, 'absent.yml')),
    /cannot read config file .*absent\.yml: ENOENT/,
  );
  rejects('tls_server_config: [\n', 'cannot parse config file');
});
