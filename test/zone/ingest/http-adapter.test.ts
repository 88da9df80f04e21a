import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCanopyError } from '../../../shared/errors.ts';
import {
  handlePush,
  handleRemoteWrite,
  readRequestBody,
  writeIngestResponse,
} from '../../../zone/ingest/index.ts';
import { dump, makeOpts, NOW_MS, remoteWriteBody, RW_HEADERS } from './helpers.ts';

test('mounted on node:http: remote_write and push over a real socket; oversized bodies get 413', async (t) => {
  const o = makeOpts();
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readRequestBody(req, 64 * 1024);
        const h = req.url === '/api/v1/write' ? handleRemoteWrite : handlePush;
        writeIngestResponse(res, await h(body, req.headers, o));
      } catch (e) {
        if (isCanopyError(e, 'limit_exceeded')) writeIngestResponse(res, { status: 413, body: e.message });
        else writeIngestResponse(res, { status: 500, body: String(e) });
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const send = (
    path: string,
    body: Buffer,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
        const cs: Buffer[] = [];
        res.on('data', (c: Buffer) => cs.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(cs).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });

  const rw = await send(
    '/api/v1/write',
    remoteWriteBody([{ labels: { __name__: 'up', job: 'j' }, samples: [[NOW_MS, 1]] }]),
    RW_HEADERS,
  );
  assert.equal(rw.status, 204);
  const push = await send(
    '/api/v1/push',
    Buffer.from(JSON.stringify([{ metric: 'temp', value: 3, timestamp: NOW_MS }])),
    {
      'content-type': 'application/json',
    },
  );
  assert.equal(push.status, 204);
  assert.deepEqual(await dump(o.storage), [`__name__=temp ${NOW_MS} 3`, `__name__=up,job=j ${NOW_MS} 1`]);
  const big = await send('/api/v1/push', Buffer.alloc(100 * 1024, 32), {
    'content-type': 'application/json',
  });
  assert.equal(big.status, 413);
});
