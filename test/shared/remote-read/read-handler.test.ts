import { test } from 'node:test';
import assert from 'node:assert/strict';
import snappy from 'snappy';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { withExternalLabels } from '../../../shared/external-labels.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';
import { Matcher } from '../../../shared/matchers.ts';
import { silentLogger } from '../../../shared/log.ts';
import {
  encodeReadRequest,
  readFrames,
  RemoteReadHandler,
  ResponseType,
  selectFromQueryable,
  type RawSelect,
} from '../../../shared/remote-read/index.ts';
import { prometheus as pb } from '../../../proto/prometheus/gen/prometheus.js';
import type { HttpRequest } from '../../../shared/http/index.ts';

async function store(n: number) {
  const s = new MemoryStorage();
  const a = s.appender();
  for (let i = 0; i < n; i++) {
    a.append(labelsFromRecord({ __name__: 'm', job: 'a' }), i * 1000, i);
    a.append(labelsFromRecord({ __name__: 'm', job: 'b' }), i * 1000, -i);
  }
  await a.commit();
  return withExternalLabels(s, { zone: 'z1' });
}

function req(body: Buffer): HttpRequest {
  return {
    method: 'POST',
    path: '/api/v1/read',
    params: new URLSearchParams(),
    headers: {},
    body,
    signal: new AbortController().signal,
  };
}

const M = [new Matcher('=', '__name__', 'm')];

test("remote read: the sample limit is a 400 with Prometheus's text; below it the read succeeds", async () => {
  const sel = selectFromQueryable(await store(100));
  const h = new RemoteReadHandler(sel, silentLogger(), {
    maxSamples: 150,
    maxConcurrent: 2,
    maxBytesInFrame: 1 << 20,
  });
  const over = await h.handle(
    req(encodeReadRequest([{ startMs: 0, endMs: 99_000, matchers: M }], [ResponseType.Samples])),
  );
  assert.equal(over.status, 400);
  assert.equal(over.body, 'exceeded sample limit (150)\n');
  const ok = await h.handle(
    req(encodeReadRequest([{ startMs: 0, endMs: 70_000, matchers: M }], [ResponseType.StreamedXorChunks])),
  );
  assert.equal(ok.status, 200);
  assert.equal(readFrames(ok.body as Uint8Array).length, 2);
});

test('remote read: external labels attached, matched against the external value; small frames split a series', async () => {
  const sel = selectFromQueryable(await store(500));
  const h = new RemoteReadHandler(sel, silentLogger(), {
    maxSamples: 1e6,
    maxConcurrent: 2,
    maxBytesInFrame: 100,
  });
  const r = await h.handle(
    req(
      encodeReadRequest(
        [
          {
            startMs: 0,
            endMs: 1e6,
            matchers: [...M, new Matcher('=', 'job', 'a'), new Matcher('=~', 'zone', 'z.')],
          },
        ],
        [ResponseType.StreamedXorChunks],
      ),
    ),
  );
  const frames = readFrames(r.body as Uint8Array).map((f) => pb.ChunkedReadResponse.decode(f));
  // 500 samples → 5 chunks; each chunk passes 100 bytes, so one chunk per frame.
  assert.equal(frames.length, 5);
  for (const f of frames)
    assert.deepEqual(
      f.chunkedSeries![0]!.labels!.map((l) => `${l.name}=${l.value}`),
      ['__name__=m', 'job=a', 'zone=z1'],
    );
  const none = await h.handle(
    req(
      encodeReadRequest([{ startMs: 0, endMs: 1e6, matchers: [...M, new Matcher('=', 'zone', 'z2')] }], []),
    ),
  );
  const resp = pb.ReadResponse.decode(snappy.uncompressSync(Buffer.from(none.body as Uint8Array)) as Buffer);
  assert.equal(resp.results!.length, 1);
  assert.equal(resp.results![0]!.timeseries!.length, 0);
});

test('remote read: requests beyond maxConcurrent wait for a slot', async () => {
  let running = 0,
    peak = 0;
  const release: (() => void)[] = [];
  const sel: RawSelect = async () => {
    peak = Math.max(peak, ++running);
    await new Promise<void>((r) => release.push(r));
    running--;
    return [];
  };
  const h = new RemoteReadHandler(sel, silentLogger(), {
    maxSamples: 10,
    maxConcurrent: 2,
    maxBytesInFrame: 1 << 20,
  });
  const body = encodeReadRequest([{ startMs: 0, endMs: 1, matchers: M }], []);
  const all = Promise.all([1, 2, 3, 4].map(() => h.handle(req(body))));
  for (let i = 0; i < 4; i++) {
    while (release.length === 0) await new Promise((r) => setTimeout(r, 1));
    assert.ok(running <= 2);
    release.shift()!();
  }
  assert.deepEqual(
    (await all).map((r) => r.status),
    [200, 200, 200, 200],
  );
  assert.equal(peak, 2);
});
