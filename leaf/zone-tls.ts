// How the leaf reaches its zones over gRPC: plaintext (default, for loopback), TLS verified
// against a CA file (or the system CAs), a client certificate for mTLS, a bearer token read
// from a file, and the server name to expect in the zone's certificate. Parsed once at start
// from the config's `zone_tls` block and `zone_token_file` and the --zone-tls-* flags
// (docs/leaf.md). A token is sent only over TLS (grpc-js refuses call credentials otherwise).
import { readFileSync } from 'node:fs';
import { credentials, Metadata, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { CanopyError } from '../shared/errors.ts';
import { readConfigFile, type ConfigReader, type FlagSpec, type FlagValues } from '../shared/config/index.ts';

export interface ZoneTlsConfig {
  tls?: { caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
  tokenFile?: string;
}

export const ZONE_TLS_FLAGS: Record<string, FlagSpec> = {
  'zone-tls': {
    type: 'bool',
    help: 'TLS to the zones, verified with the system CAs unless --zone-tls-ca-file',
  },
  'zone-tls-ca-file': {
    type: 'string',
    arg: 'FILE',
    help: "CA to verify the zones' certificates (implies TLS)",
  },
  'zone-tls-cert-file': { type: 'string', arg: 'FILE', help: 'client certificate for mTLS' },
  'zone-tls-key-file': { type: 'string', arg: 'FILE', help: "the client certificate's key" },
  'zone-tls-server-name': {
    type: 'string',
    arg: 'NAME',
    help: "name expected in the zones' certificates (default: the host in --zone)",
  },
  'zone-token-file': { type: 'string', arg: 'FILE', help: 'bearer token sent to the zones (needs TLS)' },
};

const readFile = readConfigFile;

export function parseZoneTls(r: ConfigReader, flags: FlagValues, rel: (p: string) => string): ZoneTlsConfig {
  const t = r.object('zone_tls');
  const present = r.has('zone_tls') || flags['zone-tls'] === true;
  const file = (k: string, flag: string): string | undefined =>
    (flags[flag] as string | undefined) ?? (t.has(k) ? rel(t.string(k)) : (t.raw(k), undefined));
  const caFile = file('ca_file', 'zone-tls-ca-file');
  const certFile = file('cert_file', 'zone-tls-cert-file');
  const keyFile = file('key_file', 'zone-tls-key-file');
  const serverName = (flags['zone-tls-server-name'] as string | undefined) ?? t.optionalString('server_name');
  t.done();
  const tokenFile =
    (flags['zone-token-file'] as string | undefined) ??
    (r.has('zone_token_file') ? rel(r.string('zone_token_file')) : (r.raw('zone_token_file'), undefined));
  const where = r.file === '<flags>' ? 'canopy leaf' : r.file;
  const cfg: ZoneTlsConfig = {};
  if (present || caFile || certFile || keyFile || serverName) {
    if ((certFile === undefined) !== (keyFile === undefined))
      throw new CanopyError(
        'config_invalid',
        `${where}: a client certificate needs both zone_tls.cert_file and key_file (--zone-tls-cert-file, --zone-tls-key-file)`,
      );
    for (const [f, what] of [
      [caFile, 'the zone CA'],
      [certFile, 'the client certificate'],
      [keyFile, 'the client key'],
    ] as const)
      if (f) readFile(f, what);
    cfg.tls = { caFile, certFile, keyFile, serverName };
  }
  if (tokenFile) {
    if (!cfg.tls)
      throw new CanopyError(
        'config_invalid',
        `${where}: zone_token_file needs TLS to the zones (zone_tls / --zone-tls-ca-file): a token sent in clear text is a token given away`,
      );
    if (!readFile(tokenFile, 'the zone token').toString('utf8').trim())
      throw new CanopyError('config_invalid', `${where}: the token file ${tokenFile} is empty`);
    cfg.tokenFile = tokenFile;
  }
  return cfg;
}

/** The channel credentials and options for the leaf's gRPC clients. */
export function zoneChannel(cfg: ZoneTlsConfig): {
  credentials: ChannelCredentials;
  options: ChannelOptions;
} {
  const t = cfg.tls;
  if (!t) return { credentials: credentials.createInsecure(), options: {} };
  const ssl = credentials.createSsl(
    t.caFile ? readFileSync(t.caFile) : null,
    t.keyFile ? readFileSync(t.keyFile) : null,
    t.certFile ? readFileSync(t.certFile) : null,
  );
  const options: ChannelOptions = t.serverName
    ? { 'grpc.ssl_target_name_override': t.serverName, 'grpc.default_authority': t.serverName }
    : {};
  if (!cfg.tokenFile) return { credentials: ssl, options };
  const token = readFileSync(cfg.tokenFile, 'utf8').trim();
  const bearer = credentials.createFromMetadataGenerator((_p, cb) => {
    const md = new Metadata();
    md.set('authorization', `Bearer ${token}`);
    cb(null, md);
  });
  return { credentials: credentials.combineChannelCredentials(ssl, bearer), options };
}

/** For the leaf's start-up log line: never the token. */
export function describeZoneTls(cfg: ZoneTlsConfig): string {
  if (!cfg.tls) return 'plaintext';
  const parts = [cfg.tls.certFile ? 'mtls' : 'tls'];
  if (cfg.tokenFile) parts.push('bearer token');
  return parts.join(' + ');
}
