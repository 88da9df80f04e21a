// The root over three zones with `@` under a subquery with `@` (2.42's un-rebased offsets,
// shared/promql/evaluator.ts evalSubqueryInner): aggregations split over the zones (quantile's
// group values, topk, count_values, stddev) answer as one server does, and as 2.42 does —
// nothing where 2.42 reads the inner `@` outside what it selected, even when only one zone
// holds the metric and the others answer empty. (Root 5000, seed 1276489174:
// quantile by (sign) (0.5, rate((last_over_time((max_over_time(ratio[1m] offset 1m @ end()))[10m:] @ end()))[10m:1m]))
// was {} at the root, [] at Prometheus 2.42.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster, type TestSample } from './cluster.ts';
import { assertSameResult, toPromResult, ZONES } from './differential.ts';

const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const T = T0 + 30 * 60_000;
const opts = (): { timeoutMs: number; signal: AbortSignal; partialResponse: boolean } => ({
  timeoutMs: 10_000,
  signal: new AbortController().signal,
  partialResponse: false,
});
let c: Cluster;

before(async () => {
  const samples: TestSample[] = [];
  for (let k = 0; k <= 40; k++) {
    // ratio only in zone c; m in every zone, value = minutes since T0 (+ 100 per instance).
    for (let i = 0; i < 4; i++)
      samples.push({
        labels: { __name__: 'ratio', instance: `i${i}`, zone: 'c', region: 'us' },
        t: T0 + k * 60_000,
        v: Math.sin(k / 10 + i),
      });
    ZONES.forEach((z, i) =>
      samples.push({
        labels: { __name__: 'm', instance: `i${i}`, zone: z.zone, region: z.region },
        t: T0 + k * 60_000,
        v: k + 100 * i,
      }),
    );
  }
  c = await startCluster(ZONES, samples);
});
after(() => c.stop());

async function both(
  expr: string,
  range = false,
): Promise<[ReturnType<typeof toPromResult>, ReturnType<typeof toPromResult>]> {
  if (range) {
    const got = (
      await c.root.execute(
        expr,
        { range: true, startMs: T, endMs: T + 2 * 60_000, stepMs: 60_000 },
        opts(),
        'pushdown',
      )
    ).result;
    return [
      toPromResult(got.value),
      toPromResult((await c.ref.queryRange(expr, T, T + 2 * 60_000, 60_000, opts())).value),
    ];
  }
  const got = (
    await c.root.execute(expr, { range: false, startMs: T, endMs: T, stepMs: 0 }, opts(), 'pushdown')
  ).result;
  return [toPromResult(got.value), toPromResult((await c.ref.query(expr, T, opts())).value)];
}

test('split aggregations over an @ read outside its selection: empty at the root, as at one server and 2.42', async () => {
  const inner = 'rate((last_over_time((max_over_time(ratio[1m] offset 1m @ end()))[10m:] @ end()))[10m:1m])';
  for (const e of [
    `quantile by (sign) (0.5, ${inner})`,
    `quantile(0.9, ${inner})`,
    `topk(2, ${inner})`,
    `count_values("v", ${inner})`,
    `stddev(${inner})`,
    `sum by (job) (${inner})`,
    inner,
  ]) {
    const [got, want] = await both(e);
    assertSameResult(e, got, want);
    assert.deepEqual(got.result, [], `${e}: 2.42 answers nothing`);
  }
});

test('split aggregations over an @ read early (the windows 2 min before the written @): the early values at the root', async () => {
  // At T both subqueries start at T − 2m: m @ T is read at T − 2m (minute 28), not 30.
  const inner = 'max_over_time((last_over_time((m @ end())[2m:] @ end()))[2m:1m])';
  const cases: [string, number[]][] = [
    [`quantile(0.5, ${inner})`, [128]],
    [`topk(1, ${inner})`, [228]],
    [`stddev(${inner})`, [Math.sqrt(20_000 / 3)]],
    [`count_values("v", ${inner})`, [1, 1, 1]],
    [`sum(${inner})`, [28 + 128 + 228]],
  ];
  for (const [e, values] of cases) {
    const [got, want] = await both(e);
    assertSameResult(e, got, want);
    const vs = got.result.map((s: any) => Number(s.value[1]));
    assert.equal(vs.length, values.length, `${e}: series`);
    values.forEach((v, i) => assert.ok(Math.abs(vs[i]! - v) < 1e-9, `${e}: ${vs[i]} ≠ ${v}`));
  }
  for (const e of [
    `quantile(0.5, ${inner.replace(/@ end\(\)/g, '@ start()')})`,
    `stddev(${inner.replace(/@ end\(\)/g, '@ start()')})`,
  ]) {
    const [got, want] = await both(e, true);
    assertSameResult(`range ${e}`, got, want);
    assert.equal(got.result.length, 1, `range ${e}: one series`);
  }
});
