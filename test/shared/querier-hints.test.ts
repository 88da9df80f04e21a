// QuerierHints (shared/storage.ts): the engine announces every selector's matchers when it opens
// a querier, and the wrappers that rewrite matchers (external labels, tenant views) rewrite the
// announced ones the same way, so a cold tier prefetches what select() will really ask for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../shared/memstore.ts';
import { labelsFromRecord } from '../../shared/labels.ts';
import type { Querier, QuerierHints, Queryable } from '../../shared/storage.ts';
import { Engine } from '../../shared/promql/index.ts';
import { withExternalLabels } from '../../shared/external-labels.ts';
import { tenantQueryable } from '../../zone/tenant-view.ts';

class Capture implements Queryable {
  hints: (QuerierHints | undefined)[] = [];
  selected: string[][] = [];
  constructor(private readonly inner: Queryable) {}
  async querier(mint: number, maxt: number, hints?: QuerierHints): Promise<Querier> {
    this.hints.push(hints);
    const q = await this.inner.querier(mint, maxt, hints);
    return {
      select: (ms, h) => {
        this.selected.push(ms.map(String).sort());
        return q.select(ms, h);
      },
      labelNames: (h) => q.labelNames(h),
      labelValues: (n, h) => q.labelValues(n, h),
      close: () => q.close(),
    };
  }
}

const fmt = (h: QuerierHints | undefined): string[][] | undefined =>
  h?.selects?.map((ms) => ms.map(String).sort());

test('the engine announces its selectors; external-label and tenant wrappers rewrite them as select() gets them', async () => {
  const st = new MemoryStorage();
  const a = st.appender();
  a.append(labelsFromRecord({ __name__: 'x', job: 'a' }), 1000, 1);
  await a.commit();
  const cap = new Capture(st);
  const q = withExternalLabels(tenantQueryable(cap, 'anonymous'), { zone: 'eu-a' });
  const r = await new Engine().instantQuery(
    q,
    'sum(rate(x{zone="eu-a",job="a"}[5m])) + count(y) + x{zone="other"}',
    60_000,
  );
  assert.equal(r.warnings.length, 0);
  assert.deepEqual(
    fmt(cap.hints[0]),
    [['__name__="x"', 'job="a"'], ['__name__="y"']],
    'zone matchers stripped; x{zone="other"} can match nothing and is dropped',
  );
  // Every select the querier got is covered by an announced matcher set.
  for (const s of cap.selected)
    assert.ok(
      fmt(cap.hints[0])!.some((h) => h.every((m) => s.includes(m))),
      `select ${s.join(',')} announced`,
    );
  // A labels-only read announces no selects.
  const ext = withExternalLabels(cap, { zone: 'eu-a' });
  (await ext.querier(0, 1, { selects: [] })).close();
  assert.deepEqual(cap.hints[1], { selects: [] });
  (await ext.querier(0, 1)).close();
  assert.equal(cap.hints[2], undefined, 'no hints: anything may be read');
});
