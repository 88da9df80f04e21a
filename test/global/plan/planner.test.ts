// Planner rewrites: what each zone evaluates and what the root evaluates over the answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatExpr, parseExpr } from '../../../shared/promql/index.ts';
import { planQuery, type Plan } from '../../../global/plan/index.ts';

const ZONE = new Set(['zone']);

function plan(
  q: string,
  zoneLabels: ReadonlySet<string> = ZONE,
): { root: string; frags: string[]; raw: number; merges: string[] } {
  const p: Plan = planQuery(parseExpr(q), zoneLabels);
  return {
    root: formatExpr(p.root),
    frags: p.fragments.map((f) => f.expr),
    raw: p.raw.length,
    merges: p.merges.map((m) => m.kind),
  };
}

test('per-series expressions are pushed down whole', () => {
  for (const q of [
    'rate(x[5m])',
    'x offset 5m',
    'x @ 100',
    'max_over_time(rate(x[5m])[10m:1m])',
    'label_replace(x, "a", "$1", "b", "(.*)")',
    'x * 2 + 1',
    'histogram_quantile(0.9, rate(b[5m]))',
  ]) {
    const p = plan(q);
    assert.equal(p.root, '__canopy_fragment_0__', q);
    assert.deepEqual(p.frags, [formatExpr(parseExpr(q))], q);
    assert.equal(p.raw, 0);
  }
});

test('aggregations keeping the zone label, and binary operations matching within a zone, are pushed down whole', () => {
  for (const q of [
    'sum by (zone, job) (rate(x[5m]))',
    'max without (instance) (x)',
    'x / y',
    'rate(x[5m]) / rate(y[5m]) * 2',
    'x / sum by (zone, instance) ({__name__=~"y|z"})',
    'x and ignoring (code) y',
    'topk by (zone) (3, x)',
  ]) {
    assert.equal(plan(q).root, '__canopy_fragment_0__', q);
  }
});

test('arithmetic/comparison whose "one" side may hold duplicates (explicit matching, several names) is joined at the root: its many-to-many error depends on both sides over all zones', () => {
  for (const [q, root] of <[string, string][]>[
    [
      'x / on (zone, instance) group_left y',
      '__canopy_fragment_0__ / on (zone, instance) group_left () __canopy_fragment_1__',
    ],
    ['x > ignoring (code) y', '__canopy_fragment_0__ > ignoring (code) __canopy_fragment_1__'],
    ['x / {__name__=~"y|z"}', '__canopy_fragment_0__ / __canopy_fragment_1__'],
  ]) {
    const p = plan(q);
    assert.equal(p.root, root, q);
    assert.equal(p.frags.length, 2, q);
  }
});

test('aggregations split into partial (zone) and final (root) phases', () => {
  const cases: [string, string, string[]][] = [
    ['sum by (job) (rate(x[5m]))', 'sum by (job) (__canopy_fragment_0__)', ['sum by (job) (rate(x[5m]))']],
    ['count(x)', 'sum(__canopy_fragment_0__)', ['count(x)']],
    ['min without (zone) (x)', 'min without (zone) (__canopy_fragment_0__)', ['min without (zone) (x)']],
    ['group by (job) (x)', 'group by (job) (__canopy_fragment_0__)', ['group by (job) (x)']],
    [
      'avg by (job) (x)',
      'sum by (job) (__canopy_fragment_0__) / sum by (job) (__canopy_fragment_1__)',
      ['sum by (job) (x)', 'count by (job) (x)'],
    ],
    ['topk(3, x)', 'topk(3, __canopy_fragment_0__)', ['topk(3, x)']],
    ['bottomk by (job) (1, x)', 'bottomk by (job) (1, __canopy_fragment_0__)', ['bottomk by (job) (1, x)']],
    ['count_values("v", x)', 'sum without () (__canopy_fragment_0__)', ['count_values("v", x)']],
    ['quantile(0.9, rate(x[5m]))', '__canopy_fragment_m0__', ['rate(x[5m])']],
    [
      'quantile without (zone, instance) (0.5 + 0.1, x)',
      'quantile without (zone, instance, __canopy_value__) (0.5 + 0.1, __canopy_fragment_0__)',
      ['x'],
    ],
  ];
  for (const [q, root, frags] of cases) {
    const p = plan(q);
    assert.equal(p.root, root, q);
    assert.deepEqual(p.frags, frags, q);
  }
  const sd = plan('stddev by (job) (x)');
  assert.equal(sd.root, '__canopy_fragment_m0__');
  assert.deepEqual(sd.frags, ['count by (job) (x)', 'avg by (job) (x)', 'stdvar by (job) (x)']);
  assert.deepEqual(sd.merges, ['stddev']);
});

test('a grouping or matching that drops the zone label is not pushed whole', () => {
  assert.equal(plan('sum by (region) (x)').root, 'sum by (region) (__canopy_fragment_0__)');
  assert.equal(
    plan('x / on (job) group_left sum by (job) (y)').root,
    '__canopy_fragment_0__ / on (job) group_left () sum by (job) (__canopy_fragment_1__)',
  );
  assert.equal(
    plan('x / ignoring (zone) y').root,
    '__canopy_fragment_0__ / ignoring (zone) __canopy_fragment_1__',
  );
  // label_replace removing the zone label makes the result zone-less: histogram_quantile then groups across zones.
  const hq = plan('histogram_quantile(0.9, label_replace(b, "zone", "", "", ""))');
  assert.equal(hq.root, 'histogram_quantile(0.9, __canopy_fragment_0__)');
  // No zone-identity label known (e.g. zones without external labels): nothing groups within a zone.
  assert.equal(plan('sum by (zone) (x)', new Set()).root, 'sum by (zone) (__canopy_fragment_0__)');
});

test('whole-vector functions stay at the root; absent() and root-level subqueries read raw series', () => {
  assert.equal(plan('sort_desc(rate(x[5m]))').root, 'sort_desc(__canopy_fragment_0__)');
  assert.equal(plan('x * scalar(sum(y))').root, '__canopy_fragment_0__ * scalar(sum(__canopy_fragment_1__))');
  const a = plan('absent(x{job="a"})');
  assert.equal(a.root, 'absent(x{job="a"})');
  assert.equal(a.raw, 1);
  const s = plan('max_over_time(sum(x)[10m:1m])');
  assert.equal(s.root, 'max_over_time(sum(x)[10m:1m])');
  assert.equal(s.raw, 1);
  // vector(1) has no zone label: `or` with it must not run per zone (each zone would add one).
  assert.equal(plan('x or vector(1)').root, '__canopy_fragment_0__ or vector(1)');
});

test('identical zone expressions share one fragment', () => {
  const p = plan('sum(rate(x[5m])) / sum(rate(x[5m])) + avg(y)');
  assert.deepEqual(p.frags, ['sum(rate(x[5m]))', 'sum(y)', 'count(y)']);
});

test('the naive plan pushes nothing', () => {
  const p = planQuery(parseExpr('sum by (job) (rate(x[5m]))'), ZONE, 'naive');
  assert.equal(p.fragments.length, 0);
  assert.equal(p.raw.length, 1);
});

test("with the query's time, a root-level subquery's inside is planned on the subquery's own grid", () => {
  const p = planQuery(parseExpr('max_over_time(sum(x)[10m:1m])'), ZONE, 'pushdown', {
    startMs: 1_000_030_000,
    endMs: 1_000_030_000,
    stepMs: 0,
  });
  assert.equal(formatExpr(p.root), 'max_over_time(sum(__canopy_fragment_0__)[10m:1m])');
  assert.equal(p.fragments[0]!.expr, 'sum(x)');
  // Steps aligned to 1m, after t-10m, up to t.
  assert.deepEqual(p.fragments[0]!.grid, { startMs: 999_480_000, endMs: 1_000_030_000, stepMs: 60_000 });
  assert.equal(p.raw.length, 0);
  const r = planQuery(parseExpr('avg_over_time(max by (job) (x)[5m:] offset 1m)'), ZONE, 'pushdown', {
    startMs: 600_000,
    endMs: 1_200_000,
    stepMs: 30_000,
    defaultEvalIntervalMs: 60_000,
  });
  assert.deepEqual(r.fragments[0]!.grid, { startMs: 240_000, endMs: 1_140_000, stepMs: 60_000 }); // 600s - 60s - 300s
  // start()/end() inside would resolve against the fragment's own grid: left to the raw fetch.
  assert.equal(
    planQuery(parseExpr('max_over_time(sum(x @ start())[10m:1m])'), ZONE, 'pushdown', {
      startMs: 0,
      endMs: 600_000,
      stepMs: 60_000,
    }).raw.length,
    1,
  );
  // @ on the subquery: left to the root's raw fetch.
  assert.equal(
    planQuery(parseExpr('max_over_time(sum(x)[10m:1m] @ 100)'), ZONE, 'pushdown', {
      startMs: 0,
      endMs: 0,
      stepMs: 0,
    }).raw.length,
    1,
  );
});
