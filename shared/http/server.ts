// A small HTTP server over node:http: exact-path and prefix routes, query and form-encoded
// POST parameters merged (as Prometheus does), bounded request bodies, and an AbortSignal
// that fires when the client goes away. Every component (leaf, zone, root) serves through it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CanopyError, errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import { WebGuard } from './web-guard.ts';
import { tlsListener, type TlsListener } from './web-listener.ts';

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** URL query parameters, plus the body's for form-encoded POSTs. */
  readonly params: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  readonly signal: AbortSignal;
  /** Who sent it, when the web config authenticated them (basic auth, or a verified client certificate). */
  readonly user?: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export type HttpHandler = (req: HttpRequest) => Promise<HttpResponse> | HttpResponse;

interface Route {
  methods: readonly string[] | '*';
  path: string;
  prefix: boolean;
  handler: HttpHandler;
}

export interface HttpServerOptions {
  logger: Logger;
  maxBodyBytes?: number;
  /** Prometheus's web config file (TLS, basic auth, headers): shared/http/web-config.ts. */
  webConfigFile?: string;
}

export class HttpServer {
  private readonly routes: Route[] = [];
  private server: Server | undefined;
  private tls: TlsListener | undefined;
  private readonly maxBodyBytes: number;
  private readonly web: WebGuard | undefined;

  constructor(private readonly opts: HttpServerOptions) {
    this.maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024 * 1024;
    this.web = opts.webConfigFile ? new WebGuard(opts.webConfigFile, opts.logger) : undefined;
  }

  /** Whether a web config file guards this server (then mutating routes may ask for `req.user`). */
  get secured(): boolean {
    return this.web !== undefined;
  }

  /** Exact path, or a prefix when path ends with '/*'. */
  route(methods: readonly string[] | '*', path: string, handler: HttpHandler): this {
    const prefix = path.endsWith('/*');
    this.routes.push({ methods, path: prefix ? path.slice(0, -1) : path, prefix, handler });
    return this;
  }

  get(path: string, handler: HttpHandler): this {
    return this.route(['GET', 'HEAD'], path, handler);
  }

  async listen(hostPort: string): Promise<{ host: string; port: number; url: string }> {
    const i = hostPort.lastIndexOf(':');
    const host = hostPort.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0';
    const port = Number(hostPort.slice(i + 1));
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => void this.dispatch(req, res);
    this.tls = this.web?.tls ? tlsListener(this.web, onRequest, this.opts.logger) : undefined;
    const server = this.tls?.server ?? createServer(onRequest);
    if (!this.tls) (server as Server).keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new CanopyError('io', `cannot listen on ${hostPort}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`, { cause: e })));
      server.listen(port, host, () => resolve());
    });
    if (!this.tls) this.server = server as Server;
    const addr = server.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    return { host, port: addr.port, url: `${this.tls ? 'https' : 'http'}://${shown}:${addr.port}` };
  }

  async close(): Promise<void> {
    await this.web?.close();
    if (this.tls) return this.tls.close();
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  private find(method: string, path: string): Route | 'method' | undefined {
    let wrongMethod = false;
    for (const r of this.routes) {
      if (r.prefix ? !path.startsWith(r.path) : path !== r.path) continue;
      if (r.methods === '*' || r.methods.includes(method)) return r;
      wrongMethod = true;
    }
    return wrongMethod ? 'method' : undefined;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const who = this.web ? await this.web.admit(req, res) : {};
    if (!who) return; // answered 401 or 500
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const route = this.find(method, url.pathname);
    if (route === undefined) return send(res, { status: 404, body: '404 page not found\n' });
    if (route === 'method') return send(res, { status: 405, body: 'method not allowed\n' });
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    let body: Buffer;
    try {
      body = await readBody(req, this.maxBodyBytes);
    } catch (e) {
      return send(res, { status: 413, body: `${errorMessage(e)}\n` });
    }
    const params = new URLSearchParams(url.search);
    const ctype = String(req.headers['content-type'] ?? '');
    if (method === 'POST' && ctype.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
    }
    try {
      const out = await route.handler({ method, path: url.pathname, params, headers: req.headers, body, signal: ac.signal, user: who.user });
      send(res, out, method === 'HEAD');
    } catch (e) {
      this.opts.logger.error({ err: e, path: url.pathname }, 'request handler failed');
      send(res, { status: 500, body: `internal error: ${errorMessage(e)}\n` });
    }
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > max) {
        reject(new Error(`request body exceeds ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, out: HttpResponse, headOnly = false): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { ...out.headers };
  if (out.body !== undefined && !headers['content-type']) headers['content-type'] = 'text/plain; charset=utf-8';
  res.writeHead(out.status, headers);
  res.end(headOnly ? undefined : out.body);
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}
