// Differential test with real processes: nats-server, the root, three zones holding the
// generated data spread over them, and a reference zone (not on NATS) holding all of it, loaded
// through POST /api/v1/push. Every generated expression (≥ 1,000: every aggregation, function
// class, binary matching mode, offset, @, subquery) must answer the same at the root as at
// the reference, instant queries all, range queries a sample. Also: the plan endpoint, zone
// status with series counts from field hints, global cardinality from merged sketches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  freePort,
  getJson,
  spawnCanopy,
  startNats,
  tempDir,
  waitFor,
  waitForHttp,
  type Proc,
} from './harness.ts';
import {
  assertSameResult,
  EVAL_TIMES,
  generateData,
  generateExpressions,
  T0,
  ZONES,
  type GenSample,
} from '../global/differential.ts';

const procs: Proc[] = [];
let rootUrl = '';
let refUrl = '';
const zoneUrl: Record<string, string> = {};
let dir: ReturnType<typeof tempDir>;
const data = generateData();
const seriesPerZone: Record<string, number> = {};

async function push(url: string, samples: GenSample[]): Promise<void> {
  for (let i = 0; i < samples.length; i += 5000) {
    const body = samples.slice(i, i + 5000).map((s) => {
      const { __name__, ...tags } = s.labels;
      return { metric: __name__, tags, timestamp: s.t, value: s.v };
    });
    const r = await fetch(`${url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(r.status, 204, `push to ${url}: ${r.status} ${await r.text()}`);
  }
}

async function zoneProc(name: string, args: string[]): Promise<string> {
  const http = await freePort();
  procs.push(
    spawnCanopy(name, [
      'zone',
      '--listen',
      `127.0.0.1:${http}`,
      '--grpc-listen',
      `127.0.0.1:${await freePort()}`,
      '--data-dir',
      `${dir.path}/${name}`,
      ...args,
    ]),
  );
  return `http://127.0.0.1:${http}`;
}

before(async () => {
  dir = tempDir('global-diff');
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
      '5s',
    ]),
  );
  for (const z of ZONES)
    zoneUrl[z.zone] = await zoneProc(`zone-${z.zone}`, [
      '--zone',
      z.zone,
      '--region',
      z.region,
      '--nats',
      nats.url,
    ]);
  refUrl = await zoneProc('reference', []);
  for (const url of [rootUrl, refUrl, ...Object.values(zoneUrl)])
    assert.ok(
      await waitForHttp(`${url}/readyz`, 30_000),
      `${url} not ready: ${procs.map((p) => p.output.slice(-5).join('\n')).join('\n')}`,
    );
  await Promise.all([
    push(refUrl, data),
    ...ZONES.map((z) =>
      push(
        zoneUrl[z.zone]!,
        data.filter((s) => s.labels.zone === z.zone),
      ),
    ),
  ]);
  for (const z of ZONES)
    seriesPerZone[z.zone] = new Set(
      data.filter((s) => s.labels.zone === z.zone).map((s) => JSON.stringify(s.labels)),
    ).size;
  // The root prunes by field hints: wait until every zone's hints describe the loaded data.
  await waitFor(
    "field hints with every zone's series",
    async () => {
      const { body } = await getJson(`${rootUrl}/api/v1/status/zones`);
      return ZONES.every(
        (z) => body.data.find((x: any) => x.zone === z.zone)?.seriesCount === seriesPerZone[z.zone],
      );
    },
    30_000,
  );
});

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir?.remove();
});

async function api(base: string, path: string, params: Record<string, string>): Promise<any> {
  const r = await fetch(`${base}${path}?${new URLSearchParams(params)}`);
  return r.json();
}

/** Runs fn over items with `width` in flight. */
async function pool<T>(items: T[], width: number, fn: (x: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

function compare(expr: string, got: any, want: any): void {
  assert.equal(
    got.status,
    want.status,
    `${expr}: status ${got.status} (${got.error}) vs ${want.status} (${want.error})`,
  );
  if (want.status !== 'success') return assert.equal(got.errorType, want.errorType, `${expr}: errorType`);
  assertSameResult(expr, got.data, want.data);
}

const exprs = generateExpressions();

test(`root over 3 zones = one zone holding everything: ${exprs.length} instant queries`, async () => {
  assert.ok(exprs.length >= 1000);
  await pool(exprs, 6, async (expr, i) => {
    const params = {
      query: expr,
      time: String(EVAL_TIMES[i % EVAL_TIMES.length]! / 1000),
      partial_response: 'false',
    };
    const [got, want] = await Promise.all([
      api(rootUrl, '/api/v1/query', params),
      api(refUrl, '/api/v1/query', params),
    ]);
    assert.equal(got.warnings, undefined, `${expr}: warnings ${got.warnings}`);
    compare(expr, got, want);
  });
});

test('range queries (every 5th expression)', async () => {
  const sample = exprs.filter((_, i) => i % 5 === 0);
  await pool(sample, 6, async (expr) => {
    const params = {
      query: expr,
      start: String((T0 + 12 * 60_000) / 1000),
      end: String((T0 + 38 * 60_000) / 1000),
      step: '90',
      partial_response: 'false',
    };
    const [got, want] = await Promise.all([
      api(rootUrl, '/api/v1/query_range', params),
      api(refUrl, '/api/v1/query_range', params),
    ]);
    compare(expr, got, want);
  });
});

test('query_plan: aggregations split into partial and final phases; zone matchers prune zones with a reason', async () => {
  const p = await api(rootUrl, '/api/v1/query_plan', {
    query: 'sum by (job) (rate(http_requests_total{zone="a"}[5m]))',
  });
  assert.equal(p.status, 'success');
  assert.equal(p.data.root, 'sum by (job) (__canopy_fragment_0__)');
  assert.equal(p.data.fragments[0].expr, 'sum by (job) (rate(http_requests_total{zone="a"}[5m]))');
  assert.deepEqual(p.data.fragments[0].zones.asked, ['a']);
  assert.equal(p.data.skippedZones, 2);
  assert.match(p.data.fragments[0].zones.skipped[0].reason, /zone="b"/);
  const byZone = await api(rootUrl, '/api/v1/query_plan', {
    query: 'sum by (zone) (rate(http_requests_total[5m]))',
  });
  assert.equal(byZone.data.root, '__canopy_fragment_0__', 'by (zone) is pushed down whole');
  const hinted = await api(rootUrl, '/api/v1/query_plan', { query: 'sum(no_such_metric)' });
  assert.equal(hinted.data.skippedZones, 3);
  assert.match(hinted.data.fragments[0].zones.skipped[0].reason, /field hints/);
});

test('status/zones lists series counts from field hints; status/cardinality merges per-metric sketches', async () => {
  const { body } = await getJson(`${rootUrl}/api/v1/status/zones`);
  for (const z of ZONES)
    assert.equal(body.data.find((x: any) => x.zone === z.zone).seriesCount, seriesPerZone[z.zone]);
  const card = await getJson(`${rootUrl}/api/v1/status/cardinality?limit=3`);
  assert.equal(card.status, 200);
  const top = card.body.data.metrics;
  assert.equal(top.length, 3);
  assert.equal(top[0].metric, 'req_duration_seconds_bucket');
  const exact = new Set(
    data
      .filter((s) => s.labels.__name__ === 'req_duration_seconds_bucket')
      .map((s) => JSON.stringify(s.labels)),
  ).size;
  assert.ok(Math.abs(top[0].series - exact) <= exact * 0.05, `estimate ${top[0].series} vs ${exact}`);
  assert.deepEqual(Object.keys(top[0].zones).sort(), ['a', 'b', 'c']);
  const total = Object.values(seriesPerZone).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(card.body.data.totalSeriesEstimate - total) <= total * 0.05);
  const metrics = await (await fetch(`${rootUrl}/metrics`)).text();
  assert.match(metrics, /canopy_root_queries_total\{plan="pushdown",outcome="ok"\} [1-9]/);
  assert.match(metrics, /canopy_root_zone_requests_total\{result="skipped"\} [1-9]/);
  assert.match(metrics, /canopy_root_received_bytes_total [1-9]/);
});

test('series, label values and label names: union over zones, deduplicated', async () => {
  const s = await api(rootUrl, '/api/v1/series', {
    'match[]': 'temp_celsius',
    start: String(T0 / 1000),
    end: String((T0 + 3_600_000) / 1000),
  });
  const want = await api(refUrl, '/api/v1/series', {
    'match[]': 'temp_celsius',
    start: String(T0 / 1000),
    end: String((T0 + 3_600_000) / 1000),
  });
  assert.equal(s.data.length, want.data.length);
  const zones = await api(rootUrl, '/api/v1/label/zone/values', {});
  assert.deepEqual(zones.data, ['a', 'b', 'c']);
  const jobs = await api(rootUrl, '/api/v1/label/job/values', {});
  assert.deepEqual(jobs.data, ['api', 'db', 'web']);
});

test("a zone that stops answering mid-query: the others' answer within the zone deadline plus a warning naming it; partial_response=false errors", async () => {
  const zc = procs.find((p) => p.name === 'zone-c')!;
  const q = { query: 'sum by (zone) (rate(http_requests_total[5m]))', time: String(EVAL_TIMES[0]! / 1000) };
  const pending = api(rootUrl, '/api/v1/query', q);
  const pendingStrict = api(rootUrl, '/api/v1/query', { ...q, partial_response: 'false' });
  process.kill(zc.child.pid!, 'SIGSTOP');
  try {
    const t0 = Date.now();
    const [r, strict] = await Promise.all([
      api(rootUrl, '/api/v1/query', q),
      api(rootUrl, '/api/v1/query', { ...q, partial_response: 'false' }),
    ]);
    const took = Date.now() - t0;
    assert.equal(r.status, 'success');
    assert.deepEqual(r.data.result.map((s: any) => s.metric.zone).sort(), ['a', 'b']);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /zone c .*did not answer within 5000 ms/);
    assert.ok(took < 8000, `answered after ${took} ms`);
    assert.equal(strict.status, 'error');
    assert.equal(strict.errorType, 'unavailable');
    assert.match(strict.error, /zone c/);
    // The requests already in flight when the zone stopped also ended (answered or warned).
    for (const p of [await pending, await pendingStrict])
      assert.ok(p.status === 'success' || p.errorType === 'unavailable');
  } finally {
    process.kill(zc.child.pid!, 'SIGCONT');
  }
});
