// The zone's raw selects for the root obey the engine's sample, series and memory limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../shared/memstore.ts';
import { labelsFromRecord } from '../../shared/labels.ts';
import { isCanopyError } from '../../shared/errors.ts';
import { Engine } from '../../shared/promql/index.ts';
import { LocalQuery } from '../../zone/local-query.ts';
import { tenantQueryable } from '../../zone/tenant-view.ts';
import { MetadataStore } from '../../zone/metadata.ts';

function storage(): MemoryStorage {
  const s = new MemoryStorage();
  for (let i = 0; i < 10; i++)
    for (let t = 0; t < 100; t++) s.add(labelsFromRecord({ __name__: 'm', i: String(i) }), t * 1000, t);
  return s;
}

test('selectRaw refuses more samples, series or memory than the engine allows', async () => {
  const s = storage();
  const ok = await new LocalQuery((t) => tenantQueryable(s, t), new Engine(), new MetadataStore()).selectRaw(
    ['m'],
    0,
    100_000,
  );
  assert.equal(ok.length, 10);
  const cases: [Engine, string][] = [
    [new Engine({ maxSamples: 999 }), 'too_many_samples'],
    [new Engine({ maxSeries: 9 }), 'too_many_series'],
    [new Engine({ maxMemoryBytes: 40_000 }), 'limit_exceeded'],
  ];
  for (const [engine, code] of cases) {
    await assert.rejects(
      new LocalQuery((t) => tenantQueryable(s, t), engine, new MetadataStore()).selectRaw(['m'], 0, 100_000),
      (e: unknown) => isCanopyError(e) && e.code === code,
      code,
    );
  }
  assert.equal(
    (
      await new LocalQuery(
        (t) => tenantQueryable(s, t),
        new Engine({ maxSamples: 1000, maxSeries: 10 }),
        new MetadataStore(),
      ).selectRaw(['m'], 0, 100_000)
    ).length,
    10,
  );
});
