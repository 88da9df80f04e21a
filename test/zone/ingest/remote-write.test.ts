import { test } from 'node:test';
import assert from 'node:assert/strict';
import snappy from 'snappy';
import { CanopyError } from '../../../shared/errors.ts';
import { MemoryStorage } from '../../../shared/memstore.ts';
import type { Storage } from '../../../shared/storage.ts';
import { handleRemoteWrite } from '../../../zone/ingest/index.ts';
import {
  counterValue,
  dump,
  makeOpts,
  NOW_MS,
  remoteWriteBody,
  RW_HEADERS,
  writeRequestBytes,
} from './helpers.ts';

test('a valid request is written and answered 204; ingested counter counts samples', async () => {
  const o = makeOpts();
  const body = remoteWriteBody([
    {
      labels: { __name__: 'up', job: 'node', instance: 'a:9100' },
      samples: [
        [NOW_MS - 30_000, 1],
        [NOW_MS - 15_000, 0],
      ],
    },
    {
      labels: [
        ['job', 'x'],
        ['__name__', 'unsorted'],
      ],
      samples: [[NOW_MS, 2.5]],
      exemplars: 1,
    },
  ]);
  const res = await handleRemoteWrite(body, RW_HEADERS, o);
  assert.deepEqual(res, { status: 204 });
  assert.deepEqual(await dump(o.storage), [
    `__name__=unsorted,job=x ${NOW_MS} 2.5`,
    `__name__=up,instance=a:9100,job=node ${NOW_MS - 30_000} 1`,
    `__name__=up,instance=a:9100,job=node ${NOW_MS - 15_000} 0`,
  ]);
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_samples_ingested_total', { path: 'remote_write' }),
    3,
  );
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_ingest_requests_total', {
      path: 'remote_write',
      code: '204',
    }),
    1,
  );
});

test('malformed bodies get 400 with a plain-text message', async () => {
  const o = makeOpts();
  const badSnappy = await handleRemoteWrite(Buffer.from('not snappy at all'), RW_HEADERS, o);
  assert.equal(badSnappy.status, 400);
  assert.match(badSnappy.body!, /cannot decode snappy/);
  assert.equal(badSnappy.headers!['Content-Type'], 'text/plain; charset=utf-8');
  const raw = Buffer.from(writeRequestBytes([{ labels: { __name__: 'up' }, samples: [[NOW_MS, 1]] }]));
  const badProto = await handleRemoteWrite(
    snappy.compressSync(raw.subarray(0, raw.length - 3)),
    RW_HEADERS,
    o,
  );
  assert.equal(badProto.status, 400);
  assert.match(badProto.body!, /cannot decode WriteRequest protobuf/);
  assert.equal((await handleRemoteWrite(Buffer.alloc(0), RW_HEADERS, o)).status, 400);
});

test('unsupported content type / encoding → 415; oversized bodies → 413', async () => {
  const o = makeOpts();
  const body = remoteWriteBody([{ labels: { __name__: 'up' }, samples: [[NOW_MS, 1]] }]);
  const v2 = await handleRemoteWrite(
    body,
    { ...RW_HEADERS, 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' },
    o,
  );
  assert.equal(v2.status, 415);
  assert.equal(
    (await handleRemoteWrite(body, { ...RW_HEADERS, 'content-type': 'application/json' }, o)).status,
    415,
  );
  assert.equal((await handleRemoteWrite(body, { ...RW_HEADERS, 'content-encoding': 'gzip' }, o)).status, 415);
  assert.equal(
    (
      await handleRemoteWrite(
        body,
        { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'zstd' },
        o,
      )
    ).status,
    415,
  );
  assert.equal(
    (
      await handleRemoteWrite(
        body,
        { ...RW_HEADERS, 'content-type': 'application/x-protobuf; proto=prometheus.WriteRequest' },
        o,
      )
    ).status,
    204,
  );
  const big = remoteWriteBody([
    { labels: { __name__: 'up', pad: 'x'.repeat(2000) }, samples: [[NOW_MS, 1]] },
  ]);
  const r = await handleRemoteWrite(big, RW_HEADERS, { ...o, maxBodyBytes: 1000 });
  assert.equal(r.status, 413);
});

test('partial acceptance: good samples are written, bad ones counted by reason, 400 names the first errors', async () => {
  const o = makeOpts();
  const body = remoteWriteBody([
    {
      labels: { __name__: 'good' },
      samples: [
        [NOW_MS, 1],
        [NOW_MS + 3_600_000, 2],
      ],
    },
    { labels: { __name__: 'bad-name' }, samples: [[NOW_MS, 1]] },
    {
      labels: { job: 'no_name' },
      samples: [
        [NOW_MS, 1],
        [NOW_MS + 1, 1],
      ],
    },
    {
      labels: [
        ['__name__', 'dup'],
        ['a', '1'],
        ['a', '2'],
      ],
      samples: [[NOW_MS, 1]],
    },
    { labels: { __name__: 'ok', '0bad': 'x' }, samples: [[NOW_MS, 1]] },
    { labels: { __name__: 'hist' }, histograms: 2 },
    { labels: [], samples: [[NOW_MS, 1]] },
  ]);
  const res = await handleRemoteWrite(body, RW_HEADERS, o);
  assert.equal(res.status, 400);
  assert.match(res.body!, /^rejected 9 of 10 samples: /);
  assert.match(res.body!, /too far in the future|in the future/);
  assert.match(res.body!, /invalid metric name "bad-name"/);
  assert.deepEqual(await dump(o.storage), [`__name__=good ${NOW_MS} 1`]);
  const dropped = (reason: string): Promise<number> =>
    counterValue(o.registry, 'canopy_zone_samples_dropped_total', { reason });
  assert.equal(await dropped('too_far_in_future'), 1);
  assert.equal(await dropped('invalid_labels'), 4);
  assert.equal(await dropped('duplicate_labels'), 1);
  assert.equal(await dropped('unsupported'), 2);
  assert.equal(await dropped('empty_labels'), 1);
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_samples_ingested_total', { path: 'remote_write' }),
    1,
  );
});

test('storage rejections (out of order) are counted with the same counter and answered 400', async () => {
  const o = makeOpts();
  const body = remoteWriteBody([{ labels: { __name__: 'up' }, samples: [[NOW_MS, 1]] }]);
  assert.equal((await handleRemoteWrite(body, RW_HEADERS, o)).status, 204);
  const again = await handleRemoteWrite(body, RW_HEADERS, o);
  assert.equal(again.status, 400);
  assert.match(again.body!, /out_of_order/);
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_samples_dropped_total', { reason: 'out_of_order' }),
    1,
  );
});

test('series limits: per-metric and per-zone limits reject new series with 429; known series still accepted', async () => {
  const o = makeOpts({ maxSeriesPerMetric: 2, maxSeriesPerZone: 3 });
  const s = (
    name: string,
    i: number,
    t = NOW_MS,
  ): { labels: Record<string, string>; samples: [number, number][] } => ({
    labels: { __name__: name, i: String(i) },
    samples: [[t, i]],
  });
  const r1 = await handleRemoteWrite(remoteWriteBody([s('a', 1), s('a', 2), s('a', 3)]), RW_HEADERS, o);
  assert.equal(r1.status, 429);
  assert.match(r1.body!, /per-metric series limit 2 reached for a/);
  const r2 = await handleRemoteWrite(remoteWriteBody([s('b', 1), s('c', 1)]), RW_HEADERS, o);
  assert.equal(r2.status, 429);
  assert.match(r2.body!, /zone series limit 3/);
  assert.equal(o.storage.seriesCount(), 3);
  const r3 = await handleRemoteWrite(
    remoteWriteBody([s('a', 1, NOW_MS + 1), s('b', 1, NOW_MS + 1)]),
    RW_HEADERS,
    o,
  );
  assert.equal(r3.status, 204);
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_samples_dropped_total', { reason: 'metric_series_limit' }),
    1,
  );
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_samples_dropped_total', { reason: 'series_limit' }),
    1,
  );
});

test('a storage commit failure maps to 503 (unavailable) or 500, and nothing is counted as ingested', async () => {
  const mem = new MemoryStorage();
  const failing = (err: Error): Storage => ({
    ...mem,
    seriesCount: () => 0,
    querier: (a, b) => mem.querier(a, b),
    close: async () => {},
    appender: () => ({
      append() {},
      appendDistribution() {},
      commit: async () => {
        throw err;
      },
      rollback() {},
    }),
  });
  const body = remoteWriteBody([{ labels: { __name__: 'up' }, samples: [[NOW_MS, 1]] }]);
  const o = makeOpts({}, failing(new CanopyError('unavailable', 'WAL fsync failed')));
  const r = await handleRemoteWrite(body, RW_HEADERS, o);
  assert.equal(r.status, 503);
  assert.match(r.body!, /WAL fsync failed/);
  const o2 = makeOpts({}, failing(new Error('boom')));
  assert.equal((await handleRemoteWrite(body, RW_HEADERS, o2)).status, 500);
  assert.equal(
    await counterValue(o.registry, 'canopy_zone_samples_ingested_total', { path: 'remote_write' }),
    0,
  );
});

test('buffer_full from storage answers 503 so the sender retries', async () => {
  const mem = new MemoryStorage();
  const st: Storage = {
    seriesCount: () => 0,
    querier: (a, b) => mem.querier(a, b),
    close: async () => {},
    appender: () => ({
      append() {},
      appendDistribution() {},
      commit: async () => ({ accepted: 0, rejected: { buffer_full: 1 }, errors: ['head is full'] }),
      rollback() {},
    }),
  };
  const o = makeOpts({}, st);
  const r = await handleRemoteWrite(
    remoteWriteBody([{ labels: { __name__: 'up' }, samples: [[NOW_MS, 1]] }]),
    RW_HEADERS,
    o,
  );
  assert.equal(r.status, 503);
  assert.match(r.body!, /head is full/);
});
