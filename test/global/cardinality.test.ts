// Global cardinality from the zones' sketches: per-metric and per-label-pair HyperLogLogs merged
// at the root (global/cardinality.ts) from what the zones compute (zone/cardinality-sketches.ts).
// The pair merge is a union: the same series in two answers (two replicas) counts once, series of
// two zones all count; a zone that cut its pair list bounds what it may hold unlisted; a zone
// that does not answer is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type TestSample } from './cluster.ts';
import { globalCardinality, mergeCardinality } from '../../global/cardinality.ts';
import {
  cardinalitySketches,
  CARDINALITY_PAIR_HLL_P,
  CARDINALITY_TOP_PAIRS,
} from '../../zone/cardinality-sketches.ts';
import { MemoryStorage } from '../../shared/memstore.ts';
import { withExternalLabels } from '../../shared/external-labels.ts';
import { labelsFromRecord } from '../../shared/labels.ts';
import { HyperLogLog } from '../../shared/sketch/index.ts';
import type { IMetadataResult } from '../../proto/index.ts';
import type { ZoneState } from '../../global/zones.ts';

const T = 1_700_000_000_000;

function zoneSamples(
  zone: string,
  region: string,
  job: string,
  n: number,
  extra: Record<string, string> = {},
): TestSample[] {
  return Array.from({ length: n }, (_, i) => ({
    labels: { __name__: 'http_requests_total', job, instance: `${zone}-${job}-${i}`, zone, region, ...extra },
    t: T,
    v: i,
  }));
}

/** A zone's CARDINALITY answer computed from its own store (as zone/hints.ts does). */
async function answerOf(
  zone: string,
  samples: TestSample[],
  topPairs = CARDINALITY_TOP_PAIRS,
): Promise<{ zone: ZoneState; result: IMetadataResult }> {
  const store = new MemoryStorage();
  const app = store.appender();
  for (const s of samples) app.append(labelsFromRecord(s.labels), s.t, s.v);
  await app.commit();
  const ext = { zone, region: 'r' };
  const q = await withExternalLabels(store, ext).querier(-8.64e15, 8.64e15, { selects: [] });
  try {
    return {
      zone: { zone } as ZoneState,
      result: { zone, hints: { zone, ...cardinalitySketches(q, Object.keys(ext), topPairs) } },
    };
  } finally {
    q.close();
  }
}

const within = (got: number, want: number, rel: number): boolean => Math.abs(got - want) <= want * rel;

test('the root merges label-pair sketches across zones: a pair in two zones sums their series; per-zone exact counts; zones answered', async () => {
  const samples = [
    ...zoneSamples('a', 'r1', 'api', 300),
    ...zoneSamples('a', 'r1', 'db', 50),
    ...zoneSamples('b', 'r2', 'api', 200),
  ];
  const c = await startCluster(
    [
      { zone: 'a', region: 'r1' },
      { zone: 'b', region: 'r2' },
    ],
    samples,
  );
  try {
    const r = await globalCardinality(
      c.fanout,
      10,
      { timeoutMs: 5000, partialResponse: true, signal: AbortSignal.timeout(10_000) },
      5000,
      ['a', 'b'],
    );
    assert.deepEqual(r.zones, ['a', 'b']);
    assert.deepEqual(r.missingZones, []);
    const api = r.labelPairs.find((p) => p.name === 'job' && p.value === 'api')!;
    assert.ok(api, JSON.stringify(r.labelPairs.slice(0, 5)));
    assert.deepEqual(api.zones, { a: 300, b: 200 });
    assert.ok(within(api.series, 500, 0.1), `job=api estimate ${api.series}, want ≈ 500`);
    assert.equal(api.unlistedUpTo, 0);
    assert.equal(r.labelPairs[0], api, 'the biggest pair first');
    const db = r.labelPairs.find((p) => p.name === 'job' && p.value === 'db')!;
    assert.deepEqual(db.zones, { a: 50 });
    assert.ok(within(db.series, 50, 0.1), `job=db estimate ${db.series}`);
    // external labels (zone, region) and __name__ are not pairs: every series has them
    assert.ok(
      !r.labelPairs.some((p) => ['zone', 'region', '__name__'].includes(p.name)),
      JSON.stringify(r.labelPairs.map((p) => p.name)),
    );
    assert.ok(within(r.metrics[0]!.series, 550, 0.05));
  } finally {
    c.stop();
  }
});

test('the same series in two answers (two replicas of a zone) is counted once; disjoint zones add up', async () => {
  const s = zoneSamples('a', 'r1', 'api', 1000);
  const one = await answerOf('a', s);
  const twin = await answerOf('a', s);
  const dup = mergeCardinality(
    { answers: [one, { ...twin, zone: { zone: 'a2' } as ZoneState }], warnings: [], skipped: [] },
    10,
    ['a', 'a2'],
  );
  const api = dup.labelPairs.find((p) => p.value === 'api')!;
  assert.ok(within(api.series, 1000, 0.1), `union of identical sets ${api.series}, want ≈ 1000 (not 2000)`);
  assert.deepEqual(api.zones, { a: 1000, a2: 1000 });
  const other = await answerOf('b', zoneSamples('b', 'r2', 'api', 1000));
  const sum = mergeCardinality({ answers: [one, other], warnings: [], skipped: [] }, 10, ['a', 'b']);
  assert.ok(within(sum.labelPairs.find((p) => p.value === 'api')!.series, 2000, 0.1));
  // the sketches are p = 10 (1 KiB)
  assert.equal(HyperLogLog.fromBytes(one.result.hints!.labelPairs![0]!.sketch!).p, CARDINALITY_PAIR_HLL_P);
});

test('a zone sends its top K pairs only, with how many it holds; the root bounds what a cut zone may hold unlisted', async () => {
  // zone a: job=api 30 series, owner=x 20 of them, owner=y 10; zone b: owner=y on 5 series, job=web 40
  const a = await answerOf(
    'a',
    [
      ...zoneSamples('a', 'r1', 'api', 20, { owner: 'x' }),
      ...zoneSamples('a', 'r1', 'api', 10, { owner: 'y' }).map((s) => ({
        ...s,
        labels: { ...s.labels, instance: `${s.labels.instance}-y` },
      })),
    ],
    2,
  );
  assert.deepEqual(
    a.result.hints!.labelPairs!.map((p) => `${p.name}=${p.value}:${p.series}`),
    ['job=api:30', 'owner=x:20'],
  );
  assert.ok(Number(a.result.hints!.labelPairsTotal) > 2);
  const b = await answerOf('b', [
    ...zoneSamples('b', 'r2', 'web', 40),
    ...zoneSamples('b', 'r2', 'web', 5, { owner: 'y' }).map((s) => ({
      ...s,
      labels: { ...s.labels, instance: `${s.labels.instance}-y` },
    })),
  ]);
  const r = mergeCardinality({ answers: [a, b], warnings: [], skipped: [] }, 10, ['a', 'b']);
  const y = r.labelPairs.find((p) => p.name === 'owner' && p.value === 'y')!;
  assert.deepEqual(y.zones, { b: 5 });
  assert.equal(y.unlistedUpTo, 20, 'zone a cut its list at 20 series and did not list owner=y');
  assert.equal(r.labelPairs.find((p) => p.value === 'web')!.unlistedUpTo, 20);
  assert.equal(r.labelPairs.find((p) => p.value === 'x')!.unlistedUpTo, 0, 'b listed every pair it has');
});

test('a zone that does not answer is named in missingZones with the reason, never silently left out', async () => {
  const c = await startCluster(
    [
      { zone: 'a', region: 'r1' },
      { zone: 'b', region: 'r2' },
    ],
    [...zoneSamples('a', 'r1', 'api', 10), ...zoneSamples('b', 'r2', 'api', 10)],
  );
  try {
    c.responders.get('b')!.stop();
    const r = await globalCardinality(
      c.fanout,
      10,
      { timeoutMs: 5000, partialResponse: true, signal: AbortSignal.timeout(10_000) },
      300,
      ['a', 'b', 'ghost'],
    );
    assert.deepEqual(r.zones, ['a']);
    assert.deepEqual(
      r.missingZones.map((m) => m.zone),
      ['b', 'ghost'],
    );
    assert.match(r.missingZones[0]!.reason, /zone b .*300 ms/);
    assert.equal(r.missingZones[1]!.reason, 'no answer');
    assert.ok(
      r.warnings.some((w) => /zone b/.test(w)),
      r.warnings.join('\n'),
    );
    assert.deepEqual(r.labelPairs.find((p) => p.value === 'api')!.zones, { a: 10 });
  } finally {
    c.stop();
  }
});
