// `canopy up --secure`: what the launcher prepares so the local tree runs with TLS and
// credentials on every channel between tiers (docs/ARCHITECTURE.md "Channels between tiers"):
//   <state-dir>/secure/pki/     a CA, nats-server's and each zone's gRPC server certificate,
//                               each leaf's client certificate (CN = leaf name)
//   <state-dir>/secure/nats/    nats-server.conf (one user per zone or zone replica, the root's user, TLS) and
//                               one password file per user (mode 0600; bcrypt hashes in the conf)
//   <state-dir>/secure/web-config.yml   an exporter-toolkit web config (TLS + basic auth) for
//                               every HTTP server (zones, root, leaves: --web.config.file), with
//                               the admin user's password in web-admin.password (mode 0600)
//   <state-dir>/secure/http-client.yml  a Prometheus HTTP client config (basic_auth with
//                               password_file, tls_config.ca_file): the root's calls to the zones
//                               (--zone.http-config.file), the launcher's readiness checks, Prometheus/Grafana
// Generated once and reused on the next start (passwords and certificates stay valid).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { certAuthority, type CertAuthority } from './certs.ts';
import { natsServerConfig, zoneUser } from './nats-config.ts';

export interface SecureTree {
  dir: string;
  ca: CertAuthority;
  /** nats-server arguments (config file) and the URL clients use. */
  natsArgs: string[];
  natsUrl: string;
  rootArgs: string[];
  /** A zone's (or one replica's) NATS user, gRPC TLS and, for a replica, the client config its writes to the peers use. */
  zoneArgs(zone: string, replica?: string): string[];
  leafArgs(leaf: string): string[];
  /** The web config for the HTTP servers (--web.config.file), and its basic-auth user. */
  webConfigFile: string;
  webUser: { name: string; passwordFile: string };
  /** Arguments giving an HTTP server (zone, root, leaf) the web config. */
  webArgs: string[];
  /** The HTTP client config (CA + admin user) for calls to those servers; the root's --zone.http-config.file. */
  httpClientConfigFile: string;
}

function secretFile(file: string): string {
  if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('base64url') + '\n', { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export function prepareSecure(
  stateDir: string,
  natsPort: number,
  zones: { name: string; replica?: string; grpcHost: string }[],
): SecureTree {
  const dir = join(stateDir, 'secure');
  const natsDir = join(dir, 'nats');
  mkdirSync(natsDir, { recursive: true, mode: 0o700 });
  const ca = certAuthority(join(dir, 'pki'), 'canopy up --secure CA');
  const caArgs = ['--nats-tls-ca-file', ca.certFile];
  const natsCert = ca.server('nats', ['127.0.0.1', 'localhost']);
  const pwFile = (user: string): string => join(natsDir, `${user}.password`);
  const hash = (user: string): string => bcrypt.hashSync(secretFile(pwFile(user)), 10);
  const conf = join(natsDir, 'nats-server.conf');
  writeFileSync(
    conf,
    natsServerConfig({
      host: '127.0.0.1',
      port: natsPort,
      serverName: 'canopy-local-secure',
      root: { user: 'root', password: hash('root') },
      zones: zones.map((z) => ({
        zone: z.name,
        replica: z.replica,
        user: zoneUser(z.name, z.replica),
        password: hash(zoneUser(z.name, z.replica)),
      })),
      tls: { certFile: natsCert.certFile, keyFile: natsCert.keyFile },
    }),
    { mode: 0o600 },
  );
  const natsUrl = `tls://127.0.0.1:${natsPort}`;
  const grpcCerts = new Map(
    zones.map((z) => [
      z.name,
      ca.server(`zone-${z.name}-grpc`, [
        ...new Set([
          ...zones.filter((x) => x.name === z.name).map((x) => x.grpcHost),
          '127.0.0.1',
          'localhost',
        ]),
      ]),
    ]),
  );

  // The HTTP side: one web config (exporter-toolkit format) for every server, and the matching
  // client config (Prometheus format, as promtool 2.43+ --http.config.file reads it) for callers.
  const http = ca.server('http', ['127.0.0.1', 'localhost']);
  const webPwFile = join(dir, 'web-admin.password');
  const webConfigFile = join(dir, 'web-config.yml');
  writeFileSync(
    webConfigFile,
    [
      '# exporter-toolkit web config written by `canopy up --secure` (password in web-admin.password)',
      'tls_server_config:',
      `  cert_file: ${JSON.stringify(http.certFile)}`,
      `  key_file: ${JSON.stringify(http.keyFile)}`,
      'basic_auth_users:',
      `  admin: ${JSON.stringify(bcrypt.hashSync(secretFile(webPwFile), 10))}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const httpClientConfigFile = join(dir, 'http-client.yml');
  writeFileSync(
    httpClientConfigFile,
    [
      "# Prometheus HTTP client config written by `canopy up --secure`: the root's calls to the zones,",
      '# and Prometheus, Grafana or promtool 2.43+ (--http.config.file) against any server of the local tree',
      'basic_auth:',
      '  username: admin',
      `  password_file: ${JSON.stringify(webPwFile)}`,
      'tls_config:',
      `  ca_file: ${JSON.stringify(ca.certFile)}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  return {
    dir,
    ca,
    natsArgs: ['-c', conf],
    natsUrl,
    rootArgs: [
      '--nats',
      natsUrl,
      '--nats-user',
      'root',
      '--nats-password-file',
      pwFile('root'),
      ...caArgs,
      '--zone.http-config.file',
      httpClientConfigFile,
    ],
    zoneArgs(zone, replica) {
      const c = grpcCerts.get(zone)!;
      return [
        '--nats',
        natsUrl,
        '--nats-user',
        zoneUser(zone, replica),
        '--nats-password-file',
        pwFile(zoneUser(zone, replica)),
        ...caArgs,
        '--grpc-tls-cert-file',
        c.certFile,
        '--grpc-tls-key-file',
        c.keyFile,
        '--grpc-tls-client-ca-file',
        ca.certFile,
        ...(replica ? ['--replica-peer.http-config.file', httpClientConfigFile] : []),
      ];
    },
    leafArgs(leaf) {
      const c = ca.client(leaf);
      return [
        '--zone-tls-ca-file',
        ca.certFile,
        '--zone-tls-cert-file',
        c.certFile,
        '--zone-tls-key-file',
        c.keyFile,
        '--zone-tls-server-name',
        'localhost',
      ];
    },
    webConfigFile,
    webUser: { name: 'admin', passwordFile: webPwFile },
    webArgs: ['--web.config.file', webConfigFile],
    httpClientConfigFile,
  };
}
