import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission, DEFAULT_ADMISSION_LIMITS, parseAdmissionLimits } from '../../../zone/ingest/index.ts';
import type { Label } from '../../../shared/labels.ts';

const L = (...pairs: [string, string][]): Label[] => pairs.map(([name, value]) => ({ name, value }));

function adm(limits: unknown = {}, seriesInStorage = 0, zoneLabels: Label[] = []): Admission {
  return new Admission(parseAdmissionLimits(limits), { seriesCount: () => seriesInStorage }, zoneLabels);
}

test('label rules: names, metric names, empty values dropped, sorting, duplicates, missing name', () => {
  const a = adm();
  const ok = a.checkLabels(L(['job', 'x'], ['__name__', 'up:rate5m'], ['empty', '']));
  assert.deepEqual(ok, L(['__name__', 'up:rate5m'], ['job', 'x']));
  const sorted = L(['__name__', 'up'], ['a', '1']);
  assert.equal(a.checkLabels(sorted), sorted, 'sorted input without empties is returned as is');
  const cases: [Label[], string, RegExp][] = [
    [[], 'empty_labels', /no labels/],
    [L(['__name__', 'up'], ['', 'v']), 'invalid_labels', /empty label name/],
    [L(['__name__', 'up'], ['a-b', 'v']), 'invalid_labels', /invalid label name "a-b"/],
    [L(['__name__', 'up'], ['1a', 'v']), 'invalid_labels', /invalid label name/],
    [L(['__name__', '1up']), 'invalid_labels', /invalid metric name "1up"/],
    [L(['__name__', 'up'], ['b', '1'], ['b', '2']), 'duplicate_labels', /duplicate label name "b"/],
    [L(['b', '1'], ['__name__', 'up'], ['b', '']), 'duplicate_labels', /duplicate/],
    [L(['job', 'x']), 'invalid_labels', /missing metric name/],
    [L(['__name__', ''], ['job', 'x']), 'invalid_labels', /missing metric name/],
  ];
  for (const [ls, reason, msg] of cases) {
    assert.equal(a.checkLabels(ls), null, JSON.stringify(ls));
    assert.equal(a.reason, reason, JSON.stringify(ls));
    assert.match(a.error, msg);
  }
  assert.equal(a.checkLabels(L(['__name__', 'up']), 'bytes not valid UTF-8'), null);
  assert.equal(a.reason, 'invalid_labels');
  assert.equal(a.checkLabels(L(['__name__', 'up'], ['v', 'a\ud800b']), '', true), null);
  assert.notEqual(a.checkLabels(L(['__name__', 'up'], ['v', 'emoji 😀']), '', true), null);
});

test('zone labels override what the sender set; maxLabelsPerSeries counts them', () => {
  const a = adm({ maxLabelsPerSeries: 3 }, 0, L(['region', 'eu'], ['zone', 'eu-1']));
  assert.deepEqual(a.checkLabels(L(['__name__', 'up'], ['zone', 'fake'])), L(['__name__', 'up'], ['region', 'eu'], ['zone', 'eu-1']));
  assert.equal(a.checkLabels(L(['__name__', 'up'], ['job', 'x'])), null);
  assert.match(a.error, /4 labels, limit 3/);
});

test('timestamps: at most maxFutureMs ahead, safe integers only', () => {
  const a = adm({ maxFutureMs: 1000 });
  assert.equal(a.checkTimestamp(5000, 4000), null);
  assert.equal(a.checkTimestamp(5001, 4000), 'too_far_in_future');
  assert.equal(a.checkTimestamp(NaN, 4000), 'out_of_bounds');
  assert.equal(a.checkTimestamp(1.5, 4000), 'out_of_bounds');
  assert.equal(a.checkTimestamp(-5, 4000), null);
  assert.equal(DEFAULT_ADMISSION_LIMITS.maxFutureMs, 600_000);
});

test('series limits count distinct series exactly and forget series idle past the window', () => {
  const a = adm({ maxSeriesPerMetric: 2, activeSeriesWindowMs: 1000 });
  const s = (name: string, i: number): Label[] => L(['__name__', name], ['i', String(i)]);
  assert.ok(a.admitSeries(s('m', 1), 0));
  assert.ok(a.admitSeries(s('m', 2), 0));
  assert.ok(a.admitSeries(s('m', 1), 10), 'known series');
  assert.ok(!a.admitSeries(s('m', 3), 10));
  assert.equal(a.reason, 'metric_series_limit');
  assert.ok(a.admitSeries(s('other', 3), 10), 'limit is per metric');
  a.admitSeries(s('m', 1), 900); // keeps m,1 active
  assert.ok(a.admitSeries(s('m', 3), 1100), 'm,2 expired at 1000 + window');
  assert.ok(!a.admitSeries(s('m', 4), 1100));
  assert.equal(a.trackedSeries(), 2, 'm,1 and m,3; other,3 expired too');

  const z = adm({ maxSeriesPerZone: 5 }, 5);
  assert.ok(!z.admitSeries(s('m', 1), 0), 'storage already at the zone limit');
  assert.equal(z.reason, 'series_limit');
  assert.ok(adm({}, 1e9).admitSeries(s('m', 1), 0), 'no limits, no tracking');
});

test('parseAdmissionLimits rejects unknown keys and bad values, naming the key', () => {
  assert.throws(() => parseAdmissionLimits({ maxSeries: 1 }), { code: 'config_invalid', message: /limits\.maxSeries: unknown key/ });
  assert.throws(() => parseAdmissionLimits({ maxFutureMs: -1 }), /limits\.maxFutureMs: expected a non-negative integer/);
  assert.throws(() => parseAdmissionLimits('x'), /expected an object/);
  assert.equal(parseAdmissionLimits({ maxSeriesPerZone: 7 }).maxSeriesPerZone, 7);
});
