// The client side: how one Canopy server calls another over HTTP (the root asking zones for
// rules, alerts and silences) when the callee sits behind a web config file. Configured with
// Prometheus's HTTP client config file — the format of `promtool --http.config.file` and of a
// scrape config's auth blocks — so one file serves promtool, Prometheus and Canopy:
//
//   basic_auth:    { username, password | password_file }
//   authorization: { type (default Bearer), credentials | credentials_file }
//   tls_config:    { ca_file, cert_file, key_file, server_name, insecure_skip_verify, min_version }
//   follow_redirects, enable_http2   accepted (redirects are not followed; HTTP/1.1 is used)
//
// Validated at start (files readable, certificate and key a pair). Secret files are read on each
// request and the TLS files are looked at again on each request (a changed file builds a new
// agent), so rotating them needs no restart — as Prometheus re-reads them.
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError, ConfigReader } from '../config/index.ts';
import { errorMessage } from '../errors.ts';
import { fileSignature } from './file-signature.ts';

export interface HttpClientConfig {
  readonly file: string;
  readonly basicAuth?: { username: string; password?: string; passwordFile?: string };
  readonly authorization?: { type: string; credentials?: string; credentialsFile?: string };
  readonly tls: {
    caFile?: string;
    certFile?: string;
    keyFile?: string;
    serverName?: string;
    insecureSkipVerify: boolean;
    minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  };
}

const VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

export function parseHttpClientConfig(file: string): HttpClientConfig {
  const r: ConfigReader = ConfigReader.fromFile(file);
  const path = (p: string | undefined): string | undefined =>
    p === undefined || isAbsolute(p) ? p : join(dirname(file), p);
  const readable = (key: string, p: string | undefined): void => {
    if (p === undefined) return;
    try {
      readFileSync(p);
    } catch (e) {
      throw new ConfigError(
        `${file}: key "${key}": cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`,
        { file, key },
      );
    }
  };
  let basicAuth: HttpClientConfig['basicAuth'];
  if (r.has('basic_auth')) {
    const b: ConfigReader = r.object('basic_auth');
    basicAuth = {
      username: b.string('username'),
      password: b.optionalString('password'),
      passwordFile: path(b.optionalString('password_file')),
    };
    if (basicAuth.password !== undefined && basicAuth.passwordFile !== undefined)
      b.fail('password_file', 'either password or password_file, not both');
    readable('basic_auth.password_file', basicAuth.passwordFile);
    b.done();
  } else r.raw('basic_auth');
  let authorization: HttpClientConfig['authorization'];
  if (r.has('authorization')) {
    const a: ConfigReader = r.object('authorization');
    authorization = {
      type: a.string('type', 'Bearer'),
      credentials: a.optionalString('credentials'),
      credentialsFile: path(a.optionalString('credentials_file')),
    };
    if (authorization.credentials !== undefined && authorization.credentialsFile !== undefined)
      a.fail('credentials_file', 'either credentials or credentials_file, not both');
    if (authorization.type.toLowerCase() === 'basic')
      a.fail('type', 'a type other than Basic (use basic_auth)', authorization.type);
    readable('authorization.credentials_file', authorization.credentialsFile);
    a.done();
  } else r.raw('authorization');
  if (basicAuth && authorization) r.fail('authorization', 'either basic_auth or authorization, not both');
  const t: ConfigReader = r.object('tls_config');
  const min = t.optionalString('min_version');
  if (min !== undefined && !(min in VERSIONS))
    t.fail('min_version', `one of ${Object.keys(VERSIONS).join(', ')}`, min);
  const tls = {
    caFile: path(t.optionalString('ca_file')),
    certFile: path(t.optionalString('cert_file')),
    keyFile: path(t.optionalString('key_file')),
    serverName: t.optionalString('server_name'),
    insecureSkipVerify: t.bool('insecure_skip_verify', false),
    minVersion: min === undefined ? undefined : VERSIONS[min as keyof typeof VERSIONS],
  };
  t.done();
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined))
    t.fail(tls.certFile ? 'key_file' : 'cert_file', 'cert_file and key_file together');
  readable('tls_config.ca_file', tls.caFile);
  readable('tls_config.cert_file', tls.certFile);
  readable('tls_config.key_file', tls.keyFile);
  try {
    createSecureContext(secureOptions(tls));
  } catch (e) {
    throw new ConfigError(
      `${file}: key "tls_config": cannot load the CA, certificate or key: ${errorMessage(e)}`,
      { file, key: 'tls_config' },
    );
  }
  r.bool('follow_redirects', true);
  r.bool('enable_http2', true);
  r.done();
  return { file, basicAuth, authorization, tls };
}

function secureOptions(t: HttpClientConfig['tls']): {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  minVersion?: HttpClientConfig['tls']['minVersion'];
} {
  return {
    ca: t.caFile ? readFileSync(t.caFile) : undefined,
    cert: t.certFile ? readFileSync(t.certFile) : undefined,
    key: t.keyFile ? readFileSync(t.keyFile) : undefined,
    minVersion: t.minVersion,
  };
}

export interface ClientResponse {
  readonly status: number;
  readonly ok: boolean;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface ClientRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** `fetch` for calls between Canopy servers; without a config it is the global fetch. */
export class HttpClient {
  private agent: HttpsAgent | undefined;
  private signature = '';

  constructor(private readonly cfg?: HttpClientConfig) {}

  async fetch(url: string, init: ClientRequest = {}): Promise<ClientResponse> {
    if (!this.cfg) return fetch(url, init);
    const headers: Record<string, string> = { ...init.headers };
    const auth = await this.authorizationHeader();
    if (auth) headers.authorization = auth;
    const u = new URL(url);
    const tls = u.protocol === 'https:';
    const agent = tls ? await this.tlsAgent() : undefined;
    return new Promise((resolve, reject) => {
      const req = (tls ? httpsRequest : httpRequest)(
        u,
        { method: init.method ?? 'GET', headers, agent, signal: init.signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            resolve({
              status,
              ok: status >= 200 && status < 300,
              text: async () => text,
              json: async () => JSON.parse(text) as unknown,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
  }

  private async authorizationHeader(): Promise<string | undefined> {
    const { basicAuth: b, authorization: a } = this.cfg!;
    if (b) {
      const password = b.passwordFile ? (await readFile(b.passwordFile, 'utf8')).trim() : (b.password ?? '');
      return `Basic ${Buffer.from(`${b.username}:${password}`).toString('base64')}`;
    }
    if (a)
      return `${a.type} ${a.credentialsFile ? (await readFile(a.credentialsFile, 'utf8')).trim() : (a.credentials ?? '')}`;
    return undefined;
  }

  private async tlsAgent(): Promise<HttpsAgent> {
    const t = this.cfg!.tls;
    const sig = await fileSignature(
      [t.caFile, t.certFile, t.keyFile].filter((f): f is string => f !== undefined),
    );
    if (!this.agent || sig !== this.signature) {
      this.agent?.destroy();
      this.agent = new HttpsAgent({
        keepAlive: true,
        ...secureOptions(t),
        servername: t.serverName,
        rejectUnauthorized: !t.insecureSkipVerify,
      });
      this.signature = sig;
    }
    return this.agent;
  }
}

/** A failed request's message with its cause: fetch only says "fetch failed"; the reason (refused, TLS) is the cause. */
export function requestErrorMessage(e: unknown): string {
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  return `${errorMessage(e)}${cause ? `: ${errorMessage(cause)}` : ''}`;
}
