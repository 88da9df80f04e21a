import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { ScrapeLoop, type ScrapeResult } from '../../../leaf/scrape/scrape-loop.ts';
import { ScrapePool } from '../../../leaf/scrape/scrape-pool.ts';
import { buildTargets, parseScrapeJobConfig, parseStaticConfigs } from '../../../leaf/scrape/target.ts';
import { isStaleNaN } from '../../../leaf/scrape/staleness.ts';
import { formatLabels, labelsToRecord } from '../../../shared/labels.ts';
import { isCanopyError } from '../../../shared/errors.ts';

async function serve(
  handler: (path: string) => { status?: number; body: string; type?: string; delayMs?: number },
): Promise<{ server: Server; addr: string }> {
  const server = createServer((req, res) => {
    const r = handler(req.url ?? '/');
    setTimeout(() => {
      res.writeHead(r.status ?? 200, { 'content-type': r.type ?? 'text/plain; version=0.0.4' });
      res.end(r.body);
    }, r.delayMs ?? 0);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const a = server.address() as { port: number };
  return { server, addr: `127.0.0.1:${a.port}` };
}
const close = (s: Server) =>
  new Promise<void>((ok) => {
    s.closeAllConnections();
    s.close(() => ok());
  });
const byName = (r: ScrapeResult) =>
  Object.fromEntries(r.samples.map((s) => [formatLabels(s.labels), s.value]));

test('targets: relabel_configs, instance default, __param_, dropped targets', () => {
  const job = parseScrapeJobConfig({
    job_name: 'node',
    scrape_interval: '15s',
    relabel_configs: [
      { source_labels: ['__address__'], regex: 'drop.*', action: 'drop' },
      { source_labels: ['env'], target_label: '__param_module' },
    ],
  });
  const groups = parseStaticConfigs([{ targets: ['a:9100', 'drop-me:1'], labels: { env: 'prod' } }]);
  const { targets, dropped } = buildTargets(job, groups);
  assert.equal(dropped, 1);
  assert.equal(targets.length, 1);
  assert.equal(targets[0]!.url, 'http://a:9100/metrics?module=prod');
  assert.deepEqual(labelsToRecord(targets[0]!.labels), { env: 'prod', instance: 'a:9100', job: 'node' });
  assert.equal(job.timeoutMs, 10_000);
  assert.throws(
    () => parseScrapeJobConfig({ job_name: 'x', scrape_interval: '5s', scrape_timeout: '10s' }),
    (e) => isCanopyError(e, 'config_invalid') && /scrape_timeout/.test((e as Error).message),
  );
  assert.throws(() => parseScrapeJobConfig({ job_name: 'x', bogus: 1 }), /unknown key "bogus"/);
});

test('scrape: target labels, honor_labels=false → exported_, metric relabeling, synthetic series, staleness', async () => {
  let body = '# TYPE a counter\na{job="scraped",x="1"} 5\nb 2\ndropme 1\nc 3 1000\n';
  const { server, addr } = await serve(() => ({ body }));
  try {
    const job = parseScrapeJobConfig({
      job_name: 'j',
      metric_relabel_configs: [{ source_labels: ['__name__'], regex: 'dropme', action: 'drop' }],
    });
    const target = buildTargets(job, [{ targets: [addr], labels: {} }]).targets[0]!;
    const got: ScrapeResult[] = [];
    let now = 100_000;
    const loop = new ScrapeLoop(target, { onSamples: (r) => got.push(r), now: () => now });
    const r1 = await loop.scrapeOnce();
    assert.equal(r1.ok, true, r1.error);
    const m1 = byName(r1);
    assert.equal(m1[`a{exported_job="scraped", instance="${addr}", job="j", x="1"}`], 5);
    assert.equal(m1[`b{instance="${addr}", job="j"}`], 2);
    assert.equal(m1[`up{instance="${addr}", job="j"}`], 1);
    assert.equal(m1[`scrape_samples_scraped{instance="${addr}", job="j"}`], 4);
    assert.equal(m1[`scrape_samples_post_metric_relabeling{instance="${addr}", job="j"}`], 3);
    assert.ok(!Object.keys(m1).some((k) => k.startsWith('dropme')));
    assert.equal(r1.samples.find((s) => s.labels[0]!.value === 'c')!.tMs, 1000); // honor_timestamps
    assert.equal(r1.samples.find((s) => s.labels[0]!.value === 'b')!.tMs, 100_000);
    assert.equal(r1.metadata.get('a')!.type, 'counter');
    // b disappears → stale marker at the next scrape
    body = 'a{job="scraped",x="1"} 6\n';
    now = 115_000;
    const r2 = await loop.scrapeOnce();
    const stale = r2.samples.filter((s) => isStaleNaN(s.value)).map((s) => formatLabels(s.labels));
    assert.deepEqual(stale, [`b{instance="${addr}", job="j"}`]);
    // failed scrape: up=0, everything from the last scrape stale
    body = 'a{ 1\n';
    now = 130_000;
    const r3 = await loop.scrapeOnce();
    assert.equal(r3.ok, false);
    assert.match(r3.error!, /cannot parse scrape: line 1/);
    assert.equal(byName(r3)[`up{instance="${addr}", job="j"}`], 0);
    assert.equal(r3.samples.filter((s) => isStaleNaN(s.value)).length, 1);
    // target goes away: every series incl. synthetic gets a marker
    body = 'a 1\n';
    await loop.scrapeOnce();
    await loop.stop({ targetGone: true });
    const last = got[got.length - 1]!;
    assert.equal(last.samples.length, 5);
    assert.ok(last.samples.every((s) => isStaleNaN(s.value)));
    assert.equal(got.length, 5);
  } finally {
    await close(server);
  }
});

test('honor_labels=true keeps scraped values; OpenMetrics content type; HTTP errors and timeouts fail the scrape', async () => {
  let mode = 'om';
  const { server, addr } = await serve(() =>
    mode === 'om'
      ? {
          body: '# TYPE x counter\nx_total{job="mine"} 1 1.5\n# EOF\n',
          type: 'application/openmetrics-text; version=1.0.0',
        }
      : mode === '500'
        ? { status: 500, body: 'boom' }
        : { body: 'x 1\n', delayMs: 400 },
  );
  try {
    const job = parseScrapeJobConfig({
      job_name: 'j',
      honor_labels: true,
      scrape_interval: '1s',
      scrape_timeout: '200ms',
    });
    const target = buildTargets(job, [{ targets: [addr], labels: {} }]).targets[0]!;
    const loop = new ScrapeLoop(target, { onSamples: () => {} });
    const r = await loop.scrapeOnce();
    const s = r.samples.find((x) => x.labels.some((l) => l.value === 'x_total'))!;
    assert.equal(labelsToRecord(s.labels).job, 'mine');
    assert.equal(s.tMs, 1500);
    mode = '500';
    const r500 = await loop.scrapeOnce();
    assert.equal(r500.ok, false);
    assert.match(r500.error!, /HTTP status 500/);
    mode = 'slow';
    const rt = await loop.scrapeOnce();
    assert.equal(rt.ok, false);
    assert.match(rt.error!, /timed out after 200 ms/);
    await loop.stop({ targetGone: false });
  } finally {
    await close(server);
  }
});

test('sample_limit fails the scrape; admit() refusals are dropped and counted', async () => {
  const { server, addr } = await serve(() => ({ body: 'a 1\nb 2\nc 3\n' }));
  try {
    const job = parseScrapeJobConfig({ job_name: 'j', sample_limit: 2 });
    const t = buildTargets(job, [{ targets: [addr], labels: {} }]).targets[0]!;
    const r = await new ScrapeLoop(t, { onSamples: () => {} }).scrapeOnce();
    assert.equal(r.ok, false);
    assert.match(r.error!, /sample limit exceeded: 3 > 2/);
    const job2 = parseScrapeJobConfig({ job_name: 'j' });
    const t2 = buildTargets(job2, [{ targets: [addr], labels: {} }]).targets[0]!;
    const drops: [string, number][] = [];
    const r2 = await new ScrapeLoop(t2, {
      onSamples: () => {},
      admit: (ls) => (ls[0]!.value !== 'b' ? true : 'too_many_series'),
      onDrop: (why, n) => drops.push([why, n]),
    }).scrapeOnce();
    assert.equal(r2.samples.length, 2 + 4);
    assert.deepEqual(drops, [['too_many_series', 1]]);
  } finally {
    await close(server);
  }
});

test('a series written twice in one scrape is kept once and counted as duplicate_sample', async () => {
  const { server, addr } = await serve(() => ({ body: 'a{x="1"} 1\na{ x="1" } 2\nb 3\n' }));
  try {
    const t = buildTargets(parseScrapeJobConfig({ job_name: 'j' }), [{ targets: [addr], labels: {} }])
      .targets[0]!;
    const drops: [string, number][] = [];
    const r = await new ScrapeLoop(t, {
      onSamples: () => {},
      onDrop: (why, n) => drops.push([why, n]),
    }).scrapeOnce();
    assert.equal(byName(r)[`a{instance="${addr}", job="j", x="1"}`], 1);
    assert.deepEqual(drops, [['duplicate_sample', 1]]);
    assert.equal(r.samplesPostRelabel, 2);
  } finally {
    await close(server);
  }
});

test('pool sync stops vanished targets with staleness markers', async () => {
  const { server, addr } = await serve(() => ({ body: 'm 1\n' }));
  try {
    const got: ScrapeResult[] = [];
    const pool = new ScrapePool(parseScrapeJobConfig({ job_name: 'p' }), { onSamples: (r) => got.push(r) });
    await pool.sync([{ targets: [addr], labels: { a: '1' } }]);
    assert.equal(pool.targets().length, 1);
    await pool.targets()[0]!.scrapeOnce();
    await pool.sync([]);
    assert.equal(pool.targets().length, 0);
    const last = got[got.length - 1]!;
    assert.ok(last.samples.length > 0 && last.samples.every((s) => isStaleNaN(s.value)));
    await pool.stop();
  } finally {
    await close(server);
  }
});
