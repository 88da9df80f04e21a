import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prometheus } from '../../../proto/prometheus/gen/prometheus.js';
import { hashBytes, LabelSetCache } from '../../../zone/ingest/label-set-cache.ts';
import {
  handleRemoteWrite,
  parseAdmissionLimits,
  Tenants,
  WriteRequestReader,
} from '../../../zone/ingest/index.ts';
import { dump, makeOpts, NOW_MS, remoteWriteBody, RW_HEADERS, writeRequestBytes } from './helpers.ts';

test('re-sent series hit the cache and decode to the same (shared, unmutated) labels', () => {
  const r = new WriteRequestReader(new LabelSetCache(100));
  const bytes = Buffer.from(writeRequestBytes([{ labels: { __name__: 'up', job: 'a' }, samples: [[1, 1]] }]));
  r.decode(bytes);
  const first = r.series[0]!;
  const entry = r.entries[0]!;
  assert.ok(entry);
  r.decode(Buffer.from(bytes)); // a different Buffer with the same bytes
  assert.equal(r.series[0], first);
  assert.equal(r.entries[0], entry);
  assert.deepEqual(first, [
    { name: '__name__', value: 'up' },
    { name: 'job', value: 'a' },
  ]);
  r.decode(Buffer.from(writeRequestBytes([{ labels: { __name__: 'up', job: 'b' }, samples: [[1, 1]] }])));
  assert.notEqual(r.entries[0], entry);
  assert.equal(r.series[0]![1]!.value, 'b');
});

test('a label field after samples is decoded into a private copy, never into the cached set', () => {
  const r = new WriteRequestReader(new LabelSetCache(100));
  const base = { labels: [{ name: '__name__', value: 'up' }], samples: [{ value: 1, timestamp: 1 }] };
  r.decode(Buffer.from(prometheus.WriteRequest.encode({ timeseries: [base] }).finish()));
  const cached = r.series[0]!;
  // Hand-append a label field after the samples of the same series.
  const extra = prometheus.Label.encode({ name: 'late', value: 'x' }).finish();
  const ts = Buffer.concat([
    Buffer.from(prometheus.TimeSeries.encode(base).finish()),
    Buffer.from([0x0a, extra.length]),
    Buffer.from(extra),
  ]);
  r.decode(Buffer.concat([Buffer.from([0x0a, ts.length]), ts]));
  assert.equal(r.entries[0], null);
  assert.deepEqual(r.series[0], [
    { name: '__name__', value: 'up' },
    { name: 'late', value: 'x' },
  ]);
  assert.deepEqual(cached, [{ name: '__name__', value: 'up' }], 'cached labels untouched');
});

test('a full cache drops the entries unused since the last sweep, then the oldest; it stays bounded', () => {
  const c = new LabelSetCache(4);
  const bufs = [0, 1, 2, 3, 4, 5, 6].map((i) => Buffer.from(`labels-${i}`));
  const add = (i: number) =>
    c.add(bufs[i]!, 0, bufs[i]!.length, hashBytes(bufs[i]!, 0, bufs[i]!.length), [], '');
  const get = (i: number) => c.get(bufs[i]!, 0, bufs[i]!.length, hashBytes(bufs[i]!, 0, bufs[i]!.length));
  const e0 = add(0);
  for (const i of [1, 2, 3]) add(i);
  assert.equal(c.size(), 4, 'not full before the 5th');
  add(4); // sweep: all four were used since the (initial) sweep, so the oldest go, down to 2: {2,3}, then 4
  assert.equal(c.size(), 3);
  assert.equal(get(0), undefined, 'oldest dropped');
  assert.equal(get(1), undefined, 'second oldest dropped');
  add(5); // 4 entries, no sweep
  assert.ok(get(3), 'present, and now used again');
  add(6); // sweep: 2 (unused since the last sweep) goes; 3, 4, 5 stay; then 6
  assert.equal(get(2), undefined, 'unused since the last sweep: dropped');
  for (const i of [3, 4, 5, 6]) assert.ok(get(i), `entry ${i} kept`);
  assert.equal(c.size(), 4, 'bounded');
  assert.notEqual(get(0), e0);
});

test('admission results are memoised per Admission: another zone config re-checks the cached set', async () => {
  const body = remoteWriteBody([{ labels: { __name__: 'up', zone: 'sender' }, samples: [[NOW_MS, 1]] }]);
  const a = makeOpts();
  assert.equal((await handleRemoteWrite(body, RW_HEADERS, a)).status, 204);
  const b = makeOpts();
  b.tenants = new Tenants({
    defaults: parseAdmissionLimits({}),
    storage: b.storage,
    zoneLabels: [{ name: 'zone', value: 'eu-1' }],
  });
  assert.equal((await handleRemoteWrite(body, RW_HEADERS, b)).status, 204);
  assert.deepEqual(await dump(a.storage), [`__name__=up,zone=sender ${NOW_MS} 1`]);
  assert.deepEqual(await dump(b.storage), [`__name__=up,zone=eu-1 ${NOW_MS} 1`]);
  const c = makeOpts({ maxLabelsPerSeries: 1 });
  const res = await handleRemoteWrite(body, RW_HEADERS, c);
  assert.equal(res.status, 400);
  // A cached rejection is reported again for the same Admission, with its reason and message.
  const again = await handleRemoteWrite(body, RW_HEADERS, c);
  assert.equal(again.status, 400);
  assert.match(again.body!, /number of labels exceeds the limit \(actual: 2, limit: 1\)/);
});

test('trim (after a head truncation) drops entries unused since the last trim and sizes the bound from the head', () => {
  const c = new LabelSetCache(200_000);
  const bufs = Array.from({ length: 6 }, (_, i) => Buffer.from(`labels-${i}`));
  const add = (i: number) =>
    c.add(bufs[i]!, 0, bufs[i]!.length, hashBytes(bufs[i]!, 0, bufs[i]!.length), [], '');
  const get = (i: number) => c.get(bufs[i]!, 0, bufs[i]!.length, hashBytes(bufs[i]!, 0, bufs[i]!.length));
  for (const i of [0, 1, 2]) add(i);
  c.trim(50_000); // all three were used in this period: kept
  assert.equal(c.size(), 3);
  assert.equal(c.maxEntries, 75_000, '1.5x the live series');
  assert.ok(get(1));
  add(3);
  c.trim(100); // 0 and 2 unused since the last trim: their senders stopped
  assert.equal(get(0), undefined);
  assert.equal(get(2), undefined);
  assert.ok(get(1) && get(3));
  assert.equal(c.maxEntries, 10_000, 'never below the floor');
});
