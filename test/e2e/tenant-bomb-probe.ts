// A series bomb from one tenant against a zone, with another tenant writing and querying
// meanwhile; used by test/e2e/tenants.test.ts and bench/tenants.bench.ts.
// The bomb runs in its own process (bench/tenant-bomb.ts). The machine may be shared and its
// background load drifts over seconds, so the bomb is paused and resumed (SIGSTOP/SIGCONT) in
// alternating windows and the probe's latencies are split by window; the first 150 ms after
// each switch are left out (a request in flight when the bomb stops).
import { spawnProc, waitFor } from './harness.ts';
import { encodeWriteRequest, type SeriesData } from './promql-diff/write-request.ts';

export interface BombRun {
  bomb: { ms: number; statuses: Record<string, number>; firstRefusal: string };
  /** Probe query latencies (ms) in windows with the bomb running and paused. */
  lat: { bomb: number[]; quiet: number[] };
  writes: number;
  /** The probe tenant's failed writes and queries. */
  failed: string[];
}

export async function remoteWrite(
  zoneUrl: string,
  series: SeriesData[],
  tenant?: string,
): Promise<{ status: number; text: string }> {
  const body = encodeWriteRequest(series.map((s) => ({ s, from: 0, to: s.tsMs.length })));
  const r = await fetch(`${zoneUrl}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      ...(tenant ? { 'X-Scope-OrgID': tenant } : {}),
    },
    body,
  });
  return { status: r.status, text: await r.text() };
}

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs the bomb (`series` new series of `bombTenant` in requests of `batch`, all re-sent every
 * `passIntervalMs` until `durationMs`, as a scraper of that many series would) while `probeTenant` writes one series every 50 ms and runs `probeExpr` back to
 * back. Windows: `windowMs` with the bomb running, `windowMs` paused.
 */
export async function runBomb(o: {
  zoneUrl: string;
  bombTenant: string;
  probeTenant: string;
  probeExpr: string;
  series: number;
  batch: number;
  durationMs: number;
  passIntervalMs: number;
  windowMs?: number;
}): Promise<BombRun> {
  const windowMs = o.windowMs ?? 400;
  const proc = spawnProc('bomb', process.execPath, [
    '--import',
    'tsx',
    'bench/tenant-bomb.ts',
    '--url',
    o.zoneUrl,
    '--tenant',
    o.bombTenant,
    '--series',
    String(o.series),
    '--batch',
    String(o.batch),
    '--duration-ms',
    String(o.durationMs),
    '--pass-interval-ms',
    String(o.passIntervalMs),
  ]);
  await waitFor('the bomb to encode its requests', async () => proc.output.includes('ready'), 120_000, 50);
  let bombing = true;
  const done = new Promise<void>((res) => proc.child.once('exit', () => res()));
  void done.then(() => (bombing = false));
  const now: { phase: 'bomb' | 'quiet' | 'settle' } = { phase: 'settle' };
  const switcher = (async () => {
    while (bombing) {
      process.kill(proc.child.pid!, 'SIGCONT');
      now.phase = 'settle';
      await sleep(150);
      now.phase = 'bomb';
      await sleep(windowMs);
      if (!bombing) break;
      process.kill(proc.child.pid!, 'SIGSTOP');
      now.phase = 'settle';
      await sleep(150);
      now.phase = 'quiet';
      await sleep(windowMs);
    }
    now.phase = 'settle';
  })();
  const lat = { bomb: [] as number[], quiet: [] as number[] };
  const failed: string[] = [];
  let writes = 0,
    k = 0;
  const writer = (async () => {
    while (bombing) {
      const r = await remoteWrite(
        o.zoneUrl,
        [
          {
            labels: [
              ['__name__', 'probe_writes'],
              ['k', String(k++ % 10)],
            ],
            tsMs: [Date.now()],
            values: [k],
          },
        ],
        o.probeTenant,
      );
      writes++;
      if (r.status !== 204) failed.push(`${r.status} ${r.text}`);
      await sleep(50);
    }
  })();
  const url = `${o.zoneUrl}/api/v1/query?query=${encodeURIComponent(o.probeExpr)}`;
  while (bombing) {
    const at = now.phase;
    const t0 = performance.now();
    const r = await fetch(url, { headers: { 'X-Scope-OrgID': o.probeTenant } });
    await r.arrayBuffer();
    const ms = performance.now() - t0;
    if (r.status !== 200) failed.push(`query ${r.status}`);
    if (at !== 'settle' && now.phase === at) lat[at].push(ms);
  }
  await Promise.all([switcher, writer, done]);
  const line = proc.output.find((l) => l.startsWith('{'));
  if (!line) throw new Error(`the bomb printed no result: ${proc.output.join('\n')}`);
  return { bomb: JSON.parse(line) as BombRun['bomb'], lat, writes, failed };
}
