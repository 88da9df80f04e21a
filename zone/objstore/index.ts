// zone/objstore: the zone's object storage tier (docs/format/bucket.md). Thanos objstore YAML
// config, a Bucket interface (S3, FILESYSTEM), the shipper that uploads finished blocks and
// applies bucket retention, and the store that answers queries over bucket blocks.
//
//   const tier = new BucketTier({ objectStore: loadObjectStoreConfig(file), dataDir, … }, tsdb);
//   await tier.start();   // attaches to the TSDB as its ColdTier
//   …; await tier.stop(); // before tsdb.close()
export {
  loadObjectStoreConfig,
  parseObjectStoreConfig,
  describeObjectStore,
  type ObjectStoreConfig,
} from './config.ts';
export { openBucket, type Bucket, type ObjectInfo } from './bucket.ts';
export { BucketTier, type BucketTierOptions } from './tier.ts';
export { registerBucketMetrics } from './metrics.ts';
export type { BucketRetention } from './shipper.ts';
export { type BucketBlockMeta } from './bucket-meta.ts';
