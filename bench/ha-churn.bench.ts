// Zone replicas under churn (issue 16 acceptance), real processes (test/e2e/ha-stack.ts):
//   phase 1: each replica in turn SIGKILLed for HA_DOWN_SECONDS (20) and restarted;
//   phase 2: for HA_CHURN_MINUTES (10), every 30 s a random replica is SIGKILLed and restarted
//            HA_CHURN_DOWN_SECONDS (15) later, while queries run at the root every 500 ms.
// Prints, per phase and for the whole run: query count and errors, answers with a gap, and the
// root's view of the whole window (series, samples vs scrapes served, max gap, duplicate
// timestamps, missing scrapes). Exits 1 when any of them is not clean.
//   npm run bench:ha      (HA_CHURN_MINUTES=1 for a short run)
import { checkSeries, queryLoad, rootQuery, startHaStack, type ReplicaName } from '../test/e2e/ha-stack.ts';
import { waitFor } from '../test/e2e/harness.ts';

const DOWN_MS = Number(process.env.HA_DOWN_SECONDS ?? 20) * 1000;
const CHURN_MS = Number(process.env.HA_CHURN_MINUTES ?? 10) * 60_000;
const CHURN_DOWN_MS = Number(process.env.HA_CHURN_DOWN_SECONDS ?? 15) * 1000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function windowCheck(rootUrl: string, sinceMs: number, served: number[]): Promise<string> {
  const windowS = Math.ceil((Date.now() - sinceMs) / 1000);
  const c = checkSeries((await rootQuery(rootUrl, `ha_seq_total[${windowS}s]`)).result);
  const up = checkSeries((await rootQuery(rootUrl, `up{job="ha"}[${windowS}s]`)).result);
  const inc = (await rootQuery(rootUrl, `increase(ha_seq_total[${windowS}s])`)).result[0]?.value?.[1];
  const n = served.filter((t) => t >= Date.now() - windowS * 1000).length;
  const ok =
    c.series === 1 &&
    up.series === 1 &&
    c.maxGapMs <= 2500 &&
    up.maxGapMs <= 2500 &&
    c.duplicateTimestamps === 0 &&
    up.duplicateTimestamps === 0 &&
    c.missingValues === 0;
  if (!ok) failed = true;
  return `window ${windowS} s: ha_seq_total ${c.series} series, ${c.samples} samples (target served ${n}), values ${c.first}..${c.last} (${c.missingValues} missing), max gap ${c.maxGapMs} ms, ${c.duplicateTimestamps} duplicate timestamps; up ${up.series} series, max gap ${up.maxGapMs} ms, ${up.duplicateTimestamps} duplicates; increase() ${Number(inc).toFixed(1)} (raw last-first ${c.last - c.first}); replica label ${c.labels.replica ?? 'absent'}`;
}

let failed = false;
const s = await startHaStack('ha-bench');
try {
  await waitFor(
    'first samples at the root',
    async () => (await rootQuery(s.rootUrl, 'up{job="ha"}')).result.length === 1,
  );
  const t0 = Date.now();
  let load = queryLoad(s.rootUrl, 500);
  await sleep(3000);
  for (const r of ['a', 'b'] as const) {
    await s.kill(r);
    await sleep(DOWN_MS);
    await s.start(r);
    await sleep(5000);
  }
  let q = await load.stop();
  if (q.errors.length || q.gappy) failed = true;
  console.log(
    `phase 1 (each replica down ${DOWN_MS / 1000} s): ${q.queries} queries, ${q.errors.length} errors${q.errors.length ? ` (${q.errors.slice(0, 3).join(' | ')})` : ''}, ${q.gappy} answers with a gap, ${q.warnings} warnings`,
  );
  console.log(`phase 1 ${await windowCheck(s.rootUrl, t0, s.served.times)}`);

  const t1 = Date.now();
  load = queryLoad(s.rootUrl, 500);
  let kills = 0;
  const downs: Promise<void>[] = [];
  while (Date.now() - t1 < CHURN_MS) {
    const up = (['a', 'b'] as ReplicaName[]).filter((r) => s.isUp(r));
    if (up.length === 2) {
      const r = up[Math.floor(Math.random() * 2)]!;
      await s.kill(r);
      kills++;
      downs.push(sleep(CHURN_DOWN_MS).then(() => s.start(r)));
    }
    await sleep(30_000);
  }
  await Promise.all(downs);
  await sleep(5000);
  q = await load.stop();
  if (q.errors.length || q.gappy) failed = true;
  console.log(
    `phase 2 (${CHURN_MS / 60_000} min, ${kills} kills, each down ${CHURN_DOWN_MS / 1000} s): ${q.queries} queries, ${q.errors.length} errors${q.errors.length ? ` (${q.errors.slice(0, 3).join(' | ')})` : ''}, ${q.gappy} answers with a gap, ${q.warnings} warnings`,
  );
  console.log(`phase 2 ${await windowCheck(s.rootUrl, t1, s.served.times)}`);
  console.log(`whole run ${await windowCheck(s.rootUrl, t0, s.served.times)}`);
} finally {
  await s.stop();
}
console.log(failed ? 'FAILED' : 'clean');
process.exit(failed ? 1 : 0);
