// Differential test, in process: the same generated data in one store (the reference) and
// spread over three zones behind the root; every generated expression must give the same
// answer at the root (pushdown plan) as the reference, and the naive plan must too.
// The real-process version (NATS, zone processes) is test/e2e/global-differential.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from './cluster.ts';
import {
  assertSameResult,
  EVAL_TIMES,
  generateData,
  generateExpressions,
  T0,
  toPromResult,
  ZONES,
} from './differential.ts';
import { isCanopyError } from '../../shared/errors.ts';
import type { QueryResult } from '../../shared/value.ts';
import type { PlanMode } from '../../global/plan/index.ts';

let c: Cluster;
const exprs = generateExpressions();
const opts = { timeoutMs: 10_000, signal: new AbortController().signal, partialResponse: false };

before(async () => {
  c = await startCluster(ZONES, generateData());
});
after(() => c.stop());

async function outcome(
  fn: () => Promise<QueryResult>,
): Promise<{ ok: true; r: QueryResult } | { ok: false; code: string }> {
  try {
    return { ok: true, r: await fn() };
  } catch (e) {
    return { ok: false, code: isCanopyError(e) ? e.code : String(e) };
  }
}

async function compare(mode: PlanMode, expr: string, range: boolean, i: number): Promise<void> {
  const t = EVAL_TIMES[i % EVAL_TIMES.length]!;
  const [got, want] = range
    ? await Promise.all([
        outcome(
          async () =>
            (
              await c.root.execute(
                expr,
                { range: true, startMs: T0 + 12 * 60_000, endMs: T0 + 38 * 60_000, stepMs: 90_000 },
                opts,
                mode,
              )
            ).result,
        ),
        outcome(() => c.ref.queryRange(expr, T0 + 12 * 60_000, T0 + 38 * 60_000, 90_000, opts)),
      ])
    : await Promise.all([
        outcome(
          async () =>
            (await c.root.execute(expr, { range: false, startMs: t, endMs: t, stepMs: 0 }, opts, mode))
              .result,
        ),
        outcome(() => c.ref.query(expr, t, opts)),
      ]);
  if (!want.ok || !got.ok) {
    assert.deepEqual(got.ok ? 'ok' : got.code, want.ok ? 'ok' : want.code, `${expr}: outcome`);
    return;
  }
  assertSameResult(
    `${mode} ${range ? 'range' : 'instant'} ${expr}`,
    toPromResult(got.r.value),
    toPromResult(want.r.value),
  );
}

// All 1,123 expressions run against real processes in the e2e test; here every other one, fast.
test(`generated expressions (${exprs.length}, every 2nd): pushdown at the root = one server, instant queries`, async () => {
  assert.ok(exprs.length >= 1000);
  for (let i = 0; i < exprs.length; i += 2) await compare('pushdown', exprs[i]!, false, i);
});

test('pushdown at the root = one server, range queries (every 3rd)', async () => {
  for (let i = 1; i < exprs.length; i += 3) await compare('pushdown', exprs[i]!, true, i);
});

test('naive plan at the root = one server (sampled)', async () => {
  for (let i = 0; i < exprs.length; i += 7) await compare('naive', exprs[i]!, i % 2 === 0, i);
});
