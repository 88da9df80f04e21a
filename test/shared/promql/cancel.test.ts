// Long evaluations yield to the event loop: other work runs meanwhile and an AbortSignal
// fired mid-query cancels it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCanopyError } from '../../../shared/errors.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';
import { ValueKind, type Queryable, type SampleCursor, type Series } from '../../../shared/storage.ts';
import { Engine } from '../../../shared/promql/index.ts';

/** N synthetic counters with one sample per second on [0, endMs]; nothing is materialized. */
function synthetic(nSeries: number, endMs: number): Queryable {
  const series: Series[] = [];
  for (let i = 0; i < nSeries; i++) {
    const labels = labelsFromRecord({ __name__: 'c', i: String(i).padStart(5, '0') });
    series.push({
      labels,
      cursor(): SampleCursor {
        let t = -1000;
        return {
          next: () => ((t += 1000) <= endMs ? ValueKind.Float : ValueKind.None),
          seek(x: number) {
            if (t < x) t = Math.ceil(x / 1000) * 1000;
            return t <= endMs ? ValueKind.Float : ValueKind.None;
          },
          atT: () => t,
          atF: () => t / 100,
          atDistribution: () => {
            throw new Error('no distributions');
          },
          err: () => null,
        };
      },
    });
  }
  return {
    querier: async () => ({
      select: () => {
        let k = -1;
        return { next: () => ++k < series.length, at: () => series[k]!, err: () => null, warnings: () => [] };
      },
      labelNames: () => [],
      labelValues: () => [],
      close: () => {},
    }),
  };
}

test('an abort during evaluation cancels the query, and timers run meanwhile', async () => {
  const q = synthetic(400, 3600_000);
  const ac = new AbortController();
  let ticks = 0;
  const iv = setInterval(() => ticks++, 1);
  setTimeout(() => ac.abort(), 30);
  const started = Date.now();
  await assert.rejects(
    new Engine().rangeQuery(q, 'sum(rate(c[1m]))', 0, 3600_000, 1000, { signal: ac.signal }),
    (e: unknown) => isCanopyError(e, 'canceled'),
  );
  clearInterval(iv);
  assert.ok(ticks > 0, 'the event loop ran during evaluation');
  assert.ok(Date.now() - started < 5000, 'canceled promptly');
});

test('the synthetic source evaluates correctly when not aborted', async () => {
  const r = await new Engine().instantQuery(synthetic(3, 600_000), 'sum(rate(c[1m]))', 600_000);
  assert.equal(r.value.type, 'vector');
  if (r.value.type === 'vector')
    assert.ok(Math.abs(r.value.vector[0]!.f - 30) < 1e-9, `sum of rates ${r.value.vector[0]!.f}`);
});
