// parseHttpClientConfig: Prometheus's HTTP client config (promtool --http.config.file's format)
// for the root's calls to zones; errors name the file and the key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHttpClientConfig } from '../../../shared/http/index.ts';
import { makeCerts, type TestCerts } from '../../e2e/certs.ts';

let dir: string;
let certs: TestCerts;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-httpclient-'));
  certs = makeCerts(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(text: string): string {
  const p = join(dir, `c-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(p, text);
  return p;
}

test('a full file parses; paths relative to the file', () => {
  writeFileSync(join(dir, 'pw'), 'x\n');
  const c = parseHttpClientConfig(
    file(
      `basic_auth: {username: root, password_file: pw}\ntls_config: {ca_file: ca.crt, cert_file: ${certs.clientCert}, key_file: ${certs.clientKey}, server_name: zone-a, min_version: TLS12}\nfollow_redirects: false\n`,
    ),
  );
  assert.equal(c.basicAuth?.passwordFile, join(dir, 'pw'));
  assert.equal(c.tls.caFile, certs.caCert);
  assert.equal(c.tls.minVersion, 'TLSv1.2');
  assert.equal(
    parseHttpClientConfig(file('authorization: {credentials: t0ken}\n')).authorization?.type,
    'Bearer',
  );
});

test('errors name the file and the key', () => {
  const cases: [string, RegExp][] = [
    [
      'basic_auth: {username: a, password: b}\nauthorization: {credentials: c}\n',
      /key "authorization": expected either basic_auth or authorization/,
    ],
    [
      'basic_auth: {username: a, password: b, password_file: pw}\n',
      /key "basic_auth.password_file": expected either password or password_file/,
    ],
    ['basic_auth: {password: b}\n', /key "basic_auth.username": expected a string \(required\)/],
    ['authorization: {type: Basic, credentials: x}\n', /key "authorization.type"/],
    [
      `tls_config: {cert_file: ${certs.clientCert}}\n`,
      /key "tls_config.key_file": expected cert_file and key_file together/,
    ],
    ['tls_config: {ca_file: nope.crt}\n', /key "tls_config.ca_file": cannot read .*nope\.crt: ENOENT/],
    [
      `tls_config: {cert_file: ${certs.clientCert}, key_file: ${certs.serverKey}}\n`,
      /key "tls_config": cannot load/,
    ],
    ['tls_config: {min_version: SSL3}\n', /key "tls_config.min_version"/],
    ['oauth2: {client_id: x}\n', /key "oauth2": unknown key/],
  ];
  for (const [text, re] of cases) {
    const p = file(text);
    assert.throws(
      () => parseHttpClientConfig(p),
      (e: Error) => e.message.includes(p) && re.test(e.message),
      text,
    );
  }
});
