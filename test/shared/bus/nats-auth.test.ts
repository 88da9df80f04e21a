// NATS credentials: URL splitting and redaction, config/flag parsing, and connectNats against a
// real nats-server with token and NKey authentication.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createUser } from '@nats-io/nkeys';
import { connectNats, parseNatsAuth, redactUrl, splitNatsUrl } from '../../../shared/bus/index.ts';
import { ConfigReader } from '../../../shared/config/index.ts';
import { silentLogger } from '../../../shared/log.ts';
import { ensureNatsServer, freePort, spawnProc, tempDir, type Proc } from '../../e2e/harness.ts';
import { waitForPort } from '../../../topology/ports.ts';
import { makeTestCerts } from '../../e2e/tls-certs.ts';

const dir = tempDir('nats-auth-unit');
const procs: Proc[] = [];
after(async () => {
  for (const p of procs) await p.stop();
  dir.remove();
});

test('credentials are split off NATS URLs and redacted from any text', () => {
  assert.deepEqual(splitNatsUrl('nats://alice:s%40cret@10.0.0.1:4222'), {
    url: 'nats://10.0.0.1:4222',
    user: 'alice',
    password: 's@cret',
  });
  assert.deepEqual(splitNatsUrl('tls://T0KEN@nats.example:4443'), {
    url: 'tls://nats.example:4443',
    token: 'T0KEN',
  });
  assert.deepEqual(splitNatsUrl('nats://127.0.0.1:4222'), { url: 'nats://127.0.0.1:4222' });
  assert.equal(
    redactUrl('cannot connect to nats://alice:hunter2@h:1 and tls://tok@h:2'),
    'cannot connect to nats://***@h:1 and tls://***@h:2',
  );
  assert.throws(
    () => splitNatsUrl('nats://a:pw@[bad'),
    (e: Error) => !e.message.includes('pw'),
  );
});

test('parseNatsAuth reads config keys and flags, relative to the config file, and rejects two kinds of credential', () => {
  const pw = join(dir.path, 'pw');
  writeFileSync(pw, 'from-file\n');
  const r = new ConfigReader(join(dir.path, 'zone.yaml'), { nats: { user: 'zone-a', password_file: 'pw' } });
  const n = r.object('nats');
  const got = parseNatsAuth(n, {}, 'nats://127.0.0.1:4222', 'zone');
  n.done();
  assert.deepEqual(got, {
    url: 'nats://127.0.0.1:4222',
    auth: { user: 'zone-a', password: 'from-file', token: undefined },
  });
  // The URL's credentials fill in what the config lacks; tls:// turns TLS on.
  assert.deepEqual(parseNatsAuth(undefined, {}, 'tls://u:p@h:1', 'root'), {
    url: 'tls://h:1',
    auth: { user: 'u', password: 'p', tls: {} },
  });
  assert.throws(
    () => parseNatsAuth(undefined, { 'nats-token-file': pw }, 'nats://u:p@h:1', 'root'),
    /give one NATS credential/,
  );
  assert.throws(
    () => parseNatsAuth(undefined, { 'nats-password-file': pw }, 'nats://h:1', 'root'),
    /needs a user/,
  );
  assert.throws(
    () => parseNatsAuth(undefined, { 'nats-token-file': join(dir.path, 'missing') }, '', 'root'),
    /cannot read the NATS token/,
  );
});

async function natsServer(conf: string): Promise<string> {
  const port = await freePort();
  const f = join(dir.path, `nats-${port}.conf`);
  writeFileSync(f, `host: "127.0.0.1"\nport: ${port}\n${conf}\n`);
  const p = spawnProc('nats', ensureNatsServer(), ['-c', f]);
  procs.push(p);
  assert.ok(await waitForPort('127.0.0.1', port, 15_000), p.output.join('\n'));
  return `nats://127.0.0.1:${port}`;
}

test('connectNats authenticates with a token and with an NKey seed; a wrong token is refused without echoing it', async () => {
  const tokenUrl = await natsServer('authorization { token: "s3cr3t-token" }');
  const bus = await connectNats({
    url: tokenUrl,
    name: 't',
    logger: silentLogger(),
    auth: { token: 's3cr3t-token' },
  });
  await bus.close();
  await assert.rejects(
    connectNats({
      url: tokenUrl.replace('nats://', 'nats://wrong-token@'),
      name: 't',
      logger: silentLogger(),
      connectTimeoutMs: 3000,
    }),
    (e: Error) => {
      assert.match(e.message, /authorization violation/i);
      assert.ok(!e.message.includes('wrong-token'), e.message);
      return true;
    },
  );
  const user = createUser();
  const nkeyUrl = await natsServer(`authorization { users: [ { nkey: "${user.getPublicKey()}" } ] }`);
  const seedFile = join(dir.path, 'seed');
  writeFileSync(seedFile, new TextDecoder().decode(user.getSeed()));
  const auth = parseNatsAuth(undefined, { 'nats-nkey-seed-file': seedFile }, nkeyUrl, 'zone');
  const nb = await connectNats({ url: auth.url, name: 'n', logger: silentLogger(), auth: auth.auth });
  await nb.close();
  await assert.rejects(
    connectNats({ url: nkeyUrl, name: 'n', logger: silentLogger(), connectTimeoutMs: 3000 }),
    /authorization violation/i,
  );
});

test('connectNats over TLS with a client certificate (nats-server verify: true); without the certificate it is refused', async () => {
  const certs = makeTestCerts('nats-mtls');
  try {
    const url = await natsServer(
      `tls { cert_file: "${certs.server.certFile}", key_file: "${certs.server.keyFile}", ca_file: "${certs.ca.certFile}", verify: true }\nauthorization { token: "t0k" }`,
    );
    const client = certs.ca.client('zone-a');
    const auth = parseNatsAuth(
      undefined,
      {
        'nats-tls-ca-file': certs.ca.certFile,
        'nats-tls-cert-file': client.certFile,
        'nats-tls-key-file': client.keyFile,
      },
      url.replace('nats://', 'tls://t0k@'),
      'zone',
    );
    assert.deepEqual(auth.auth.tls, {
      caFile: certs.ca.certFile,
      certFile: client.certFile,
      keyFile: client.keyFile,
    });
    const bus = await connectNats({ url: auth.url, name: 'm', logger: silentLogger(), auth: auth.auth });
    await bus.close();
    const noCert = parseNatsAuth(
      undefined,
      { 'nats-tls-ca-file': certs.ca.certFile },
      url.replace('nats://', 'tls://t0k@'),
      'zone',
    );
    await assert.rejects(
      connectNats({
        url: noCert.url,
        name: 'm',
        logger: silentLogger(),
        auth: noCert.auth,
        connectTimeoutMs: 3000,
      }),
    );
  } finally {
    certs.remove();
  }
});
