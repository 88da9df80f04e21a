// The planner's walkers (placeholdersIn, rawSelectors, the `@ start()`/`@ end()` check) on the
// one generic walkExpr (issue 17): same answers, in the same order, as the hand-written
// traversals they replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatExpr, parseExpr } from '../../../shared/promql/index.ts';
import {
  placeholder,
  placeholdersIn,
  planQuery,
  rawSelectors,
  selectorText,
} from '../../../global/plan/index.ts';

const ZONE = new Set(['zone']);
const names = (q: string): string[] => rawSelectors(parseExpr(q)).map(selectorText);

test('rawSelectors: every selector, an aggregation argument before its parameter, matrix and subquery insides included', () => {
  assert.deepEqual(names('topk(scalar(a), b)'), ['{__name__="b"}', '{__name__="a"}']);
  assert.deepEqual(names('quantile by (x) (scalar(q), sum(rate(r[5m])) / s)'), [
    '{__name__="r"}',
    '{__name__="s"}',
    '{__name__="q"}',
  ]);
  assert.deepEqual(
    names('max_over_time((-a{j="1"})[10m:1m]) + on(z) group_left label_replace(b, "d", "$1", "s", "(.*)")'),
    ['{j="1", __name__="a"}', '{__name__="b"}'],
  );
  assert.deepEqual(names('1 + 2'), []);
});

test('rawSelectors skips placeholders; placeholdersIn lists only them', () => {
  const p0 = formatExpr(placeholder('__canopy_fragment_0__'));
  const e = parseExpr(`topk(scalar(__canopy_fragment_1__), ${p0} + raw)`);
  assert.deepEqual(rawSelectors(e).map(selectorText), ['{__name__="raw"}']);
  assert.deepEqual([...placeholdersIn(e)], ['__canopy_fragment_0__', '__canopy_fragment_1__']);
});

test('a subquery using @ start()/@ end() inside (selector, matrix or nested subquery) stays whole at the root', () => {
  const t = { startMs: 0, endMs: 600_000, stepMs: 60_000 };
  for (const q of [
    'max_over_time(sum(x @ start())[10m:1m])',
    'max_over_time(sum(rate(x[5m] @ end()))[10m:1m])',
    'max_over_time(sum(max_over_time(x[1m:] @ start()))[10m:1m])',
  ]) {
    const p = planQuery(parseExpr(q), ZONE, 'pushdown', t);
    assert.equal(p.raw.length, 1, q);
    assert.equal(p.fragments.length, 0, q);
  }
  const p = planQuery(parseExpr('max_over_time(sum(x)[10m:1m])'), ZONE, 'pushdown', t);
  assert.equal(p.raw.length, 0);
  assert.deepEqual(
    p.fragments.map((f) => f.grid),
    [{ startMs: -600_000, endMs: 600_000, stepMs: 60_000 }],
  );
});
