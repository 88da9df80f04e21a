// Regressions found by the differential test against Prometheus 2.42
// (test/e2e/promql-prometheus.test.ts); each expected value is what Prometheus 2.42 returned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { formatLabels, labelsFromRecord } from '../../../shared/labels.ts';
import { Engine } from '../../../shared/promql/index.ts';

function store(series: [Record<string, string>, number[]][]): MemoryStorage {
  const s = new MemoryStorage();
  for (const [ls, vs] of series) vs.forEach((v, i) => s.add(labelsFromRecord(ls), i * 15_000, v));
  return s;
}

async function instant(s: MemoryStorage, expr: string, tMs: number): Promise<[string, number][]> {
  const r = await new Engine().instantQuery(s, expr, tMs);
  if (r.value.type === 'scalar') return [['scalar', r.value.f]];
  assert.equal(r.value.type, 'vector', `${expr}: vector result`);
  if (r.value.type !== 'vector') return [];
  return r.value.vector.map((x) => [formatLabels(x.labels), x.f]);
}

test('sum/avg_over_time use Kahan summation; an infinite sum stays infinite', async () => {
  const s = store([
    [{ __name__: 'g' }, [0.1, 0.2, 0.3]],
    [{ __name__: 'infs' }, [Infinity, 1, Infinity]],
  ]);
  assert.deepEqual(
    await instant(s, 'sum_over_time(g[1m])', 30_000),
    [['{}', 0.6]],
    'plain summation gives 0.6000000000000001',
  );
  assert.deepEqual(
    await instant(s, 'avg_over_time(g[1m])', 30_000),
    [['{}', 0.19999999999999998]],
    '2.42 compensated mean (the plain incremental mean gives 0.2)',
  );
  assert.deepEqual(
    await instant(s, 'sum_over_time(infs[1m])', 30_000),
    [['{}', Infinity]],
    'Kahan compensation must not turn +Inf into NaN',
  );
  assert.deepEqual(
    await instant(s, 'avg_over_time(infs[1m])', 30_000),
    [['{}', Infinity]],
    'avg of +Inf samples',
  );
});

test('stddev/stdvar_over_time: compensated Welford, an overflowing sum of squares gives NaN', async () => {
  const s = store([[{ __name__: 'huge' }, [1e300, 2e300, 3e300, 4e300]]]);
  const [[, v]] = (await instant(s, 'stdvar_over_time(huge[1m])', 45_000)) as [[string, number]];
  assert.ok(Number.isNaN(v), `stdvar_over_time of huge values is NaN in 2.42, got ${v}`);
  const [[, d]] = (await instant(s, 'stddev_over_time(huge[1m])', 45_000)) as [[string, number]];
  assert.ok(Number.isNaN(d), `stddev_over_time of huge values is NaN in 2.42, got ${d}`);
});

test('scalar on the left of a filtering comparison keeps the vector value', async () => {
  const s = store([
    [{ __name__: 't', room: 'a' }, [-1.9]],
    [{ __name__: 't', room: 'b' }, [3]],
  ]);
  assert.deepEqual(
    await instant(s, '0 > t', 0),
    [['t{room="a"}', -1.9]],
    '0 > t returns the sample value, not 0',
  );
  assert.deepEqual(
    await instant(s, '0 != t', 0),
    [
      ['t{room="a"}', -1.9],
      ['t{room="b"}', 3],
    ],
    '0 != t',
  );
  assert.deepEqual(
    await instant(s, '0 < bool t', 0),
    [
      ['{room="a"}', 0],
      ['{room="b"}', 1],
    ],
    'bool still drops the name',
  );
});

test('atan2 keeps the metric name (2.42 drops it only for + - * / % ^)', async () => {
  const s = store([
    [{ __name__: 'a', l: 'x' }, [1]],
    [{ __name__: 'b', l: 'x' }, [2]],
  ]);
  assert.deepEqual(await instant(s, 'a atan2 b', 0), [['a{l="x"}', Math.atan2(1, 2)]], 'vector atan2 vector');
  assert.deepEqual(await instant(s, 'a atan2 2', 0), [['a{l="x"}', Math.atan2(1, 2)]], 'vector atan2 scalar');
  assert.deepEqual(await instant(s, '1 atan2 b', 0), [['b{l="x"}', Math.atan2(1, 2)]], 'scalar atan2 vector');
});

test('calendar functions: int64 truncation and Go amd64 conversion of NaN/Inf/huge values', async () => {
  const s = store([]);
  const go = {
    year: 292277026596,
    month: 12,
    day_of_month: 4,
    day_of_week: 0,
    day_of_year: 339,
    days_in_month: 31,
    hour: 15,
    minute: 30,
  };
  for (const [f, want] of Object.entries(go)) {
    for (const v of ['1e300', 'Inf', '-Inf', 'NaN'])
      assert.deepEqual(await instant(s, `${f}(vector(${v}))`, 0), [['{}', want]], `${f}(${v})`);
  }
  assert.deepEqual(
    await instant(s, 'day_of_month(vector(-0.5))', 0),
    [['{}', 1]],
    '-0.5 truncates to 0 = 1970-01-01',
  );
  assert.deepEqual(
    await instant(s, 'minute(vector(-1.5))', 0),
    [['{}', 59]],
    '-1.5 truncates to -1 = 23:59:59',
  );
  assert.deepEqual(await instant(s, 'year(vector(1e15))', 0), [['{}', 31690708]], 'beyond the JS Date range');
  assert.deepEqual(
    await instant(s, 'day_of_year(vector(951868800))', 0),
    [['{}', 61]],
    '2000-03-01 in a leap year',
  );
});

test('topk/bottomk: an evictable NaN is replaced by any later sample, even another NaN', async () => {
  const s = store([
    [{ __name__: 'q', i: '0' }, [NaN]],
    [{ __name__: 'q', i: '1' }, [NaN]],
    [{ __name__: 'q', i: '2' }, [NaN]],
  ]);
  assert.deepEqual(
    await instant(s, 'topk(1, q)', 0),
    [['q{i="2"}', NaN]],
    'topk(1) of all-NaN picks the last',
  );
  assert.deepEqual(
    await instant(s, 'bottomk(1, q)', 0),
    [['q{i="2"}', NaN]],
    'bottomk(1) of all-NaN picks the last',
  );
  const t = store([
    [{ __name__: 'u', i: '0' }, [1]],
    [{ __name__: 'u', i: '1' }, [1]],
    [{ __name__: 'u', i: '2' }, [NaN]],
    [{ __name__: 'u', i: '3' }, [1]],
  ]);
  assert.deepEqual(await instant(t, 'topk(1, u)', 0), [['u{i="0"}', 1]], 'ties keep the first');
  assert.deepEqual(
    await instant(t, 'topk(2, u)', 0),
    [
      ['u{i="0"}', 1],
      ['u{i="1"}', 1],
    ],
    'ties keep the first two',
  );
});
