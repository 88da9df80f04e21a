// Leaf acceptance, sources: real processes (nats-server, the root, a zone, a leaf, the Debian
// prometheus-node-exporter) and a real StatsD client (hot-shots). What a source served or sent
// comes back out of the root with the same values: scraped gauges as served (file_sd target,
// relabel_configs, metric_relabel_configs, metadata), StatsD counter totals and Prometheus
// `increase()` over them, p99 of a timer within the digest's error, set cardinality within 2 %,
// JSON push incl. stream aggregation and the cardinality hard limit; random bytes to the JSON
// endpoint always get a 4xx and never crash the leaf.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import StatsD from 'hot-shots';
import { freePort, getJson, spawnProc, waitFor, waitForHttp } from './harness.ts';
import { leafMetric, query, sleep, startStack, type Stack } from '../leaf/e2e-stack.ts';
import { parseExposition } from '../../leaf/scrape/index.ts';

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const haveExporter = existsSync(NODE_EXPORTER);
const HARD_LIMIT = 200;

let stack: Stack;
let leafUrl = '';
let statsdPort = 0;
let exporterUrl = '';

before(async () => {
  stack = await startStack('leaf-src');
  statsdPort = await freePort();
  const sdFile = join(stack.dir.path, 'targets.json');
  if (haveExporter) {
    const ep = await freePort();
    exporterUrl = `http://127.0.0.1:${ep}`;
    // a few cheap collectors keep the scrape light; the ones compared below are included
    const p = spawnProc('node-exporter', NODE_EXPORTER, [
      `--web.listen-address=127.0.0.1:${ep}`,
      '--collector.disable-defaults',
      '--collector.meminfo',
      '--collector.filesystem',
      '--collector.stat',
      '--collector.loadavg',
      '--collector.cpu',
    ]);
    stack.procs.push(p);
    assert.ok(await waitForHttp(`${exporterUrl}/metrics`, 15_000), p.output.join('\n'));
    writeFileSync(sdFile, JSON.stringify([{ targets: [`127.0.0.1:${ep}`], labels: { team: 'infra' } }]));
  } else writeFileSync(sdFile, '[]');
  const yaml = `
flush_interval: 1s
statsd_listen: 127.0.0.1:${statsdPort}
cardinality:
  soft_limit: ${HARD_LIMIT / 2}
  hard_limit: ${HARD_LIMIT}
scrape_configs:
  - job_name: node
    scrape_interval: 2s
    file_sd_configs:
      - files: [targets.json]
    relabel_configs:
      - source_labels: [team]
        target_label: owner
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: go_.*|promhttp_.*
        action: drop
stream_aggregation:
  - match: 'req_bytes'
    interval: 1s
    without: [pod]
    outputs: [sum, count]
`;
  const leaf = await stack.startLeaf('leaf-src', yaml);
  leafUrl = leaf.url;
});

after(async () => {
  await stack?.stop();
});

test(
  'node_exporter via file_sd: gauges at the root equal what the exporter served; relabeling and metadata applied',
  { skip: haveExporter ? false : `${NODE_EXPORTER} is not installed` },
  async () => {
    const mem = await waitFor('node_memory_MemTotal_bytes at the root', async () => {
      const r = await query(stack.rootUrl, 'node_memory_MemTotal_bytes{job="node"}');
      return r.length === 1 ? r : undefined;
    });
    const served = parseExposition(
      await (await fetch(`${exporterUrl}/metrics`)).text(),
      'text/plain; version=0.0.4',
      0,
    ).samples;
    const servedValue = (
      name: string,
      match: (ls: Record<string, string>) => boolean = () => true,
    ): { labels: Record<string, string>; value: number }[] =>
      served
        .map((s) => ({ labels: Object.fromEntries(s.labels.map((l) => [l.name, l.value])), value: s.value }))
        .filter((s) => s.labels.__name__ === name && match(s.labels));
    const m = mem[0];
    assert.equal(Number(m.value[1]), servedValue('node_memory_MemTotal_bytes')[0]!.value);
    assert.equal(m.metric.zone, 'z1');
    assert.equal(m.metric.region, 'r1');
    assert.equal(m.metric.owner, 'infra', 'relabel_configs copied team → owner');
    assert.equal(m.metric.team, 'infra');
    assert.match(m.metric.instance, /^127\.0\.0\.1:\d+$/);

    const fsServed = servedValue('node_filesystem_size_bytes');
    assert.ok(fsServed.length > 0, 'the exporter serves node_filesystem_size_bytes');
    const fsRoot = await query(stack.rootUrl, 'node_filesystem_size_bytes{job="node"}');
    assert.equal(fsRoot.length, fsServed.length);
    for (const s of fsServed) {
      const hit = fsRoot.find(
        (r: any) =>
          r.metric.mountpoint === s.labels.mountpoint &&
          r.metric.device === s.labels.device &&
          r.metric.fstype === s.labels.fstype,
      );
      assert.ok(hit, `filesystem ${s.labels.mountpoint} at the root`);
      assert.equal(Number(hit.value[1]), s.value, `size of ${s.labels.mountpoint}`);
    }
    const cpus = servedValue('node_cpu_seconds_total', (l) => l.mode === 'idle').length;
    assert.equal((await query(stack.rootUrl, 'node_cpu_seconds_total{job="node",mode="idle"}')).length, cpus);
    // metric_relabel_configs dropped go_*; the synthetic series are there
    assert.deepEqual(await query(stack.rootUrl, 'go_goroutines{job="node"}'), []);
    const up = await query(stack.rootUrl, 'up{job="node"}');
    assert.equal(up[0].value[1], '1');
    const post = await query(stack.rootUrl, 'scrape_samples_post_metric_relabeling{job="node"}');
    const scraped = await query(stack.rootUrl, 'scrape_samples_scraped{job="node"}');
    assert.ok(
      Number(post[0].value[1]) < Number(scraped[0].value[1]),
      'go_* samples dropped by metric relabeling',
    );
    // metadata reached the zone (sent when it changes, not with every scrape)
    const md = (await getJson(`${stack.rootUrl}/api/v1/metadata?metric=node_memory_MemTotal_bytes`)).body;
    assert.equal(md.data.node_memory_MemTotal_bytes?.[0]?.type, 'gauge', JSON.stringify(md));
  },
);

/** Prometheus 2.42 extrapolatedRate(isCounter, !isRate) over [tEnd - rangeS, tEnd]. */
function promIncrease(points: [number, number][], tEnd: number, rangeS: number): number {
  const rangeStart = tEnd - rangeS;
  let delta = points[points.length - 1]![1] - points[0]![1];
  for (let i = 1; i < points.length; i++) if (points[i]![1] < points[i - 1]![1]) delta += points[i - 1]![1];
  let toStart = points[0]![0] - rangeStart;
  const toEnd = tEnd - points[points.length - 1]![0];
  const sampled = points[points.length - 1]![0] - points[0]![0];
  const avg = sampled / (points.length - 1);
  if (delta > 0 && points[0]![1] >= 0) toStart = Math.min(toStart, sampled * (points[0]![1] / delta));
  let interval = sampled;
  interval += toStart < avg * 1.1 ? toStart : avg / 2;
  interval += toEnd < avg * 1.1 ? toEnd : avg / 2;
  return delta * (interval / sampled);
}

/** Deterministic lognormal-ish latencies in ms. */
function latencies(n: number): number[] {
  let x = 12345;
  const rnd = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), (x + 0.5) / 2 ** 32);
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      Math.round(Math.exp(3 + 0.8 * Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd())) * 100) /
        100,
    );
  return out;
}

test('hot-shots StatsD: counter totals and increase(), timer p99 within the digest error, set cardinality within 2 %', async (tc) => {
  const client = new StatsD({
    host: '127.0.0.1',
    port: statsdPort,
    maxBufferSize: 1400,
    bufferFlushInterval: 20,
    errorHandler: () => {},
  });
  const lat = latencies(3000);
  const SET = 20_000;
  let lines = 0;
  let total = 0;
  // phase 1: counter + timers + set members, yielding so the UDP socket drains
  for (let i = 0; i < 500; i++) {
    client.increment('shop.orders', (i % 5) + 1, { shop: 'a' });
    total += (i % 5) + 1;
    lines++;
  }
  for (let i = 0; i < lat.length; i++) {
    client.timing('api.latency', lat[i]!, { route: '/x' });
    lines++;
    if (i % 200 === 0) await sleep(2);
  }
  for (let i = 0; i < SET; i++) {
    client.unique('app.users', `user-${i}`);
    lines++;
    if (i % 200 === 0) await sleep(2);
  }
  const phase1 = total;
  await waitFor('phase-1 counter total at the root', async () => {
    const r = await query(stack.rootUrl, 'shop_orders_total');
    return r.length === 1 && Number(r[0].value[1]) === phase1;
  });
  await sleep(2500); // a few flat flushes, then phase 2
  for (let i = 0; i < 300; i++) {
    client.increment('shop.orders', 2, { shop: 'a' });
    total += 2;
    lines++;
  }
  await new Promise<void>((r) => client.close(() => r()));
  await waitFor('phase-2 counter total at the root', async () => {
    const r = await query(stack.rootUrl, 'shop_orders_total{shop="a"}');
    return r.length === 1 && Number(r[0].value[1]) === total;
  });
  await sleep(2500);
  assert.equal(
    await leafMetric(leafUrl, 'canopy_leaf_statsd_lines_total'),
    lines,
    'every StatsD line arrived (no UDP loss)',
  );
  assert.equal(await leafMetric(leafUrl, 'canopy_leaf_statsd_dropped_total'), 0);

  // increase(): what Prometheus computes from the stored running totals
  const t = Math.floor(Date.now() / 1000);
  const raw = await query(stack.rootUrl, 'shop_orders_total[5m]', t);
  const pts = (raw[0].values as [number, string][]).map(([ts, v]) => [ts, Number(v)] as [number, number]);
  assert.equal(pts[pts.length - 1]![1], total);
  assert.ok(
    pts.some((p) => p[1] === phase1),
    'the phase-1 total was stored',
  );
  const inc = await query(stack.rootUrl, 'increase(shop_orders_total[5m])', t);
  const want = promIncrease(pts, t, 300);
  // (1e-6: the API renders timestamps as float seconds)
  assert.ok(Math.abs(Number(inc[0].value[1]) - want) < 1e-6 * want, `increase ${inc[0].value[1]} vs ${want}`);
  assert.ok(Number(inc[0].value[1]) >= total - pts[0]![1]);

  // timers: one distribution per flush, merged over the window; seconds (ms / 1000)
  const sorted = lat.map((v) => v / 1000).sort((a, b) => a - b);
  const cnt = await query(stack.rootUrl, 'histogram_count(sum_over_time(api_latency[5m]))', t);
  assert.equal(Number(cnt[0].value[1]), lat.length);
  const sum = await query(stack.rootUrl, 'histogram_sum(sum_over_time(api_latency[5m]))', t);
  const exactSum = sorted.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(Number(sum[0].value[1]) - exactSum) < 1e-9 * exactSum);
  const q = Number(
    (await query(stack.rootUrl, 'histogram_quantile(0.99, sum_over_time(api_latency[5m]))', t))[0].value[1],
  );
  const exactP99 = sorted[Math.ceil(0.99 * sorted.length) - 1]!;
  // t-digest (δ = 100) error is in rank: the answer must sit between the exact 98.5th and
  // 99.5th percentiles of what was sent
  const rank = sorted.filter((v) => v <= q).length / sorted.length;
  assert.ok(rank >= 0.985 && rank <= 0.995, `p99 ${q} (exact ${exactP99}) has rank ${rank}`);

  // sets: unique members per flush interval, summed over the intervals the burst spanned
  const u = Number((await query(stack.rootUrl, 'sum_over_time(app_users[5m])', t))[0].value[1]);
  assert.ok(Math.abs(u - SET) <= 0.02 * SET, `unique count ${u} vs ${SET}`);
  tc.diagnostic(
    `increase ${inc[0].value[1]} (Prometheus formula ${want}); p99 ${q} s vs exact ${exactP99} s (rank ${rank}); unique ${u} of ${SET}`,
  );
});

test('JSON push: samples, stream aggregation (pod aggregated away) and the cardinality hard limit', async () => {
  const now = Date.now();
  const post = (body: unknown): Promise<Response> =>
    fetch(`${leafUrl}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  assert.equal(
    (await post([{ metric: 'orders_total', tags: { shop: 'b' }, timestamp: now, value: 7 }])).status,
    204,
  );
  const items = [];
  for (let pod = 0; pod < 10; pod++)
    items.push({
      metric: 'req_bytes',
      tags: { path: '/a', pod: `p${pod}` },
      timestamp: now,
      value: 100 + pod,
    });
  assert.equal((await post(items)).status, 204);
  const card = [];
  for (let i = 0; i < HARD_LIMIT + 50; i++)
    card.push({ metric: 'card_test', tags: { i: String(i) }, timestamp: now, value: i });
  const r = await post(card);
  assert.equal(r.status, 429);
  assert.equal(((await r.json()) as any).errorType, 'unavailable');
  const bad = await post([
    { metric: 'ok_metric', value: 1 },
    { metric: '0bad', value: 'x' },
  ]);
  assert.equal(bad.status, 400);
  const eb = (await bad.json()) as any;
  assert.equal(eb.status, 'error');
  assert.equal(eb.errorType, 'bad_data');
  assert.match(eb.error, /item 1/);

  await waitFor(
    'pushed samples at the root',
    async () => (await query(stack.rootUrl, 'orders_total{shop="b"}')).length === 1,
  );
  await waitFor(
    'stream aggregation output at the root',
    async () => (await query(stack.rootUrl, 'req_bytes:1s_without_pod_sum')).length === 1,
  );
  const t = Math.floor(Date.now() / 1000) + 1;
  assert.equal(
    Number(
      (await query(stack.rootUrl, 'sum_over_time(req_bytes:1s_without_pod_sum{path="/a"}[5m])', t))[0]
        .value[1],
    ),
    1045,
  );
  assert.equal(
    Number((await query(stack.rootUrl, 'sum_over_time(req_bytes:1s_without_pod_count[5m])', t))[0].value[1]),
    10,
  );
  assert.deepEqual(await query(stack.rootUrl, 'req_bytes'), [], 'matched inputs are not forwarded');
  await waitFor(
    'card_test series at the root',
    async () => (await query(stack.rootUrl, 'count(card_test)'))[0]?.value[1] === String(HARD_LIMIT),
  );
  assert.equal(
    await leafMetric(leafUrl, 'canopy_leaf_samples_dropped_total', { reason: 'too_many_series' }),
    50,
  );
  assert.equal(await leafMetric(leafUrl, 'canopy_leaf_samples_dropped_total', { reason: 'invalid_push' }), 1);
  assert.ok((await leafMetric(leafUrl, 'canopy_leaf_cardinality_soft_limit_warnings_total')) >= 1);
});

test('fuzz: random bytes to POST /api/v1/push always get a 4xx; the leaf keeps serving', async () => {
  let seed = 99;
  const rnd = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), seed / 2 ** 32);
  const valid = Buffer.from(
    JSON.stringify([{ metric: 'fuzz_metric', tags: { a: 'b' }, timestamp: 1700000000, value: 1.5 }]),
  );
  for (let i = 0; i < 300; i++) {
    let body: Buffer;
    if (i % 2 === 0) {
      body = Buffer.alloc(Math.floor(rnd() * 2048));
      for (let j = 0; j < body.length; j++) body[j] = Math.floor(rnd() * 256);
    } else {
      body = Buffer.from(valid); // a valid body with random byte flips: may stay valid JSON
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++)
        body[Math.floor(rnd() * body.length)] = Math.floor(rnd() * 256);
    }
    const r = await fetch(`${leafUrl}/api/v1/push`, { method: 'POST', body });
    await r.arrayBuffer();
    if (i % 2 === 0) assert.ok(r.status >= 400 && r.status < 500, `random body ${i}: status ${r.status}`);
    else
      assert.ok(
        r.status === 204 || (r.status >= 400 && r.status < 500),
        `mutated body ${i}: status ${r.status}`,
      );
  }
  assert.equal((await fetch(`${leafUrl}/healthz`)).status, 200);
  assert.equal((await fetch(`${leafUrl}/api/v1/push`)).status, 405);
});
