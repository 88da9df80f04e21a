// Query latency while the TSDB cuts a head block, against the same load without a cut
// (issue 17's acceptance: p99 during a cut ≤ 1.2× p99 without one). One process: a TSDB with
// N series (default 20k) holding 4 h at 60 s (2 h block range, so the head spans 2 ranges and
// one block is due), an ingest loop appending one step for every series each second (commits
// of 2,000 samples, as remote_write requests), and a
// query loop issuing a query every 5 ms (open loop: latency runs from the query's due time, so
// time the event loop spends blocked counts against it). Phase 1 measures without a cut for
// --baseline-s seconds; phase 2 starts compactHead() and measures until the block is written,
// the head truncated and the WAL checkpointed. Prints p50/p99/max per phase, the ratio, the cut's
// duration and the load average (other processes share the machine).
// Usage: npm run bench:block-cut -- [--series=20000] [--baseline-s=10] [--query-series=200]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, type TSDB } from '../zone/tsdb/index.ts';
import { Matcher } from '../shared/matchers.ts';
import { labelsFromRecord, type Labels } from '../shared/labels.ts';
import { ValueKind } from '../shared/storage.ts';

function arg(name: string, def: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}
const NSERIES = arg('series', 20_000);
const BASELINE_S = arg('baseline-s', 10);
const QUERY_SERIES = arg('query-series', 200);
const H = 3600_000;
const STEP = 60_000;
const QUERY_EVERY_MS = 5;

const series: Labels[] = Array.from({ length: NSERIES }, (_, i) =>
  labelsFromRecord({
    __name__: 'node_cpu_seconds_total',
    instance: `host${Math.floor(i / 20)}:9100`,
    cpu: String(i % 20),
    job: 'node',
    group: `g${i % Math.ceil(NSERIES / QUERY_SERIES)}`,
  }),
);

/** One step for every series, as remote_write requests of 2,000 samples (a turn of the loop each). */
async function appendStep(db: TSDB, t: number): Promise<void> {
  for (let lo = 0; lo < NSERIES; lo += 2000) {
    const a = db.appender();
    for (let i = lo; i < Math.min(lo + 2000, NSERIES); i++) a.append(series[i]!, t, t / 1000 + i);
    await a.commit();
    await new Promise((r) => setImmediate(r));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One query: the last 30 min of one group (QUERY_SERIES series), every sample read. */
async function query(db: TSDB, nowT: number, g: number): Promise<number> {
  const q = await db.querier(nowT - 30 * 60_000, nowT);
  let n = 0;
  try {
    const set = q.select([new Matcher('=', 'group', `g${g}`)], { startMs: nowT - 30 * 60_000, endMs: nowT });
    while (set.next()) {
      const c = set.at().cursor();
      while (c.next() !== ValueKind.None) n++;
    }
  } finally {
    q.close();
  }
  return n;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-block-cut-'));
  const db = await openTSDB({ dir, walFsync: 'batch', autoCompact: false, blockRangeMs: 2 * H });
  try {
    const t0 = Math.floor((Date.now() - 4 * H) / (2 * H)) * 2 * H;
    let t = t0;
    const fillStart = performance.now();
    for (; t < t0 + 4 * H; t += STEP) await appendStep(db, t);
    console.log(
      `filled ${NSERIES} series × ${(4 * H) / STEP} steps in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`,
    );

    let stop = false;
    const ingest = (async () => {
      while (!stop) {
        await appendStep(db, t);
        t += STEP;
        await sleep(1000);
      }
    })();
    let lat: number[] = [];
    const queries = (async () => {
      let due = performance.now(),
        g = 0;
      while (!stop) {
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        await query(db, t, g++ % Math.ceil(NSERIES / QUERY_SERIES));
        lat.push(performance.now() - due);
        due += QUERY_EVERY_MS;
        if (due < performance.now() - 1000) due = performance.now(); // never queue more than 1 s of queries
      }
    })();

    await sleep(1000); // warm up
    lat = [];
    const la0 = loadavg();
    await sleep(BASELINE_S * 1000);
    const base = lat;
    lat = [];
    const cutStart = performance.now();
    const n = await db.compactHead();
    const cutMs = performance.now() - cutStart;
    const during = lat;
    const la1 = loadavg();
    stop = true;
    await Promise.all([ingest, queries]);
    if (n !== 1) throw new Error(`expected one block cut, got ${n}`);

    const row = (name: string, xs: number[]): string =>
      `${name.padEnd(22)} ${String(xs.length).padStart(6)} ${pct(xs, 50).toFixed(2).padStart(8)} ${pct(xs, 99).toFixed(2).padStart(8)} ${Math.max(
        ...xs,
      )
        .toFixed(2)
        .padStart(8)}`;
    console.log(
      `\nblock cut bench: ${NSERIES} series, query = ${QUERY_SERIES} series × 30 min every ${QUERY_EVERY_MS} ms, ingest ${NSERIES} samples/s`,
    );
    console.log(
      `${'phase'.padEnd(22)} ${'queries'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
    );
    console.log(row('no cut', base));
    console.log(row('during block cut', during));
    const ratio = pct(during, 99) / pct(base, 99);
    console.log(
      `p99 during / without cut: ${ratio.toFixed(2)}x (target ≤ 1.2x); cut took ${Math.round(cutMs)} ms`,
    );
    console.log(
      `load average: ${la0.map((x) => x.toFixed(2)).join(' ')} (start) → ${la1.map((x) => x.toFixed(2)).join(' ')} (end); ${process.env.CANOPY_BENCH_NOTE ?? 'machine shared with other processes'}`,
    );
    console.log(
      JSON.stringify({
        series: NSERIES,
        baseline: { n: base.length, p50: pct(base, 50), p99: pct(base, 99) },
        cut: { n: during.length, p50: pct(during, 50), p99: pct(during, 99), ms: cutMs },
        ratio,
        loadavg: [la0, la1],
      }),
    );
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
