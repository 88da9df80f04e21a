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
  const ship = tier.shipper.totals,
    store = tier.store.stats;
  counter(
    registry,
    'canopy_zone_bucket_uploaded_blocks_total',
    'Blocks uploaded to the bucket (meta.json written).',
    () => ship.uploadedBlocks,
  );
  counter(
    registry,
    'canopy_zone_bucket_uploaded_bytes_total',
    'Bytes of blocks uploaded to the bucket.',
    () => ship.uploadedBytes,
  );
  counter(
    registry,
    'canopy_zone_bucket_upload_pass_failures_total',
    'Upload passes that failed (retried at the next trigger).',
    () => ship.failures,
  );
  counter(
    registry,
    'canopy_zone_bucket_deleted_blocks_total',
    'Bucket blocks deleted (replaced by a merged block or beyond retention).',
    () => ship.deletedBlocks,
  );
  counter(
    registry,
    'canopy_zone_bucket_index_fetches_total',
    'GETs of block index objects (whole, index header, or postings/series ranges).',
    () => store.indexFetches,
  );
  counter(
    registry,
    'canopy_zone_bucket_index_fetched_bytes_total',
    'Bytes of block index objects fetched from the bucket.',
    () => store.indexFetchedBytes,
  );
  counter(
    registry,
    'canopy_zone_bucket_index_header_fetches_total',
    "GETs of ranged indexes' TOC and index header (then kept in the index-header cache).",
    () => store.indexHeaderFetches,
  );
  counter(
    registry,
    'canopy_zone_bucket_index_header_fetched_bytes_total',
    'Bytes of index headers fetched from the bucket.',
    () => store.indexHeaderFetchedBytes,
  );
  counter(
    registry,
    'canopy_zone_bucket_index_range_requests_total',
    'Ranged GETs of postings lists and series entries of ranged indexes.',
    () => store.indexRangeRequests,
  );
  counter(
    registry,
    'canopy_zone_bucket_index_range_fetched_bytes_total',
    'Bytes of postings lists and series entries fetched (with coalesced gaps).',
    () => store.indexRangeFetchedBytes,
  );
  counter(
    registry,
    'canopy_zone_bucket_cache_index_entry_hits_total',
    'Postings lists and series entries a query needed that were in the on-disk cache.',
    () => store.indexEntryHits,
  );
  counter(
    registry,
    'canopy_zone_bucket_cache_index_entry_misses_total',
    'Postings lists and series entries a query needed that were fetched.',
    () => store.indexEntryMisses,
  );
  counter(
    registry,
    'canopy_zone_bucket_chunk_requests_total',
    'Ranged GETs of chunk pages.',
    () => store.chunkRequests,
  );
  counter(
    registry,
    'canopy_zone_bucket_chunk_fetched_bytes_total',
    'Bytes of chunk pages fetched from the bucket.',
    () => store.chunkFetchedBytes,
  );
  counter(
    registry,
    'canopy_zone_bucket_cache_page_hits_total',
    'Chunk pages a query needed that were in the on-disk cache.',
    () => store.pageHits,
  );
  counter(
    registry,
    'canopy_zone_bucket_cache_page_misses_total',
    'Chunk pages a query needed that were fetched from the bucket.',
    () => store.pageMisses,
  );
  counter(
    registry,
    'canopy_zone_bucket_cache_evictions_total',
    'Entries (indexes, chunk pages) evicted from the on-disk cache.',
    () => store.evictions,
  );
  new Gauge({
    name: 'canopy_zone_bucket_cache_bytes',
    help: 'Bytes in the on-disk bucket cache (indexes and chunk pages; --bucket-cache-size bounds it).',
    registers: [registry],
    collect() {
      this.set(store.cachedBytes);
    },
  });
  new Gauge({
    name: 'canopy_zone_bucket_index_header_cache_bytes',
    help: 'Bytes in the on-disk index-header cache (bounded separately, by --bucket-cache-size).',
    registers: [registry],
    collect() {
      this.set(store.headerCachedBytes);
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
