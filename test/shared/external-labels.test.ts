import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../shared/memstore.ts';
import { withExternalLabels } from '../../shared/external-labels.ts';
import { labelsFromRecord, labelsToRecord } from '../../shared/labels.ts';
import { Matcher } from '../../shared/matchers.ts';

async function store() {
  const s = new MemoryStorage();
  const a = s.appender();
  a.append(labelsFromRecord({ __name__: 'up', job: 'a' }), 1000, 1);
  a.append(labelsFromRecord({ __name__: 'up', job: 'b', zone: 'own' }), 1000, 0);
  await a.commit();
  return withExternalLabels(s, { zone: 'z1', region: 'r1' });
}

function names(q: Awaited<ReturnType<Awaited<ReturnType<typeof store>>['querier']>>, ms: Matcher[]) {
  const ss = q.select(ms, { startMs: 0, endMs: 5000 });
  const out = [];
  while (ss.next()) out.push(labelsToRecord(ss.at().labels));
  return out;
}

test('selected series carry the external labels; a series own label wins', async () => {
  const q = await (await store()).querier(0, 5000);
  assert.deepEqual(names(q, [new Matcher('=', '__name__', 'up')]), [
    { __name__: 'up', job: 'a', region: 'r1', zone: 'z1' },
    { __name__: 'up', job: 'b', region: 'r1', zone: 'own' },
  ]);
});

test('matchers on external labels are decided against the external value', async () => {
  const q = await (await store()).querier(0, 5000);
  assert.equal(names(q, [new Matcher('=', '__name__', 'up'), new Matcher('=', 'region', 'r1')]).length, 2);
  assert.equal(
    names(q, [new Matcher('=', '__name__', 'up'), new Matcher('=~', 'region', 'r2|r3')]).length,
    0,
  );
  assert.equal(names(q, [new Matcher('=', '__name__', 'up'), new Matcher('!=', 'zone', 'z1')]).length, 0);
});

test('label names and values include the external labels', async () => {
  const q = await (await store()).querier(0, 5000);
  assert.deepEqual(q.labelNames({ startMs: 0, endMs: 5000 }), ['__name__', 'job', 'region', 'zone']);
  assert.deepEqual(q.labelValues('region', { startMs: 0, endMs: 5000 }), ['r1']);
  assert.deepEqual(
    q.labelValues('region', { startMs: 0, endMs: 5000, matchers: [new Matcher('=', 'region', 'other')] }),
    [],
  );
});
