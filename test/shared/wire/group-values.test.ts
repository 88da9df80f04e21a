// Group values (exact quantile's partial state): grouped like the aggregation, shipped without
// per-series labels, and turned back into one series per value index at the root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GROUP_VALUE_LABEL,
  groupValuesToWire,
  matrixSeriesFromWire,
  toGroupSeries,
} from '../../../shared/wire/index.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';

const v = (r: Record<string, string>, f: number) => ({ labels: labelsFromRecord(r), t: 1000, f });

test('values are grouped by (…) / without (…) and keep no other labels', () => {
  const vec = {
    type: 'vector' as const,
    vector: [
      v({ __name__: 'x', job: 'a', i: '1' }, 1),
      v({ __name__: 'x', job: 'a', i: '2' }, 2),
      v({ __name__: 'x', job: 'b', i: '3' }, 3),
    ],
  };
  const by = groupValuesToWire(vec, ['job'], false).map(matrixSeriesFromWire);
  assert.deepEqual(
    by.map((s) => [s.labels, s.points.map((p) => p.f)]),
    [
      [[{ name: 'job', value: 'a' }], [1, 2]],
      [[{ name: 'job', value: 'b' }], [3]],
    ],
  );
  const without = groupValuesToWire(vec, ['i'], true).map(matrixSeriesFromWire);
  assert.deepEqual(
    without.map((s) => s.labels),
    [[{ name: 'job', value: 'a' }], [{ name: 'job', value: 'b' }]],
  );
});

test('the root sees value k of a group at a step as a series labelled with k, across zones', () => {
  const g = labelsFromRecord({ job: 'a' });
  const out = toGroupSeries([
    {
      labels: g,
      points: [
        { t: 0, f: 1 },
        { t: 0, f: 2 },
        { t: 60, f: 5 },
      ],
    },
    { labels: g, points: [{ t: 0, f: 3 }] },
  ]);
  assert.deepEqual(
    out.map((s) => [
      s.labels.find((l) => l.name === GROUP_VALUE_LABEL)!.value,
      s.points.map((p) => [p.t, p.f]),
    ]),
    [
      [
        '0',
        [
          [0, 1],
          [60, 5],
        ],
      ],
      ['1', [[0, 2]]],
      ['2', [[0, 3]]],
    ],
  );
});
