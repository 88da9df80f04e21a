// A small HTTP server over node:http: exact-path and prefix routes, query and form-encoded
// POST parameters merged (as Prometheus does), bounded request bodies, and an AbortSignal
// that fires when the client goes away. Every component (leaf, zone, root) serves through it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CanopyError, errorMessage, isCanopyError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { apiErrorResponse } from './api-error.ts';
import { WebGuard } from './web-guard.ts';
import { tlsListener, type TlsListener } from './web-listener.ts';
import {
  declaredTooLarge,
  DEFAULT_REQUEST_LIMITS,
  discardBody,
  MAX_HEADER_BYTES,
  countParams,
  readBody,
  tooManyParams,
  type RequestLimits,
} from './limits.ts';

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
  maxBodyBytes?: number;
}

export interface RouteOptions {
  /** This route's body cap, bytes (default: the server's). */
  maxBodyBytes?: number;
}

export interface HttpServerOptions {
  logger: Logger;
  /** Body cap for routes without their own (default 8 MiB). */
  maxBodyBytes?: number;
  /** Prometheus's web config file (TLS, basic auth, headers): shared/http/web-config.ts. */
  webConfigFile?: string;
  /** Most query plus form parameters (default 10,000). */
  maxParams?: number;
}

export class HttpServer {
  private readonly routes: Route[] = [];
  private server: Server | undefined;
  private tls: TlsListener | undefined;
  private readonly web: WebGuard | undefined;
  private readonly limits: RequestLimits;

  constructor(private readonly opts: HttpServerOptions) {
    this.limits = {
      maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_REQUEST_LIMITS.maxBodyBytes,
      maxParams: opts.maxParams ?? DEFAULT_REQUEST_LIMITS.maxParams,
    };
    this.web = opts.webConfigFile ? new WebGuard(opts.webConfigFile, opts.logger) : undefined;
  }

  /** Whether a web config file guards this server (then mutating routes may ask for `req.user`). */
  get secured(): boolean {
    return this.web !== undefined;
  }

  /** Exact path, or a prefix when path ends with '/*'. */
  route(methods: readonly string[] | '*', path: string, handler: HttpHandler, opts: RouteOptions = {}): this {
    const prefix = path.endsWith('/*');
    this.routes.push({
      methods,
      path: prefix ? path.slice(0, -1) : path,
      prefix,
      handler,
      maxBodyBytes: opts.maxBodyBytes,
    });
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
    // Expect: 100-continue: a body over the cap is refused before the client sends it.
    const onContinue = (req: IncomingMessage, res: ServerResponse): void =>
      void this.dispatch(req, res, true);
    // Header and URL limit as Go's net/http (Prometheus): 1 MiB, not Node's 16 KiB, so long GET queries work; beyond it Node answers 431.
    this.tls = this.web?.tls
      ? tlsListener(this.web, onRequest, this.opts.logger, { maxHeaderSize: MAX_HEADER_BYTES, onContinue })
      : undefined;
    let server: Server | TlsListener['server'];
    if (this.tls) server = this.tls.server;
    else {
      const plain = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, onRequest);
      plain.on('checkContinue', onContinue);
      plain.keepAliveTimeout = 65_000;
      server = plain;
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) =>
        reject(
          new CanopyError(
            'io',
            `cannot listen on ${hostPort}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`,
            { cause: e },
          ),
        ),
      );
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

  private async dispatch(req: IncomingMessage, res: ServerResponse, expectsContinue = false): Promise<void> {
    const who = this.web ? await this.web.admit(req, res) : {};
    if (!who) return; // answered 401 or 500
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const route = this.find(method, url.pathname);
    if (route === undefined) return refuse(req, res, { status: 404, body: '404 page not found\n' });
    if (route === 'method') return refuse(req, res, { status: 405, body: 'method not allowed\n' });
    const maxBody = route.maxBodyBytes ?? this.limits.maxBodyBytes;
    const declared = declaredTooLarge(req, maxBody);
    if (declared) return refuse(req, res, limitResponse(413, declared));
    if (expectsContinue) res.writeContinue();
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (e) {
      // Over the cap: 413. Otherwise the client went away mid-body: nobody to answer.
      if (isCanopyError(e, 'limit_exceeded')) refuse(req, res, limitResponse(413, e));
      return;
    }
    const ctype = String(req.headers['content-type'] ?? '');
    const form = method === 'POST' && ctype.startsWith('application/x-www-form-urlencoded');
    // counted on the bytes first: 20,000 parameters cost ~100 ms of the loop to build
    const counted = countParams(url.search.slice(1)) + (form ? countParams(body) : 0);
    const tooMany = tooManyParams(counted, this.limits.maxParams);
    if (tooMany) return send(res, limitResponse(400, tooMany));
    const params = new URLSearchParams(url.search);
    if (form) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
    }
    const many = tooManyParams(params.size, this.limits.maxParams);
    if (many) return send(res, limitResponse(400, many));
    try {
      const out = await route.handler({
        method,
        path: url.pathname,
        params,
        headers: req.headers,
        body,
        signal: ac.signal,
        user: who.user,
      });
      send(res, out, method === 'HEAD');
    } catch (e) {
      this.opts.logger.error({ err: e, path: url.pathname }, 'request handler failed');
      send(res, { status: 500, body: `internal error: ${errorMessage(e)}\n` });
    }
  }
}

/** Answers without reading the body: what the client still sends is discarded. */
function refuse(req: IncomingMessage, res: ServerResponse, out: HttpResponse): void {
  if (!req.complete) discardBody(req, res);
  send(res, out);
}

function limitResponse(status: number, e: unknown): HttpResponse {
  return apiErrorResponse(status, 'bad_data', errorMessage(e));
}

function send(res: ServerResponse, out: HttpResponse, headOnly = false): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { ...out.headers };
  if (out.body !== undefined && !headers['content-type'])
    headers['content-type'] = 'text/plain; charset=utf-8';
  res.writeHead(out.status, headers);
  res.end(headOnly ? undefined : out.body);
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}
