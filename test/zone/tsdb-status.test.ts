// GET /api/v1/status/tsdb on a real zone (in this process, TSDB in a temp dir, no NATS): the
// body Prometheus 2.42 answers, counted over the asking tenant's series only; `limit`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startZone, type ZoneHandle } from '../../zone/main.ts';
import { parseZoneConfig, type ZoneConfig } from '../../zone/config.ts';
import { silentLogger } from '../../shared/log.ts';
import { parseTsdbStatusLimit } from '../../zone/tsdb-status.ts';

let dir: string;
let zone: ZoneHandle;
const now = Date.now();

async function push(items: unknown[], tenant?: string): Promise<void> {
  const r = await fetch(`${zone.httpUrl}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(tenant ? { 'X-Scope-OrgID': tenant } : {}) },
    body: JSON.stringify(items),
  });
  assert.equal(r.status, 204, await r.text());
}

async function status(query = '', tenant?: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${zone.httpUrl}/api/v1/status/tsdb${query}`, {
    headers: tenant ? { 'X-Scope-OrgID': tenant } : {},
  });
  return { status: r.status, body: await r.json() };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-tsdb-status-'));
  const cfg = parseZoneConfig([
    '--zone',
    'z1',
    '--region',
    'r1',
    '--listen',
    '127.0.0.1:0',
    '--grpc-listen',
    '127.0.0.1:0',
    '--data-dir',
    dir,
  ]) as ZoneConfig;
  zone = await startZone(cfg, { logger: silentLogger() });
  // tenant team-a: 12 series of http_requests_total (3 instances × 4 codes), 2 of secret_a
  const a: unknown[] = [];
  for (const instance of ['h1', 'h2', 'h3'])
    for (const code of ['200', '404', '500', '503'])
      a.push({
        metric: 'http_requests_total',
        tags: { job: 'api', instance, code },
        timestamp: now - 1000,
        value: 1,
      });
  for (const owner of ['alice', 'bob'])
    a.push({ metric: 'secret_a', tags: { job: 'vault', owner }, timestamp: now, value: 1 });
  await push(a, 'team-a');
  // tenant team-b: 3 series of its own
  await push(
    ['x', 'y', 'z'].map((k) => ({ metric: 'b_only', tags: { job: 'bjob', k }, timestamp: now, value: 2 })),
    'team-b',
  );
});

after(async () => {
  await zone.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("Prometheus's TSDB status body, counted over the tenant's own series", async () => {
  const { status: code, body } = await status('', 'team-a');
  assert.equal(code, 200);
  assert.equal(body.status, 'success');
  const d = body.data;
  assert.deepEqual(Object.keys(d).sort(), [
    'headStats',
    'labelValueCountByLabelName',
    'memoryInBytesByLabelName',
    'seriesCountByLabelValuePair',
    'seriesCountByMetricName',
  ]);
  assert.equal(d.headStats.numSeries, 14);
  // __name__ ×2, job ×2, instance ×3, code ×4, owner ×2
  assert.equal(d.headStats.numLabelPairs, 13);
  assert.ok(d.headStats.minTime <= now - 1000 && d.headStats.maxTime >= now, JSON.stringify(d.headStats));
  assert.deepEqual(d.seriesCountByMetricName, [
    { name: 'http_requests_total', value: 12 },
    { name: 'secret_a', value: 2 },
  ]);
  assert.deepEqual(d.labelValueCountByLabelName.slice(0, 3), [
    { name: 'code', value: 4 },
    { name: 'instance', value: 3 },
    { name: '__name__', value: 2 },
  ]);
  // memory: the bytes of each label's distinct values
  assert.deepEqual(
    d.memoryInBytesByLabelName.find((s: { name: string }) => s.name === '__name__'),
    { name: '__name__', value: 'http_requests_total'.length + 'secret_a'.length },
  );
  assert.deepEqual(
    d.memoryInBytesByLabelName.find((s: { name: string }) => s.name === 'owner'),
    { name: 'owner', value: 'alice'.length + 'bob'.length },
  );
  // pairs written name=value as Prometheus does, most series first, ties by name
  assert.deepEqual(d.seriesCountByLabelValuePair.slice(0, 3), [
    { name: '__name__=http_requests_total', value: 12 },
    { name: 'job=api', value: 12 },
    { name: 'instance=h1', value: 4 },
  ]);
  assert.equal(d.seriesCountByLabelValuePair.length, 10, 'top 10 by default');
  // the tenant label never shows
  assert.ok(!JSON.stringify(d).includes('tenant'), JSON.stringify(d));
});

test("tenant isolation: team-b sees none of team-a's names or pairs; anonymous sees none of either", async () => {
  const b = (await status('?limit=100', 'team-b')).body.data;
  assert.equal(b.headStats.numSeries, 3);
  assert.deepEqual(b.seriesCountByMetricName, [{ name: 'b_only', value: 3 }]);
  const pairs = b.seriesCountByLabelValuePair.map((s: { name: string }) => s.name).sort();
  assert.deepEqual(pairs, ['__name__=b_only', 'job=bjob', 'k=x', 'k=y', 'k=z']);
  for (const s of JSON.stringify(b).match(/"name":"[^"]*"/g) ?? [])
    assert.doesNotMatch(s, /http_requests|secret|alice|bob|vault|instance|owner/);
  const anon = (await status('')).body.data;
  assert.equal(anon.headStats.numSeries, 0);
  assert.deepEqual(anon.seriesCountByLabelValuePair, []);
});

test('limit: top N of each list; anything but a positive integer is bad_data', async () => {
  const d = (await status('?limit=2', 'team-a')).body.data;
  for (const k of [
    'seriesCountByMetricName',
    'labelValueCountByLabelName',
    'memoryInBytesByLabelName',
    'seriesCountByLabelValuePair',
  ])
    assert.equal(d[k].length, 2, k);
  assert.equal((await status('?limit=1000', 'team-a')).body.data.seriesCountByLabelValuePair.length, 13);
  for (const bad of ['0', '-1', 'abc', '1.5']) {
    const r = await status(`?limit=${bad}`, 'team-a');
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.errorType, 'bad_data');
    assert.match(r.body.error, /limit/);
  }
  assert.equal(parseTsdbStatusLimit(null), 10);
  const inv = await status('', 'bad tenant!');
  assert.equal(inv.status, 400);
});
