import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, type TSDB } from '../../../zone/tsdb/index.ts';
import { blockResolution } from '../../../zone/tsdb/block-writer.ts';
import {
  decodeRollupChunk,
  encodeRollupChunk,
  decodeAggregate,
  Aggr,
} from '../../../zone/tsdb/chunk/rollup.ts';
import { downsampleRaw, downsampleRollup, RES_1H, RES_5M } from '../../../zone/tsdb/rollup.ts';
import { ArrayCursor } from '../../../zone/tsdb/cursors.ts';
import { labelsFromRecord, formatLabels } from '../../../shared/labels.ts';
import { Engine } from '../../../shared/promql/index.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import type { QueryResult } from '../../../shared/value.ts';

const M = 60_000,
  H = 3600_000,
  D = 86400_000;

test('rollup chunk round-trips every aggregate and rejects corruption', () => {
  const w = {
    t: [299_000, 599_000, 899_000],
    count: [20, 20, 19],
    sum: [10.5, 20.25, -3],
    min: [0.1, 0.5, -1],
    max: [1, 2.5, 7],
    last: [0.75, 1.5, 3],
    counter: [100, 250.5, 400],
    counterFirst: { t: 0, v: 5 },
  };
  const b = encodeRollupChunk(w);
  assert.deepEqual(decodeRollupChunk(b), w);
  const { counterFirst: _, ...noLead } = w;
  assert.deepEqual(decodeRollupChunk(encodeRollupChunk(noLead)), { ...noLead });
  const bad = b.slice(0, b.length - 3);
  assert.throws(
    () => decodeRollupChunk(bad),
    (e) => isCanopyError(e, 'corrupt'),
  );
});

test('downsampling a counter with resets keeps the increase, windows aligned to the resolution', () => {
  // 15 s samples in [0, 30 min): +1 per sample, reset to 0 at 10 min and at 22 min 30 s; windows [w, w + 5m).
  const ts: number[] = [],
    vs: number[] = [];
  let v = 1000;
  for (let t = 0; t < 30 * M; t += 15_000) {
    if (t === 10 * M || t === 22 * M + 30_000) v = 0;
    ts.push(t);
    vs.push(v);
    v++;
  }
  const chunks = downsampleRaw(
    new ArrayCursor(Float64Array.from(ts), Float64Array.from(vs), ts.length),
    RES_5M,
  )!;
  assert.equal(chunks.length, 1);
  const w = decodeRollupChunk(chunks[0]!.bytes);
  assert.equal(w.t.length, 6);
  assert.deepEqual(w.count, [20, 20, 20, 20, 20, 20]);
  assert.deepEqual(w.t, [299_999, 599_999, 899_999, 1_199_999, 1_499_999, 1_799_999]);
  assert.deepEqual(w.counterFirst, { t: 0, v: 1000 });
  // True increase over the 30 min: 119 increments minus what the resets lost, i.e. the
  // reset-corrected last value minus the first: counter is monotonic and ends at first + increase.
  let inc = 0;
  for (let i = 1; i < vs.length; i++) inc += vs[i]! >= vs[i - 1]! ? vs[i]! - vs[i - 1]! : vs[i]!;
  assert.equal(w.counter[5]! - 1000, inc);
  for (let i = 1; i < 6; i++) assert.ok(w.counter[i]! >= w.counter[i - 1]!);
  assert.deepEqual(w.last, [vs[19], vs[39], vs[59], vs[79], vs[99], vs[119]]);
  assert.equal(w.max[1], Math.max(...vs.slice(20, 40)));
  assert.equal(w.min[2], 0);
  // 1h from 5m: one window, sums and counts add up, counter keeps the lead sample.
  const h = decodeRollupChunk(downsampleRollup([chunks[0]!.bytes], RES_1H)[0]!.bytes);
  assert.deepEqual(h.count, [120]);
  assert.equal(
    h.sum[0],
    vs.reduce((a, b) => a + b, 0),
  );
  assert.deepEqual(h.counter, [w.counter[5]]);
  assert.deepEqual(h.counterFirst, w.counterFirst);
  const ct: number[] = [],
    cv: number[] = [];
  decodeAggregate(chunks[0]!.bytes, Aggr.Counter, ct, cv);
  assert.equal(ct.length, 7);
});

const DAYS = 12;
const STEP = 30_000;
const SERIES = [
  labelsFromRecord({ __name__: 'req_total', job: 'a', instance: '1' }),
  labelsFromRecord({ __name__: 'req_total', job: 'a', instance: '2' }),
  labelsFromRecord({ __name__: 'temp', job: 'b', instance: '1' }),
  labelsFromRecord({ __name__: 'edge_total', job: 'c', instance: '1' }),
];
/** edge_total restarts exactly where the first rollup block ends (Jan 1, 18:00: blocks of 18 h, then 54 h). */
const EDGE_RESET = Date.UTC(2026, 0, 1, 18);
/** Counters growing at a varying rate with a reset every ~3.3 days; a smooth gauge. */
function val(i: number, t: number, state: number[]): number {
  if (i === 3) return t >= EDGE_RESET ? (t - EDGE_RESET) / 30_000 : 1000 + (t % D) / 30_000;
  if (i < 2) {
    if (t % (80 * H) === (i + 1) * 7 * H) state[i] = 0;
    state[i]! += 2 + i + Math.sin(t / (5 * H));
    return Math.round(state[i]! * 100) / 100;
  }
  return Math.round((50 + 5 * Math.sin(t / (9 * H)) + 0.5 * Math.sin(t / 420_000)) * 10) / 10;
}

async function backfill(db: TSDB, startMs: number): Promise<void> {
  const state = [0, 0];
  for (let day = 0; day < DAYS; day++) {
    const a = db.appender();
    for (let t = startMs + day * D; t < startMs + (day + 1) * D; t += STEP) {
      SERIES.forEach((ls, i) => a.append(ls, t, val(i, t, state)));
    }
    const r = await a.commit();
    assert.deepEqual(r.rejected, {});
    await db.cutBlocksNow();
  }
}

function byLabels(r: QueryResult): Map<string, Map<number, number>> {
  assert.equal(r.value.type, 'matrix');
  const out = new Map<string, Map<number, number>>();
  if (r.value.type !== 'matrix') return out;
  for (const s of r.value.matrix) out.set(formatLabels(s.labels), new Map(s.points.map((p) => [p.t, p.f])));
  return out;
}

function agree(a: QueryResult, b: QueryResult, tol: number, what: string): number {
  const x = byLabels(a),
    y = byLabels(b);
  assert.deepEqual([...x.keys()].sort(), [...y.keys()].sort(), what);
  let worst = 0,
    n = 0;
  for (const [k, pts] of x) {
    const other = y.get(k)!;
    for (const [t, v] of pts) {
      const w = other.get(t);
      if (w === undefined) continue;
      n++;
      const rel = Math.abs(v - w) / Math.max(Math.abs(w), 1e-9);
      if (rel > tol && process.env.ROLLUP_DEBUG) console.log(what, k, new Date(t).toISOString(), v, w);
      worst = Math.max(worst, rel);
    }
    assert.ok(n > 0, `${what}: no common points`);
  }
  assert.ok(worst <= tol, `${what}: worst relative difference ${worst} > ${tol}`);
  return worst;
}

test('compaction writes 5m and 1h rollup blocks; the engine reads them and agrees with raw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rollup-test-'));
  const db = await openTSDB({
    dir,
    walFsync: 'none',
    autoCompact: false,
    wal: false,
    retentionMs: 30 * D,
    rollup5mAfterMs: 40 * H,
    rollup1hAfterMs: 10 * D,
  });
  const uploaded: string[] = [];
  db.addPostCompactionTask(async (metas) => void uploaded.push(...metas.map((m) => m.ulid)));
  try {
    const start = Date.UTC(2026, 0, 1);
    await backfill(db, start);
    const r = await db.compactNow();
    const metas = db.blocks();
    const res = (ms: number): number => metas.filter((m) => blockResolution(m) === ms).length;
    assert.ok(
      res(RES_5M) > 0 && res(RES_1H) > 0,
      `blocks: ${JSON.stringify(metas.map((m) => [m.minTime, m.maxTime, blockResolution(m)]))}`,
    );
    assert.ok(r.written.length >= 0);
    assert.ok(uploaded.length >= res(RES_5M) + res(RES_1H), 'post-compaction task saw the rollup blocks');
    // Every 5m block is older than 40 h or spans ≥ 40 h (Thanos's rule), every 1h block older than 10 d (from the newest sample).
    const newest = start + DAYS * D;
    for (const m of metas) {
      if (blockResolution(m) === RES_5M)
        assert.ok(m.maxTime <= newest - 40 * H || m.maxTime - m.minTime >= 40 * H);
      if (blockResolution(m) === RES_1H) assert.ok(m.maxTime <= newest - 10 * D);
    }
    // A second pass writes nothing new.
    const again = await db.compactNow();
    assert.equal(again.written.length, 0);

    const engine = new Engine();
    const q0 = start + 2 * H,
      q1 = newest - H;
    const run = (e: string, step: number, msr: number | 'auto'): Promise<QueryResult> =>
      engine.rangeQuery(db, e, q0, q1, step, { maxSourceResolution: msr });
    // step 1h → 5m rollups; step 6h → 1h rollups; forced raw.
    for (const [step, want] of [
      [H, RES_5M],
      [6 * H, RES_1H],
    ] as const) {
      const fast = await run(step === H ? 'rate(req_total[2h])' : 'rate(req_total[6h])', step, 'auto');
      assert.equal(fast.resolution?.usedMs, want === RES_1H ? RES_1H : RES_5M, `step ${step}`);
    }
    const cases: Array<[string, number]> = [
      ['rate(req_total[1h])', 0.01],
      ['increase(req_total[1h])', 0.01],
      ['max_over_time(temp[1h])', 0.005],
      ['min_over_time(temp[1h])', 0.005],
      ['avg_over_time(temp[1h])', 0.005],
      ['sum by (job) (rate(req_total[1h]))', 0.01],
    ];
    for (const [e, tol] of cases) {
      const fast = await run(e, H, 'auto');
      const raw = await run(e, H, 0);
      assert.equal(fast.resolution?.usedMs, RES_5M, e);
      assert.equal(raw.resolution, undefined);
      agree(fast, raw, tol, e);
    }
    // count/sum_over_time: exact where the window holds whole rollup windows (aligned steps).
    const cnt = await run('count_over_time(temp[1h])', H, 'auto');
    const cntRaw = await run('count_over_time(temp[1h])', H, 0);
    agree(cnt, cntRaw, 0.02, 'count_over_time');
    // 1h resolution over 6h windows.
    const r1h = await engine.rangeQuery(db, 'rate(req_total[6h])', q0 + 10 * H, start + 9 * D, 6 * H, {
      maxSourceResolution: 'auto',
    });
    assert.equal(r1h.resolution?.usedMs, RES_1H);
    agree(
      r1h,
      await engine.rangeQuery(db, 'rate(req_total[6h])', q0 + 10 * H, start + 9 * D, 6 * H, {
        maxSourceResolution: 0,
      }),
      0.01,
      'rate 1h',
    );
    // A restart exactly at a rollup block boundary (the next block's lead sample is the reset).
    assert.ok(
      metas.some((m) => blockResolution(m) === RES_5M && m.maxTime === EDGE_RESET),
      'a 5m block ends at the reset',
    );
    for (const at of [EDGE_RESET + H, EDGE_RESET + 2 * H - 1]) {
      const fast = await engine.rangeQuery(db, 'increase(edge_total[2h])', at, at, H, {
        maxSourceResolution: 'auto',
      });
      const slow = await engine.rangeQuery(db, 'increase(edge_total[2h])', at, at, H, {
        maxSourceResolution: 0,
      });
      assert.equal(fast.resolution?.usedMs, RES_5M);
      agree(fast, slow, 0.01, 'increase across a reset at a block boundary');
    }
    // Functions rollups cannot answer read raw.
    const dr = await run('deriv(temp[1h])', H, 'auto');
    assert.equal(dr.resolution?.usedMs, 0);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
