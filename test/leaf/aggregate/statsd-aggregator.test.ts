import { test } from 'node:test';
import assert from 'node:assert/strict';
import StatsDClient from 'hot-shots';
import { StatsdAggregator } from '../../../leaf/aggregate/statsd-aggregator.ts';
import type { FlushBatch } from '../../../leaf/aggregate/types.ts';
import { parseDatagram, StatsdLine } from '../../../leaf/statsd/datagram.ts';
import { StatsdServer } from '../../../leaf/statsd/server.ts';
import { isStaleNaN } from '../../../leaf/scrape/staleness.ts';
import { formatLabels } from '../../../shared/labels.ts';
import { TDigest } from '../../../shared/sketch/digest.ts';

function setup(opts: { admit?: (l: unknown) => true | 'too_many_series' } = {}) {
  let now = 1_000_000;
  const batches: FlushBatch[] = [];
  const agg = new StatsdAggregator({
    onFlush: (b) => batches.push(b),
    now: () => now,
    expireAfterMs: 60_000,
    ...opts,
  });
  const line = new StatsdLine();
  const send = (p: string): void => void parseDatagram(p, line, agg);
  const floats = (b: FlushBatch): Record<string, number> =>
    Object.fromEntries(b.floats.map((s) => [formatLabels(s.labels), s.value]));
  return { agg, send, batches, floats, advance: (ms: number) => (now += ms), nowMs: () => now };
}

test('counters become running <name>_total with sample rates; gauges keep last with deltas', () => {
  const { agg, send, floats, advance } = setup();
  send('page.views:1|c|#env:prod\npage.views:2|c|#env:prod\npage.views:1|c|@0.5|#env:prod\nreq_total:5|c');
  send('temp:20|g\ntemp:+3|g\ntemp:-1|g\nnew_gauge:-4|g');
  let b = agg.collect();
  assert.deepEqual(floats(b), { 'page_views_total{env="prod"}': 5, req_total: 5, temp: 22, new_gauge: -4 });
  advance(10_000);
  send('page.views:3|c|#env:prod');
  b = agg.collect();
  // running total keeps growing; idle series are re-emitted
  assert.equal(floats(b)['page_views_total{env="prod"}'], 8);
  assert.equal(floats(b)['temp'], 22);
  send('page.views:-3|c|#env:prod');
  assert.equal(agg.droppedByReason().get('negative_counter'), 1);
});

test('idle counters and gauges expire with one staleness marker', () => {
  const { agg, send, advance } = setup();
  send('a:1|c\ng:1|g');
  agg.collect();
  advance(61_000);
  const b = agg.collect();
  assert.equal(b.floats.length, 2);
  assert.ok(b.floats.every((s) => isStaleNaN(s.value)));
  assert.equal(agg.seriesCount(), 0);
  assert.equal(agg.collect().floats.length, 0);
  // a counter that returns restarts at 0 (a reset for rate())
  send('a:2|c');
  assert.equal(agg.collect().floats[0]!.value, 2);
});

test('timers/histograms/distributions → one distribution per flush; timers in seconds; rate weights', () => {
  const { agg, send } = setup();
  const lines: string[] = [];
  for (let i = 1; i <= 1000; i++) lines.push(`api.latency:${i}|ms|#route:/x`);
  send(lines.join('\n'));
  send('size:10|h|@0.25\nsize:20|d');
  const b = agg.collect();
  const byName = Object.fromEntries(b.distributions.map((d) => [formatLabels(d.labels), d.d]));
  const lat = byName['api_latency{route="/x"}']!;
  assert.equal(lat.count, 1000);
  assert.equal(lat.min, 0.001);
  assert.equal(lat.max, 1);
  assert.ok(Math.abs(lat.sum - 500.5) < 1e-9);
  assert.ok(Math.abs(TDigest.fromDistribution(lat).quantile(0.99) - 0.99) < 0.005);
  const size = byName['size']!;
  assert.equal(size.count, 5); // 4 (1/0.25) + 1; h and d share the series
  assert.equal(size.sum, 60);
  // nothing new: no distribution emitted next flush
  assert.equal(agg.collect().distributions.length, 0);
});

test('sets → distinct members per flush: exact when small, HLL beyond the limit', () => {
  const { agg, send } = setup();
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(`users:u${i % 1000}|s`);
  send(lines.join('\n'));
  let b = agg.collect();
  assert.equal(b.floats[0]!.value, 1000);
  lines.length = 0;
  for (let i = 0; i < 50_000; i++) lines.push(`users:v${i % 20_000}|s`);
  send(lines.join('\n'));
  b = agg.collect();
  assert.ok(Math.abs(b.floats[0]!.value - 20_000) / 20_000 < 0.02, String(b.floats[0]!.value));
  send('users:x|s\nusers:x|s');
  b = agg.collect();
  assert.equal(b.floats[0]!.value, 1);
});

test('names that map to the same series share it; admit() rejects new series and counts drops', () => {
  let admitted = 0;
  const { agg, send } = setup({ admit: () => (admitted++ < 2 ? true : 'too_many_series') });
  send('a.b:1|c\na_b:1|c\nc:1|c\nd:1:1:1|c\nd:1|c');
  const b = agg.collect();
  assert.deepEqual(
    b.floats.map((s) => [formatLabels(s.labels), s.value]),
    [
      ['a_b_total', 2],
      ['c_total', 1],
    ],
  );
  assert.equal(agg.droppedByReason().get('too_many_series'), 4);
});

test('end to end: hot-shots client → UDP server → aggregator flush', async () => {
  const batches: FlushBatch[] = [];
  const agg = new StatsdAggregator({ onFlush: (b) => batches.push(b) });
  const server = new StatsdServer({ port: 0, recvBufferSize: 16 << 20 }, agg);
  const port = await server.start();
  const client = new StatsDClient({ host: '127.0.0.1', port, maxBufferSize: 0, mock: false });
  const N = 500;
  for (let i = 0; i < N; i++) {
    client.increment('e2e.hits', 1, { env: 'test' });
    client.timing('e2e.lat', i);
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 5)); // let the receiver drain on a loaded machine
  }
  client.gauge('e2e.temp', 42);
  client.set('e2e.users', 'bob');
  client.distribution('e2e.dist', 3, ['a:b']);
  const deadline = Date.now() + 3000;
  while (server.getStats().lines < 2 * N + 3 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  await new Promise<void>((r) => client.close(() => r()));
  agg.stop();
  await server.stop();
  assert.equal(server.getStats().lines, 2 * N + 3);
  const b = batches[0]!;
  const f = Object.fromEntries(b.floats.map((s) => [formatLabels(s.labels), s.value]));
  assert.equal(f['e2e_hits_total{env="test"}'], N);
  assert.equal(f['e2e_temp'], 42);
  assert.equal(f['e2e_users'], 1);
  const d = Object.fromEntries(b.distributions.map((s) => [formatLabels(s.labels), s.d]));
  assert.equal(d['e2e_lat']!.count, N);
  assert.equal(d['e2e_dist{a="b"}']!.sum, 3);
});
