// Differential test: PromQL over the TSDB (blocks + head, OOO samples, stale markers) returns
// exactly what it returns over the reference MemoryStorage holding the same samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB } from '../../../zone/tsdb/index.ts';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { Engine, STALE_NAN } from '../../../shared/promql/index.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';

const H = 3600_000;

test('PromQL over the TSDB equals PromQL over MemoryStorage', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdb-diff-'));
  const db = await openTSDB({ dir, walFsync: 'none', autoCompact: false, blockRangeMs: 2 * H });
  const mem = new MemoryStorage();
  try {
    const series = Array.from({ length: 12 }, (_, i) =>
      labelsFromRecord({
        __name__: i < 8 ? 'http_requests_total' : 'temp_celsius',
        instance: `i${i % 4}`,
        code: i < 8 ? (i % 2 ? '200' : '500') : '',
      }),
    );
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;
    const vals = series.map(() => 0);
    const late: [number, number, number][] = [];
    for (let t = 0; t < 5 * H; t += 15_000) {
      const a = db.appender();
      series.forEach((ls, i) => {
        if (i === 3 && t > 2 * H && t < 2.5 * H) return; // a gap
        const tt = t + (i % 3);
        let v = i < 8 ? (vals[i]! += Math.floor(rnd() * 10)) : Math.round(rnd() * 400) / 10;
        if (i === 5 && t === 3 * H) v = STALE_NAN;
        if (i === 9 && rnd() < 0.05) {
          late.push([i, tt, v]); // delivered later, out of order
          return;
        }
        a.append(ls, tt, v);
        mem.add(ls, tt, v);
      });
      await a.commit();
      if (t % H === 0 && late.length > 0) {
        const b = db.appender();
        for (const [i, tt, v] of late.splice(0)) {
          b.append(series[i]!, tt, v);
          mem.add(series[i]!, tt, v);
        }
        assert.deepEqual((await b.commit()).rejected, {});
      }
    }
    assert.equal(await db.compactHead(), 1); // [0, 2h) in a block, the rest in the head
    const engine = new Engine();
    const queries = [
      'http_requests_total',
      'rate(http_requests_total[5m])',
      'sum by (code) (increase(http_requests_total[10m]))',
      'max_over_time(temp_celsius[7m])',
      'avg(temp_celsius) by (instance)',
      'count_over_time({__name__=~"http.*", code!="200"}[3m])',
      'temp_celsius offset 30m',
      'http_requests_total{instance=~"i[13]"} - ignoring(code) group_left temp_celsius{instance="i1"}',
    ];
    for (const q of queries) {
      const a = await engine.rangeQuery(db, q, 1.5 * H, 3.5 * H, 60_000);
      const b = await engine.rangeQuery(mem, q, 1.5 * H, 3.5 * H, 60_000);
      assert.ok(a.value.type === 'matrix' && a.value.matrix.length > 0, q);
      assert.deepEqual(a, b, q);
      const c = await engine.instantQuery(db, q, 2 * H + 7000);
      const d = await engine.instantQuery(mem, q, 2 * H + 7000);
      assert.deepEqual(c, d, q);
    }
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
