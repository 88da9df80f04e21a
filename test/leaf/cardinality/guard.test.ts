import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CardinalityGuard } from '../../../leaf/cardinality/guard.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';
import { isCanopyError } from '../../../shared/errors.ts';

const s = (name: string, id: number) => labelsFromRecord({ __name__: name, id: String(id) });

test('hard limit: new series refused and counted, admitted series keep flowing, other metrics unaffected', () => {
  const warnings: [string, number][] = [];
  const g = new CardinalityGuard({ softLimit: 50, hardLimit: 100, onSoftLimit: (m, e) => warnings.push([m, e]) });
  for (let i = 0; i < 300; i++) g.admit(s('m', i));
  assert.equal(g.admittedSeries('m'), 100);
  assert.equal(g.droppedSamples, 200);
  // first 100 series are exactly the admitted ones
  for (let i = 0; i < 100; i++) assert.equal(g.admit(s('m', i)), true);
  for (let i = 100; i < 300; i += 50) assert.equal(g.admit(s('m', i)), false);
  assert.equal(g.droppedSamples, 204);
  assert.equal(g.admit(s('other', 1)), true);
  // one soft warning for m, with an estimate near 300 distinct offered series
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]![0], 'm');
  assert.ok(warnings[0]![1] > 50);
  assert.ok(Math.abs(g.estimate('m') - 300) < 15, String(g.estimate('m')));
  assert.equal(g.softLimitWarnings, 1);
});

test('sweep forgets idle series so churn does not fill the limit forever', () => {
  let now = 0;
  const g = new CardinalityGuard({ softLimit: 5, hardLimit: 10, idleMs: 1000, now: () => now });
  for (let i = 0; i < 10; i++) g.admit(s('m', i));
  assert.equal(g.admit(s('m', 10)), false);
  now = 700;
  g.admit(s('m', 0)); // keeps series 0 alive
  now = 1600;
  g.sweep();
  assert.equal(g.admittedSeries('m'), 1);
  assert.equal(g.admit(s('m', 10)), true);
  assert.ok(g.estimate('m') <= 3);
});

test('invalid limits are a config error', () => {
  assert.throws(() => new CardinalityGuard({ softLimit: 10, hardLimit: 5 }), (e) => isCanopyError(e, 'config_invalid'));
});

test('soft == hard: the warning comes with the first refusal; small metrics allocate no sketch', () => {
  const warnings: number[] = [];
  const g = new CardinalityGuard({ softLimit: 10, hardLimit: 10, onSoftLimit: (_m, e) => warnings.push(e) });
  for (let i = 0; i < 10; i++) assert.ok(g.admit(s('m', i)));
  assert.deepEqual(warnings, []);
  assert.equal(g.estimate('m'), 10);
  assert.equal(g.admit(s('m', 10)), false);
  assert.deepEqual(warnings, [11]);
  for (let i = 0; i < 1000; i++) g.admit(s('small', i % 3));
  assert.equal(g.estimate('small'), 3);
  assert.equal(g.stats().find((x) => x.metric === 'small')!.dropped, 0);
});
