import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../shared/memstore.ts';
import { labelsFromRecord } from '../../shared/labels.ts';
import { parseMetricSelector } from '../../shared/promql/index.ts';
import { tenantQueryable } from '../../zone/tenant-view.ts';

async function store(): Promise<MemoryStorage> {
  const s = new MemoryStorage();
  const app = s.appender();
  app.append(labelsFromRecord({ __name__: 'm', owner: 'anon' }), 1000, 1);
  app.append(labelsFromRecord({ __name__: 'm', owner: 'a', __tenant__: 'team-a' }), 1000, 2);
  app.append(labelsFromRecord({ __name__: 'only_b', owner: 'b', __tenant__: 'team-b' }), 1000, 3);
  await app.commit();
  return s;
}

async function select(s: MemoryStorage, tenant: string, sel: string): Promise<string[]> {
  const q = await tenantQueryable(s, tenant).querier(0, 2000);
  const ss = q.select(parseMetricSelector(sel), { startMs: 0, endMs: 2000 });
  const out: string[] = [];
  while (ss.next())
    out.push(
      ss
        .at()
        .labels.map((l) => `${l.name}=${l.value}`)
        .join(','),
    );
  return out;
}

test('a tenant view selects only its series, without the tenant label; a matcher on it is decided against the tenant', async () => {
  const s = await store();
  assert.deepEqual(await select(s, 'team-a', '{__name__=~".+"}'), ['__name__=m,owner=a']);
  assert.deepEqual(await select(s, 'team-b', '{__name__=~".+"}'), ['__name__=only_b,owner=b']);
  assert.deepEqual(await select(s, 'anonymous', '{__name__=~".+"}'), ['__name__=m,owner=anon']);
  assert.deepEqual(await select(s, 'team-a', 'm{__tenant__="team-b"}'), []);
  assert.deepEqual(await select(s, 'team-a', 'm{__tenant__="team-a"}'), ['__name__=m,owner=a']);
  assert.deepEqual(await select(s, 'anonymous', 'm{__tenant__!=""}'), []);
  assert.deepEqual(await select(s, 'team-c', '{__name__=~".+"}'), []);
});

test('label names and values of a tenant view: its own only, never the tenant label', async () => {
  const s = await store();
  const h = { startMs: 0, endMs: 2000 };
  const qa = await tenantQueryable(s, 'team-a').querier(0, 2000);
  assert.deepEqual(qa.labelNames(h).sort(), ['__name__', 'owner']);
  assert.deepEqual(qa.labelValues('__name__', h), ['m']);
  assert.deepEqual(qa.labelValues('owner', h), ['a']);
  assert.deepEqual(qa.labelValues('__tenant__', h), []);
  assert.deepEqual(qa.labelNames({ ...h, limit: 1 }), ['__name__']);
  const qn = await tenantQueryable(s, 'anonymous').querier(0, 2000);
  assert.deepEqual(qn.labelValues('owner', h), ['anon']);
  assert.deepEqual(qn.labelValues('__name__', { ...h, matchers: parseMetricSelector('{owner=~".+"}') }), [
    'm',
  ]);
});
