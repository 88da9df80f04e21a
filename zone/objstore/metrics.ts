// The bucket tier's self-metrics on the zone's /metrics, read from the shipper's and the
// store's counters at scrape time (as Thanos's shipper and store gateway expose them).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { BucketTier } from './tier.ts';

function counter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

export function registerBucketMetrics(registry: Registry, tier: BucketTier): void {
  const ship = tier.shipper.totals, store = tier.store.stats;
  counter(registry, 'canopy_zone_bucket_uploaded_blocks_total', 'Blocks uploaded to the bucket (meta.json written).', () => ship.uploadedBlocks);
  counter(registry, 'canopy_zone_bucket_uploaded_bytes_total', 'Bytes of blocks uploaded to the bucket.', () => ship.uploadedBytes);
  counter(registry, 'canopy_zone_bucket_upload_pass_failures_total', 'Upload passes that failed (retried at the next trigger).', () => ship.failures);
  counter(registry, 'canopy_zone_bucket_deleted_blocks_total', 'Bucket blocks deleted (replaced by a merged block or beyond retention).', () => ship.deletedBlocks);
  counter(registry, 'canopy_zone_bucket_cache_downloads_total', 'Bucket blocks downloaded into the on-disk cache.', () => store.downloads);
  counter(registry, 'canopy_zone_bucket_cache_downloaded_bytes_total', 'Bytes downloaded into the on-disk cache.', () => store.downloadedBytes);
  counter(registry, 'canopy_zone_bucket_cache_evictions_total', 'Blocks evicted from the on-disk cache.', () => store.evictions);
  new Gauge({
    name: 'canopy_zone_bucket_cache_bytes',
    help: 'Bytes of bucket blocks in the on-disk cache.',
    registers: [registry],
    collect() {
      this.set(store.cachedBytes);
    },
  });
  new Gauge({
    name: 'canopy_zone_bucket_blocks',
    help: 'Complete blocks in the bucket at the last sync.',
    registers: [registry],
    collect() {
      this.set(tier.index.completeMetas().length);
    },
  });
}
