// A small HTTPS client for tests: trusts a given CA, optionally presents a client certificate
// and basic-auth credentials, and reports a refused connection as `error` instead of throwing.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';

export interface TlsClientOptions {
  ca?: string;
  cert?: string;
  key?: string;
  user?: string;
  password?: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface TlsAnswer {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Set when no HTTP answer came (handshake refused, connection reset). */
  error?: string;
}

export function tlsRequest(url: string, o: TlsClientOptions = {}): Promise<TlsAnswer> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...o.headers };
  if (o.user !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${o.user}:${o.password ?? ''}`).toString('base64')}`;
  const opts = {
    method: o.method ?? 'GET',
    headers,
    agent: false as const,
    ca: o.ca ? readFileSync(o.ca) : undefined,
    cert: o.cert ? readFileSync(o.cert) : undefined,
    key: o.key ? readFileSync(o.key) : undefined,
    timeout: 10_000,
  };
  return new Promise((resolve) => {
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (e) => resolve({ headers: {}, body: '', error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ headers: {}, body: '', error: e.code ?? e.message }),
    );
    req.end(o.body);
  });
}

/**
 * A request that must get an HTTP answer (the assertion names the URL otherwise), with its
 * body parsed as JSON where it is JSON.
 */
export async function tlsJson(
  url: string,
  o: TlsClientOptions,
): Promise<{ status?: number; body: any; text: string }> {
  const r = await tlsRequest(url, o);
  if (r.error !== undefined) throw new Error(`${url}: ${r.error}`);
  let body: unknown;
  try {
    body = JSON.parse(r.body);
  } catch {
    body = undefined;
  }
  return { status: r.status, body, text: r.body };
}
