import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../shared/memstore.ts';
import { withExternalLabels } from '../../shared/external-labels.ts';
import { labelsFromRecord } from '../../shared/labels.ts';
import { STALE_NAN } from '../../shared/promql/index.ts';
import { federateHandler } from '../../shared/federate.ts';
import { selectFromQueryable } from '../../shared/remote-read/index.ts';
import type { HttpRequest } from '../../shared/http/index.ts';

const NOW = 1_000_000_000;

function req(qs: string): HttpRequest {
  return {
    method: 'GET',
    path: '/federate',
    params: new URLSearchParams(qs),
    headers: {},
    body: Buffer.alloc(0),
    signal: new AbortController().signal,
  };
}

test('federate: latest sample in the lookback, stale and too-old series left out, labels escaped, external labels after own', async () => {
  const s = new MemoryStorage();
  const a = s.appender();
  const add = (r: Record<string, string>, t: number, v: number): void => a.append(labelsFromRecord(r), t, v);
  add({ __name__: 'b_metric', job: 'x', instance: 'h:1' }, NOW - 20_000, 1);
  add({ __name__: 'b_metric', job: 'x', instance: 'h:1' }, NOW - 10_000, 2.5e6);
  add({ __name__: 'a_metric', msg: 'say "hi"\\\n' }, NOW - 1000, -0.00001);
  add({ __name__: 'a_metric', msg: 'stale' }, NOW - 2000, 1);
  add({ __name__: 'a_metric', msg: 'stale' }, NOW - 1000, STALE_NAN);
  add({ __name__: 'a_metric', msg: 'old' }, NOW - 301_000, 1);
  add({ __name__: 'a_metric', msg: 'own-zone', zone: 'mine' }, NOW - 1000, Infinity);
  await a.commit();
  const h = federateHandler(selectFromQueryable(withExternalLabels(s, { zone: 'z1', region: 'eu' })), {
    externalLabels: { zone: 'z1', region: 'eu' },
    maxSamples: 100,
    now: () => NOW,
  });
  const r = await h(req('match[]=a_metric&match[]={job="x"}&match[]=b_metric'));
  assert.equal(r.status, 200);
  assert.equal(r.headers!['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(
    r.body,
    [
      '# TYPE a_metric untyped',
      'a_metric{msg="own-zone",zone="mine",instance="",region="eu"} +Inf 999999000',
      'a_metric{msg="say \\"hi\\"\\\\\\n",instance="",region="eu",zone="z1"} -1e-05 999999000',
      '# TYPE b_metric untyped',
      'b_metric{instance="h:1",job="x",region="eu",zone="z1"} 2.5e+06 999990000',
      '',
    ].join('\n'),
  );
  const limited = await federateHandler(selectFromQueryable(s), {
    externalLabels: {},
    maxSamples: 2,
    now: () => NOW,
  })(req('match[]={job="x"}&match[]=a_metric'));
  assert.equal(limited.status, 400);
  assert.equal(limited.body, 'exceeded sample limit (2)\n');
});
