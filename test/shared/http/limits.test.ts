// HttpServer's request limits: bodies over a route's cap are answered 413 (from
// Content-Length before reading, as a chunked body passes the cap, and before the body is sent
// for Expect: 100-continue) and the client reads that answer instead of a reset; too many
// parameters are 400, a URL over 1 MiB 431 (Go's limit, which Prometheus has).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { HttpServer, json } from '../../../shared/http/index.ts';
import { silentLogger } from '../../../shared/log.ts';
import { countParams } from '../../../shared/http/limits.ts';

const server = new HttpServer({ logger: silentLogger(), maxBodyBytes: 1 << 20 });
let base = '';
let handled = 0;
server.route(['POST'], '/small', (req) => (handled++, json(200, { bytes: req.body.length })), {
  maxBodyBytes: 1000,
});
server.route(['GET', 'POST'], '/q', (req) => json(200, { params: req.params.size }));
before(async () => {
  base = (await server.listen('127.0.0.1:0')).url;
});
after(() => server.close());

interface Reply {
  status: number;
  body: string;
  ms: number;
}

/** Sends `total` bytes in 64 KiB chunks (chunked when length is false) and reads the answer. */
function post(
  path: string,
  total: number,
  opts: { length?: boolean; expect?: boolean } = {},
): Promise<Reply> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.length !== false) headers['content-length'] = String(total);
    if (opts.expect) headers.expect = '100-continue';
    const req = request(`${base}${path}`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n)))
          return void req.once('drain', pump);
      }
      req.end();
    };
    if (opts.expect) req.on('continue', pump);
    else pump();
    if (opts.expect) req.on('response', () => req.destroy());
  });
}

test('a body under the cap reaches the handler', async () => {
  const r = await post('/small', 1000);
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body), { bytes: 1000 });
});

test('Content-Length over the cap: 413 before reading, even for 100 MB', async () => {
  const before = handled;
  const r = await post('/small', 100 << 20);
  assert.equal(r.status, 413);
  assert.deepEqual(JSON.parse(r.body), {
    status: 'error',
    errorType: 'bad_data',
    error: `request body of ${100 << 20} bytes exceeds the limit of 1000 bytes`,
  });
  assert.equal(handled, before, 'the handler never ran');
});

test('a chunked body is cut as it passes the cap', async () => {
  const r = await post('/small', 5 << 20, { length: false });
  assert.equal(r.status, 413);
  assert.match(JSON.parse(r.body).error, /^request body exceeds the limit of 1000 bytes$/);
  // The server's default cap applies to routes without their own.
  assert.equal((await post('/q', 2 << 20, { length: false })).status, 413);
});

test('Expect: 100-continue over the cap: 413 and no body sent', async () => {
  const r = await post('/small', 1 << 30, { expect: true });
  assert.equal(r.status, 413);
  assert.ok(r.ms < 2000);
});

test('too many parameters are 400; a URL over 1 MiB is 431, a 100 KB one is served', async () => {
  const many = Array.from({ length: 10_001 }, (_, i) => `p${i}=1`).join('&');
  const r = await fetch(`${base}/q`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: many,
  });
  assert.equal(r.status, 400);
  assert.match(
    ((await r.json()) as { error: string }).error,
    /^too many parameters: 10001, the limit is 10000$/,
  );
  assert.equal((await fetch(`${base}/q?x=${'a'.repeat(1_100_000)}`)).status, 431);
  assert.equal((await fetch(`${base}/q?x=${'a'.repeat(100_000)}`)).status, 200);
  assert.equal(
    (await fetch(`${base}/q?${Array.from({ length: 100 }, (_, i) => `p${i}=1`).join('&')}`)).status,
    200,
  );
});

test('a client that goes away mid-body: the handler never runs and the server keeps answering', async () => {
  const before = handled;
  await new Promise<void>((resolve) => {
    const req = request(`${base}/small`, { method: 'POST', headers: { 'content-length': '900' } });
    req.on('error', () => resolve());
    req.write(Buffer.alloc(100));
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 50);
  });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(handled, before);
  // The server still answers.
  assert.equal((await post('/small', 10)).status, 200);
});

test('countParams counts what URLSearchParams holds (non-empty &-separated fields), on strings and bytes', () => {
  let seed = 7;
  const rand = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;
  // (no leading '?': URLSearchParams drops one from a string, the server passes the search without it)
  const alphabet = ['&', '&', '=', 'a', 'b', '%26', '+', ';'];
  for (let k = 0; k < 2000; k++) {
    const s = Array.from(
      { length: Math.floor(rand() * 30) },
      () => alphabet[Math.floor(rand() * alphabet.length)],
    ).join('');
    const want = new URLSearchParams(s).size;
    assert.equal(countParams(s), want, JSON.stringify(s));
    assert.equal(countParams(Buffer.from(s)), want, JSON.stringify(s));
  }
});
