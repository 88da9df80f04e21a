import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatSampleValue,
  formatQueryData,
  parseTimeMs,
  durationParam,
  timeParam,
} from '../../../shared/api/index.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';

test('sample values are formatted like Go strconv.FormatFloat(v, f, -1, 64)', () => {
  const cases: [number, string][] = [
    [1, '1'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [123456789012345680000, '123456789012345680000'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [-0, '-0'],
    [5e-324, '0.' + '0'.repeat(323) + '5'],
    [1.7976931348623157e308, '17976931348623157' + '0'.repeat(292)],
  ];
  for (const [v, s] of cases) assert.equal(formatSampleValue(v), s, String(v));
});

test('query data shapes match the Prometheus API', () => {
  const ls = labelsFromRecord({ __name__: 'up', job: 'x' });
  assert.deepEqual(formatQueryData({ type: 'vector', vector: [{ labels: ls, t: 1500, f: 1 }] }), {
    resultType: 'vector',
    result: [{ metric: { __name__: 'up', job: 'x' }, value: [1.5, '1'] }],
  });
  assert.deepEqual(
    formatQueryData({
      type: 'matrix',
      matrix: [
        {
          labels: ls,
          points: [
            { t: 1000, f: NaN },
            { t: 2000, f: 2 },
          ],
        },
      ],
    }),
    {
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'up', job: 'x' },
          values: [
            [1, 'NaN'],
            [2, '2'],
          ],
        },
      ],
    },
  );
  assert.deepEqual(formatQueryData({ type: 'scalar', t: 1000, f: Infinity }), {
    resultType: 'scalar',
    result: [1, '+Inf'],
  });
  assert.deepEqual(formatQueryData({ type: 'string', t: 1000, s: 'hi' }), {
    resultType: 'string',
    result: [1, 'hi'],
  });
});

test('times parse as Unix seconds or RFC 3339; bad ones are bad_data with the parameter named', () => {
  assert.equal(parseTimeMs('1435781451.781'), 1435781451781);
  assert.equal(parseTimeMs('2015-07-01T20:10:51.781Z'), 1435781451781);
  assert.equal(parseTimeMs('yesterday'), undefined);
  assert.throws(
    () => timeParam(new URLSearchParams('time=abc'), 'time', 0),
    /invalid parameter "time": cannot parse "abc" to a valid timestamp/,
  );
  assert.equal(durationParam(new URLSearchParams('step=15'), 'step'), 15_000);
  assert.equal(durationParam(new URLSearchParams('step=1m'), 'step'), 60_000);
  assert.throws(() => durationParam(new URLSearchParams('step=x'), 'step'), /invalid parameter "step"/);
});
