import { test } from 'node:test';
import assert from 'node:assert/strict';
import snappy from 'snappy';
import { handlePush, handleRemoteWrite } from '../../../zone/ingest/index.ts';
import { makeOpts, NOW_MS, RW_HEADERS, writeRequestBytes } from './helpers.ts';

let seed = 4242;
function rnd(n: number): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed % n;
}
function mutate(src: Uint8Array): Buffer {
  const b = Buffer.from(src);
  const k = 1 + rnd(6);
  for (let i = 0; i < k && b.length > 0; i++) {
    const op = rnd(3);
    if (op === 0) b[rnd(b.length)] = rnd(256);
    else if (op === 1) b[rnd(b.length)]! ^= 1 << rnd(8);
    else return b.subarray(0, rnd(b.length));
  }
  return b;
}

const proto = writeRequestBytes([
  {
    labels: { __name__: 'up', job: 'node' },
    samples: [
      [NOW_MS, 1],
      [NOW_MS - 1000, 2],
    ],
    exemplars: 1,
  },
  { labels: { __name__: 'h' }, histograms: 1 },
  { labels: { __name__: 'temp', room: 'ü' }, samples: [[NOW_MS - 5, 21.5]] },
]);

test('fuzz remote_write: random and mutated bodies always get a 2xx/4xx answer, never a throw or 5xx', async () => {
  const o = makeOpts({ maxSeriesPerZone: 50 });
  const seen = new Set<number>();
  for (let i = 0; i < 600; i++) {
    let body: Buffer;
    const mode = i % 3;
    if (mode === 0) body = Buffer.from(Array.from({ length: rnd(200) }, () => rnd(256)));
    else if (mode === 1)
      body = mutate(snappy.compressSync(Buffer.from(proto))); // snappy layer damaged
    else body = snappy.compressSync(mutate(proto)); // valid snappy, damaged protobuf
    const r = await handleRemoteWrite(body, RW_HEADERS, o);
    assert.ok(
      r.status === 204 || (r.status >= 400 && r.status < 500),
      `status ${r.status} for ${body.toString('hex')}`,
    );
    seen.add(r.status);
  }
  assert.ok(seen.has(400), 'fuzzing should hit malformed bodies');
});

test('fuzz push: random and mutated JSON always get a 2xx/4xx answer, never a throw or 5xx', async () => {
  const o = makeOpts({ maxSeriesPerZone: 50 });
  const good = Buffer.from(
    JSON.stringify([
      { metric: 'a', tags: { k: 'v' }, timestamp: NOW_MS / 1000, value: 1 },
      { metric: 'b', value: 2.5, timestamp: NOW_MS },
    ]),
  );
  const pieces = [
    '[',
    ']',
    '{',
    '}',
    '"metric"',
    ':',
    ',',
    '"tags"',
    '"value"',
    '1e400',
    '-0',
    'null',
    'true',
    '"\\ud800"',
    '{"__proto__":1}',
  ];
  for (let i = 0; i < 600; i++) {
    let body: Buffer;
    if (i % 3 === 0)
      body = Buffer.from(Array.from({ length: rnd(40) }, () => pieces[rnd(pieces.length)]).join(''));
    else if (i % 3 === 1) body = mutate(good);
    else body = Buffer.from(Array.from({ length: rnd(100) }, () => rnd(256)));
    const r = await handlePush(body, {}, o);
    assert.ok(
      r.status === 204 || (r.status >= 400 && r.status < 500),
      `status ${r.status} for ${body.toString()}`,
    );
    if (r.status !== 204) assert.equal(JSON.parse(r.body!).status, 'error');
  }
});
