// Rollups and the bucket tier together (issue 15, parts 1, 2 and 6), in process with a real
// FILESYSTEM bucket: one compaction pass (compactNow, what POST /api/v1/admin/tsdb/compact runs)
// writes raw, 5m and 1h blocks and returns only after all of them are complete in the bucket;
// rollup reads go through the tenant view; an empty data dir on the same bucket answers raw and
// rollup queries exactly as the original did, and raw reads never see rollup windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTSDB, RES_1H, RES_5M, type TSDB } from '../../../zone/tsdb/index.ts';
import { BucketTier } from '../../../zone/objstore/index.ts';
import { tenantQueryable } from '../../../zone/tenant-view.ts';
import { Engine } from '../../../shared/promql/index.ts';
import { labelsFromRecord } from '../../../shared/labels.ts';
import { silentLogger } from '../../../shared/log.ts';
import { TENANT_LABEL } from '../../../shared/tenant.ts';
import type { QueryResult } from '../../../shared/value.ts';

const M = 60_000,
  H = 3600_000;
const T0 = Date.UTC(2026, 0, 1);
const HOURS = 30;

async function open(dataDir: string, bucketDir: string): Promise<{ db: TSDB; tier: BucketTier }> {
  const db = await openTSDB({
    dir: dataDir,
    wal: false,
    autoCompact: false,
    retentionMs: 0,
    rollup5mAfterMs: 6 * H,
    rollup1hAfterMs: 11 * H,
  });
  const tier = new BucketTier(
    {
      objectStore: { type: 'FILESYSTEM', directory: bucketDir },
      dataDir,
      cacheBytes: 256 << 20,
      retention: { rawMs: 0, fiveMinMs: 0, oneHourMs: 0 },
      labels: { zone: 'z', region: 'r' },
      syncIntervalMs: 3600_000,
      logger: silentLogger(),
    },
    db,
  );
  await tier.start();
  return { db, tier };
}

test('one compaction pass uploads raw, 5m and 1h blocks; tenants read only their rollups; a wiped data dir answers the same from the bucket', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rollup-tier-'));
  const bucketDir = join(dir, 'bucket');
  let a: { db: TSDB; tier: BucketTier } | undefined, b: { db: TSDB; tier: BucketTier } | undefined;
  try {
    a = await open(join(dir, 'a'), bucketDir);
    // Two tenants, 4 counters and a gauge each, 30 s samples; head cut every 6 h of data.
    const series = ['t1', 't2'].flatMap((tenant) =>
      [0, 1, 2, 3].map((i) =>
        labelsFromRecord({ __name__: 'req_total', [TENANT_LABEL]: tenant, job: `j${i % 2}`, i: String(i) }),
      ),
    );
    const gauges = ['t1', 't2'].map((tenant) =>
      labelsFromRecord({ __name__: 'temp', [TENANT_LABEL]: tenant }),
    );
    for (let h = 0; h < HOURS; h += 6) {
      const app = a.db.appender();
      for (let t = T0 + h * H; t < T0 + (h + 6) * H; t += 30_000) {
        series.forEach((ls, i) => app.append(ls, t, Math.floor((t - T0) / 1000) * (i + 1) + (t % 7)));
        gauges.forEach((ls, i) => app.append(ls, t, 20 + i + Math.sin(t / (17 * M)) * 5));
      }
      await app.commit();
      await a.db.cutBlocksNow();
    }
    await a.tier.shipper.idle();
    await a.db.compactNow();
    // compactNow returned after the upload task: every local block is complete in the bucket now.
    for (const m of a.db.blocks())
      assert.ok(a.tier.index.complete(m.ulid), `block ${m.ulid} in the bucket when compactNow returns`);
    const resolutions = new Set(a.tier.index.completeMetas().map((m) => m.thanos.downsample.resolution));
    assert.deepEqual(
      [...resolutions].sort((x, y) => x - y),
      [0, RES_5M, RES_1H],
    );
    for (const m of a.tier.index.completeMetas())
      assert.deepEqual(m.thanos.labels, { zone: 'z', region: 'r' });

    const engine = new Engine();
    const q0 = T0 + 2 * H,
      q1 = T0 + HOURS * H - H;
    const range = (
      db: TSDB,
      tenant: string,
      e: string,
      step: number,
      msr: number | 'auto',
    ): Promise<QueryResult> =>
      engine.rangeQuery(tenantQueryable(db, tenant), e, q0, q1, step, { maxSourceResolution: msr });
    // Tenant t1 through rollups: its 4 series only, at 5m.
    const t1 = await range(a.db, 't1', 'rate(req_total[1h])', H, 'auto');
    assert.equal(t1.resolution?.usedMs, RES_5M);
    assert.equal(t1.value.type === 'matrix' ? t1.value.matrix.length : -1, 4);
    const t1Sum = await range(a.db, 't1', 'sum(rate(req_total[1h]))', H, 'auto');
    const t2Sum = await range(a.db, 't2', 'sum(rate(req_total[1h]))', H, 'auto');
    assert.notDeepEqual(t1Sum.value, t2Sum.value, 'tenants read different rollups');
    const t3 = await range(a.db, 't3', 'rate(req_total[1h])', H, 'auto');
    assert.equal(
      t3.value.type === 'matrix' ? t3.value.matrix.length : -1,
      0,
      'an unknown tenant reads nothing',
    );

    const queries: Array<[string, string, number, number | 'auto']> = [
      ['t1', 'sum by (job) (rate(req_total[1h]))', H, 'auto'],
      ['t2', 'max_over_time(temp[1h])', H, 'auto'],
      ['t2', 'rate(req_total[6h])', 6 * H, 'auto'],
      ['t1', 'count_over_time(req_total[1h])', H, 0],
      ['t2', 'avg_over_time(temp[1h])', H, 0],
    ];
    const before = await Promise.all(queries.map(([t, e, s, r]) => range(a!.db, t, e, s, r)));
    assert.equal(before[2]!.resolution?.usedMs, RES_1H);
    await a.tier.stop();
    await a.db.close();
    a = undefined;

    // An empty data dir on the same bucket.
    b = await open(join(dir, 'b'), bucketDir);
    assert.equal(b.db.blocks().length, 0);
    const after = await Promise.all(queries.map(([t, e, s, r]) => range(b!.db, t, e, s, r)));
    for (let i = 0; i < queries.length; i++)
      assert.deepEqual(after[i], before[i], `${queries[i]![1]} (${queries[i]![3]}) after the wipe`);
    // Raw reads count raw samples (120 per hour), never rollup windows.
    const cnt = after[3]!;
    assert.ok(
      cnt.value.type === 'matrix' &&
        cnt.value.matrix.every((s) => s.points.every((p) => p.f === 120 || p.f === 121)),
      'raw count_over_time from bucket raw blocks',
    );
  } finally {
    if (a) {
      await a.tier.stop();
      await a.db.close();
    }
    if (b) {
      await b.tier.stop();
      await b.db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
