// The shared JSON push parser: the same items as JSON.parse, element slices cut only at
// top-level commas, errors instead of throws, and the event loop served during a large body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePushItems, pushTimestampMs, readPushItem } from '../../shared/json-push.ts';

const enc = (s: string): Buffer => Buffer.from(s);

function bigBody(bytes: number): { text: string; n: number } {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    // Brackets, commas and escaped quotes inside strings must not cut a slice.
    const s = JSON.stringify({
      metric: 'm',
      tags: { i: String(i), tricky: 'a,]}[{"\\' },
      value: i,
      nested: [[i], { a: [] }],
    });
    parts.push(s);
    size += s.length + 1;
  }
  return { text: `[\n${parts.join(',\n')}\n]`, n: parts.length };
}

test('items equal JSON.parse for small and multi-slice bodies', async () => {
  for (const text of ['[]', ' [ ] ', '[1]', '[{"a":"]"},{"b":"\\"],"}]', bigBody(1 << 20).text]) {
    const r = await parsePushItems(enc(text));
    assert.ok('items' in r, text.slice(0, 50));
    assert.deepEqual(r.items, JSON.parse(text));
  }
  const one = await parsePushItems(enc('{"metric":"x","value":1}'));
  assert.deepEqual(one, { items: [{ metric: 'x', value: 1 }] });
});

test('bad bodies are errors, never throws', async () => {
  for (const text of [
    '',
    '"s"',
    '3',
    '[1,]',
    '[1,,2]',
    '[1',
    '[1] x',
    '{"a":',
    '[{"a":1}',
    bigBody(300_000).text.replace(/\]$/, ',]'),
    bigBody(300_000).text.slice(0, -1),
  ]) {
    const r = await parsePushItems(enc(text));
    assert.ok('error' in r, `accepted ${JSON.stringify(text.slice(-40))}`);
    assert.match(r.error, /^cannot parse (JSON|push) body/);
  }
});

// The parser yields every 10 ms; what remains are GC pauses for the items it keeps (about
// 10-20 ms on an idle machine, far more when the machine is overloaded), so the bound is loose.
test('a 16 MB body is parsed in time slices, the event loop keeps running', async () => {
  const { text, n } = bigBody(16 << 20);
  const body = enc(text);
  let worst = 0;
  let last = performance.now();
  const iv = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  const r = await parsePushItems(body);
  const ms = performance.now() - t0;
  clearInterval(iv);
  assert.ok('items' in r);
  assert.equal(r.items.length, n);
  process.stdout.write(
    `# 16 MB push body: ${n} items in ${ms.toFixed(0)} ms, longest event-loop stall ${worst.toFixed(1)} ms\n`,
  );
  assert.ok(worst < 250, `event loop held for ${worst.toFixed(1)} ms`);
});

test('timestamps: seconds below 1e11, else milliseconds', () => {
  assert.equal(pushTimestampMs(1_700_000_000.1234), 1_700_000_000_123);
  assert.equal(pushTimestampMs(100_000_000_000), 100_000_000_000);
});

test('readPushItem: the shape both tiers accept, errors by field and drop reason', () => {
  assert.deepEqual(readPushItem({ metric: 'm', tags: { b: '1', a: '' }, timestamp: 1.5, value: 2 }), {
    metric: 'm',
    tags: [
      ['b', '1'],
      ['a', ''],
    ],
    timestamp: 1.5,
    value: 2,
  });
  assert.deepEqual(readPushItem({ metric: 'm', tags: null, value: 0 }), {
    metric: 'm',
    tags: [],
    timestamp: undefined,
    value: 0,
  });
  const cases: [unknown, string, string, RegExp][] = [
    [7, '', 'parse_error', /^expected an object$/],
    [{ metric: '', value: 1 }, 'metric', 'parse_error', /^expected a non-empty string, got ""$/],
    [{ metric: 'm', value: '1' }, 'value', 'parse_error', /^expected a number, got "1"$/],
    [{ metric: 'm', value: 1, timestamp: 'now' }, 'timestamp', 'parse_error', /^expected a number/],
    [{ metric: 'm', value: 1, tags: [] }, 'tags', 'parse_error', /^expected an object of string values$/],
    [{ metric: 'm', value: 1, tags: { a: 5 } }, 'tags.a', 'invalid_labels', /^expected a string, got 5$/],
    [{ metric: 'm', value: 1, tags: { __name__: 'x' } }, 'tags.__name__', 'invalid_labels', /^not allowed/],
  ];
  for (const [item, field, reason, msg] of cases) {
    const r = readPushItem(item);
    assert.ok('reason' in r, JSON.stringify(item));
    assert.equal(r.field, field);
    assert.equal(r.reason, reason);
    assert.match(r.message, msg);
  }
});
