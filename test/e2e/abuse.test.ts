// Abuse suite (issue 13): one zone and the root over NATS, real processes. Each bomb is
// answered with a 4xx within 5 s, zone and root RSS stay under 1 GB (VmRSS sampled every
// 100 ms), and a probe query looping against both keeps answering in under 100 ms p99 (the bound
// scales with the load per core on an overloaded machine). Prints the figures. Bombs: subquery
// grids of billions of steps, 20k nested parentheses, a 60 MB JSON push (Content-Length and
// chunked), a 15 MB push under the cap (accepted), a 100 MB push and remote_write, too many
// parameters, an over-fine range query and a backtracking regex (a todo until the RE2 engine
// lands on this branch).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  REPO,
  freePort,
  spawnCanopy,
  startNats,
  tempDir,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';

const dir = tempDir('abuse');
const procs: Proc[] = [];
let zoneUrl = '';
let rootUrl = '';

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir.remove();
});

function rssBytes(p: Proc): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

before(async () => {
  const nats = await startNats();
  procs.push(nats.proc);
  const zp = await freePort();
  const rp = await freePort();
  zoneUrl = `http://127.0.0.1:${zp}`;
  rootUrl = `http://127.0.0.1:${rp}`;
  // The ingestion rate limit off: the accepted 15 MB push carries 165k samples, over a tenant's
  // default burst of 200k once the probe data is in (ingest limits are test/e2e/tenants.test.ts's).
  const zoneCfg = join(dir.path, 'zone.yaml');
  writeFileSync(zoneCfg, 'limits: {ingestionRate: 0}\n');
  const zone = spawnCanopy('zone', [
    'zone',
    '--listen',
    `127.0.0.1:${zp}`,
    '--grpc-listen',
    `127.0.0.1:${await freePort()}`,
    '--data-dir',
    `${dir.path}/zone`,
    '--nats',
    nats.url,
    '--zone',
    'z1',
    '--region',
    'r1',
    '--config',
    zoneCfg,
  ]);
  const root = spawnCanopy('root', [
    'root',
    '--listen',
    `127.0.0.1:${rp}`,
    '--nats',
    nats.url,
    '--zone-timeout',
    '5s',
  ]);
  procs.push(zone, root);
  for (const [name, url] of [
    ['zone', zoneUrl],
    ['root', rootUrl],
  ] as const) {
    assert.ok(
      await waitForHttp(`${url}/readyz`, 30_000),
      `${name} did not become ready: ${procs.map((p) => p.output.slice(-5).join('\n')).join('\n')}`,
    );
  }
  const now = Math.floor(Date.now() / 1000);
  const items = [];
  for (let t = now - 600; t <= now; t += 15) {
    items.push({ metric: 'probe_up', tags: { job: 'probe' }, timestamp: t, value: 1 });
    items.push({ metric: 'regex_victim', tags: { v: 'a'.repeat(28) + 'b' }, timestamp: t, value: 1 });
  }
  const r = await fetch(`${zoneUrl}/api/v1/push`, { method: 'POST', body: JSON.stringify(items) });
  assert.equal(r.status, 204, await r.text());
  await waitFor('probe_up at the root', async () => {
    const b = (await (await fetch(`${rootUrl}/api/v1/query?query=probe_up`)).json()) as {
      data?: { result: unknown[] };
    };
    return (b.data?.result.length ?? 0) > 0;
  });
});

interface Bomb {
  name: string;
  send: (base: string) => Promise<Response>;
  status: number;
  errorType?: string;
  error?: RegExp;
  /** Sent to the root too (queries); pushes go to the zone only. */
  both: boolean;
  /** Time allowed for the answer (default 5 s). */
  maxMs?: number;
}

const q =
  (query: string, extra = '') =>
  (base: string) =>
    fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}${extra}`);

function pushBody(bytes: number): Buffer {
  const one = JSON.stringify({ metric: 'push_bomb', tags: { host: 'h'.repeat(40) }, timestamp: 1, value: 1 });
  return Buffer.from(
    `[${Array(Math.ceil(bytes / (one.length + 1)))
      .fill(one)
      .join(',')}]`,
  );
}

const SIXTY_MB = pushBody(60e6);
/** 15 MB of pushes under the 16 MiB cap: 150k samples of 35k new series, parsed and committed in slices. */
function validPush(round: number): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const items: string[] = [];
  let size = 0;
  for (let i = 0; size < 15e6; i++) {
    const s = JSON.stringify({
      metric: 'push_ok',
      tags: { i: String(i % 35_000), round: String(round) },
      timestamp: now - 300 + Math.floor(i / 35_000),
      value: i,
    });
    items.push(s);
    size += s.length + 1;
  }
  return Buffer.from(`[${items.join(',')}]`);
}
let pushRound = 0;
const HUNDRED_MB = pushBody(100e6);

function chunked(body: Buffer): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= body.length) return c.close();
      c.enqueue(body.subarray(off, (off += 1 << 20)));
    },
  });
}

const SAMPLES_422 = /^query processing would load too many samples into memory in query execution$/;
const BOMBS: Bomb[] = [
  {
    name: 'quantile_over_time 30d:1ms subquery',
    send: q('quantile_over_time(0.5, vector(1)[30d:1ms])', '&timeout=5s'),
    status: 422,
    errorType: 'execution',
    error: SAMPLES_422,
    both: true,
  },
  {
    name: 'count_over_time 1y:1ms subquery',
    send: q('count_over_time(vector(1)[1y:1ms])'),
    status: 422,
    errorType: 'execution',
    error: SAMPLES_422,
    both: true,
  },
  {
    name: '1d:100ms subquery',
    send: q('max_over_time(vector(1)[1d:100ms])'),
    status: 400,
    errorType: 'bad_data',
    error: /points per timeseries in a subquery/,
    both: true,
  },
  {
    name: '20k nested parentheses',
    send: q('('.repeat(20_000) + '1' + ')'.repeat(20_000)),
    status: 400,
    errorType: 'bad_data',
    error: /^invalid parameter "query": 1:501: parse error: expression nests more than 500 levels deep$/,
    both: true,
  },
  {
    name: 'range query at 1 ms resolution over a day',
    send: (b) => fetch(`${b}/api/v1/query_range?query=up&start=0&end=86400&step=0.001`),
    status: 400,
    errorType: 'bad_data',
    error: /^exceeded maximum resolution of 11,000 points per timeseries/,
    both: true,
  },
  {
    name: '20,000 form parameters',
    send: (b) =>
      fetch(`${b}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: Array.from({ length: 20_000 }, (_, i) => `p${i}=1`).join('&') + '&query=1',
      }),
    status: 400,
    errorType: 'bad_data',
    error: /^too many parameters/,
    both: true,
  },
  {
    name: '60 MB JSON push',
    send: (b) => fetch(`${b}/api/v1/push`, { method: 'POST', body: SIXTY_MB }),
    status: 413,
    errorType: 'bad_data',
    error: /exceeds the limit of 16777216 bytes/,
    both: false,
  },
  {
    name: '60 MB JSON push, chunked',
    send: (b) =>
      fetch(`${b}/api/v1/push`, { method: 'POST', body: chunked(SIXTY_MB), duplex: 'half' } as RequestInit),
    status: 413,
    errorType: 'bad_data',
    error: /^request body exceeds the limit of 16777216 bytes$/,
    both: false,
  },
  {
    name: '15 MB JSON push under the cap (accepted)',
    send: (b) => fetch(`${b}/api/v1/push`, { method: 'POST', body: validPush(pushRound++) }),
    status: 204,
    both: false,
    maxMs: 20_000,
  },
  {
    name: '100 MB JSON push',
    send: (b) => fetch(`${b}/api/v1/push`, { method: 'POST', body: HUNDRED_MB }),
    status: 413,
    errorType: 'bad_data',
    error: /exceeds the limit/,
    both: false,
  },
  {
    name: '100 MB remote_write',
    send: (b) => fetch(`${b}/api/v1/write`, { method: 'POST', body: HUNDRED_MB }),
    status: 413,
    errorType: 'bad_data',
    error: /exceeds the limit of 33554432 bytes/,
    both: false,
  },
];

const PROBE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => (stop = true));
async function loop(which, base) {
  while (!stop) {
    const t0 = performance.now();
    try {
      const r = await fetch(base + '/api/v1/query?query=probe_up');
      const b = await r.json();
      const ok = r.status === 200 && b.data && b.data.result.length === 1;
      parentPort.postMessage({ which, ms: performance.now() - t0, at: Date.now(), ok, text: ok ? undefined : JSON.stringify(b).slice(0, 200) });
    } catch (e) {
      parentPort.postMessage({ which, ms: 0, at: Date.now(), ok: false, text: String(e) });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
Promise.all([loop('zone', workerData.zone), loop('root', workerData.root)]).then(() => process.exit(0));
`;

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? NaN;
}

test('every bomb gets its 4xx within 5 s while the probe keeps answering and RSS stays under 1 GB', async () => {
  const zone = procs.find((p) => p.name === 'zone')!;
  const root = procs.find((p) => p.name === 'root')!;
  const maxRss = { zone: rssBytes(zone), root: rssBytes(root) };
  const rssTimer = setInterval(() => {
    maxRss.zone = Math.max(maxRss.zone, rssBytes(zone));
    maxRss.root = Math.max(maxRss.root, rssBytes(root));
  }, 100);
  // The probe runs in a worker thread: the bombs' uploads keep this thread busy and would
  // show up as probe latency that is the client's, not the servers'.
  const worker = new Worker(PROBE_WORKER, { eval: true, workerData: { zone: zoneUrl, root: rootUrl } });
  const probes: Record<'zone' | 'root', number[]> = { zone: [], root: [] };
  const probeLog: { which: string; at: number; ms: number }[] = [];
  const probeErrors: string[] = [];
  worker.on(
    'message',
    (m: { which: 'zone' | 'root'; ms: number; at: number; ok: boolean; text?: string }) => {
      if (m.ok) probes[m.which].push(m.ms);
      else probeErrors.push(`${m.which}: ${m.text}`);
      probeLog.push({ which: m.which, at: m.at, ms: m.ms });
    },
  );
  // Warm-up, then a baseline without bombs.
  await waitFor('probe warm-up', async () => probes.zone.length >= 20 && probes.root.length >= 20);
  probes.zone.length = 0;
  probes.root.length = 0;
  await new Promise((r) => setTimeout(r, 1500));
  const baseline = { zone: p99(probes.zone), root: p99(probes.root) };
  const loadPerCore = loadavg()[0]! / cpus().length;
  probes.zone.length = 0;
  probes.root.length = 0;
  const windows: { name: string; from: number; to: number }[] = [];
  const rows: string[] = [];
  const t0 = Date.now();
  try {
    // Twice through the list, so the probe sees every bomb more than once.
    for (const bomb of [...BOMBS, ...BOMBS]) {
      for (const [where, base] of bomb.both
        ? ([
            ['zone', zoneUrl],
            ['root', rootUrl],
          ] as const)
        : ([['zone', zoneUrl]] as const)) {
        const t0 = performance.now();
        const from = Date.now();
        const r = await bomb.send(base);
        const text = await r.text();
        const ms = performance.now() - t0;
        windows.push({ name: `${bomb.name} @ ${where}`, from, to: Date.now() });
        rows.push(`${bomb.name} @ ${where}: ${r.status} in ${ms.toFixed(0)} ms`);
        assert.equal(r.status, bomb.status, `${bomb.name} at ${where}: ${text.slice(0, 300)}`);
        if (bomb.status >= 400) {
          const body = JSON.parse(text) as { status: string; errorType: string; error: string };
          assert.equal(body.status, 'error');
          if (bomb.errorType) assert.equal(body.errorType, bomb.errorType, `${bomb.name} at ${where}`);
          if (bomb.error) assert.match(body.error, bomb.error, `${bomb.name} at ${where}`);
        }
        assert.ok(ms < (bomb.maxMs ?? 5000), `${bomb.name} at ${where} took ${ms.toFixed(0)} ms`);
      }
    }
  } finally {
    worker.postMessage('stop');
    await new Promise((r) => worker.once('exit', r));
    clearInterval(rssTimer);
  }
  const bombsMs = Date.now() - t0;
  const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;
  process.stdout.write(
    `# ${rows.slice(0, BOMBS.length + BOMBS.filter((b) => b.both).length).join('\n# ')}\n`,
  );
  for (const w of windows) {
    const hit = probeLog
      .filter((p) => p.at - p.ms <= w.to && p.at >= w.from)
      .reduce((a, p) => Math.max(a, p.ms), 0);
    if (hit >= 100) process.stdout.write(`# slow probe (${hit.toFixed(0)} ms) during ${w.name}\n`);
  }
  const worst = (xs: number[]): string =>
    [...xs]
      .sort((a, b) => b - a)
      .slice(0, 3)
      .map((x) => x.toFixed(0))
      .join(', ');
  process.stdout.write(
    `# probe p99 without bombs: zone ${baseline.zone.toFixed(1)} ms, root ${baseline.root.toFixed(1)} ms (load ${loadPerCore.toFixed(1)} per core)\n` +
      `# over ${bombsMs} ms of bombs: probe p99 zone ${p99(probes.zone).toFixed(1)} ms (${probes.zone.length} queries, worst ${worst(probes.zone)}), ` +
      `root ${p99(probes.root).toFixed(1)} ms (${probes.root.length}, worst ${worst(probes.root)}); max RSS zone ${mb(maxRss.zone)}, root ${mb(maxRss.root)}\n`,
  );
  assert.deepEqual(probeErrors, []);
  assert.ok(
    maxRss.zone < 1 << 30 && maxRss.root < 1 << 30,
    `RSS zone ${mb(maxRss.zone)}, root ${mb(maxRss.root)}`,
  );
  // 100 ms on a machine with a core to spare; on an overloaded one (the test machine runs many
  // jobs on 2 cores) the bound scales with the 1-minute load per core, measured at the start.
  const bound = 100 * Math.max(1, loadPerCore);
  assert.ok(
    p99(probes.zone) < bound,
    `zone probe p99 ${p99(probes.zone).toFixed(1)} ms (bound ${bound.toFixed(0)} ms at load ${loadPerCore.toFixed(1)} per core)`,
  );
  assert.ok(
    p99(probes.root) < bound,
    `root probe p99 ${p99(probes.root).toFixed(1)} ms (bound ${bound.toFixed(0)} ms at load ${loadPerCore.toFixed(1)} per core)`,
  );
});

/** True once shared/ uses the linear-time RE2 engine (another branch switches to it). */
function usesRe2(): boolean {
  const root = join(REPO, 'shared');
  return readdirSync(root, { recursive: true }).some(
    (f) => String(f).endsWith('.ts') && /from 're2'/.test(readFileSync(join(root, String(f)), 'utf8')),
  );
}

test('the engine gates are on /metrics with the default concurrency of 20', async () => {
  for (const [base, prefix] of [
    [zoneUrl, 'canopy_zone'],
    [rootUrl, 'canopy_root'],
  ]) {
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, new RegExp(`^${prefix}_queries_concurrent_max 20$`, 'm'));
    assert.match(text, new RegExp(`^${prefix}_queries_queued 0$`, 'm'));
    assert.match(text, new RegExp(`^${prefix}_queries_in_flight \\d+$`, 'm'));
  }
});

test(
  'a backtracking regex in label_replace answers within 1 s (linear-time engine)',
  { todo: usesRe2() ? false : 'backtracking until the RE2 engine lands: seconds on this branch' },
  async () => {
    for (const base of [zoneUrl, rootUrl]) {
      const t0 = performance.now();
      const r = await fetch(
        `${base}/api/v1/query?query=${encodeURIComponent('label_replace(regex_victim, "x", "$1", "v", "(.*a){12}")')}&timeout=20s`,
      );
      const ms = performance.now() - t0;
      process.stdout.write(
        `# regex bomb @ ${base === zoneUrl ? 'zone' : 'root'}: ${r.status} in ${ms.toFixed(0)} ms\n`,
      );
      assert.equal(r.status, 200, await r.text());
      assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
    }
  },
);
