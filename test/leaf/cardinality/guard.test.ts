import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CardinalityGuard } from '../../../leaf/cardinality/guard.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';
import { isCanopyError } from '../../../shared/errors.ts';

const s = (name: string, id: number) => labelsFromRecord({ __name__: name, id: String(id) });

test('hard limit: new series refused and counted, admitted series keep flowing, other metrics unaffected', () => {
  const warnings: [string, number][] = [];
  const g = new CardinalityGuard({
    softLimit: 50,
    hardLimit: 100,
    onSoftLimit: (m, e) => warnings.push([m, e]),
  });
  for (let i = 0; i < 300; i++) g.admit(s('m', i));
  assert.equal(g.admittedSeries('m'), 100);
  assert.equal(g.droppedSamples, 200);
  // first 100 series are exactly the admitted ones
  for (let i = 0; i < 100; i++) assert.equal(g.admit(s('m', i)), true);
  for (let i = 100; i < 300; i += 50) assert.equal(g.admit(s('m', i)), 'too_many_series');
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
  assert.equal(g.admit(s('m', 10)), 'too_many_series');
  now = 700;
  g.admit(s('m', 0)); // keeps series 0 alive
  now = 1600;
  g.sweep();
  assert.equal(g.admittedSeries('m'), 1);
  assert.equal(g.admit(s('m', 10)), true);
  assert.ok(g.estimate('m') <= 3);
});

test('invalid limits are a config error', () => {
  assert.throws(
    () => new CardinalityGuard({ softLimit: 10, hardLimit: 5 }),
    (e) => isCanopyError(e, 'config_invalid'),
  );
});

test('soft == hard: the warning comes with the first refusal; small metrics allocate no sketch', () => {
  const warnings: number[] = [];
  const g = new CardinalityGuard({ softLimit: 10, hardLimit: 10, onSoftLimit: (_m, e) => warnings.push(e) });
  for (let i = 0; i < 10; i++) assert.ok(g.admit(s('m', i)));
  assert.deepEqual(warnings, []);
  assert.equal(g.estimate('m'), 10);
  assert.equal(g.admit(s('m', 10)), 'too_many_series');
  assert.deepEqual(warnings, [11]);
  for (let i = 0; i < 1000; i++) g.admit(s('small', i % 3));
  assert.equal(g.estimate('small'), 3);
  assert.equal(g.stats().find((x) => x.metric === 'small')!.dropped, 0);
});

test('series limit: new series of any metric refused with reason series_limit once the leaf holds seriesLimit; known series flow', () => {
  let now = 0;
  const logs: Record<string, unknown>[] = [];
  const logger = {
    warn: (o: Record<string, unknown>) => logs.push(o),
  } as unknown as import('../../../shared/log.ts').Logger;
  const g = new CardinalityGuard({
    softLimit: 50,
    hardLimit: 100,
    seriesLimit: 1000,
    idleMs: 10_000,
    logger,
    now: () => now,
  });
  // a flood of unique metric names: the first 1000 are admitted, the rest refused without state
  for (let i = 0; i < 100_000; i++)
    assert.equal(g.admit(s(`name_${i}`, 0)), i < 1000 ? true : 'series_limit');
  assert.equal(g.totalSeries(), 1000);
  assert.equal(g.metricCount(), 1000);
  assert.equal(g.seriesLimitSamples, 99_000);
  assert.equal(g.droppedSamples, 0);
  // one log line per minute at most, reporting the refusals since the last one
  assert.equal(logs.length, 1);
  now = 61_000;
  assert.equal(g.admit(s('name_5', 1)), 'series_limit'); // a new series of a known metric too
  assert.equal(logs.length, 2);
  assert.equal(logs[1]!.refusedSamples, 99_000);
  // admitted series keep flowing (new Labels objects: looked up by key)
  for (let i = 0; i < 1000; i += 7) assert.equal(g.admit(s(`name_${i}`, 0)), true);
  // the per-metric limit still answers first for a metric at its hard limit
  const h = new CardinalityGuard({ softLimit: 5, hardLimit: 10, seriesLimit: 15 });
  for (let i = 0; i < 10; i++) h.admit(s('m', i));
  assert.equal(h.admit(s('m', 10)), 'too_many_series');
  for (let i = 0; i < 5; i++) assert.equal(h.admit(s('n', i)), true);
  assert.equal(h.admit(s('n', 5)), 'series_limit');
  // sweep frees room: idle series are forgotten and count no more
  now = 200_000;
  for (let i = 0; i < 500; i++) g.admit(s(`name_${i}`, 0));
  g.sweep();
  assert.equal(g.totalSeries(), 500);
  assert.equal(g.metricCount(), 500);
  for (let i = 0; i < 500; i++) assert.equal(g.admit(s(`fresh_${i}`, 0)), true);
  assert.equal(g.admit(s('fresh_500', 0)), 'series_limit');
});

test('series limit 0 means none; a negative or fractional limit is a config error', () => {
  const g = new CardinalityGuard({ softLimit: 5, hardLimit: 10, seriesLimit: 0 });
  for (let i = 0; i < 5000; i++) assert.equal(g.admit(s(`n${i}`, 0)), true);
  assert.throws(
    () => new CardinalityGuard({ softLimit: 5, hardLimit: 10, seriesLimit: -1 }),
    (e) => isCanopyError(e, 'config_invalid'),
  );
  assert.throws(
    () => new CardinalityGuard({ softLimit: 5, hardLimit: 10, seriesLimit: 1.5 }),
    (e) => isCanopyError(e, 'config_invalid'),
  );
});
