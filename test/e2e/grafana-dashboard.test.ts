// examples/grafana/canopy.json against a running tree: nats, root, zone and a leaf scraping the
// zone's, the root's and its own /metrics every second (shipping to the zone), and a real
// Prometheus 2.42 scraping the same three targets. After some traffic (queries at the root,
// drops at the zone and the leaf, a second tenant) every panel's every expression, with
// Grafana's variables substituted, must parse and return at least one series at the root, at
// the zone and at Prometheus, whenever the metrics it reads exist in the tree (labelled counters
// appear only once incremented: canopy_leaf_send_retries_total, which a healthy leaf never
// increments, is the one allowed to be absent; its target must still parse and answer). The endpoints
// Grafana's Prometheus datasource calls answer as 2.42 does: format_query of each expression,
// query_exemplars, the buildinfo keys and the metadata of the dashboard's metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../topology/path.ts';
import { freePort, getJson, REPO, spawnCanopy, spawnProc, waitFor, waitForHttp } from './harness.ts';
import { startStack, type Stack } from '../leaf/e2e-stack.ts';

const prometheus = findOnPath('prometheus');
const dashboard = JSON.parse(readFileSync(join(REPO, 'examples/grafana/canopy.json'), 'utf8')) as {
  panels: { title: string; type: string; targets?: { expr: string; refId: string }[] }[];
  templating: { list: { name: string }[] };
};
/** Grafana's variables, as it would substitute them for a 1 s scrape interval. */
const VARIABLES: Record<string, string> = {
  __rate_interval: '10s',
  __interval: '2s',
  __range: '5m',
  tenant: '.*',
};

let stack: Stack;
let leafUrl = '';
let promUrl = '';

function substitute(expr: string): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (m, name: string) => {
    const v = VARIABLES[name];
    if (v === undefined) throw new Error(`unknown Grafana variable ${m} in ${expr}`);
    return v;
  });
}

const targets = dashboard.panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ panel: p.title, refId: t.refId, expr: t.expr, query: substitute(t.expr) })),
);

before(async () => {
  stack = await startStack('grafana', { root: true });
  const lp = await freePort();
  leafUrl = `http://127.0.0.1:${lp}`;
  const scrape = (job: string, url: string): string =>
    `  - job_name: ${job}\n    static_configs: [{ targets: ['${new URL(url).host}'] }]\n`;
  const jobs =
    scrape('canopy-zone', stack.zoneUrl) +
    scrape('canopy-root', stack.rootUrl) +
    scrape('canopy-leaf', leafUrl);
  const cfg = join(stack.dir.path, 'leaf.yaml');
  writeFileSync(
    cfg,
    `flush_interval: 1s\ndata_dir: ""\nglobal: { scrape_interval: 1s, scrape_timeout: 900ms }\nscrape_configs:\n${jobs}`,
  );
  const leaf = spawnCanopy('leaf-grafana', [
    'leaf',
    '--config',
    cfg,
    '--name',
    'leaf-grafana',
    '--listen',
    `127.0.0.1:${lp}`,
    '--zone',
    stack.zoneGrpc,
  ]);
  stack.procs.push(leaf);
  assert.ok(await waitForHttp(`${leafUrl}/healthz`, 30_000), leaf.output.slice(-10).join('\n'));
  if (prometheus) {
    const pp = await freePort();
    promUrl = `http://127.0.0.1:${pp}`;
    const pcfg = join(stack.dir.path, 'prometheus.yml');
    writeFileSync(pcfg, `global: { scrape_interval: 1s, scrape_timeout: 900ms }\nscrape_configs:\n${jobs}`);
    const p = spawnProc('prometheus', prometheus, [
      `--config.file=${pcfg}`,
      `--storage.tsdb.path=${join(stack.dir.path, 'prom')}`,
      `--web.listen-address=127.0.0.1:${pp}`,
    ]);
    stack.procs.push(p);
    assert.ok(await waitForHttp(`${promUrl}/-/ready`, 30_000), p.output.join('\n'));
  }
  // Traffic: samples for two tenants, a drop at the zone (too far in the future) in each, a
  // refused push at the leaf, and queries at the root (NATS fragments to the zone).
  const nowS = Date.now() / 1000;
  for (const tenant of ['', 'team-a']) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...(tenant ? { 'x-scope-orgid': tenant } : {}),
    };
    const ok = await fetch(`${stack.zoneUrl}/api/v1/push`, {
      method: 'POST',
      headers,
      body: JSON.stringify([
        { metric: 'dash_probe', tags: { t: tenant || 'anon' }, timestamp: nowS, value: 1 },
      ]),
    });
    assert.equal(ok.status, 204, await ok.text());
    const future = await fetch(`${stack.zoneUrl}/api/v1/push`, {
      method: 'POST',
      headers,
      body: JSON.stringify([{ metric: 'dash_probe', timestamp: nowS + 7200, value: 1 }]),
    });
    assert.equal(future.status, 400, await future.text());
  }
  const bad = await fetch(`${leafUrl}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ metric: '', value: 1 }]),
  });
  assert.equal(bad.status, 400);
  for (let i = 0; i < 5; i++)
    await getJson(`${stack.rootUrl}/api/v1/query?query=${encodeURIComponent('sum(dash_probe)')}`);
});

after(async () => {
  await stack?.stop();
});

/** Metric names an expression reads. */
function metricsOf(expr: string): string[] {
  return [...new Set(expr.match(/\b(canopy_[a-z_]+|process_[a-z_]+)\b/g) ?? [])];
}

async function run(base: string, query: string): Promise<{ status: number; body: any }> {
  return getJson(`${base}/api/v1/query?${new URLSearchParams({ query })}`);
}

test('every panel expression parses and returns series at the root, the zone and Prometheus 2.42', async () => {
  assert.ok(targets.length >= 25, `${targets.length} targets`);
  assert.deepEqual(
    dashboard.templating.list.map((v) => v.name),
    ['datasource', 'tenant'],
  );
  // Keep querying the root meanwhile, so its latency histogram has fresh observations.
  const traffic = setInterval(
    () => void getJson(`${stack.rootUrl}/api/v1/query?query=up`).catch(() => {}),
    500,
  );
  const report: string[] = [];
  try {
    for (const t of targets) {
      const where = `${t.panel} / ${t.refId}: ${t.query}`;
      // Metrics counted only once something happened (labelled counters) may be absent.
      const present = await waitFor(
        `metrics of ${where}`,
        async () => {
          const names = metricsOf(t.query);
          const { body } = await run(stack.rootUrl, `count by (__name__) ({__name__=~"${names.join('|')}"})`);
          return body.data?.result?.length === names.length ? true : undefined;
        },
        20_000,
      ).catch(() => false);
      const bases = [
        ['root', stack.rootUrl],
        ['zone', stack.zoneUrl],
        ...(promUrl ? [['prometheus', promUrl]] : []),
      ] as const;
      for (const [name, base] of bases) {
        let last: any;
        const n = await waitFor(
          `${name}: ${where}`,
          async () => {
            const r = await run(base, t.query);
            last = r.body;
            assert.equal(r.status, 200, `${name}: ${where}: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.status, 'success');
            return !present || r.body.data.result.length > 0
              ? { n: r.body.data.result.length as number }
              : undefined;
          },
          30_000,
        )
          .then((x) => x.n)
          .catch(() => assert.fail(`${name}: ${where}: no series (${JSON.stringify(last)})`));
        if (name === 'root')
          report.push(
            `${present ? n : `absent (${metricsOf(t.query).join(', ')})`}\t${t.panel} / ${t.refId}`,
          );
      }
    }
  } finally {
    clearInterval(traffic);
  }
  console.log(`series per target at the root:\n${report.join('\n')}`);
  // Only counters that a healthy tree never increments may be absent.
  const absent = report.filter((r) => r.startsWith('absent'));
  assert.deepEqual(
    absent.map((r) => r.split('\t')[0]),
    ['absent (canopy_leaf_send_retries_total)'],
    `targets whose metrics never appeared: ${absent.join('; ')}`,
  );
});

test(
  "Grafana's datasource endpoints answer as Prometheus 2.42: format_query, query_exemplars, buildinfo, metadata",
  { skip: prometheus ? false : 'prometheus is not installed' },
  async () => {
    for (const base of [stack.rootUrl, stack.zoneUrl]) {
      for (const t of targets) {
        const path = `/api/v1/format_query?${new URLSearchParams({ query: t.query })}`;
        const [p, c] = await Promise.all([getJson(`${promUrl}${path}`), getJson(`${base}${path}`)]);
        assert.deepEqual(c, p, `${base} format_query ${t.query}`);
        const ex = `/api/v1/query_exemplars?${new URLSearchParams({ query: t.query, start: String(Date.now() / 1000 - 300), end: String(Date.now() / 1000) })}`;
        const [pe, ce] = await Promise.all([getJson(`${promUrl}${ex}`), getJson(`${base}${ex}`)]);
        assert.deepEqual(ce, pe, `${base} query_exemplars ${t.query}`);
      }
      const [p, c] = await Promise.all([
        getJson(`${promUrl}/api/v1/status/buildinfo`),
        getJson(`${base}/api/v1/status/buildinfo`),
      ]);
      assert.equal(c.status, 200);
      assert.deepEqual(Object.keys(c.body.data).sort(), Object.keys(p.body.data).sort());
      // Debian's build says 2.42.0+ds: the release is what clients read.
      assert.equal(c.body.data.version, p.body.data.version.replace(/\+.*$/, ''));
      // Metadata of the dashboard's metrics, learnt from the same scrapes (the leaf ships it).
      for (const metric of [
        'canopy_zone_samples_ingested_total',
        'canopy_root_query_duration_seconds',
        'canopy_leaf_buffer_bytes',
        'canopy_root_zones_alive',
      ]) {
        const path = `/api/v1/metadata?metric=${metric}`;
        const got = await waitFor(
          `${base} metadata of ${metric}`,
          async () => {
            const r = await getJson(`${base}${path}`);
            return r.body.data?.[metric] ? r : undefined;
          },
          30_000,
        );
        const want = await getJson(`${promUrl}${path}`);
        assert.deepEqual(got, want, `${base}${path}`);
      }
    }
  },
);
