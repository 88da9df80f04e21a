// The remote_write decode pool (zone/ingest/decode-pool.ts): bodies decoded in worker threads
// must get exactly the answers, stored samples and drop counts of the inline decode, for valid,
// damaged and hand-built bodies; a full pool answers 503.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import snappy from 'snappy';
import { DecodePool, handleRemoteWrite, type IngestResponse } from '../../../zone/ingest/index.ts';
import { counterValue, dump, makeOpts, NOW_MS, RW_HEADERS, writeRequestBytes, type TS } from './helpers.ts';

const pool = new DecodePool({ size: 2, inlineBelowBytes: 0, minLoopUtilization: 0 });
after(() => pool.close());

let seed = 777;
function rnd(n: number): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed >>> 8) % n; // the low bits of an LCG cycle quickly
}

function field(tag: number, payload: Uint8Array): Buffer {
  const len: number[] = [];
  let n = payload.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([tag, ...len]), payload]);
}

function labelField(name: Uint8Array, value: Uint8Array): Buffer {
  return field(0x0a, Buffer.concat([field(0x0a, name), field(0x12, value)]));
}

function sampleField(tMs: number, v: number): Buffer {
  const b = Buffer.alloc(9);
  b[0] = 0x09;
  b.writeDoubleLE(v, 1);
  const t: number[] = [];
  let x = tMs;
  while (x >= 0x80) {
    t.push((x % 128) | 0x80);
    x = Math.floor(x / 128);
  }
  t.push(x);
  return field(0x12, Buffer.concat([b, Buffer.from([0x10, ...t])]));
}

/** Series the protobufjs encoder cannot produce: a label after the samples, invalid UTF-8, a non-minimal label key. */
function oddSeries(): Buffer {
  const split = field(0x0a, Buffer.concat([labelField(Buffer.from('__name__'), Buffer.from('split')), sampleField(NOW_MS, 1), labelField(Buffer.from('job'), Buffer.from('x'))]));
  const badUtf8 = field(0x0a, Buffer.concat([labelField(Buffer.from('__name__'), Buffer.from('bad')), labelField(Buffer.from('v'), Buffer.from([0xc3, 0x28])), sampleField(NOW_MS, 2)]));
  // Label field with key 0x8a 0x00 (field 1, wire type 2, as a 2-byte varint).
  const lbl = Buffer.concat([field(0x0a, Buffer.from('__name__')), field(0x12, Buffer.from('longkey'))]);
  const longKey = field(0x0a, Buffer.concat([Buffer.from([0x8a, 0x00, lbl.length]), lbl, sampleField(NOW_MS, 3)]));
  return Buffer.concat([split, badUtf8, longKey]);
}

function randomSeries(): TS[] {
  const out: TS[] = [];
  const n = 1 + rnd(40);
  for (let i = 0; i < n; i++) {
    const labels: [string, string][] = [['__name__', ['up', 'node_cpu_seconds_total', 'bad-name', ''][rnd(4)]!]];
    if (rnd(3) > 0) labels.push(['instance', `10.0.0.${rnd(20)}:9100`]);
    if (rnd(4) === 0) labels.push(['mode', ['idle', 'user', 'ü', ''][rnd(4)]!]);
    if (rnd(10) === 0) labels.push(['instance', 'dup']);
    const samples: [number, number][] = [];
    const k = rnd(5);
    for (let j = 0; j < k; j++) samples.push([NOW_MS - rnd(3) * 15_000 + (rnd(20) === 0 ? 10 * 3_600_000 : 0), rnd(1000) / 7]);
    out.push({ labels, samples, histograms: rnd(8) === 0 ? 1 : 0, exemplars: rnd(8) === 0 ? 1 : 0 });
  }
  return out;
}

function mutate(src: Uint8Array): Buffer {
  const b = Buffer.from(src);
  const k = 1 + rnd(4);
  for (let i = 0; i < k && b.length > 0; i++) {
    const op = rnd(3);
    if (op === 0) b[rnd(b.length)] = rnd(256);
    else if (op === 1) b[rnd(b.length)]! ^= 1 << rnd(8);
    else return b.subarray(0, rnd(b.length));
  }
  return b;
}

function body(): Buffer {
  const mode = rnd(6);
  const proto = Buffer.concat([Buffer.from(writeRequestBytes(randomSeries())), rnd(3) === 0 ? oddSeries() : Buffer.alloc(0)]);
  if (mode === 0) return mutate(snappy.compressSync(proto)); // damaged snappy
  if (mode === 1) return snappy.compressSync(mutate(proto)); // damaged protobuf
  return snappy.compressSync(proto);
}

const PROTO_ERR = 'cannot decode WriteRequest protobuf: ';
const plain = (r: IngestResponse): string => `${r.status} ${r.body ?? ''}`;

test('pool and inline decode give the same answers, samples and drop counts on random bodies', async () => {
  const inline = makeOpts({ maxSeriesPerZone: 20 });
  const pooled = { ...makeOpts({ maxSeriesPerZone: 20 }), decodePool: pool };
  const statuses = new Set<number>();
  let reordered = 0;
  for (let i = 0; i < 400; i++) {
    const b = body();
    const a = await handleRemoteWrite(b, RW_HEADERS, inline);
    const p = await handleRemoteWrite(b, RW_HEADERS, pooled);
    const why = `request ${i}: ${b.toString('hex')}`;
    // A body with a damaged Label and another malformation after it may name either: the
    // workers check Label contents only where the main thread decodes them (as inline, on a
    // label-set cache miss), after the rest of the body was checked.
    if (a.status === 400 && a.body!.startsWith(PROTO_ERR) && p.body !== a.body) {
      assert.equal(p.status, 400, why);
      assert.ok(p.body!.startsWith(PROTO_ERR), why);
      reordered++;
    } else assert.equal(plain(p), plain(a), why);
    statuses.add(a.status);
  }
  // The corpus covers success, partial acceptance / bad bodies and the series limit.
  assert.ok(statuses.has(204) && statuses.has(400) && statuses.has(429), `statuses ${[...statuses].join(',')}`);
  assert.ok(reordered < 10, `${reordered} bodies named another malformation`);
  assert.deepEqual(await dump(pooled.storage), await dump(inline.storage));
  for (const reason of ['invalid_labels', 'unsupported', 'series_limit', 'out_of_bounds', 'too_far_in_future', 'duplicate_labels', 'empty_labels']) {
    const want = await counterValue(inline.registry, 'canopy_zone_samples_dropped_total', { reason });
    assert.equal(await counterValue(pooled.registry, 'canopy_zone_samples_dropped_total', { reason }), want, reason);
  }
  assert.equal(await counterValue(pooled.registry, 'canopy_zone_remote_write_decodes_total', { thread: 'worker' }), 400);
  assert.equal(await counterValue(inline.registry, 'canopy_zone_remote_write_decodes_total', { thread: 'main' }), 400);
  assert.equal(
    await counterValue(pooled.registry, 'canopy_zone_samples_ingested_total', { path: 'remote_write' }),
    await counterValue(inline.registry, 'canopy_zone_samples_ingested_total', { path: 'remote_write' }),
  );
});

test('bad snappy and bad protobuf bodies decoded in a worker get 400 with a plain-text message', async () => {
  const o = { ...makeOpts(), decodePool: pool };
  const badSnappy = await handleRemoteWrite(Buffer.from('not snappy at all'), RW_HEADERS, o);
  assert.equal(badSnappy.status, 400);
  assert.match(badSnappy.body!, /^cannot decode snappy body: /);
  assert.equal(badSnappy.headers!['Content-Type'], 'text/plain; charset=utf-8');
  const raw = Buffer.from(writeRequestBytes([{ labels: { __name__: 'up' }, samples: [[NOW_MS, 1]] }]));
  const badProto = await handleRemoteWrite(snappy.compressSync(raw.subarray(0, raw.length - 3)), RW_HEADERS, o);
  assert.equal(badProto.status, 400);
  assert.match(badProto.body!, /^cannot decode WriteRequest protobuf: .* at byte \d+$/);
  assert.deepEqual(await dump(o.storage), []);
});

test('the label fields after samples, invalid UTF-8 and non-minimal keys resolve as inline', async () => {
  const o = { ...makeOpts(), decodePool: pool };
  const r = await handleRemoteWrite(snappy.compressSync(oddSeries()), RW_HEADERS, o);
  assert.equal(r.status, 400);
  assert.match(r.body!, /not valid UTF-8/);
  assert.deepEqual(await dump(o.storage), [`__name__=longkey ${NOW_MS} 3`, `__name__=split,job=x ${NOW_MS} 1`]);
});

test('a full pool answers 503 (the sender retries) and later bodies are decoded again', async () => {
  const small = new DecodePool({ size: 1, maxPending: 1, inlineBelowBytes: 0, minLoopUtilization: 0 });
  try {
    const o = { ...makeOpts(), decodePool: small };
    const b = snappy.compressSync(Buffer.from(writeRequestBytes([{ labels: { __name__: 'up' }, samples: [[NOW_MS, 1]] }])));
    const [first, second] = await Promise.all([handleRemoteWrite(b, RW_HEADERS, o), handleRemoteWrite(b, RW_HEADERS, o)]);
    assert.equal(first.status, 204, first.body);
    assert.equal(second.status, 503);
    assert.match(second.body!, /bodies already queued/);
    const later = snappy.compressSync(Buffer.from(writeRequestBytes([{ labels: { __name__: 'up' }, samples: [[NOW_MS + 15_000, 1]] }])));
    const third = await handleRemoteWrite(later, RW_HEADERS, o);
    assert.equal(third.status, 204, third.body);
    assert.equal(small.pending(), 0);
  } finally {
    await small.close();
  }
});

test('small bodies, an idle main thread and a closed pool decode inline', async () => {
  const p = new DecodePool({ size: 1, inlineBelowBytes: 1 << 20, minLoopUtilization: 0 });
  assert.equal(p.wantsBody(1000), false);
  assert.equal(p.wantsBody(1 << 20), true);
  await p.close();
  assert.equal(p.wantsBody(1 << 20), false);
  await assert.rejects(p.decode(Buffer.alloc(10)), /the decode pool is closed/);
  const o = { ...makeOpts(), decodePool: p };
  const b = snappy.compressSync(Buffer.from(writeRequestBytes([{ labels: { __name__: 'up' }, samples: [[NOW_MS, 1]] }])));
  assert.equal((await handleRemoteWrite(b, RW_HEADERS, o)).status, 204);

  // By default a body goes to a worker only while the main thread is busy.
  const adaptive = new DecodePool({ size: 1, inlineBelowBytes: 0 });
  try {
    assert.equal(adaptive.wantsBody(1 << 20), false, 'idle: inline');
    const end = performance.now() + 400;
    while (performance.now() < end); // the main thread saturated
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(adaptive.wantsBody(1 << 20), true, 'busy: offload');
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(adaptive.wantsBody(1 << 20), false, 'idle again: inline');
  } finally {
    await adaptive.close();
  }
});
