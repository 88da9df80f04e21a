// Who may push over gRPC: TLS for the ingest port, optional client certificates (mTLS) and bearer
// tokens. Parsed once at start (parseGrpcAuth) from the zone config's `grpc_tls` block,
// `grpc_tokens_file` and the --grpc-tls-* flags; checked on every Push (GrpcAuth.check).
//
// Client certificates are requested during the handshake but verified here, after it, against
// the client CA (signature by a CA certificate of the file and validity dates; the TLS handshake
// itself proved the client holds the certificate's key). That way a leaf without a valid
// certificate gets an answer — UNAUTHENTICATED, counted in
// canopy_zone_grpc_unauthenticated_total{reason} — instead of a reset connection it would retry
// as a network fault. The leaf's identity is its certificate's CN (or first DNS SAN), else the
// name its token has in the tokens file; the zone logs each new identity once and counts
// batches per identity (canopy_zone_grpc_batches_total{identity}).
//
// Tokens file: one token per line, optionally preceded by the leaf's name ("NAME TOKEN");
// blank lines and lines starting with # are ignored. Tokens are compared in constant time.
import { createHash, timingSafeEqual, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ServerCredentials, experimental, type Metadata } from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { CanopyError, errorMessage } from '../shared/errors.ts';
import { readConfigFile, type ConfigReader, type FlagSpec, type FlagValues } from '../shared/config/index.ts';
import { parseTenantBinding, TENANT_BINDING_FLAGS, type TenantBindingConfig } from './grpc-tenant-binding.ts';

export type ClientAuth = 'none' | 'request' | 'require';

export interface GrpcAuthConfig {
  tls?: { certFile: string; keyFile: string; clientCaFile?: string; clientAuth: ClientAuth };
  tokensFile?: string;
  /** Label carrying the authenticated identity on every series a leaf pushes. */
  identityLabel?: string;
  /** Leaves pinned to tenants (zone/grpc-tenant-binding.ts). */
  tenantBinding?: TenantBindingConfig;
}

export const GRPC_AUTH_FLAGS: Record<string, FlagSpec> = {
  'grpc-tls-cert-file': { type: 'string', arg: 'FILE', help: 'TLS certificate for the gRPC ingest port' },
  'grpc-tls-key-file': { type: 'string', arg: 'FILE', help: "the gRPC certificate's key" },
  'grpc-tls-client-ca-file': {
    type: 'string',
    arg: 'FILE',
    help: "CA that signs leaves' client certificates (mTLS)",
  },
  'grpc-tls-client-auth': {
    type: 'string',
    arg: 'MODE',
    help: 'none, request or require (default require with a client CA)',
  },
  'grpc-tokens-file': {
    type: 'string',
    arg: 'FILE',
    help: 'bearer tokens accepted from leaves ("[NAME] TOKEN" per line; needs TLS)',
  },
  'grpc-identity-label': {
    type: 'string',
    arg: 'NAME',
    help: "label set to the authenticated leaf's identity on every series it pushes",
  },
  ...TENANT_BINDING_FLAGS,
};

export function parseGrpcAuth(
  r: ConfigReader,
  flags: FlagValues,
  rel: (p: string) => string,
): GrpcAuthConfig {
  const t = r.object('grpc_tls');
  const present = r.has('grpc_tls');
  const file = (k: string, flag: string): string | undefined =>
    (flags[flag] as string | undefined) ?? (t.has(k) ? rel(t.string(k)) : (t.raw(k), undefined));
  const certFile = file('cert_file', 'grpc-tls-cert-file');
  const keyFile = file('key_file', 'grpc-tls-key-file');
  const clientCaFile = file('client_ca_file', 'grpc-tls-client-ca-file');
  const modeRaw = (flags['grpc-tls-client-auth'] as string | undefined) ?? t.optionalString('client_auth');
  t.done();
  const tokensFile =
    (flags['grpc-tokens-file'] as string | undefined) ??
    (r.has('grpc_tokens_file') ? rel(r.string('grpc_tokens_file')) : (r.raw('grpc_tokens_file'), undefined));
  const where = r.file === '<flags>' ? 'canopy zone' : r.file;
  if (modeRaw !== undefined && !['none', 'request', 'require'].includes(modeRaw)) {
    throw new CanopyError(
      'config_invalid',
      `${where}: grpc_tls.client_auth / --grpc-tls-client-auth: expected none, request or require, got "${modeRaw}"`,
    );
  }
  const cfg: GrpcAuthConfig = {};
  if (present || certFile || keyFile || clientCaFile) {
    if (!certFile || !keyFile)
      throw new CanopyError(
        'config_invalid',
        `${where}: gRPC TLS needs a certificate and a key (grpc_tls.cert_file and key_file / --grpc-tls-cert-file and --grpc-tls-key-file)`,
      );
    const clientAuth = (modeRaw ?? (clientCaFile ? 'require' : 'none')) as ClientAuth;
    if (clientAuth !== 'none' && !clientCaFile)
      throw new CanopyError(
        'config_invalid',
        `${where}: client_auth ${clientAuth} needs a client CA (grpc_tls.client_ca_file / --grpc-tls-client-ca-file)`,
      );
    for (const [f, what] of [
      [certFile, 'certificate'],
      [keyFile, 'key'],
      [clientCaFile, 'client CA'],
    ] as const)
      if (f) readFile(f, `the gRPC ${what}`);
    cfg.tls = { certFile, keyFile, clientCaFile, clientAuth };
  } else if (modeRaw !== undefined) {
    throw new CanopyError(
      'config_invalid',
      `${where}: client_auth needs gRPC TLS (grpc_tls.cert_file and key_file)`,
    );
  }
  if (tokensFile) {
    if (!cfg.tls)
      throw new CanopyError(
        'config_invalid',
        `${where}: bearer tokens need gRPC TLS (a token sent in clear text is a token given away)`,
      );
    parseTokens(readFile(tokensFile, 'the gRPC tokens file').toString('utf8'), tokensFile);
    cfg.tokensFile = tokensFile;
  }
  const idLabel =
    (flags['grpc-identity-label'] as string | undefined) ?? r.optionalString('grpc_identity_label');
  if (idLabel !== undefined) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(idLabel) || idLabel.startsWith('__'))
      throw new CanopyError(
        'config_invalid',
        `${where}: grpc_identity_label / --grpc-identity-label: expected a label name, got "${idLabel}"`,
      );
    if (!cfg.tokensFile && (cfg.tls?.clientAuth ?? 'none') === 'none')
      throw new CanopyError(
        'config_invalid',
        `${where}: grpc_identity_label needs leaf authentication (client certificates or tokens)`,
      );
    cfg.identityLabel = idLabel;
  }
  const binding = parseTenantBinding(r, flags, where);
  if (binding) {
    if (!cfg.tokensFile && (cfg.tls?.clientAuth ?? 'none') === 'none')
      throw new CanopyError(
        'config_invalid',
        `${where}: grpc_identity_tenants needs leaf authentication (client certificates or tokens)`,
      );
    cfg.tenantBinding = binding;
  }
  return cfg;
}

const readFile = readConfigFile;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function parseTokens(text: string, file: string): { name: string; digest: Buffer }[] {
  const out: { name: string; digest: Buffer }[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const l = line.trim();
    if (!l || l.startsWith('#')) continue;
    const parts = l.split(/\s+/);
    if (parts.length > 2)
      throw new CanopyError(
        'config_invalid',
        `${file}:${i + 1}: expected "[NAME] TOKEN", got ${parts.length} words`,
      );
    const token = parts[parts.length - 1]!;
    out.push({ name: parts.length === 2 ? parts[0]! : `token-${out.length + 1}`, digest: digest(token) });
  }
  if (out.length === 0) throw new CanopyError('config_invalid', `${file}: no token in the file`);
  return out;
}

function pemBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * A CertificateProvider that hands grpc-js certificates read once at start. It answers a new
 * listener on the next microtask: grpc-js registers its server's watcher only after adding the
 * listener, and an update delivered before that would leave the port refusing every connection.
 */
class StaticProvider implements experimental.CertificateProvider {
  constructor(
    private readonly ca: Buffer | null,
    private readonly identity: { certificate: Buffer; privateKey: Buffer } | null,
  ) {}
  addCaCertificateListener(l: experimental.CaCertificateUpdateListener): void {
    queueMicrotask(() => l(this.ca ? { caCertificate: this.ca } : null));
  }
  removeCaCertificateListener(): void {}
  addIdentityCertificateListener(l: experimental.IdentityCertificateUpdateListener): void {
    queueMicrotask(() => l(this.identity));
  }
  removeIdentityCertificateListener(): void {}
}

export type AuthResult =
  | { ok: true; identity: string }
  | { ok: false; reason: 'no_certificate' | 'bad_certificate' | 'no_token' | 'bad_token'; message: string };

export class GrpcAuth {
  private readonly tokens: { name: string; digest: Buffer }[];
  private readonly cas: X509Certificate[];

  constructor(readonly cfg: GrpcAuthConfig) {
    this.tokens = cfg.tokensFile ? parseTokens(readFileSync(cfg.tokensFile, 'utf8'), cfg.tokensFile) : [];
    this.cas = cfg.tls?.clientCaFile
      ? pemBlocks(readFileSync(cfg.tls.clientCaFile, 'utf8')).map((p) => new X509Certificate(p))
      : [];
  }

  /** What the zone logs at start: "plaintext", "tls", "mtls (require)", "+ tokens". */
  describe(): string {
    const t = this.cfg.tls;
    const base = !t ? 'plaintext' : t.clientAuth === 'none' ? 'tls' : `mtls (${t.clientAuth})`;
    return this.tokens.length ? `${base} + ${this.tokens.length} bearer token(s)` : base;
  }

  serverCredentials(): ServerCredentials {
    const t = this.cfg.tls;
    if (!t) return ServerCredentials.createInsecure();
    const identity = { certificate: readFileSync(t.certFile), privateKey: readFileSync(t.keyFile) };
    if (t.clientAuth === 'none')
      return ServerCredentials.createSsl(
        null,
        [{ cert_chain: identity.certificate, private_key: identity.privateKey }],
        false,
      );
    // Request a client certificate but let the handshake finish without one: check() decides.
    // One provider for both roles: grpc-js 1.14's factory hands its two provider arguments to
    // the constructor in swapped order, which a provider that serves both makes harmless.
    const p = new StaticProvider(readFileSync(t.clientCaFile!), identity);
    return experimental.createCertificateProviderServerCredentials(p, p, false);
  }

  /** Decides one call from its peer certificate and metadata. */
  check(peer: PeerCertificate | undefined, md: Metadata): AuthResult {
    let identity = '';
    const mode = this.cfg.tls?.clientAuth ?? 'none';
    if (mode !== 'none') {
      const hasCert = peer !== undefined && peer.raw !== undefined && peer.raw.length > 0;
      if (!hasCert && mode === 'require')
        return { ok: false, reason: 'no_certificate', message: 'a client certificate is required' };
      if (hasCert) {
        const v = this.verify(peer);
        if (typeof v !== 'string') return v;
        identity = v;
      }
    }
    if (this.tokens.length > 0) {
      const h = md.get('authorization')[0];
      const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
      if (!m) return { ok: false, reason: 'no_token', message: 'a bearer token is required' };
      const d = digest(m[1]!);
      const t = this.tokens.find((x) => timingSafeEqual(x.digest, d));
      if (!t) return { ok: false, reason: 'bad_token', message: 'the bearer token is not accepted' };
      identity ||= t.name;
    }
    return { ok: true, identity };
  }

  private verify(peer: PeerCertificate): string | AuthResult {
    let x: X509Certificate;
    try {
      x = new X509Certificate(peer.raw);
    } catch (e) {
      return {
        ok: false,
        reason: 'bad_certificate',
        message: `cannot parse the client certificate: ${errorMessage(e)}`,
      };
    }
    const now = Date.now();
    if (now < Date.parse(x.validFrom) || now > Date.parse(x.validTo))
      return {
        ok: false,
        reason: 'bad_certificate',
        message: `the client certificate is not valid now (${x.validFrom} – ${x.validTo})`,
      };
    if (!this.cas.some((ca) => x.checkIssued(ca) && x.verify(ca.publicKey))) {
      return {
        ok: false,
        reason: 'bad_certificate',
        message: 'the client certificate is not signed by the client CA',
      };
    }
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(x.subject)?.[1];
    const san = /DNS:([^,\s]+)/.exec(x.subjectAltName ?? '')?.[1];
    return cn ?? san ?? x.fingerprint256;
  }
}
