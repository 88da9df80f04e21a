// The scrape's HTTP GET, on node:http/https with keep-alive agents: a target's connection is
// reused from one scrape to the next (as Prometheus's scraper does), where fetch's pool drops
// an idle socket after 4 s and reconnected on every 10-15 s scrape. It also keeps fetch's
// WebAssembly HTTP parser and its library out of the leaf (less memory on every host).
// Semantics: Accept-Encoding gzip (decoded here), redirects followed (at most 10, as a client
// would), the whole exchange aborted after timeoutMs, bodies over limitBytes (decoded size;
// 0 = no limit) refused without reading further. Failures throw ScrapeHttpError with a message
// for the target's health ("scrape timed out after …", "cannot scrape <url>: …").
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { gunzipSync } from 'node:zlib';

/** Idle connections are closed after this long (Prometheus: 5 min). */
const IDLE_MS = 300_000;
const MAX_REDIRECTS = 10;
const httpAgent = new HttpAgent({ keepAlive: true, timeout: IDLE_MS, scheduling: 'lifo' });
const httpsAgent = new HttpsAgent({ keepAlive: true, timeout: IDLE_MS, scheduling: 'lifo' });

export interface ScrapeResponse {
  status: number;
  statusText: string;
  contentType: string;
  /** The decoded body; empty unless the status is 2xx. */
  body: string;
}

export class ScrapeHttpError extends Error {}

export interface ScrapeGetOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  limitBytes: number;
}

export async function scrapeGet(url: string, opts: ScrapeGetOptions): Promise<ScrapeResponse> {
  const deadline = Date.now() + opts.timeoutMs;
  let target = url;
  for (let hop = 0; ; hop++) {
    const res = await exchange(target, opts, deadline);
    const loc = res.location;
    if (loc !== undefined && [301, 302, 303, 307, 308].includes(res.status)) {
      if (hop === MAX_REDIRECTS)
        throw new ScrapeHttpError(`cannot scrape ${url}: more than ${MAX_REDIRECTS} redirects`);
      target = new URL(loc, target).href;
      continue;
    }
    return res;
  }
}

function exchange(
  url: string,
  opts: ScrapeGetOptions,
  deadline: number,
): Promise<ScrapeResponse & { location?: string }> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new ScrapeHttpError(`cannot scrape ${url}: invalid URL`));
      return;
    }
    const https = u.protocol === 'https:';
    const req = (https ? httpsRequest : httpRequest)(u, {
      agent: https ? httpsAgent : httpAgent,
      headers: { ...opts.headers, 'accept-encoding': 'gzip' },
    });
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const timer = setTimeout(
      () => fail(new ScrapeHttpError(`scrape timed out after ${opts.timeoutMs} ms`)),
      Math.max(0, deadline - Date.now()),
    );
    req.on('error', (e) => fail(new ScrapeHttpError(`cannot scrape ${url}: ${e.message}`)));
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const head = {
        status,
        statusText: res.statusMessage ?? '',
        contentType: String(res.headers['content-type'] ?? ''),
        location: res.headers.location,
      };
      const ok = status >= 200 && status <= 299;
      const limit = opts.limitBytes;
      const declared = Number(res.headers['content-length'] ?? NaN);
      const gzip = /^\s*gzip\s*$/i.test(String(res.headers['content-encoding'] ?? ''));
      if (ok && limit > 0 && !gzip && declared > limit) {
        fail(new ScrapeHttpError(`body size limit exceeded: ${declared} > ${limit} bytes`)); // destroys the connection
        return;
      }
      if (!ok) {
        // the body is not wanted: drain a small one so the connection can be reused
        if (declared > 65536) res.destroy();
        else res.resume();
        settled = true;
        clearTimeout(timer);
        resolve({ ...head, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (limit > 0 && !gzip && size > limit)
          fail(new ScrapeHttpError(`body size limit exceeded: ${size} > ${limit} bytes`));
        else chunks.push(c);
      });
      res.on('error', (e) => fail(new ScrapeHttpError(`cannot scrape ${url}: ${e.message}`)));
      res.on('end', () => {
        if (settled) return;
        let raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        if (gzip) {
          try {
            raw = gunzipSync(raw, limit > 0 ? { maxOutputLength: limit } : {});
          } catch (e) {
            const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
            return fail(
              new ScrapeHttpError(
                tooBig
                  ? `body size limit exceeded: more than ${limit} bytes`
                  : `cannot scrape ${url}: bad gzip body: ${(e as Error).message}`,
              ),
            );
          }
        }
        settled = true;
        clearTimeout(timer);
        resolve({ ...head, body: raw.toString('utf8') });
      });
    });
    req.end();
  });
}
