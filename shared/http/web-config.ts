// The web configuration file (`--web.config.file`) in the exporter-toolkit format Prometheus
// 2.42 reads (exporter-toolkit v0.8: docs/web-configuration.md upstream), so an existing file
// works unchanged:
//
//   tls_server_config:   cert_file, key_file, client_ca_file, client_auth_type, min_version,
//                        max_version, cipher_suites, curve_preferences, prefer_server_cipher_suites
//   http_server_config:  http2, headers (only the five security headers upstream allows)
//   basic_auth_users:    { user: bcrypt hash }
//
// Paths are relative to the file's directory. parseWebConfig reads and checks everything a
// server will use — the YAML, every bcrypt hash, the certificate and key (loaded as a pair), the
// client CA — and throws ConfigError naming the file and the key, so `canopy … --web.config.file`
// exits 2 at start rather than failing on the first request. Like upstream, the servers re-read
// the file while running (web-guard.ts): per request for users and headers, per connection for TLS.
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError, ConfigReader } from '../config/index.ts';
import { errorMessage } from '../errors.ts';

/** Go's tls.ClientAuthType names, as exporter-toolkit spells them. */
export type ClientAuthType =
  | 'NoClientCert'
  | 'RequestClientCert'
  | 'RequireAnyClientCert'
  | 'VerifyClientCertIfGiven'
  | 'RequireAndVerifyClientCert';
const CLIENT_AUTH: readonly ClientAuthType[] = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
];

const TLS_VERSIONS: Readonly<Record<string, SecureContextOptions['minVersion']>> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};

/** Go's crypto/tls suite names (tls.CipherSuites() of Go 1.19, which Prometheus 2.42 was built with) → OpenSSL's. */
const CIPHERS: Readonly<Record<string, string>> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  // TLS 1.3 suites: accepted, and (as in Go) not configurable — all three stay enabled.
  TLS_AES_128_GCM_SHA256: '',
  TLS_AES_256_GCM_SHA384: '',
  TLS_CHACHA20_POLY1305_SHA256: '',
};
const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

const CURVES: Readonly<Record<string, string>> = {
  CurveP256: 'P-256',
  CurveP384: 'P-384',
  CurveP521: 'P-521',
  X25519: 'X25519',
};

/** The response headers upstream lets a file set; a non-empty list restricts the value. */
const EXTRA_HEADERS: Readonly<Record<string, readonly string[]>> = {
  'Strict-Transport-Security': [],
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': [],
  'Content-Security-Policy': [],
};

/** bcrypt as htpasswd -B and Go's x/crypto/bcrypt write it: $2a|b|y$<cost>$<22 salt + 31 hash chars>. */
const BCRYPT_RE = /^\$2[abxy]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;

export interface WebTlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCaFile?: string;
  readonly clientAuthType: ClientAuthType;
  /** Options for tls.createSecureContext, with the files' contents loaded. */
  readonly secureContext: SecureContextOptions;
}

export interface WebConfig {
  readonly file: string;
  /** Absent when tls_server_config sets nothing: plain HTTP, as upstream. */
  readonly tls?: WebTlsConfig;
  /** Upstream's http2 flag. Canopy serves HTTP/1.1 over TLS either way (docs/web-config.md). */
  readonly http2: boolean;
  readonly headers: Readonly<Record<string, string>>;
  /** user → bcrypt hash; empty = no basic auth. */
  readonly users: ReadonlyMap<string, string>;
  /** Files whose change means the configuration must be read again (the file itself first). */
  readonly files: readonly string[];
}

/** Reads and validates a web config file; throws ConfigError naming the file and the key. */
export function parseWebConfig(file: string): WebConfig {
  const r: ConfigReader = ConfigReader.fromFile(file);
  const dir = dirname(file);
  const path = (p: string): string => (isAbsolute(p) ? p : join(dir, p));

  const t: ConfigReader = r.object('tls_server_config');
  const certFile = t.optionalString('cert_file');
  const keyFile = t.optionalString('key_file');
  const clientCaFile = t.optionalString('client_ca_file');
  const clientAuth = t.optionalString('client_auth_type');
  if (
    clientAuth !== undefined &&
    clientAuth !== 'RequireClientCert' &&
    !CLIENT_AUTH.includes(clientAuth as ClientAuthType)
  ) {
    t.fail('client_auth_type', `one of ${CLIENT_AUTH.join(', ')}`, clientAuth);
  }
  // RequireClientCert: upstream's old spelling of RequireAnyClientCert, still accepted there.
  const clientAuthType = (
    clientAuth === 'RequireClientCert' ? 'RequireAnyClientCert' : (clientAuth ?? 'NoClientCert')
  ) as ClientAuthType;
  const version = (key: string, def: string): SecureContextOptions['minVersion'] => {
    const v = t.string(key, def);
    const out = TLS_VERSIONS[v];
    if (!out) t.fail(key, `one of ${Object.keys(TLS_VERSIONS).join(', ')}`, v);
    return out;
  };
  const minVersion = version('min_version', 'TLS12');
  const maxVersion = version('max_version', 'TLS13');
  const order = Object.values(TLS_VERSIONS);
  if (order.indexOf(maxVersion) < order.indexOf(minVersion))
    t.fail(
      'max_version',
      `a version no older than min_version (${t.string('min_version', 'TLS12')})`,
      t.string('max_version', 'TLS13'),
    );
  const ciphers = t
    .strings('cipher_suites')
    .map(
      (c, i) =>
        CIPHERS[c] ??
        t.fail(`cipher_suites[${i}]`, `a cipher suite Go knows (${Object.keys(CIPHERS).join(', ')})`, c),
    );
  const curves = t
    .strings('curve_preferences')
    .map(
      (c, i) => CURVES[c] ?? t.fail(`curve_preferences[${i}]`, `one of ${Object.keys(CURVES).join(', ')}`, c),
    );
  const preferServer = t.bool('prefer_server_cipher_suites', true);
  t.done();

  const h: ConfigReader = r.object('http_server_config');
  const http2 = h.bool('http2', true);
  const headers = h.stringMap('headers');
  h.done();
  for (const [k, v] of Object.entries(headers)) {
    const allowed = EXTRA_HEADERS[k];
    if (!allowed)
      h.fail(
        `headers.${k}`,
        `one of the headers that can be configured (${Object.keys(EXTRA_HEADERS).join(', ')})`,
        k,
      );
    if (allowed.length > 0 && !allowed.includes(v))
      h.fail(`headers.${k}`, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, v);
  }

  const users = new Map<string, string>();
  for (const [u, hash] of Object.entries(r.stringMap('basic_auth_users'))) {
    const m = BCRYPT_RE.exec(hash);
    if (!m)
      r.fail(
        `basic_auth_users.${u}`,
        'a bcrypt hash such as htpasswd -nBC 10 "" writes ($2y$10$ and 53 characters)',
      );
    const cost = Number(m[1]);
    if (cost < 4 || cost > 31)
      r.fail(`basic_auth_users.${u}`, `a bcrypt cost between 4 and 31 (got ${cost})`);
    users.set(u, hash);
  }
  r.done();

  const files = [file];
  const tlsEnabled =
    certFile !== undefined || keyFile !== undefined || clientCaFile !== undefined || clientAuth !== undefined;
  if (!tlsEnabled) return { file, http2, headers, users, files };
  if (certFile === undefined)
    t.fail('cert_file', 'a certificate file (required once tls_server_config sets anything)');
  if (keyFile === undefined)
    t.fail('key_file', 'a private key file (required once tls_server_config sets anything)');
  if (clientCaFile !== undefined && clientAuthType === 'NoClientCert') {
    t.fail(
      'client_auth_type',
      'a client auth type other than NoClientCert when client_ca_file is set (client CAs configured without a client auth policy)',
    );
  }
  const read = (key: string, p: string): Buffer => {
    try {
      return readFileSync(path(p));
    } catch (e) {
      throw new ConfigError(
        `${file}: key "tls_server_config.${key}": cannot read ${path(p)}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`,
        { file, key: `tls_server_config.${key}` },
      );
    }
  };
  const cert = read('cert_file', certFile);
  const key = read('key_file', keyFile);
  const ca = clientCaFile !== undefined ? read('client_ca_file', clientCaFile) : undefined;
  if (ca) {
    try {
      new X509Certificate(ca);
    } catch (e) {
      throw new ConfigError(
        `${file}: key "tls_server_config.client_ca_file": ${path(clientCaFile!)} holds no PEM certificate: ${errorMessage(e)}`,
        { file, key: 'tls_server_config.client_ca_file' },
      );
    }
  }
  const secureContext: SecureContextOptions = {
    cert,
    key,
    ca,
    minVersion,
    maxVersion,
    honorCipherOrder: preferServer,
    ...(ciphers.length > 0 ? { ciphers: [TLS13_SUITES, ...ciphers.filter((c) => c !== '')].join(':') } : {}),
    ...(curves.length > 0 ? { ecdhCurve: curves.join(':') } : {}),
  };
  try {
    createSecureContext(secureContext); // loads the pair: a key that does not match its certificate fails here
  } catch (e) {
    throw new ConfigError(
      `${file}: key "tls_server_config.cert_file": cannot load the certificate ${path(certFile)} with the key ${path(keyFile)}: ${errorMessage(e)}`,
      { file, key: 'tls_server_config.cert_file' },
    );
  }
  files.push(path(certFile), path(keyFile), ...(clientCaFile !== undefined ? [path(clientCaFile)] : []));
  return {
    file,
    tls: {
      certFile: path(certFile),
      keyFile: path(keyFile),
      clientCaFile: clientCaFile !== undefined ? path(clientCaFile) : undefined,
      clientAuthType,
      secureContext,
    },
    http2,
    headers,
    users,
    files,
  };
}

/** The URL a server on `listen` is reached at (for externalURL and links): https when the web config has TLS. */
export function externalUrl(listen: string, webConfigFile?: string): string {
  const scheme = webConfigFile && parseWebConfig(webConfigFile).tls ? 'https' : 'http';
  return `${scheme}://${listen.replace(/^(0\.0\.0\.0)?:/, '127.0.0.1:')}`;
}
