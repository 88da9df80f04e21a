// The root's storage over fragment answers: stale markers end lookback where a step has no
// value; raw series are filtered by matchers; placeholders serve fragment series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FetchedQueryable, joinSeries, withStaleGaps } from '../../global/fetched-queryable.ts';
import { Engine, isStaleNaN } from '../../shared/promql/index.ts';
import { placeholder } from '../../global/plan/index.ts';
import { labelsFromRecord } from '../../shared/labels.ts';

test('withStaleGaps marks the first absent step after each present one', () => {
  const pts = withStaleGaps(
    [
      { t: 0, f: 1 },
      { t: 10, f: 2 },
      { t: 40, f: 3 },
    ],
    0,
    50,
    10,
  );
  assert.deepEqual(
    pts.map((p) => [p.t, isStaleNaN(p.f) ? 'stale' : p.f]),
    [
      [0, 1],
      [10, 2],
      [20, 'stale'],
      [40, 3],
      [50, 'stale'],
    ],
  );
  // Instant queries (step 0) and a last point at the end need none.
  assert.equal(withStaleGaps([{ t: 5, f: 1 }], 5, 5, 0).length, 1);
  assert.equal(withStaleGaps([{ t: 50, f: 1 }], 0, 50, 10).length, 1);
});

test("a placeholder evaluated on the same grid gives back the fragment's values, gaps included", async () => {
  const q = new FetchedQueryable(undefined);
  q.setFragment('__canopy_fragment_0__', [
    {
      labels: labelsFromRecord({ job: 'a' }),
      points: withStaleGaps(
        [
          { t: 0, f: 1 },
          { t: 60_000, f: 2 },
          { t: 180_000, f: 4 },
        ],
        0,
        180_000,
        60_000,
      ),
    },
  ]);
  const r = await new Engine().rangeQuery(q, placeholder('__canopy_fragment_0__'), 0, 180_000, 60_000);
  assert.equal(r.value.type, 'matrix');
  if (r.value.type !== 'matrix') return;
  assert.deepEqual(
    r.value.matrix[0]!.points.map((p) => [p.t, p.f]),
    [
      [0, 1],
      [60_000, 2],
      [180_000, 4],
    ],
  );
});

test('raw series are fetched once the engine opens its querier, over the range it needs', async () => {
  let asked: [number, number] | undefined;
  const q = new FetchedQueryable(async (mint, maxt) => {
    asked = [mint, maxt];
    return [
      { labels: labelsFromRecord({ __name__: 'x', job: 'a' }), points: [{ t: 100_000, f: 1 }] },
      { labels: labelsFromRecord({ __name__: 'x', job: 'b' }), points: [{ t: 100_000, f: 2 }] },
    ];
  });
  const r = await new Engine().instantQuery(
    q,
    'sum(x{job="b"}) + count_over_time(x[10m] offset 1m)',
    700_000,
  );
  assert.deepEqual(asked, [700_000 - 660_000, 700_000]);
  assert.equal(r.value.type, 'vector');
});

test('joinSeries joins pieces of one series split over chunks', () => {
  const ls = labelsFromRecord({ a: '1' });
  const j = joinSeries([
    { labels: ls, points: [{ t: 2, f: 2 }] },
    { labels: ls, points: [{ t: 1, f: 1 }] },
  ]);
  assert.equal(j.length, 1);
  assert.deepEqual(
    j[0]!.points.map((p) => p.t),
    [1, 2],
  );
});
