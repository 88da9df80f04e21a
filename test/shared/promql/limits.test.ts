// Query limits checked before allocating (issue 13): subquery grids against the sample and
// memory budgets, the per-query memory budget and series limit during evaluation, the
// concurrency gate's queue, per-query timeouts and the parser's nesting limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';
import { isCanopyError, type ErrorCode } from '../../../shared/errors.ts';
import { Engine, parseExpr } from '../../../shared/promql/index.ts';
import { QueryGate } from '../../../shared/promql/gate.ts';

function storage(series: number): MemoryStorage {
  const s = new MemoryStorage();
  for (let i = 0; i < series; i++) {
    const ls = labelsFromRecord({ __name__: 'm', i: String(i) });
    for (let t = 0; t <= 3600; t += 15) s.add(ls, t * 1000, i);
  }
  return s;
}

const rejectsWith = (code: ErrorCode, msg: RegExp) => (e: unknown) => {
  assert.ok(isCanopyError(e, code), `expected ${code}, got ${String(e)}`);
  assert.match((e as Error).message, msg);
  return true;
};

test('subquery bombs are refused before anything is allocated, with Prometheus error text', async () => {
  const eng = new Engine();
  const s = storage(1);
  for (const q of [
    'quantile_over_time(0.5, vector(1)[30d:1ms])',
    'count_over_time(vector(1)[1y:1ms])',
    'max_over_time(m[30d:1ms])',
    'sum_over_time(count_over_time(m[1h:1s])[10y:1ms])',
  ]) {
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    await assert.rejects(
      eng.instantQuery(s, q, 3600_000),
      rejectsWith(
        'too_many_samples',
        /^query processing would load too many samples into memory in query execution$/,
      ),
    );
    assert.ok(performance.now() - t0 < 200, `${q}: refused in ${performance.now() - t0} ms`);
    assert.ok(
      process.memoryUsage().rss - rss0 < 50e6,
      `${q}: RSS grew by ${process.memoryUsage().rss - rss0}`,
    );
  }
  // Within the sample budget but over the memory budget: 43.2M steps.
  const noSubLimit = new Engine({ maxSubquerySteps: 0 });
  await assert.rejects(
    noSubLimit.instantQuery(s, 'count_over_time(vector(1)[1d:2ms])', 0),
    rejectsWith('limit_exceeded', /too much memory.*512 MiB \(--query.max-memory\)/),
  );
  // Within both, but one subquery series would hold the event loop for long.
  await assert.rejects(
    eng.instantQuery(s, 'count_over_time(vector(1)[1d:100ms])', 0),
    rejectsWith('bad_data', /^exceeded maximum resolution of 300,000 points per timeseries in a subquery/),
  );
  assert.equal((await eng.instantQuery(s, 'count_over_time(vector(1)[30d:10s])', 0)).value.type, 'vector');
  // A range query's steps are limited before parsing (Prometheus's 11,000 points).
  await assert.rejects(
    eng.rangeQuery(s, 'm', 0, 86_400_000, 1000),
    rejectsWith('bad_data', /^exceeded maximum resolution of 11,000 points per timeseries/),
  );
});

test('the memory budget is checked before a selector allocates its step arrays', async () => {
  const s = storage(200);
  // 200 series x 241 steps x 9 B = 434 KB.
  await assert.rejects(
    new Engine({ maxMemoryBytes: 400_000 }).rangeQuery(s, 'm', 0, 3600_000, 15_000),
    rejectsWith('limit_exceeded', /too much memory/),
  );
  const ok = await new Engine({ maxMemoryBytes: 500_000 }).rangeQuery(s, 'm', 0, 3600_000, 15_000);
  assert.equal(ok.value.type === 'matrix' && ok.value.matrix.length, 200);
  // A node's inputs are released when it finishes: sum over them needs only one step series more.
  const sum = await new Engine({ maxMemoryBytes: 500_000 }).rangeQuery(
    s,
    'sum(m) + sum(m)',
    0,
    3600_000,
    15_000,
  );
  assert.equal(sum.value.type === 'matrix' && sum.value.matrix.length, 1);
  // count_values makes one series per distinct value: reserved as each appears (241 x 241 steps x 9 B).
  await assert.rejects(
    new Engine({ maxMemoryBytes: 400_000 }).rangeQuery(
      s,
      'count_values("v", vector(time()))',
      0,
      3600_000,
      15_000,
    ),
    rejectsWith('limit_exceeded', /too much memory/),
  );
});

test('max series counts every selector of a query and the result', async () => {
  const s = storage(50);
  const eng = new Engine({ maxSeries: 60 });
  assert.equal((await eng.instantQuery(s, 'm', 100_000)).value.type, 'vector');
  await assert.rejects(
    eng.instantQuery(s, 'm + m', 100_000),
    rejectsWith('too_many_series', /^query would select more than 60 series \(--query.max-series\)$/),
  );
  await assert.rejects(
    new Engine({ maxSeries: 49 }).instantQuery(s, 'm', 100_000),
    rejectsWith('too_many_series', /^query would select more than 49 series/),
  );
  // One series per distinct value of time(): 241 result series from none selected.
  await assert.rejects(
    new Engine({ maxSeries: 100 }).rangeQuery(s, 'count_values("v", vector(time()))', 0, 3600_000, 15_000),
    rejectsWith('too_many_series', /^query would return more than 100 series/),
  );
});

test('the gate queues queries beyond max concurrency; a queued query times out in the queue', async () => {
  const gate = new QueryGate(2);
  const r1 = await gate.enter(Date.now() + 1000, undefined);
  const r2 = await gate.enter(Date.now() + 1000, undefined);
  assert.equal(gate.inFlight, 2);
  let third = false;
  const p3 = gate.enter(Date.now() + 1000, undefined).then((r) => ((third = true), r));
  await assert.rejects(
    gate.enter(Date.now() + 20, undefined),
    rejectsWith('timeout', /^query timed out in query queue$/),
  );
  const ac = new AbortController();
  const p5 = gate.enter(Date.now() + 1000, ac.signal);
  ac.abort();
  await assert.rejects(p5, rejectsWith('canceled', /^query was canceled in query queue$/));
  assert.equal(third, false);
  r1();
  const r3 = await p3;
  assert.equal(third, true);
  assert.equal(gate.inFlight, 2);
  r2();
  r3();
  r3();
  assert.equal(gate.inFlight, 0);
  assert.equal(gate.queued, 0);
});

test('an engine at max concurrency 1 runs queries one after another', async () => {
  const s = storage(100);
  const eng = new Engine({ maxConcurrency: 1 });
  const rs = await Promise.all(
    [1, 2, 3].map(() => eng.rangeQuery(s, 'sum(rate(m[1m]))', 0, 3600_000, 15_000)),
  );
  assert.equal(rs.length, 3);
  assert.deepEqual(eng.load, { inFlight: 0, queued: 0 });
});

test('with every limit off, an allocation V8 refuses is a 422, not a 500', async () => {
  const eng = new Engine({ maxSamples: 1e12, maxMemoryBytes: 0, maxSubquerySteps: 0 });
  await assert.rejects(
    eng.instantQuery(storage(1), 'count_over_time(vector(1)[1y:1ms])', 0),
    rejectsWith('limit_exceeded', /^query processing would use too much memory: /),
  );
});

test('timeout 0 times out in the queue, as Prometheus answers timeout=0', async () => {
  await assert.rejects(
    new Engine().instantQuery(storage(1), '1', 0, { timeoutMs: 0 }),
    rejectsWith('timeout', /^query timed out in query queue$/),
  );
});

test('a per-query timeout interrupts evaluation mid-way', async () => {
  const t0 = performance.now();
  // 200 series x 3,600 x 3,600 steps: minutes of work, cut at 100 ms.
  const big = storage(200);
  await assert.rejects(
    new Engine().instantQuery(big, 'max_over_time(sum_over_time(m[1h:1s])[1h:1s])', 3600_000, {
      timeoutMs: 100,
    }),
    rejectsWith('timeout', /^query timed out in expression evaluation$/),
  );
  assert.ok(performance.now() - t0 < 2000, `timed out after ${performance.now() - t0} ms`);
});

test('the parser refuses nesting deeper than its limit with a parse error, not a stack overflow', () => {
  for (const q of [
    '('.repeat(20_000) + '1' + ')'.repeat(20_000),
    Array(5000).fill('1').join(' + '),
    '-'.repeat(5000) + '1',
    'abs('.repeat(5000) + 'm' + ')'.repeat(5000),
  ]) {
    assert.throws(
      () => parseExpr(q),
      rejectsWith('parse_error', /parse error: expression nests more than 500 levels deep$/),
    );
  }
  assert.doesNotThrow(() => parseExpr('('.repeat(400) + '1' + ')'.repeat(400)));
  assert.doesNotThrow(() => parseExpr(Array(400).fill('m').join(' or ')));
});

test('a streamed aggregation of a range function reserves no per-series step arrays', async () => {
  const s = storage(300);
  // 300 series x 241 steps x 9 B = 650 KB if each rate series were kept; sum streams them.
  const eng = new Engine({ maxMemoryBytes: 300_000 });
  const r = await eng.rangeQuery(s, 'sum(rate(m[5m]))', 0, 3600_000, 15_000);
  assert.equal(r.value.type === 'matrix' && r.value.matrix.length, 1);
  await assert.rejects(
    eng.rangeQuery(s, 'rate(m[5m])', 0, 3600_000, 15_000),
    rejectsWith('limit_exceeded', /too much memory/),
  );
});
