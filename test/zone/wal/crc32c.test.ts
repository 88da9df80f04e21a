import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c } from '../../../zone/wal/crc32c.ts';

test('crc32c matches the RFC 3720 / iSCSI check vectors', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
});

test('crc32c continues across splits and honours start/end', () => {
  const b = Buffer.from('The quick brown fox jumps over the lazy dog, twice over the lazy dog');
  const whole = crc32c(b);
  for (let k = 0; k <= b.length; k++) assert.equal(crc32c(b, k, b.length, crc32c(b, 0, k)), whole);
  const padded = Buffer.concat([Buffer.from('xx'), b, Buffer.from('yyy')]);
  assert.equal(crc32c(padded, 2, 2 + b.length), whole);
});

test('crc32c slicing-by-8 agrees with a bitwise reference on random data', () => {
  const ref = (buf: Uint8Array): number => {
    let c = 0xffffffff;
    for (const x of buf) {
      c ^= x;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    }
    return ~c >>> 0;
  };
  let seed = 7;
  for (let len = 0; len < 100; len += 7) {
    const b = new Uint8Array(len);
    for (let i = 0; i < len; i++) b[i] = seed = (seed * 1103515245 + 12345) & 0xff;
    assert.equal(crc32c(b), ref(b), `len ${len}`);
  }
});
