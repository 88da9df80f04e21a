// Engine API: result shapes, ordering, querier usage (one querier, whole range), limits,
// cancellation and distribution samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../../shared/memstore.ts';
import { labelsFromRecord, formatLabels } from '../../../shared/labels.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import type { Distribution } from '../../../shared/distribution.ts';
import type { Querier, Queryable, SelectHints } from '../../../shared/storage.ts';
import type { Matcher } from '../../../shared/matchers.ts';
import { Engine } from '../../../shared/promql/index.ts';

function storage(): MemoryStorage {
  const s = new MemoryStorage();
  for (let i = 0; i < 3; i++) {
    const ls = labelsFromRecord({ __name__: 'req_total', instance: `i${i}`, job: 'api' });
    for (let t = 0; t <= 600; t += 15) s.add(ls, t * 1000, t * (i + 1));
  }
  return s;
}

class SpyQueryable implements Queryable {
  calls: [number, number][] = [];
  selects: SelectHints[] = [];
  closed = 0;
  constructor(private readonly inner: Queryable) {}
  async querier(mint: number, maxt: number): Promise<Querier> {
    this.calls.push([mint, maxt]);
    const q = await this.inner.querier(mint, maxt);
    return {
      select: (ms: readonly Matcher[], h: SelectHints) => {
        this.selects.push(h);
        return q.select(ms, h);
      },
      labelNames: (h) => q.labelNames(h),
      labelValues: (n, h) => q.labelValues(n, h),
      close: () => {
        this.closed++;
        q.close();
      },
    };
  }
}

test('one querier over the whole range, each selector selected once', async () => {
  const spy = new SpyQueryable(storage());
  const e = new Engine();
  await e.rangeQuery(
    spy,
    'rate(req_total[5m] offset 1m) + req_total @ 100 + max_over_time(req_total[2m:30s])',
    400_000,
    600_000,
    15_000,
  );
  assert.equal(spy.calls.length, 1);
  assert.equal(spy.closed, 1);
  const [mint, maxt] = spy.calls[0]!;
  assert.equal(mint, Math.min(400_000 - 60_000 - 300_000, 100_000 - 300_000, 400_000 - 120_000 - 300_000));
  assert.equal(maxt, 600_000);
  assert.equal(spy.selects.length, 3);
});

test('no querier for queries without selectors', async () => {
  const spy = new SpyQueryable(storage());
  const r = await new Engine().instantQuery(spy, '1 + time()', 5000);
  assert.deepEqual(r.value, { type: 'scalar', t: 5000, f: 6 });
  assert.equal(spy.calls.length, 0);
});

test('instant query result shapes', async () => {
  const e = new Engine();
  const s = storage();
  const v = await e.instantQuery(s, 'req_total', 600_000);
  assert.equal(v.value.type, 'vector');
  if (v.value.type === 'vector') {
    assert.deepEqual(
      v.value.vector.map((x) => [formatLabels(x.labels), x.t, x.f]),
      [
        ['req_total{instance="i0", job="api"}', 600_000, 600],
        ['req_total{instance="i1", job="api"}', 600_000, 1200],
        ['req_total{instance="i2", job="api"}', 600_000, 1800],
      ],
    );
  }
  const m = await e.instantQuery(s, 'req_total{instance="i0"}[30s]', 600_000);
  assert.equal(m.value.type, 'matrix');
  if (m.value.type === 'matrix') {
    assert.deepEqual(m.value.matrix[0]!.points, [
      { t: 570_000, f: 570 },
      { t: 585_000, f: 585 },
      { t: 600_000, f: 600 },
    ]);
  }
  const sq = await e.instantQuery(s, 'req_total{instance="i0"}[1m:30s]', 600_000);
  assert.equal(sq.value.type, 'matrix');
  if (sq.value.type === 'matrix')
    assert.deepEqual(
      sq.value.matrix[0]!.points.map((p) => p.t),
      [540_000, 570_000, 600_000],
    );
  const str = await e.instantQuery(s, '"hello"', 1000);
  assert.deepEqual(str.value, { type: 'string', t: 1000, s: 'hello' });
});

test('range query: sorted by labels, scalar as one unlabeled series, steps aligned to start', async () => {
  const e = new Engine();
  const s = storage();
  const r = await e.rangeQuery(s, 'sort_desc(req_total)', 0, 60_000, 30_000);
  assert.equal(r.value.type, 'matrix');
  if (r.value.type === 'matrix') {
    assert.deepEqual(
      r.value.matrix.map((x) => formatLabels(x.labels)),
      [
        'req_total{instance="i0", job="api"}',
        'req_total{instance="i1", job="api"}',
        'req_total{instance="i2", job="api"}',
      ],
    );
    assert.deepEqual(r.value.matrix[1]!.points, [
      { t: 0, f: 0 },
      { t: 30_000, f: 60 },
      { t: 60_000, f: 120 },
    ]);
  }
  const sc = await e.rangeQuery(s, 'time() * 2', 10_000, 20_000, 5_000);
  assert.deepEqual(sc.value, {
    type: 'matrix',
    matrix: [
      {
        labels: [],
        points: [
          { t: 10_000, f: 20 },
          { t: 15_000, f: 30 },
          { t: 20_000, f: 40 },
        ],
      },
    ],
  });
});

test('range query validation', async () => {
  const e = new Engine();
  const s = storage();
  const bad = async (p: Promise<unknown>, code: string, msg: RegExp) =>
    assert.rejects(p, (err: unknown) => isCanopyError(err) && err.code === code && msg.test(err.message));
  await bad(e.rangeQuery(s, 'up', 10, 0, 1), 'bad_data', /end timestamp must not be before start time/);
  await bad(e.rangeQuery(s, 'up', 0, 10, 0), 'bad_data', /zero or negative query resolution step/);
  await bad(e.rangeQuery(s, 'up', 0, 1e9, 1), 'bad_data', /exceeded maximum resolution of 11,000 points/);
  await bad(
    e.rangeQuery(s, '"str"', 0, 10, 1),
    'bad_data',
    /invalid expression type "string" for range query/,
  );
  await bad(e.rangeQuery(s, 'up[5m]', 0, 10, 1), 'bad_data', /invalid expression type "range vector"/);
  await bad(e.instantQuery(s, 'rate(up)', 0), 'parse_error', /^1:6: parse error: expected type range vector/);
});

test('sample limit', async () => {
  const s = storage();
  await assert.rejects(
    new Engine({ maxSamples: 10 }).instantQuery(s, 'count_over_time(req_total[5m])', 600_000),
    (err: unknown) => {
      assert.ok(isCanopyError(err, 'too_many_samples'));
      assert.equal(
        err.message,
        'query processing would load too many samples into memory in query execution',
      );
      return true;
    },
  );
  const ok = await new Engine({ maxSamples: 1000 }).instantQuery(
    s,
    'count_over_time(req_total[5m])',
    600_000,
  );
  assert.equal(ok.value.type === 'vector' && ok.value.vector.length, 3);
  // The budget bounds samples held at once: each 21-point window is released once consumed.
  const peak = await new Engine({ maxSamples: 30 }).instantQuery(
    s,
    'count_over_time(req_total[5m])',
    600_000,
  );
  assert.equal(peak.value.type === 'vector' && peak.value.vector.length, 3);
  // A top-level range selector keeps its points: 3 × 21 > 30.
  await assert.rejects(
    new Engine({ maxSamples: 30 }).instantQuery(s, 'req_total[5m]', 600_000),
    (err: unknown) => isCanopyError(err, 'too_many_samples'),
  );
});

test('series limit per selector', async () => {
  await assert.rejects(
    new Engine({ maxSeriesPerSelector: 2 }).instantQuery(storage(), 'sum(req_total)', 600_000),
    (err: unknown) => isCanopyError(err, 'too_many_series'),
  );
  const ok = await new Engine({ maxSeriesPerSelector: 3 }).instantQuery(storage(), 'sum(req_total)', 600_000);
  assert.equal(ok.value.type, 'vector');
});

test('cancellation and timeout', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(
    new Engine().instantQuery(storage(), 'req_total', 0, { signal: ac.signal }),
    (err: unknown) => isCanopyError(err, 'canceled'),
  );
  const slow: Queryable = {
    querier: async (a, b) => {
      await new Promise((r) => setTimeout(r, 30));
      return storage().querier(a, b);
    },
  };
  await assert.rejects(
    new Engine({ timeoutMs: 5 }).rangeQuery(slow, 'rate(req_total[1m])', 0, 600_000, 1000),
    (err: unknown) => {
      assert.ok(isCanopyError(err, 'timeout'));
      assert.match(err.message, /query timed out/);
      return true;
    },
  );
});

test('stale markers end series in range queries and are invisible to range functions', async () => {
  const s = new MemoryStorage();
  const ls = labelsFromRecord({ __name__: 'g' });
  const buf = new DataView(new ArrayBuffer(8));
  buf.setUint32(0, 0x7ff00000);
  buf.setUint32(4, 2);
  s.add(ls, 0, 1);
  s.add(ls, 60_000, buf.getFloat64(0));
  s.add(ls, 120_000, 3);
  const r = await new Engine().rangeQuery(s, 'g', 0, 180_000, 30_000);
  assert.deepEqual(r.value.type === 'matrix' && r.value.matrix[0]!.points.map((p) => [p.t, p.f]), [
    [0, 1],
    [30_000, 1],
    [120_000, 3],
    [150_000, 3],
    [180_000, 3],
  ]);
  const c = await new Engine().instantQuery(s, 'count_over_time(g[3m])', 180_000);
  assert.equal(c.value.type === 'vector' && c.value.vector[0]!.f, 2);
});

function dist(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    means: Float64Array.from(sorted),
    weights: new Float64Array(sorted.length).fill(1),
  };
}

test('distribution samples: sum merges, histogram_* read them', async () => {
  const s = new MemoryStorage();
  const a = labelsFromRecord({ __name__: 'lat', host: 'a' });
  const b = labelsFromRecord({ __name__: 'lat', host: 'b' });
  const va = Array.from({ length: 50 }, (_, i) => i + 1); // 1..50
  const vb = Array.from({ length: 50 }, (_, i) => i + 51); // 51..100
  s.add(a, 10_000, 0, dist(va));
  s.add(b, 10_000, 0, dist(vb));
  s.add(a, 20_000, 0, dist([1000]));
  const e = new Engine();
  const merged = await e.instantQuery(s, 'sum(lat)', 10_000);
  assert.equal(merged.value.type, 'vector');
  if (merged.value.type === 'vector') {
    const d = merged.value.vector[0]!.d!;
    assert.equal(d.count, 100);
    assert.equal(d.sum, 5050);
    assert.equal(d.min, 1);
    assert.equal(d.max, 100);
    assert.ok(d.means.length <= 100, `${d.means.length} centroids`);
  }
  const q = await e.instantQuery(s, 'histogram_quantile(0.5, sum(lat))', 10_000);
  const median = q.value.type === 'vector' ? q.value.vector[0]!.f : NaN;
  assert.ok(Math.abs(median - 50.5) <= 2, `median ${median}`);
  const q9 = await e.instantQuery(s, 'histogram_quantile(0.9, lat{host="a"})', 10_000);
  const p90 = q9.value.type === 'vector' ? q9.value.vector[0]!.f : NaN;
  assert.ok(Math.abs(p90 - 45.5) <= 1, `p90 ${p90}`);
  const cnt = await e.instantQuery(s, 'histogram_count(lat)', 10_000);
  assert.deepEqual(
    cnt.value.type === 'vector' && cnt.value.vector.map((x) => [formatLabels(x.labels), x.f]),
    [
      ['{host="a"}', 50],
      ['{host="b"}', 50],
    ],
  );
  const sum = await e.instantQuery(s, 'histogram_sum(sum(lat))', 10_000);
  assert.equal(sum.value.type === 'vector' && sum.value.vector[0]!.f, 5050);
  const frac = await e.instantQuery(s, 'histogram_fraction(0, 25, lat{host="a"})', 10_000);
  const f = frac.value.type === 'vector' ? frac.value.vector[0]!.f : NaN;
  assert.ok(Math.abs(f - 0.5) < 0.05, `fraction ${f}`);
  const overTime = await e.instantQuery(s, 'histogram_count(sum_over_time(lat{host="a"}[30s]))', 20_000);
  assert.equal(overTime.value.type === 'vector' && overTime.value.vector[0]!.f, 51);
  const plus = await e.instantQuery(
    s,
    'histogram_count(lat{host="a"} + ignoring(host) lat{host="b"})',
    10_000,
  );
  assert.equal(plus.value.type === 'vector' && plus.value.vector[0]!.f, 100);
  const times = await e.instantQuery(s, 'lat * 2', 10_000);
  assert.equal(times.value.type === 'vector' && times.value.vector.length, 0);
  assert.ok(times.warnings.length > 0, 'a warning for the dropped distributions');
  const floats = await e.instantQuery(s, 'histogram_count(vector(1))', 10_000);
  assert.equal(floats.value.type === 'vector' && floats.value.vector.length, 0);
});

test('storage failures: typed errors pass through, others become internal errors', async () => {
  const failing = (err: Error): Queryable => ({
    querier: async () => {
      throw err;
    },
  });
  await assert.rejects(
    new Engine().instantQuery(failing(new Error('disk on fire')), 'up', 0),
    (e: unknown) => {
      assert.ok(isCanopyError(e, 'internal'));
      assert.match(e.message, /cannot open querier: disk on fire/);
      return true;
    },
  );
  const { CanopyError } = await import('../../../shared/errors.ts');
  await assert.rejects(
    new Engine().instantQuery(failing(new CanopyError('unavailable', 'cold tier down')), 'up', 0),
    (e: unknown) => isCanopyError(e, 'unavailable'),
  );
  const badSet: Queryable = {
    querier: async () => ({
      select: () => ({
        next: () => false,
        at: () => undefined as never,
        err: () => new Error('index corrupt'),
        warnings: () => [],
      }),
      labelNames: () => [],
      labelValues: () => [],
      close: () => {},
    }),
  };
  await assert.rejects(
    new Engine().instantQuery(badSet, 'up', 0),
    (e: unknown) => isCanopyError(e, 'internal') && /index corrupt/.test(e.message),
  );
});

test('series-set warnings reach the result', async () => {
  const inner = storage();
  const q: Queryable = {
    querier: async (a, b) => {
      const base = await inner.querier(a, b);
      return {
        ...base,
        select: (ms, h) => {
          const set = base.select(ms, h);
          return {
            next: () => set.next(),
            at: () => set.at(),
            err: () => set.err(),
            warnings: () => ['zone eu-1 timed out'],
          };
        },
      };
    },
  };
  const r = await new Engine().instantQuery(q, 'sum(req_total)', 600_000);
  assert.deepEqual(r.warnings, ['zone eu-1 timed out']);
});

test('distributions over a range query: p99 of merged per-flush digests per step', async () => {
  const s = new MemoryStorage();
  const hosts = ['a', 'b'];
  for (const host of hosts) {
    const ls = labelsFromRecord({ __name__: 'rpc_latency', host });
    for (let t = 10_000; t <= 600_000; t += 10_000) {
      // Every flush holds 1..100 (scaled by host): the merged p50 is known; a 1m window holds 7 flushes.
      const k = host === 'a' ? 1 : 2;
      s.add(ls, t, 0, dist(Array.from({ length: 100 }, (_, i) => (i + 1) * k)));
    }
  }
  const e = new Engine();
  const r = await e.rangeQuery(
    s,
    'histogram_quantile(0.5, sum by (host) (sum_over_time(rpc_latency[1m])))',
    300_000,
    600_000,
    60_000,
  );
  assert.equal(r.value.type, 'matrix');
  if (r.value.type !== 'matrix') return;
  assert.deepEqual(
    r.value.matrix.map((m) => formatLabels(m.labels)),
    ['{host="a"}', '{host="b"}'],
  );
  for (const m of r.value.matrix) {
    assert.equal(m.points.length, 6);
    const want = m.labels[0]!.value === 'a' ? 50.5 : 101;
    for (const p of m.points) assert.ok(Math.abs(p.f - want) <= want * 0.05, `p50 ${p.f} vs ${want}`);
  }
  const counts = await e.rangeQuery(
    s,
    'histogram_count(sum(sum_over_time(rpc_latency[1m])))',
    300_000,
    600_000,
    60_000,
  );
  assert.ok(
    counts.value.type === 'matrix' && counts.value.matrix[0]!.points.every((p) => p.f === 1400),
    'merged counts per step',
  );
});

test('select hints: step 0 for instant queries, the query step for range queries', async () => {
  const spy = new SpyQueryable(storage());
  const e = new Engine();
  await e.instantQuery(spy, 'rate(req_total[5m])', 600_000);
  await e.rangeQuery(spy, 'req_total', 0, 600_000, 30_000);
  await e.rangeQuery(spy, 'max_over_time(req_total[5m:20s])', 300_000, 600_000, 60_000);
  assert.deepEqual(
    spy.selects.map((h) => [h.startMs, h.endMs, h.stepMs, h.func]),
    [
      [300_000, 600_000, 0, 'rate'],
      [-300_000, 600_000, 30_000, undefined],
      [0 - 300_000, 600_000, 20_000, undefined],
    ],
  );
});

test('queryTimeRange', async () => {
  const { queryTimeRange, parseExpr } = await import('../../../shared/promql/index.ts');
  assert.deepEqual(queryTimeRange(parseExpr('rate(x[5m] offset 1h)'), 10_000_000, 10_000_000, 0), {
    mintMs: 10_000_000 - 3_600_000 - 300_000,
    maxtMs: 10_000_000 - 3_600_000,
  });
  assert.deepEqual(queryTimeRange(parseExpr('x @ 100 + y'), 1_000_000, 2_000_000, 60_000), {
    mintMs: 100_000 - 300_000,
    maxtMs: 2_000_000,
  });
  assert.deepEqual(queryTimeRange(parseExpr('max_over_time(x[10m:1m])'), 3_600_000, 3_600_000, 0), {
    mintMs: 3_000_000 - 300_000,
    maxtMs: 3_600_000,
  });
  assert.equal(queryTimeRange(parseExpr('1 + time()'), 0, 1000, 0), null);
});

test('hand-built selectors without the __name__ matcher still select by name', async () => {
  const e = new Engine();
  const vs = {
    kind: 'VectorSelector' as const,
    name: 'req_total',
    matchers: [],
    offsetMs: 0,
    atMs: null,
    atPre: null,
    start: 0,
    end: 0,
  };
  const st = storage();
  st.add(labelsFromRecord({ __name__: 'other', instance: 'i9' }), 600_000, 1);
  const r = await e.instantQuery(
    st,
    {
      kind: 'AggregateExpr',
      op: 'count',
      expr: vs,
      param: null,
      grouping: [],
      without: false,
      start: 0,
      end: 0,
    },
    600_000,
  );
  assert.equal(r.value.type === 'vector' && r.value.vector[0]!.f, 3);
});
