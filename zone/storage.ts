// Opens the zone's storage: the TSDB in the data directory, or (storage: memory, for tests)
// the in-memory reference store.
import { MemoryStorage } from '../shared/memstore.ts';
import type { Logger } from '../shared/log.ts';
import type { Storage } from '../shared/storage.ts';
import type { ZoneConfig } from './config.ts';
import { openTSDB, type TSDB } from './tsdb/index.ts';
import { BucketTier } from './objstore/index.ts';

export async function openStorage(
  cfg: ZoneConfig,
  log: Logger,
): Promise<{ storage: Storage; tsdb?: TSDB; tier?: BucketTier }> {
  if (cfg.storage === 'memory') return { storage: new MemoryStorage() };
  const tsdb = await openTSDB({
    dir: cfg.dataDir,
    retentionMs: cfg.tsdb.retentionMs,
    retentionBytes: cfg.tsdb.retentionBytes,
    blockRangeMs: cfg.tsdb.blockRangeMs,
    outOfOrderWindowMs: cfg.tsdb.outOfOrderWindowMs,
    walFsync: cfg.tsdb.walFsync,
    rollup5mAfterMs: cfg.tsdb.rollup5mAfterMs,
    rollup1hAfterMs: cfg.tsdb.rollup1hAfterMs,
    retention5mMs: cfg.tsdb.retention5mMs,
    retention1hMs: cfg.tsdb.retention1hMs,
    logger: log.child({ component: 'tsdb' }),
  });
  if (!cfg.bucket) return { storage: tsdb, tsdb };
  const b = cfg.bucket;
  const tier = new BucketTier(
    {
      objectStore: b.objectStore,
      dataDir: cfg.dataDir,
      cacheBytes: b.cacheBytes,
      retention: b.retention,
      syncIntervalMs: b.syncIntervalMs,
      labels: bucketLabels(cfg),
      logger: log.child({ component: 'bucket' }),
    },
    tsdb,
  );
  await tier.start();
  return { storage: tsdb, tsdb, tier };
}

/** meta.json labels of this zone's blocks: its zone and region (as a Thanos sidecar's external labels). */
function bucketLabels(cfg: ZoneConfig): Record<string, string> {
  const l: Record<string, string> = {};
  if (cfg.zone) l.zone = cfg.zone;
  if (cfg.region) l.region = cfg.region;
  return l;
}
