import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Slabs } from '../../../zone/tsdb/slab.ts';

const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

test('Slabs packs small strings back to back and starts a new slab when one is full', () => {
  const s = new Slabs(1024);
  const first = s.put(bytes(40, 1), 40);
  const slab = s.slab;
  const second = s.put(bytes(50, 2), 30); // only len bytes are copied
  assert.equal(first, 0, 'first string at the start');
  assert.equal(second, 40, 'second right after the first');
  assert.equal(s.slab, slab, 'same slab');
  assert.deepEqual([...slab.subarray(38, 42)], [1, 1, 2, 2], 'bytes copied in place');
  assert.equal(slab[70], 0, 'nothing beyond len');
  for (let i = 0; i < 15; i++) s.put(bytes(60, 3), 60); // 70 + 900 = 970 of 1024
  assert.equal(s.slab, slab, 'still the same slab at 970 bytes');
  const o = s.put(bytes(60, 4), 60);
  assert.notEqual(s.slab, slab, 'a string that does not fit goes to a new slab');
  assert.equal(o, 0, 'at its start');
  assert.deepEqual([...slab.subarray(0, 2)], [1, 1], 'the old slab is left as it was');
});

test('Slabs gives a string larger than a sixteenth of a slab a buffer of its own', () => {
  const s = new Slabs(1024);
  s.put(bytes(10, 1), 10);
  const small = s.slab;
  const o = s.put(bytes(100, 7), 65);
  assert.equal(o, 0, 'own buffer starts at 0');
  assert.equal(s.slab.length, 65, 'exactly the string');
  assert.notEqual(s.slab, small, 'not the shared slab');
  assert.equal(s.put(bytes(5, 9), 5), 0, 'the next small string starts a fresh slab');
  assert.notEqual(s.slab, small, 'fresh, not the earlier one');
});
