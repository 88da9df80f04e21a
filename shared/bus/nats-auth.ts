// NATS credentials and TLS for the zone and the root: parsed once at start from the `nats:` block
// of a config file and the --nats-* flags, and turned into @nats-io connect options by nats.ts.
//
// Secrets never reach a log line or an error message: credentials written in the URL
// (nats://user:pass@host, nats://token@host) are split off at parse time, so the URL every
// component logs carries none; redactUrl() masks any that still appear in third-party text.
// Secrets are given as files on the command line (a flag's value shows in `ps`); a config file
// may hold them inline (`password`, `token`) or as files.
//
// Config keys (all optional) under `nats:`:
//   user, password | password_file, token | token_file, nkey_seed_file, creds_file,
//   tls: { ca_file, cert_file, key_file }
// At most one of user/password, token, nkey_seed_file, creds_file.
import { dirname, isAbsolute, join } from 'node:path';
import { CanopyError } from '../errors.ts';
import { readConfigFile, readSecretFile } from '../config/files.ts';
import type { ConfigReader, FlagSpec, FlagValues } from '../config/index.ts';

export interface NatsTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface NatsAuth {
  user?: string;
  password?: string;
  token?: string;
  /** An NKey seed (SU…), read from nkey_seed_file. */
  nkeySeed?: string;
  /** A decentralised-auth .creds file's contents (JWT and seed). */
  creds?: Uint8Array;
  /** TLS to the server; present (possibly empty) when the URL is tls:// or any file is named. */
  tls?: NatsTls;
}

export const NATS_AUTH_FLAGS: Record<string, FlagSpec> = {
  'nats-user': { type: 'string', arg: 'NAME', help: 'NATS user (password from --nats-password-file)' },
  'nats-password-file': { type: 'string', arg: 'FILE', help: "file holding the NATS user's password" },
  'nats-token-file': { type: 'string', arg: 'FILE', help: 'file holding a NATS token' },
  'nats-nkey-seed-file': { type: 'string', arg: 'FILE', help: 'file holding an NKey seed (SU…)' },
  'nats-creds-file': { type: 'string', arg: 'FILE', help: 'NATS .creds file (user JWT and seed)' },
  'nats-tls-ca-file': {
    type: 'string',
    arg: 'FILE',
    help: "CA certificate(s) to verify the NATS server's certificate",
  },
  'nats-tls-cert-file': { type: 'string', arg: 'FILE', help: 'client certificate for NATS TLS' },
  'nats-tls-key-file': { type: 'string', arg: 'FILE', help: "the client certificate's key" },
};

/** Replaces the user information of every URL in `s` with "***". */
export function redactUrl(s: string): string {
  return s.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi, '$1***@');
}

/** Splits credentials off a nats:// or tls:// URL: user:pass, or a lone token. */
export function splitNatsUrl(raw: string): { url: string; user?: string; password?: string; token?: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CanopyError('config_invalid', `cannot parse the NATS URL "${redactUrl(raw)}"`);
  }
  if (!u.username && !u.password) return { url: raw };
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  const url = u.toString().replace(/\/$/, '');
  // nats-server's convention: nats://TOKEN@host carries a token, nats://user:pass@host a user.
  return password ? { url, user, password } : { url, token: user };
}

const readSecret = (file: string, what: string): string => readSecretFile(file, what);
const mustExist = (file: string, what: string): string => (readConfigFile(file, what), file);

/**
 * Reads the auth keys of a `nats:` block (call before its done()), then applies the flags and
 * the credentials found in `url`. Returns the URL without credentials and the auth to use.
 */
export function parseNatsAuth(
  nats: ConfigReader | undefined,
  flags: FlagValues,
  url: string,
  command: string,
): { url: string; auth: NatsAuth } {
  const rel = (p: string): string =>
    nats && nats.file !== '<flags>' && !isAbsolute(p) ? join(dirname(nats.file), p) : p;
  const auth: NatsAuth = {};
  let tls: NatsTls | undefined;
  if (nats) {
    auth.user = nats.optionalString('user');
    const pw = nats.optionalString('password');
    const pwFile = nats.optionalString('password_file');
    if (pw !== undefined && pwFile !== undefined)
      nats.fail('password_file', 'not both password and password_file');
    auth.password = pw ?? (pwFile !== undefined ? readSecret(rel(pwFile), 'the NATS password') : undefined);
    const tok = nats.optionalString('token');
    const tokFile = nats.optionalString('token_file');
    if (tok !== undefined && tokFile !== undefined) nats.fail('token_file', 'not both token and token_file');
    auth.token = tok ?? (tokFile !== undefined ? readSecret(rel(tokFile), 'the NATS token') : undefined);
    const seed = nats.optionalString('nkey_seed_file');
    if (seed !== undefined) auth.nkeySeed = readSecret(rel(seed), 'the NKey seed');
    const creds = nats.optionalString('creds_file');
    if (creds !== undefined)
      auth.creds = new TextEncoder().encode(readSecret(rel(creds), 'the NATS credentials'));
    const t = nats.object('tls');
    if (nats.has('tls')) {
      tls = {};
      const ca = t.optionalString('ca_file');
      const cert = t.optionalString('cert_file');
      const key = t.optionalString('key_file');
      if (ca !== undefined) tls.caFile = mustExist(rel(ca), 'the NATS CA file');
      if (cert !== undefined) tls.certFile = mustExist(rel(cert), 'the NATS certificate file');
      if (key !== undefined) tls.keyFile = mustExist(rel(key), 'the NATS key file');
      if ((tls.certFile === undefined) !== (tls.keyFile === undefined))
        t.fail(tls.certFile ? 'key_file' : 'cert_file', 'cert_file and key_file together');
    }
    t.done();
  }
  const flag = (n: string): string | undefined => flags[n] as string | undefined;
  if (flag('nats-user') !== undefined) auth.user = flag('nats-user');
  if (flag('nats-password-file') !== undefined)
    auth.password = readSecret(flag('nats-password-file')!, 'the NATS password');
  if (flag('nats-token-file') !== undefined)
    auth.token = readSecret(flag('nats-token-file')!, 'the NATS token');
  if (flag('nats-nkey-seed-file') !== undefined)
    auth.nkeySeed = readSecret(flag('nats-nkey-seed-file')!, 'the NKey seed');
  if (flag('nats-creds-file') !== undefined)
    auth.creds = new TextEncoder().encode(readSecret(flag('nats-creds-file')!, 'the NATS credentials'));
  for (const [f, k, what] of [
    ['nats-tls-ca-file', 'caFile', 'the NATS CA file'],
    ['nats-tls-cert-file', 'certFile', 'the NATS certificate file'],
    ['nats-tls-key-file', 'keyFile', 'the NATS key file'],
  ] as const) {
    if (flag(f) !== undefined) (tls ??= {})[k] = mustExist(flag(f)!, what);
  }
  const split = url ? splitNatsUrl(url) : { url };
  if (split.user !== undefined) {
    auth.user ??= split.user;
    auth.password ??= split.password;
  }
  if (split.token !== undefined) auth.token ??= split.token;
  if (split.url.startsWith('tls://')) tls ??= {};
  if (tls) {
    if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
      throw new CanopyError(
        'config_invalid',
        `canopy ${command}: a NATS client certificate needs both a cert and a key file`,
      );
    }
    auth.tls = tls;
  }
  if (auth.password !== undefined && auth.user === undefined)
    throw new CanopyError(
      'config_invalid',
      `canopy ${command}: a NATS password needs a user (nats.user / --nats-user)`,
    );
  const kinds = [
    auth.user !== undefined,
    auth.token !== undefined,
    auth.nkeySeed !== undefined,
    auth.creds !== undefined,
  ].filter(Boolean).length;
  if (kinds > 1)
    throw new CanopyError(
      'config_invalid',
      `canopy ${command}: give one NATS credential: user/password, token, NKey seed or creds file (${kinds} given)`,
    );
  return { url: split.url, auth };
}

/** What kind of credential `auth` holds, for log lines ("user alice", "token", …); never the secret. */
export function describeNatsAuth(auth: NatsAuth | undefined): string {
  if (!auth) return 'none';
  const what =
    auth.user !== undefined
      ? `user ${auth.user}`
      : auth.token !== undefined
        ? 'token'
        : auth.nkeySeed !== undefined
          ? 'nkey'
          : auth.creds !== undefined
            ? 'creds'
            : 'none';
  return auth.tls ? `${what}, tls` : what;
}
