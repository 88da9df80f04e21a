// Tenants at one zone with the default limits (Mimir's: 150,000 series per tenant, 10,000
// samples/s with a burst of 200,000): the full 200k-series bomb from one tenant while another
// writes and queries (p50/p99 of the probe query with the bomb running and paused, in
// alternating windows: test/e2e/tenant-bomb-probe.ts), the zone's RSS, and what an idle
// tenant's ingest state costs (in process, GC forced).
//   npm run bench:tenants [-- --duration-ms 30000]
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { freePort, spawnCanopy, tempDir, waitForHttp, type Proc } from '../test/e2e/harness.ts';
import { pct, remoteWrite, runBomb } from '../test/e2e/tenant-bomb-probe.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_ADMISSION_LIMITS, Tenants } from '../zone/ingest/index.ts';

const { values: a } = parseArgs({ options: { 'duration-ms': { type: 'string', default: '30000' } } });

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const dir = tempDir('bench-tenants');
  const procs: Proc[] = [];
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    procs.push(
      spawnCanopy('zone', [
        'zone',
        '--listen',
        `127.0.0.1:${port}`,
        '--grpc-listen',
        `127.0.0.1:${await freePort()}`,
        '--data-dir',
        join(dir.path, 'zone'),
        '--log-level',
        'warn',
      ]),
    );
    if (!(await waitForHttp(`${url}/readyz`, 60_000))) throw new Error('zone did not start');
    const seed = Array.from({ length: 1000 }, (_, i) => ({
      labels: [
        ['__name__', 'b_load'],
        ['i', String(i)],
      ] as [string, string][],
      tsMs: [Date.now()],
      values: [i],
    }));
    if ((await remoteWrite(url, seed, 'team-b')).status !== 204) throw new Error('cannot seed team-b');
    const rss0 = await metric(url, 'process_resident_memory_bytes');
    const run = await runBomb({
      zoneUrl: url,
      bombTenant: 'team-a',
      probeTenant: 'team-b',
      probeExpr: 'sum(b_load)',
      series: 200_000,
      batch: 5000,
      durationMs: Number(a['duration-ms']),
      passIntervalMs: 1000,
    });
    const rss1 = await metric(url, 'process_resident_memory_bytes');
    const st = (
      (await (await fetch(`${url}/api/v1/status/tenants`)).json()) as {
        data: { tenant: string; activeSeries: number; samplesDropped: Record<string, number> }[];
      }
    ).data;
    const ta = st.find((t) => t.tenant === 'team-a')!;
    console.log(
      `bomb: 200,000 new series of team-a in requests of 5,000, re-sent for ${run.bomb.ms} ms (bomb paused half the time); statuses ${JSON.stringify(run.bomb.statuses)}`,
    );
    console.log(
      `team-a: ${ta.activeSeries} active series, dropped ${JSON.stringify(ta.samplesDropped)}; first refusal: ${run.bomb.firstRefusal.slice(0, 200)}`,
    );
    const q = run.lat.quiet,
      b = run.lat.bomb;
    console.log(
      `team-b query sum(b_load) over 1,000 series: paused windows n=${q.length} p50 ${pct(q, 0.5).toFixed(1)} ms p99 ${pct(q, 0.99).toFixed(1)} ms; bomb windows n=${b.length} p50 ${pct(b, 0.5).toFixed(1)} ms p99 ${pct(b, 0.99).toFixed(1)} ms; p99 ratio ${(pct(b, 0.99) / pct(q, 0.99)).toFixed(2)}`,
    );
    console.log(
      `team-b writes: ${run.writes}, failed ${run.failed.length}${run.failed.length ? `: ${run.failed.slice(0, 3).join('; ')}` : ''}`,
    );
    console.log(`zone RSS ${(rss0 / MB).toFixed(0)} MB before the bomb, ${(rss1 / MB).toFixed(0)} MB after`);
  } finally {
    for (const p of procs.reverse()) await p.stop();
    dir.remove();
  }
}

/** In process: the heap 10,000 tenants take, each having admitted one series (GC forced). */
function idleTenantCost(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const tenants = new Tenants({ defaults: DEFAULT_ADMISSION_LIMITS, storage: { seriesCount: () => 0 } });
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 10_000; i++) {
    const adm = tenants.admission(`idle-${i}`);
    const ls = adm.checkLabels([
      { name: '__name__', value: 'up' },
      { name: 'job', value: 'x' },
    ])!;
    adm.admitSeries(ls, Date.now());
  }
  gc();
  const per = (process.memoryUsage().heapUsed - before) / 10_000;
  if (tenants.usage().length !== 10_000) throw new Error('BUG: tenants lost'); // and keeps them alive until here
  console.log(
    `an idle tenant with one active series: ${(per / 1024).toFixed(2)} KB of heap (10,000 tenants in process; the series' own head memory is the TSDB's)`,
  );
}

idleTenantCost();
await main();
