import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteSink, ByteSource } from '../../../zone/wal/byte-sink.ts';
import { crc32c } from '../../../zone/wal/crc32c.ts';
import {
  encodeSamples,
  encodeSeries,
  RecordDecoder,
  RecordScanner,
  ScanStatus,
} from '../../../zone/wal/record.ts';

test('series record has the documented fixed bytes', () => {
  const sink = new ByteSink(16);
  const n = encodeSeries(sink, 300, [{ name: '__name__', value: 'up' }]);
  const payload = Buffer.from([
    0xac,
    0x02,
    0x01,
    0x08,
    ...Buffer.from('__name__'),
    0x02,
    ...Buffer.from('up'),
  ]);
  const head = Buffer.from([0x11, payload.length, 0, 0, 0]);
  const crc = crc32c(payload, 0, payload.length, crc32c(head));
  const want = Buffer.concat([
    head,
    Buffer.from([crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24]),
    payload,
  ]);
  assert.equal(n, want.length);
  assert.deepEqual(sink.buf.subarray(0, sink.len), want);
});

test('samples record: zigzag deltas from the first ref and timestamp, raw float64 LE values', () => {
  const sink = new ByteSink(16);
  encodeSamples(sink, Uint32Array.of(5, 3), Float64Array.of(1000, 1001), Float64Array.of(1, -2), 0, 2);
  const payload = sink.buf.subarray(9, sink.len);
  const f = (v: number): number[] => [...new Uint8Array(Float64Array.of(v).buffer)];
  // n=2, baseRef=5, baseT=zigzag(1000)=2000 → 0xd0 0x0f; then (0,0,1.0), (zz(-2)=3, zz(1)=2, -2.0)
  assert.deepEqual([...payload], [2, 5, 0xd0, 0x0f, 0, 0, ...f(1), 3, 2, ...f(-2)]);
  const dec = new RecordDecoder();
  const sc = new RecordScanner(sink.buf, sink.len);
  assert.equal(sc.next(), ScanStatus.Record);
  assert.equal(dec.samples(sink.buf, sc.payloadStart, sc.payloadEnd), 2);
  assert.deepEqual([dec.refs[1], dec.tsMs[1], dec.values[1]], [3, 1001, -2]);
  assert.equal(sc.next(), ScanStatus.End);
});

test('varints round-trip up to 2^53-1 and zigzag negatives', () => {
  const sink = new ByteSink(8);
  const vals = [0, 1, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
  for (const v of vals) sink.uvarint(v);
  const zs = [0, -1, 1, -(2 ** 40), 1_700_000_000_000, -1_700_000_000_000];
  for (const v of zs) sink.zvarint(v);
  const src = new ByteSource(sink.buf, 0, sink.len);
  for (const v of vals) assert.equal(src.uvarint(), v);
  for (const v of zs) assert.equal(src.zvarint(), v);
  assert.equal(src.pos, sink.len);
  assert.throws(() => src.uvarint(), { code: 'corrupt' });
});

test('encoding a non-integer timestamp or a ref outside uint32 is a bug, and leaves the sink unchanged', () => {
  const sink = new ByteSink(16);
  assert.throws(
    () => encodeSamples(sink, Uint32Array.of(1), Float64Array.of(1.5), Float64Array.of(1), 0, 1),
    /BUG/,
  );
  assert.equal(sink.len, 0);
  assert.throws(() => encodeSeries(sink, -1, []), /BUG/);
});
