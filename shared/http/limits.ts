// Request limits applied by HttpServer before a handler runs: body size (answered 413 from
// Content-Length before reading, or as soon as a chunked body passes the cap, and without a
// body transfer at all for `Expect: 100-continue`), and the number of query/form parameters
// (400). Headers and URL are limited to MAX_HEADER_BYTES (Node answers 431 beyond).
// The rest of a refused body is read and discarded (up to DISCARD_MAX_BYTES) so the client
// sees the 413 instead of a connection reset.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CanopyError } from '../errors.ts';

export interface RequestLimits {
  /** Largest request body, bytes (a route may set its own). */
  maxBodyBytes: number;
  /** Most URL query plus form parameters. */
  maxParams: number;
}

export const DEFAULT_REQUEST_LIMITS: Readonly<RequestLimits> = {
  maxBodyBytes: 8 * 1024 * 1024,
  maxParams: 10_000,
};

/** Request line plus headers, as Go's http.DefaultMaxHeaderBytes (what Prometheus accepts). */
export const MAX_HEADER_BYTES = 1 << 20;

/** After a 413, at most this much of the refused body is drained before the socket is closed. */
const DISCARD_MAX_BYTES = 256 * 1024 * 1024;

export function bodyTooLarge(sizeBytes: number | undefined, maxBytes: number): CanopyError {
  const what = sizeBytes === undefined ? 'request body' : `request body of ${sizeBytes} bytes`;
  return new CanopyError('limit_exceeded', `${what} exceeds the limit of ${maxBytes} bytes`, {
    fields: { sizeBytes, maxBytes },
  });
}

/** The Content-Length when it is over max (checked before reading anything), else undefined. */
export function declaredTooLarge(req: IncomingMessage, maxBytes: number): CanopyError | undefined {
  const declared = Number(req.headers['content-length'] ?? NaN);
  return declared > maxBytes ? bodyTooLarge(declared, maxBytes) : undefined;
}

/** Reads the body; rejects with bodyTooLarge as soon as more than maxBytes arrived (then stops buffering). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const onData = (c: Buffer): void => {
      n += c.length;
      if (n > maxBytes) {
        req.off('data', onData);
        req.off('end', onEnd);
        chunks.length = 0;
        reject(bodyTooLarge(undefined, maxBytes));
        return;
      }
      chunks.push(c);
    };
    const onEnd = (): void => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, n));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
    // A client gone mid-body: nothing more will arrive (a no-op once resolved).
    req.on('close', () => {
      if (!req.complete)
        reject(new CanopyError('canceled', 'client closed the connection before sending the whole body'));
    });
  });
}

/**
 * Drains and drops what is left of a refused request body. The connection stays open until
 * the body has arrived (closing it earlier makes clients fail with EPIPE/ECONNRESET before
 * they read the 413); past DISCARD_MAX_BYTES it is destroyed.
 */
export function discardBody(req: IncomingMessage, _res: ServerResponse): void {
  let n = 0;
  req.on('data', (c: Buffer) => {
    n += c.length;
    if (n > DISCARD_MAX_BYTES) req.socket.destroy();
  });
  req.resume();
}

/**
 * The parameters a query string or form body holds (its non-empty `&`-separated fields), counted
 * on the bytes so a request over the limit is refused before URLSearchParams builds them.
 */
export function countParams(s: string | Buffer): number {
  const AMP = 0x26;
  let n = 0;
  let len = 0;
  for (let i = 0; i < s.length; i++) {
    const c = typeof s === 'string' ? s.charCodeAt(i) : s[i]!;
    if (c === AMP) {
      if (len > 0) n++;
      len = 0;
    } else len++;
  }
  return len > 0 ? n + 1 : n;
}

export function tooManyParams(count: number, max: number): CanopyError | undefined {
  if (count <= max) return undefined;
  return new CanopyError('bad_data', `too many parameters: ${count}, the limit is ${max}`, {
    fields: { count, max },
  });
}
