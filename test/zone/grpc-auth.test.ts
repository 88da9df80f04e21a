// gRPC leaf → zone with TLS, mTLS and bearer tokens: the zone's IngestServer and the leaf's
// Shipper over real TLS on 127.0.0.1, certificates made with openssl. A leaf without a valid
// certificate or token is refused with UNAUTHENTICATED (counted by reason at the zone, retried
// with its batch kept at the leaf); an accepted leaf's identity is its certificate's CN.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { Metadata } from '@grpc/grpc-js';
import { join } from 'node:path';
import { pb } from '../../proto/index.ts';
import { MemoryStorage } from '../../shared/memstore.ts';
import { silentLogger } from '../../shared/log.ts';
import { TENANT_LABEL } from '../../shared/tenant.ts';
import { ConfigReader } from '../../shared/config/index.ts';
import { parseAdmissionLimits, Tenants } from '../../zone/ingest/index.ts';
import { IngestServer } from '../../zone/ingest-grpc.ts';
import { MetadataStore } from '../../zone/metadata.ts';
import { newZoneMetrics } from '../../zone/metrics.ts';
import { GrpcAuth, parseGrpcAuth, type GrpcAuthConfig } from '../../zone/grpc-auth.ts';
import { Shipper, type BatchQueue } from '../../leaf/shipper.ts';
import { parseZoneTls, zoneChannel, type ZoneTlsConfig } from '../../leaf/zone-tls.ts';
import { certAuthority } from '../../topology/certs.ts';
import { makeTestCerts } from '../e2e/tls-certs.ts';

const certs = makeTestCerts('grpc-auth');
const otherCa = certAuthority(join(certs.dir, 'other'), 'an unrelated CA');
after(() => certs.remove());

async function zone(
  cfg: GrpcAuthConfig,
): Promise<{ port: number; storage: MemoryStorage; metrics: () => Promise<string>; close(): Promise<void> }> {
  const storage = new MemoryStorage();
  const metrics = newZoneMetrics(() => storage.seriesCount());
  const server = new IngestServer({
    storage,
    metadata: new MetadataStore(),
    metrics,
    tenants: new Tenants({ defaults: parseAdmissionLimits(undefined), storage }),
    logger: silentLogger(),
    auth: new GrpcAuth(cfg),
    identityLabel: cfg.identityLabel,
  });
  const port = await server.listen('127.0.0.1:0');
  return { port, storage, metrics: () => metrics.registry.metrics(), close: () => server.close() };
}

/** Ships one batch; resolves 'acked' or the first retry reason. */
async function ship(
  port: number,
  tls: ZoneTlsConfig,
  labels = [{ name: '__name__', value: 'probe_ok' }],
  tenant?: string,
): Promise<string> {
  const bytes = pb.Batch.encode({
    batchId: `b-${Math.random()}`,
    series: [{ labels, timestampsMs: [Date.now()], values: [1] }],
  }).finish();
  let pending = true;
  let decide!: (outcome: string) => void;
  const decided = new Promise<string>((r) => (decide = r));
  const queue: BatchQueue = {
    peek: () => (pending ? { id: 'b', bytes, samples: 1 } : undefined),
    ack: () => {
      pending = false;
      decide('acked');
    },
    sending: () => {},
    sendFailed: () => {},
    waitForBatch: (signal) => new Promise((r) => signal.addEventListener('abort', () => r())),
  };
  const ch = zoneChannel(tls);
  const s = new Shipper({
    zones: [`127.0.0.1:${port}`],
    tenant,
    queue,
    logger: silentLogger(),
    credentials: ch.credentials,
    channelOptions: ch.options,
    minBackoffMs: 10,
    maxBackoffMs: 20,
    metrics: { sent: () => {}, dropped: () => {}, retried: (reason) => decide(reason) },
  });
  s.start();
  const outcome = await decided;
  await s.stop();
  return outcome;
}

const mtls = (): GrpcAuthConfig => ({
  tls: {
    certFile: certs.server.certFile,
    keyFile: certs.server.keyFile,
    clientCaFile: certs.ca.certFile,
    clientAuth: 'require',
  },
});

test('mTLS required: a leaf with a certificate from the client CA ships; without one, or with another CA, it is refused and counted', async () => {
  const z = await zone(mtls());
  try {
    const leaf1 = certs.ca.client('leaf-1');
    assert.equal(await ship(z.port, { tls: { caFile: certs.ca.certFile, ...leaf1 } }), 'acked');
    assert.equal(z.storage.seriesCount(), 1);
    assert.equal(await ship(z.port, { tls: { caFile: certs.ca.certFile } }), 'unauthenticated');
    const stranger = otherCa.client('leaf-x');
    assert.equal(await ship(z.port, { tls: { caFile: certs.ca.certFile, ...stranger } }), 'unauthenticated');
    const m = (await z.metrics()).split('\n').filter((l) => l.startsWith('canopy_zone_grpc_'));
    assert.ok(m.includes('canopy_zone_grpc_batches_total{identity="leaf-1"} 1'), m.join('\n'));
    // The TLS client withholds a certificate the zone's CA did not sign (the server names its
    // CA in the handshake): both refusals count as no_certificate.
    assert.ok(m.includes('canopy_zone_grpc_unauthenticated_total{reason="no_certificate"} 2'), m.join('\n'));
    // A plaintext leaf does not get through a TLS port at all.
    assert.equal(await ship(z.port, {}), 'unavailable');
    // A leaf that does not trust the zone's CA refuses the zone.
    assert.equal(await ship(z.port, { tls: { caFile: otherCa.certFile, ...leaf1 } }), 'unavailable');
  } finally {
    await z.close();
  }
});

test('with grpc_identity_label, every series carries the authenticated identity, whatever the leaf sent', async () => {
  const z = await zone({ ...mtls(), identityLabel: 'leaf' });
  try {
    const leaf = certs.ca.client('leaf-3');
    const spoof = [
      { name: '__name__', value: 'probe_ok' },
      { name: 'leaf', value: 'leaf-1' },
    ];
    assert.equal(await ship(z.port, { tls: { caFile: certs.ca.certFile, ...leaf } }, spoof), 'acked');
    const q = await z.storage.querier(0, Date.now() + 1000);
    assert.deepEqual(q.labelValues('leaf', { startMs: 0, endMs: Date.now() + 1000 }), ['leaf-3']);
  } finally {
    await z.close();
  }
});

test('an authenticated leaf writes as the tenant in its x-scope-orgid metadata, with its identity label', async () => {
  const z = await zone({ ...mtls(), identityLabel: 'leaf' });
  try {
    const leaf = certs.ca.client('leaf-4');
    assert.equal(
      await ship(z.port, { tls: { caFile: certs.ca.certFile, ...leaf } }, undefined, 'team-a'),
      'acked',
    );
    const q = await z.storage.querier(0, Date.now() + 1000);
    const span = { startMs: 0, endMs: Date.now() + 1000 };
    assert.deepEqual(q.labelValues(TENANT_LABEL, span), ['team-a']);
    assert.deepEqual(q.labelValues('leaf', span), ['leaf-4']);
  } finally {
    await z.close();
  }
});

test("a presented certificate is verified against the client CA: another CA's or an expired-looking one is bad_certificate", () => {
  const auth = new GrpcAuth(mtls());
  const peer = (f: string): PeerCertificate =>
    ({ raw: new X509Certificate(readFileSync(f)).raw }) as PeerCertificate;
  const ok = auth.check(peer(certs.ca.client('leaf-2').certFile), new Metadata());
  assert.deepEqual(ok, { ok: true, identity: 'leaf-2' });
  const bad = auth.check(peer(otherCa.client('leaf-y').certFile), new Metadata());
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.reason, 'bad_certificate');
  assert.equal((auth.check(undefined, new Metadata()) as { reason: string }).reason, 'no_certificate');
});

test('bearer tokens over TLS: the right token ships (identity from the tokens file), a wrong or missing one is refused', async () => {
  const tokens = join(certs.dir, 'tokens');
  writeFileSync(tokens, '# leaves\nleaf-a s3cr3t-a\nanother-token\n');
  const cfg = parseGrpcAuth(
    new ConfigReader('<flags>', {}),
    {
      'grpc-tls-cert-file': certs.server.certFile,
      'grpc-tls-key-file': certs.server.keyFile,
      'grpc-tokens-file': tokens,
    },
    (p) => p,
  );
  const z = await zone(cfg);
  const tok = (t: string): string => {
    const f = join(certs.dir, `tok-${t}`);
    writeFileSync(f, `${t}\n`);
    return f;
  };
  try {
    const leafTls = (t?: string): ZoneTlsConfig =>
      parseZoneTls(
        new ConfigReader('<flags>', {}),
        {
          'zone-tls-ca-file': certs.ca.certFile,
          'zone-tls-server-name': 'localhost',
          ...(t ? { 'zone-token-file': tok(t) } : {}),
        },
        (p) => p,
      );
    assert.equal(await ship(z.port, leafTls('s3cr3t-a')), 'acked');
    assert.equal(await ship(z.port, leafTls('another-token')), 'acked');
    assert.equal(await ship(z.port, leafTls('wrong')), 'unauthenticated');
    assert.equal(await ship(z.port, leafTls()), 'unauthenticated');
    const m = (await z.metrics())
      .split('\n')
      .filter((l) => l.startsWith('canopy_zone_grpc_'))
      .join('\n');
    assert.match(m, /canopy_zone_grpc_batches_total\{identity="leaf-a"\} 1/);
    assert.match(m, /canopy_zone_grpc_batches_total\{identity="token-2"\} 1/);
    assert.match(m, /reason="bad_token"\} [1-9]/);
    assert.match(m, /reason="no_token"\} [1-9]/);
  } finally {
    await z.close();
  }
});

test('config: tokens and client auth need TLS; a token file needs TLS at the leaf', () => {
  const r = (): ConfigReader => new ConfigReader('<flags>', {});
  assert.throws(
    () => parseGrpcAuth(r(), { 'grpc-tokens-file': '/dev/null' }, (p) => p),
    /bearer tokens need gRPC TLS/,
  );
  assert.throws(
    () =>
      parseGrpcAuth(
        r(),
        {
          'grpc-tls-cert-file': certs.server.certFile,
          'grpc-tls-key-file': certs.server.keyFile,
          'grpc-tls-client-auth': 'require',
        },
        (p) => p,
      ),
    /needs a client CA/,
  );
  assert.throws(() => parseZoneTls(r(), { 'zone-token-file': '/etc/hostname' }, (p) => p), /needs TLS/);
  assert.throws(
    () => parseGrpcAuth(r(), { 'grpc-identity-label': 'leaf' }, (p) => p),
    /needs leaf authentication/,
  );
});

test('tenant binding: a pinned leaf (certificate CN or token name) writes as its tenant, cannot claim another, and unbound leaves are refused', async () => {
  const tokens = join(certs.dir, 'tokens-bound');
  writeFileSync(tokens, 'leaf-b tok-b\nleaf-free tok-free\n');
  const cfg = parseGrpcAuth(
    new ConfigReader('<zone.yml>', { grpc_identity_tenants: { 'leaf-a': 'team-a' } }),
    {
      'grpc-tls-cert-file': certs.server.certFile,
      'grpc-tls-key-file': certs.server.keyFile,
      'grpc-tls-client-ca-file': certs.ca.certFile,
      'grpc-tls-client-auth': 'request',
      'grpc-tokens-file': tokens,
      'grpc-identity-tenant': ['leaf-b=team-b'],
    },
    (p) => p,
  );
  assert.deepEqual(cfg.tenantBinding, {
    byIdentity: { 'leaf-a': 'team-a', 'leaf-b': 'team-b' },
    unbound: 'refuse',
  });
  const z = await zone(cfg);
  const tok = (t: string): string => {
    const f = join(certs.dir, `tok-${t}`);
    writeFileSync(f, `${t}\n`);
    return f;
  };
  const leafA = certs.ca.client('leaf-a');
  const byCert: ZoneTlsConfig = {
    tls: { caFile: certs.ca.certFile, ...leafA, serverName: 'localhost' },
    tokenFile: tok('tok-b'),
  };
  const byToken = (t: string): ZoneTlsConfig =>
    parseZoneTls(
      new ConfigReader('<flags>', {}),
      {
        'zone-tls-ca-file': certs.ca.certFile,
        'zone-tls-server-name': 'localhost',
        'zone-token-file': tok(t),
      },
      (p) => p,
    );
  try {
    // The certificate's CN decides the identity (the token only authenticates).
    assert.equal(await ship(z.port, byCert, [{ name: '__name__', value: 'from_a' }]), 'acked');
    assert.equal(await ship(z.port, byCert, [{ name: '__name__', value: 'from_a' }], 'team-a'), 'acked');
    assert.equal(
      await ship(z.port, byCert, [{ name: '__name__', value: 'stolen' }], 'team-b'),
      'tenant_not_allowed',
    );
    assert.equal(await ship(z.port, byToken('tok-b'), [{ name: '__name__', value: 'from_b' }]), 'acked');
    assert.equal(
      await ship(z.port, byToken('tok-b'), [{ name: '__name__', value: 'stolen' }], 'team-a'),
      'tenant_not_allowed',
    );
    assert.equal(
      await ship(z.port, byToken('tok-free'), [{ name: '__name__', value: 'stolen' }], 'team-a'),
      'tenant_not_allowed',
    );
    const q = await z.storage.querier(0, Date.now() + 1000);
    const span = { startMs: 0, endMs: Date.now() + 1000 };
    assert.deepEqual(q.labelValues('__name__', span).sort(), ['from_a', 'from_b']);
    assert.deepEqual(q.labelValues(TENANT_LABEL, span).sort(), ['team-a', 'team-b']);
    const m = (await z.metrics())
      .split('\n')
      .filter((l) => l.startsWith('canopy_zone_grpc_requests_refused_total'));
    assert.ok(
      m.includes('canopy_zone_grpc_requests_refused_total{reason="tenant_not_allowed"} 3'),
      m.join('\n'),
    );
  } finally {
    await z.close();
  }
});

test('tenant binding config: needs leaf authentication, valid tenant ids, IDENTITY=TENANT flags, refuse|claim', () => {
  const tlsFlags = { 'grpc-tls-cert-file': certs.server.certFile, 'grpc-tls-key-file': certs.server.keyFile };
  const r = (o: Record<string, unknown> = {}): ConfigReader => new ConfigReader('z.yml', o);
  assert.throws(
    () => parseGrpcAuth(r({ grpc_identity_tenants: { a: 'team-a' } }), tlsFlags, (p) => p),
    /grpc_identity_tenants needs leaf authentication/,
  );
  const mt = { ...tlsFlags, 'grpc-tls-client-ca-file': certs.ca.certFile };
  assert.throws(
    () => parseGrpcAuth(r({ grpc_identity_tenants: { a: 'a/b' } }), mt, (p) => p),
    /grpc_identity_tenants.a: tenant ID "a\/b" contains unsupported character "\/"/,
  );
  assert.throws(
    () => parseGrpcAuth(r(), { ...mt, 'grpc-identity-tenant': ['nope'] }, (p) => p),
    /expected IDENTITY=TENANT, got "nope"/,
  );
  assert.throws(
    () =>
      parseGrpcAuth(r({ grpc_identity_tenants: { a: 'x' }, grpc_unbound_identities: 'maybe' }), mt, (p) => p),
    /expected refuse or claim/,
  );
  assert.throws(
    () => parseGrpcAuth(r({ grpc_unbound_identities: 'claim' }), mt, (p) => p),
    /grpc_unbound_identities needs grpc_identity_tenants/,
  );
  assert.equal(
    parseGrpcAuth(r({ grpc_identity_tenants: { a: 'x' }, grpc_unbound_identities: 'claim' }), mt, (p) => p)
      .tenantBinding?.unbound,
    'claim',
  );
  assert.equal(parseGrpcAuth(r(), mt, (p) => p).tenantBinding, undefined);
});
