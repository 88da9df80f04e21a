import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetadataTracker } from '../../leaf/metadata-tracker.ts';
import { batchCreatedMs, Pipeline } from '../../leaf/pipeline.ts';
import type { MetricMetadata } from '../../leaf/scrape/index.ts';

test('metadata goes out when first seen, when it changes and after the resend interval only', () => {
  let now = 0;
  const t = new MetadataTracker(60_000, () => now);
  const m = (help: string): Map<string, MetricMetadata> =>
    new Map([
      ['a', { type: 'counter', help, unit: '' }],
      ['b', { type: 'gauge', help: 'B', unit: '' }],
    ]);
  assert.deepEqual(
    t.due(m('A')).map((e) => e.metric),
    ['a', 'b'],
  );
  now = 10_000;
  assert.deepEqual(t.due(m('A')), []);
  assert.deepEqual(
    t.due(m('A2')).map((e) => [e.metric, e.help]),
    [['a', 'A2']],
  );
  now = 65_000;
  assert.deepEqual(
    t.due(m('A2')).map((e) => e.metric),
    ['b'],
    'b last sent at 0, a at 10 s',
  );
  now = 75_000;
  assert.deepEqual(
    t.due(m('A2')).map((e) => e.metric),
    ['a'],
  );
});

test('pipeline batch ids carry their creation time and are unique across pipelines', () => {
  const got: string[] = [];
  const sink = { append: (id: string) => void got.push(id) };
  const p1 = new Pipeline('leaf-1', {}, sink);
  const p2 = new Pipeline('leaf-1', {}, sink);
  const before = Date.now();
  p1.push([{ labels: [{ name: '__name__', value: 'x' }], tMs: 1, value: 1 }]);
  p2.push([{ labels: [{ name: '__name__', value: 'x' }], tMs: 1, value: 1 }]);
  assert.notEqual(got[0], got[1]);
  for (const id of got) {
    const t = batchCreatedMs(id)!;
    assert.ok(t >= before && t <= Date.now(), id);
  }
  assert.equal(p1.push([]), undefined, 'nothing to send: no batch');
});
