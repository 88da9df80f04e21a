import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePushBody } from '../../leaf/json-push.ts';

const enc = (v: unknown): Buffer => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

test('valid items: labels sorted, empty tags dropped, seconds vs milliseconds by magnitude', async () => {
  const r = await parsePushBody(
    enc([
      { metric: 'a_total', tags: { z: '1', b: '2', e: '' }, timestamp: 1700000000.5, value: 3 },
      { metric: 'b', timestamp: 1700000000123, value: -1 },
      { metric: 'c', value: 0 },
    ]),
    42,
  );
  assert.equal(r.rejected, 0);
  assert.deepEqual(r.samples[0]!.labels, [
    { name: '__name__', value: 'a_total' },
    { name: 'b', value: '2' },
    { name: 'z', value: '1' },
  ]);
  assert.equal(r.samples[0]!.tMs, 1700000000500);
  assert.equal(r.samples[1]!.tMs, 1700000000123);
  assert.equal(r.samples[2]!.tMs, 42);
  const one = await parsePushBody(enc({ metric: 'x', value: 1 }), 0);
  assert.equal(one.samples.length, 1, 'a single object is a one-item array');
});

test('bad items are rejected by index and field; the rest are kept', async () => {
  const r = await parsePushBody(
    enc([
      { metric: 'ok', value: 1 },
      { metric: '0bad', value: 1 },
      { metric: 'x', value: '1' },
      { metric: 'x', value: 1, tags: { __name__: 'y' } },
      { metric: 'x', value: 1, tags: { a: 5 } },
      { metric: 'x', value: 1, timestamp: 'now' },
      7,
    ]),
    0,
  );
  assert.equal(r.samples.length, 1);
  assert.equal(r.rejected, 6);
  assert.match(r.errors[0]!, /^item 1: field "metric"/);
  assert.match(r.errors[1]!, /^item 2: field "value"/);
  assert.match(r.errors[2]!, /^item 3: field "tags.__name__"/);
  assert.equal(r.errors.length, 3, 'only the first few are quoted');
  assert.equal((await parsePushBody(enc('{"metric":'), 0)).malformed, true);
  assert.equal((await parsePushBody(enc('"str"'), 0)).malformed, true);
  assert.equal((await parsePushBody(Buffer.alloc(0), 0)).malformed, true);
});

test('fuzz: random bytes and mutated bodies never throw', async () => {
  let seed = 7;
  const rnd = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), seed / 2 ** 32);
  const valid = enc([{ metric: 'm', tags: { a: 'b' }, timestamp: 1, value: 1 }]);
  for (let i = 0; i < 5000; i++) {
    const b = i % 2 ? Buffer.from(valid) : Buffer.alloc(Math.floor(rnd() * 300));
    if (i % 2) for (let k = 0; k < 3; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    else for (let j = 0; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
    const r = await parsePushBody(b, 0);
    assert.ok(r.samples.length + r.rejected <= 1 || r.malformed === false);
  }
});
