// Differential test of the root against Prometheus 2.42 (issue 12): the promql-diff dataset
// goes whole into a Prometheus, and split series by series over three zones (a, b in region
// eu, c in us) behind a root on NATS. Prometheus gets each series with the `zone` and `region`
// labels its zone attaches as external labels, so both hold the same union. Every generated
// expression (promql-diff/exprs.ts: the systematic set, the issue-12 edge classes and random
// compositions) must answer the same at the root as at Prometheus, instant and range queries,
// error messages included; values to 1e-9 relative or 1e-12 absolute (split sums cancel to
// about 0 in another order than one engine). CANOPY_DIFF_EXPRS=5000 (npm run diff:promql) runs
// more; the seed is printed and CANOPY_DIFF_SEED repeats a run. Skipped when prometheus is not
// installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { findOnPath } from '../../topology/path.ts';
import {
  freePort,
  getJson,
  spawnCanopy,
  spawnProc,
  startNats,
  tempDir,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';
import { generateDataset, type Dataset } from './promql-diff/dataset.ts';
import { generateExprs, genOptionsFromEnv } from './promql-diff/exprs.ts';
import { regexExprs } from './promql-diff/regex-exprs.ts';
import { diffJobs, runDiff } from './promql-diff/run.ts';
import { postWrite } from './promql-diff/servers.ts';
import { windowedRequests, type SeriesData } from './promql-diff/write-request.ts';

const prometheus = findOnPath('prometheus');
const ZONES = [
  { zone: 'a', region: 'eu' },
  { zone: 'b', region: 'eu' },
  { zone: 'c', region: 'us' },
];

const procs: Proc[] = [];
let dir: ReturnType<typeof tempDir>;
let data: Dataset;
let promUrl = '';
let rootUrl = '';

/** Series i lives in zone i mod 3: a histogram's buckets, a metric's series spread over all zones. */
function zoneOf(i: number): (typeof ZONES)[number] {
  return ZONES[i % ZONES.length]!;
}

function withZoneLabels(s: SeriesData, z: (typeof ZONES)[number]): SeriesData {
  // As external labels: a series' own label of the same name wins (build_info has a region).
  const labels: [string, string][] = [
    ...s.labels,
    ...(
      [
        ['region', z.region],
        ['zone', z.zone],
      ] as [string, string][]
    ).filter(([n]) => !s.labels.some(([m]) => m === n)),
  ];
  labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { ...s, labels };
}

async function send(base: string, bodies: Buffer[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 4) {
    await Promise.all(
      bodies.slice(i, i + 4).map(async (b) => {
        const r = await postWrite(base, b);
        if (r.status < 200 || r.status > 299)
          throw new Error(`cannot remote-write to ${base}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
      }),
    );
  }
}

before(async () => {
  if (!prometheus) return;
  dir = tempDir('global-prom-diff');
  const nats = await startNats();
  procs.push(nats.proc);
  const rootPort = await freePort();
  rootUrl = `http://127.0.0.1:${rootPort}`;
  procs.push(
    spawnCanopy('root', [
      'root',
      '--listen',
      `127.0.0.1:${rootPort}`,
      '--nats',
      nats.url,
      '--zone-timeout',
      '20s',
    ]),
  );
  const zoneUrls: string[] = [];
  for (const z of ZONES) {
    const http = await freePort();
    procs.push(
      spawnCanopy(`zone-${z.zone}`, [
        'zone',
        '--listen',
        `127.0.0.1:${http}`,
        '--grpc-listen',
        `127.0.0.1:${await freePort()}`,
        '--data-dir',
        join(dir.path, z.zone),
        '--zone',
        z.zone,
        '--region',
        z.region,
        '--nats',
        nats.url,
      ]),
    );
    zoneUrls.push(`http://127.0.0.1:${http}`);
  }
  const pp = await freePort();
  promUrl = `http://127.0.0.1:${pp}`;
  const cfg = join(dir.path, 'prometheus.yml');
  writeFileSync(cfg, 'global:\n  scrape_interval: 15s\n');
  procs.push(
    spawnProc('prometheus', prometheus, [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${join(dir.path, 'prom')}`,
      `--web.listen-address=127.0.0.1:${pp}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ]),
  );
  for (const [url, path] of [
    [rootUrl, '/readyz'],
    [promUrl, '/-/ready'],
    ...zoneUrls.map((u) => [u, '/readyz']),
  ] as [string, string][]) {
    assert.ok(
      await waitForHttp(`${url}${path}`, 60_000),
      `${url} not ready: ${procs.map((p) => `${p.name}: ${p.output.slice(-5).join('\n')}`).join('\n')}`,
    );
  }
  data = generateDataset(Date.now() - 30_000);
  const window = 5 * 60_000;
  const all = data.series.map((s, i) => withZoneLabels(s, zoneOf(i)));
  const perZone = ZONES.map((z) => data.series.filter((_, i) => zoneOf(i) === z));
  // Windows in order for every target (Prometheus rejects out-of-order samples).
  const gens = [
    windowedRequests(all, data.startMs, data.endMs, window),
    ...perZone.map((ss) => windowedRequests(ss, data.startMs, data.endMs, window)),
  ];
  const targets = [promUrl, ...zoneUrls];
  for (;;) {
    const steps = gens.map((g) => g.next());
    if (steps.every((s) => s.done)) break;
    await Promise.all(steps.map((s, k) => (s.done ? undefined : send(targets[k]!, s.value))));
  }
  // The root prunes by field hints: wait until every zone's hints describe its data.
  await waitFor(
    "field hints with every zone's series",
    async () => {
      const { body } = await getJson(`${rootUrl}/api/v1/status/zones`);
      return ZONES.every(
        (z, k) => body.data?.find((x: any) => x.zone === z.zone)?.seriesCount === perZone[k]!.length,
      );
    },
    60_000,
  );
});

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir?.remove();
});

test(
  'the root over 3 zones agrees with Prometheus 2.42 holding the union, on generated expressions',
  { skip: prometheus ? false : 'prometheus is not installed', timeout: 3_600_000 },
  async () => {
    const opts = genOptionsFromEnv(0);
    const exprs = [...generateExprs(data.startMs, data.endMs, opts), ...regexExprs()];
    process.stdout.write(
      `# global-promql-diff: seed ${opts.seed} (CANOPY_DIFF_SEED=${opts.seed} CANOPY_DIFF_EXPRS=${exprs.length} repeats this run)\n`,
    );
    // Split sums and averages agree with one engine to rounding; near 0 after cancellation that
    // is an absolute difference (compare.ts CompareOptions).
    const r = await runDiff(
      promUrl,
      rootUrl,
      diffJobs(exprs, data.startMs, data.endMs, { partial_response: 'false' }),
      { absTolerance: 1e-12 },
    );
    const failedExprs = new Set(r.failures.map((f) => f.slice(0, f.indexOf(' ['))));
    process.stdout.write(
      `# global-promql-diff: ${exprs.length} expressions, ${r.compared} queries compared in ${r.seconds.toFixed(1)}s; ${failedExprs.size} expressions mismatched\n`,
    );
    const shown = new Set<string>();
    for (const f of r.failures) {
      const e = f.slice(0, f.indexOf(' ['));
      if (shown.has(e) || shown.size >= 80) continue;
      shown.add(e);
      process.stdout.write(`# MISMATCH ${f}\n`);
    }
    assert.equal(
      r.failures.length,
      0,
      `${r.failures.length} mismatches (${failedExprs.size} expressions), first: ${r.failures.slice(0, 10).join('\n')}`,
    );
  },
);
