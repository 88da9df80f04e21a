// WebGuard: what a server with `--web.config.file` checks before routing a request, as
// exporter-toolkit's handler does: the configured response headers on every answer, then HTTP
// basic auth against bcrypt hashes (401 with `WWW-Authenticate: Basic` otherwise).
//
// Live changes, as upstream: the file (and the certificate, key and CA it names) is looked at
// again on each request and each new TLS connection; a changed file is parsed again and takes
// effect at once. A file that became invalid makes requests answer 500 and TLS handshakes fail
// (upstream's behaviour) until it is fixed; the error is logged once per change. Whether the
// server speaks TLS at all is decided at start, as upstream decides it in Serve().
//
// bcrypt is slow on purpose (70-900 ms at cost 10 in JavaScript here; run in a worker thread,
// bcrypt-worker.ts), so verified (user, hash, password) triples are cached as upstream does: at most 100 entries, a tenth evicted at random when full. An unknown
// user is checked against a fixed hash so timing does not tell which users exist.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TLSSocket } from 'node:tls';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import { parseWebConfig, type WebConfig, type WebTlsConfig } from './web-config.ts';
import { fileSignature, fileSignatureSync } from './file-signature.ts';
import { BcryptWorker } from './bcrypt-worker.ts';

/** bcrypt of "fakepassword" (upstream's decoy for unknown users). */
const DECOY_HASH = '$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';
const CACHE_SIZE = 100;

export interface Admitted {
  /** The basic-auth user, else the common name of a verified client certificate, else none. */
  readonly user?: string;
}

export class WebGuard {
  private cfg: WebConfig;
  /** Set while the file on disk is invalid; requests answer 500 and handshakes fail meanwhile. */
  private invalid: string | undefined;
  private signature: string;
  private refreshing: Promise<void> | undefined;
  /** Bumped on each successful re-read; the TLS listener swaps its secure context on change. */
  generation = 0;
  private readonly verified = new Map<string, boolean>();
  private readonly bcrypt = new BcryptWorker();
  readonly tls: boolean;

  /** Throws ConfigError (exit code 2 at start) when the file is invalid. */
  constructor(
    readonly file: string,
    private readonly log: Logger,
  ) {
    this.cfg = parseWebConfig(file);
    this.tls = this.cfg.tls !== undefined;
    this.signature = fileSignatureSync(this.cfg.files);
  }

  /** The TLS settings in force, or undefined while the file is invalid. */
  tlsConfig(): WebTlsConfig | undefined {
    return this.invalid === undefined ? this.cfg.tls : undefined;
  }

  /** Re-reads the configuration if the file, certificate, key or CA changed on disk. */
  refresh(): Promise<void> {
    return (this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined)));
  }

  private async doRefresh(): Promise<void> {
    const sig = await fileSignature(this.cfg.files);
    if (sig === this.signature) return;
    this.signature = sig;
    try {
      const next = parseWebConfig(this.file);
      if ((next.tls !== undefined) !== this.tls)
        throw new Error(`TLS cannot be turned ${this.tls ? 'off' : 'on'} without a restart`);
      this.cfg = next;
      this.signature = await fileSignature(next.files);
      this.invalid = undefined;
      this.verified.clear();
      this.generation++;
      this.log.info({ file: this.file }, 'web config file reloaded');
    } catch (e) {
      this.invalid = errorMessage(e);
      this.log.error(
        { file: this.file, err: this.invalid },
        'web config file is invalid; requests answer 500 until it is fixed',
      );
    }
  }

  /**
   * Checks one request. Returns who it is when it may proceed; otherwise has answered it
   * (401 or 500) and returns undefined. The configured headers are set on `res` either way.
   */
  async admit(req: IncomingMessage, res: ServerResponse): Promise<Admitted | undefined> {
    await this.refresh();
    if (this.invalid !== undefined) return plainError(res, 500, 'Internal Server Error');
    const cfg = this.cfg;
    for (const [k, v] of Object.entries(cfg.headers)) res.setHeader(k, v);
    if (cfg.users.size === 0) return { user: certUser(req) };
    const cred = basicAuth(req.headers.authorization);
    if (cred) {
      const hash = cfg.users.get(cred.user);
      const key = `${cred.user}\0${hash ?? DECOY_HASH}\0${cred.pass}`;
      let ok = this.verified.get(key);
      if (ok === undefined) {
        ok = (await this.bcrypt.compare(cred.pass, hash ?? DECOY_HASH)) && hash !== undefined;
        this.remember(key, ok);
      }
      if (ok && cfg === this.cfg) return { user: cred.user };
    }
    res.setHeader('WWW-Authenticate', 'Basic');
    return plainError(res, 401, 'Unauthorized');
  }

  private remember(key: string, ok: boolean): void {
    if (this.verified.size >= CACHE_SIZE) {
      const keys = [...this.verified.keys()];
      for (let i = 0; i <= keys.length / 10; i++)
        this.verified.delete(keys[Math.floor(Math.random() * keys.length)]!);
    }
    this.verified.set(key, ok);
  }

  close(): Promise<void> {
    return this.bcrypt.close();
  }

  /** After the handshake: whether the client's certificate satisfies client_auth_type. */
  clientCertAccepted(sock: TLSSocket): boolean {
    const type = this.cfg.tls?.clientAuthType ?? 'NoClientCert';
    const cert = sock.getPeerCertificate();
    const given = cert !== null && Object.keys(cert).length > 0;
    switch (type) {
      case 'NoClientCert':
      case 'RequestClientCert':
        return true;
      case 'RequireAnyClientCert':
        return given;
      case 'VerifyClientCertIfGiven':
        return !given || sock.authorized;
      case 'RequireAndVerifyClientCert':
        return given && sock.authorized;
    }
  }
}

function plainError(res: ServerResponse, status: number, text: string): undefined {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(`${text}\n`);
  return undefined;
}

/** Go's Request.BasicAuth: "Basic " (any case) + base64 of "user:password". */
function basicAuth(header: string | undefined): { user: string; pass: string } | undefined {
  if (!header || header.length < 6 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const text = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? undefined : { user: text.slice(0, i), pass: text.slice(i + 1) };
}

function certUser(req: IncomingMessage): string | undefined {
  const s = req.socket;
  if (!(s instanceof TLSSocket) || !s.authorized) return undefined;
  const cn = s.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' && cn !== '' ? cn : undefined;
}
