// The TLS side of `--web.config.file`: one TCP listener in front of an HTTPS server.
//
// Each new connection first re-checks the web config (web-guard.ts), so a new certificate,
// key, CA or client_auth_type applies from the next connection on without a restart, as
// upstream's GetConfigForClient does. The first byte tells TLS (a handshake record, 0x16) from
// plain HTTP: plain HTTP gets Go's answer ("400 Bad Request … HTTP request to an HTTPS server")
// and is closed; nothing is served without TLS. After the handshake the client certificate is
// checked against client_auth_type (RequireAndVerifyClientCert is enforced by OpenSSL during the
// handshake itself; the other types after it, closing the connection).
// Canopy serves HTTP/1.1 over TLS whatever `http2` says (clients negotiate it through ALPN).
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../log.ts';
import type { WebGuard } from './web-guard.ts';

const TLS_HANDSHAKE = 0x16;
/** Time a new connection has to send its first byte. */
const FIRST_BYTE_TIMEOUT_MS = 30_000;

export interface TlsListener {
  readonly server: NetServer;
  close(): Promise<void>;
}

/** What the HTTPS server shares with the plain one (shared/http/server.ts). */
export interface TlsServerOptions {
  maxHeaderSize?: number;
  /** 'checkContinue': answers a request sent with Expect: 100-continue. */
  onContinue?: (req: IncomingMessage, res: ServerResponse) => void;
}

export function tlsListener(
  guard: WebGuard,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
  log: Logger,
  opts: TlsServerOptions = {},
): TlsListener {
  const first = guard.tlsConfig();
  if (!first) throw new Error('BUG: tlsListener without a TLS configuration');
  const https = createHttpsServer(
    { ...first.secureContext, ...(opts.maxHeaderSize ? { maxHeaderSize: opts.maxHeaderSize } : {}) },
    onRequest,
  );
  if (opts.onContinue) https.on('checkContinue', opts.onContinue);
  https.keepAliveTimeout = 65_000;
  // node's HTTP server tracks connections and enforces headersTimeout / requestTimeout (slow
  // clients) only once it has emitted 'listening'; this one never listens itself (the front
  // below hands it connections), so start that tracking explicitly.
  https.emit('listening');
  let generation = guard.generation;
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  https.prependListener('secureConnection', (s: TLSSocket) => {
    track(s);
    if (!guard.clientCertAccepted(s)) {
      log.debug(
        { remote: s.remoteAddress, reason: s.authorizationError },
        'TLS connection refused: client certificate',
      );
      s.destroy();
    }
  });
  https.on('tlsClientError', (e, s) => {
    log.debug({ remote: s.remoteAddress, err: e.message }, 'TLS handshake failed');
    s.destroy();
  });

  const handOver = (sock: Socket, firstByte: number): void => {
    if (sock.destroyed) return;
    sock.setTimeout(0);
    if (firstByte !== TLS_HANDSHAKE) {
      sock.end('HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n');
      return;
    }
    const tls = guard.tlsConfig();
    if (!tls) return void sock.destroy(); // the file is invalid right now: no handshake, as upstream
    if (guard.generation !== generation) {
      https.setSecureContext(tls.secureContext);
      generation = guard.generation;
    }
    // fields of tls.Server (not in its typings) that node's TLS connection listener reads for each connection
    const t = tls.clientAuthType;
    const perConnection = https as unknown as { requestCert: boolean; rejectUnauthorized: boolean };
    perConnection.requestCert = t !== 'NoClientCert';
    perConnection.rejectUnauthorized = t === 'RequireAndVerifyClientCert';
    https.emit('connection', sock);
  };

  const server = createNetServer((sock) => {
    track(sock);
    sock.on('error', () => sock.destroy());
    sock.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => sock.destroy());
    sock.once('data', (chunk: Buffer) => {
      sock.pause();
      sock.unshift(chunk);
      void guard.refresh().then(() => handOver(sock, chunk[0]!));
    });
  });

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        https.close(() => undefined); // stops the connection checks; it never listened, so no error matters
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
