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
  counter(registry, 'canopy_zone_bucket_index_fetches_total', 'Block indexes fetched from the bucket (then kept in the on-disk cache).', () => store.indexFetches);
  counter(registry, 'canopy_zone_bucket_index_fetched_bytes_total', 'Bytes of block indexes fetched from the bucket.', () => store.indexFetchedBytes);
  counter(registry, 'canopy_zone_bucket_chunk_requests_total', 'Ranged GETs of chunk pages.', () => store.chunkRequests);
  counter(registry, 'canopy_zone_bucket_chunk_fetched_bytes_total', 'Bytes of chunk pages fetched from the bucket.', () => store.chunkFetchedBytes);
  counter(registry, 'canopy_zone_bucket_cache_page_hits_total', 'Chunk pages a query needed that were in the on-disk cache.', () => store.pageHits);
  counter(registry, 'canopy_zone_bucket_cache_page_misses_total', 'Chunk pages a query needed that were fetched from the bucket.', () => store.pageMisses);
  counter(registry, 'canopy_zone_bucket_cache_evictions_total', 'Entries (indexes, chunk pages) evicted from the on-disk cache.', () => store.evictions);
  new Gauge({
    name: 'canopy_zone_bucket_cache_bytes',
    help: 'Bytes in the on-disk bucket cache (indexes and chunk pages; --bucket-cache-size bounds it).',
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
