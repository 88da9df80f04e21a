import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handlePush, pushTimestampMs } from '../../../zone/ingest/index.ts';
import { counterValue, dump, makeOpts, NOW_MS } from './helpers.ts';

const post = (o: ReturnType<typeof makeOpts>, body: unknown) =>
  handlePush(
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    { 'content-type': 'application/json' },
    o,
  );

test('timestamps in seconds or milliseconds by magnitude; missing timestamp means now', () => {
  assert.equal(pushTimestampMs(1_700_000_000), 1_700_000_000_000);
  assert.equal(pushTimestampMs(1_700_000_000.1234), 1_700_000_000_123);
  assert.equal(pushTimestampMs(1_700_000_000_000), 1_700_000_000_000);
  assert.equal(pushTimestampMs(99_999_999_999), 99_999_999_999_000);
  assert.equal(pushTimestampMs(100_000_000_000), 100_000_000_000);
});

test('valid items are written; 204', async () => {
  const o = makeOpts();
  const res = await post(o, [
    { metric: 'cpu_load', tags: { host: 'a' }, timestamp: NOW_MS / 1000, value: 0.5 },
    { metric: 'cpu_load', tags: { host: 'b' }, timestamp: NOW_MS - 1000, value: 1 },
    { metric: 'temp', value: 20 },
  ]);
  assert.deepEqual(res, { status: 204 });
  assert.deepEqual(await dump(o.storage), [
    `__name__=cpu_load,host=a ${NOW_MS} 0.5`,
    `__name__=cpu_load,host=b ${NOW_MS - 1000} 1`,
    `__name__=temp ${NOW_MS} 20`,
  ]);
  assert.equal(await counterValue(o.registry, 'canopy_zone_samples_ingested_total', { path: 'push' }), 3);
  assert.equal((await post(o, { metric: 'single', value: 1 })).status, 204);
});

test('bad items get a Prometheus-style JSON 400 naming index and field; good items are still written', async () => {
  const o = makeOpts();
  const res = await post(o, [
    { metric: 'ok', value: 1, timestamp: NOW_MS },
    { metric: 'ok2', value: '1' },
    { metric: 'bad name', value: 1 },
    { metric: 'x', tags: { 'bad-tag': 'v' }, value: 1 },
    { metric: 'x', tags: { n: 5 }, value: 1 },
    { metric: 'x', value: 1, timestamp: NOW_MS / 1000 + 3600 },
    'nope',
  ]);
  assert.equal(res.status, 400);
  assert.equal(res.headers!['Content-Type'], 'application/json');
  const j = JSON.parse(res.body!);
  assert.equal(j.status, 'error');
  assert.equal(j.errorType, 'bad_data');
  assert.match(j.error, /^rejected 6 of 7 samples: /);
  assert.match(j.error, /item 1: field "value": expected a number, got "1"/);
  assert.match(j.error, /item 2: field "metric": invalid metric name "bad name"/);
  assert.match(j.error, /item 3: field "tags": invalid label name "bad-tag"/);
  assert.match(j.error, /item 4: field "tags.n": expected a string/);
  assert.match(j.error, /item 5: field "timestamp": .* in the future/);
  assert.deepEqual(await dump(o.storage), [`__name__=ok ${NOW_MS} 1`]);
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_samples_dropped_total', { reason: 'parse_error' }),
    2,
  );
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_samples_dropped_total', { reason: 'invalid_labels' }),
    3,
  );
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_samples_dropped_total', { reason: 'too_far_in_future' }),
    1,
  );
});

test('unparseable or non-array bodies → 400 bad_data; oversized → 413; limits → 429', async () => {
  const o = makeOpts({ maxSeriesPerMetric: 1 });
  for (const body of ['{', '42', 'null', '"x"']) {
    const r = await post(o, body);
    assert.equal(r.status, 400, body);
    assert.equal(JSON.parse(r.body!).errorType, 'bad_data');
  }
  assert.equal((await handlePush(Buffer.from('[]'), {}, o)).status, 204);
  assert.equal((await handlePush(Buffer.alloc(100, 32), {}, { ...o, maxBodyBytes: 10 })).status, 413);
  const r = await post(o, [
    { metric: 'm', tags: { i: '1' }, value: 1 },
    { metric: 'm', tags: { i: '2' }, value: 1 },
  ]);
  assert.equal(r.status, 429);
  assert.equal(JSON.parse(r.body!).errorType, 'unavailable');
});
