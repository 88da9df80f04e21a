import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission, DEFAULT_ADMISSION_LIMITS, parseAdmissionLimits } from '../../../zone/ingest/index.ts';
import type { Label } from '../../../shared/labels.ts';

const L = (...pairs: [string, string][]): Label[] => pairs.map(([name, value]) => ({ name, value }));

function adm(limits: unknown = {}, seriesInStorage = 0, zoneLabels: Label[] = []): Admission {
  return new Admission(parseAdmissionLimits(limits), { seriesCount: () => seriesInStorage }, { zoneLabels });
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

test('zone labels override what the sender set; maxLabelsPerSeries counts the labels as received (Mimir)', () => {
  const a = adm({ maxLabelsPerSeries: 2 }, 0, L(['region', 'eu'], ['zone', 'eu-1']));
  assert.deepEqual(
    a.checkLabels(L(['__name__', 'up'], ['zone', 'fake'])),
    L(['__name__', 'up'], ['region', 'eu'], ['zone', 'eu-1']),
  );
  assert.equal(a.checkLabels(L(['__name__', 'up'], ['job', 'x'], ['a', 'b'])), null);
  assert.equal(a.reason, 'max_label_names_per_series');
  assert.match(a.error, /number of labels exceeds the limit \(actual: 3, limit: 2\)/);
});

test("defaults are Mimir's: 1,024 B names, 2,048 B values, 30 labels, 150k series per tenant, 10k samples/s burst 200k", () => {
  assert.equal(DEFAULT_ADMISSION_LIMITS.maxLabelNameLength, 1024);
  assert.equal(DEFAULT_ADMISSION_LIMITS.maxLabelValueLength, 2048);
  assert.equal(DEFAULT_ADMISSION_LIMITS.maxLabelsPerSeries, 30);
  assert.equal(DEFAULT_ADMISSION_LIMITS.maxSeriesPerTenant, 150_000);
  assert.equal(DEFAULT_ADMISSION_LIMITS.ingestionRate, 10_000);
  assert.equal(DEFAULT_ADMISSION_LIMITS.ingestionBurstSize, 200_000);
  const a = adm();
  assert.notEqual(a.checkLabels(L(['__name__', 'up'], ['v', 'x'.repeat(2048)])), null);
  assert.equal(a.checkLabels(L(['__name__', 'up'], ['v', 'x'.repeat(2049)])), null);
  assert.equal(a.reason, 'label_value_too_long');
  assert.match(a.error, /label value length exceeds the limit of 2048 bytes, label: 'v'/);
  // Bytes, not characters: 683 three-byte characters are 2,049 bytes.
  assert.equal(a.checkLabels(L(['__name__', 'up'], ['v', '€'.repeat(683)])), null);
  assert.equal(a.checkLabels(L(['__name__', 'up'], ['n'.repeat(1025), 'x'])), null);
  assert.equal(a.reason, 'label_name_too_long');
  const many = L(
    ['__name__', 'up'],
    ...Array.from({ length: 30 }, (_, i): [string, string] => [`l${i}`, 'v']),
  );
  assert.equal(a.checkLabels(many), null);
  assert.equal(a.reason, 'max_label_names_per_series');
  assert.notEqual(a.checkLabels(many.slice(0, 30)), null);
});

test('ingestion rate: a token bucket of burst samples refilled at rate/s; a request it cannot cover is refused whole', () => {
  const a = adm({ ingestionRate: 100, ingestionBurstSize: 1000 });
  assert.equal(a.takeRate(1000, 0), true);
  assert.equal(a.takeRate(1, 0), false);
  assert.equal(a.reason, 'rate_limited');
  assert.match(
    a.error,
    /ingestion rate limit, set to 100 samples\/s with a maximum allowed burst of 1000, while adding 1 samples/,
  );
  assert.equal(a.takeRate(100, 1000), true); // refilled 100 in 1 s
  assert.equal(a.takeRate(1, 1000), false);
  assert.equal(a.takeRate(1001, 60_000), false); // over the burst: never
  assert.equal(a.takeRate(1000, 60_000), true);
  const off = adm({ ingestionRate: 0 });
  assert.equal(off.takeRate(10_000_000, 0), true);
});

test('per-tenant series limit, the tenant label, and new limits applied to a live Admission', () => {
  const a = new Admission(
    parseAdmissionLimits({ maxSeriesPerTenant: 2 }),
    { seriesCount: () => 0 },
    { tenant: 'team-a' },
  );
  const s = (i: number) => a.checkLabels(L(['__name__', 'up'], ['i', String(i)]))!;
  assert.deepEqual(s(0), L(['__name__', 'up'], ['__tenant__', 'team-a'], ['i', '0']));
  // No sender sets the tenant label, whatever its tenant (anonymous could otherwise write into team-a).
  for (const adm of [a, new Admission(parseAdmissionLimits({}), { seriesCount: () => 0 })]) {
    assert.equal(adm.checkLabels(L(['__name__', 'up'], ['__tenant__', 'team-a'])), null);
    assert.equal(adm.reason, 'invalid_labels');
    assert.match(adm.error, /label name "__tenant__" is reserved/);
  }
  assert.equal(a.admitSeries(s(0), 0), true);
  assert.equal(a.admitSeries(s(1), 0), true);
  assert.equal(a.admitSeries(s(2), 0), false);
  assert.equal(a.reason, 'per_user_series_limit');
  assert.match(a.error, /per-tenant series limit of 2 exceeded for tenant "team-a"/);
  a.limits = parseAdmissionLimits({ maxSeriesPerTenant: 3 });
  assert.equal(a.admitSeries(s(2), 0), true);
  assert.equal(a.trackedSeries(), 3);
});

test('retention: a sample older than now − retention (and one at timestamp 0) is refused as too_old', () => {
  const day = 86_400_000,
    now = 1_700_000_000_000;
  const a = new Admission(parseAdmissionLimits({}), { seriesCount: () => 0 }, { retentionMs: 15 * day });
  assert.equal(a.checkTimestamp(now - 15 * day, now), null);
  assert.equal(a.checkTimestamp(now - 15 * day - 1, now), 'too_old');
  assert.match(a.error, /older than the retention of 1296000000 ms \(oldest accepted 2023-10-30T/);
  assert.equal(a.checkTimestamp(0, now), 'too_old');
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
  assert.throws(() => parseAdmissionLimits({ maxSeries: 1 }), {
    code: 'config_invalid',
    message: /limits\.maxSeries: unknown key/,
  });
  assert.throws(
    () => parseAdmissionLimits({ maxFutureMs: -1 }),
    /limits\.maxFutureMs: expected a non-negative integer/,
  );
  assert.throws(() => parseAdmissionLimits('x'), /expected an object/);
  assert.equal(parseAdmissionLimits({ maxSeriesPerZone: 7 }).maxSeriesPerZone, 7);
});
