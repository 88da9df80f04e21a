// The bucket tier of a zone: the shipper (uploads, bucket retention) and the store (queries over
// bucket blocks) around one bucket and one shared block list, attached to the TSDB as its
// ColdTier. start() syncs the block list and runs an upload pass (resuming whatever a crash
// interrupted); then a timer (unref'd, never overlapping) re-syncs and re-runs the pass every
// syncIntervalMs, and every TSDB compaction pass runs one as its post-compaction task. Block
// files are uploaded in the TSDB's compaction worker (upload-task.ts).
import { join } from 'node:path';
import type { Logger } from '../../shared/log.ts';
import type { QuerierHints } from '../../shared/storage.ts';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import type { Block, BlockMeta, ColdTier, SeriesSource, TSDB } from '../tsdb/index.ts';
import { openBucket, type Bucket } from './bucket.ts';
import { BucketIndex } from './bucket-index.ts';
import { BucketStore } from './bucket-store.ts';
import { describeObjectStore, type ObjectStoreConfig } from './config.ts';
import { Shipper, type BucketRetention } from './shipper.ts';
import { UPLOAD_TASK_MODULE, type UploadFileArgs } from './upload-task.ts';

export interface BucketTierOptions {
  objectStore: ObjectStoreConfig;
  /** The zone's data directory; the cache lives in <dataDir>/bucket-cache. */
  dataDir: string;
  cacheBytes: number;
  /** Bound of the index-header cache (<dataDir>/bucket-cache-index-headers); default cacheBytes. */
  indexHeaderCacheBytes?: number;
  retention: BucketRetention;
  /** Written into meta.json as the block's labels: { zone, region }. */
  labels: Record<string, string>;
  syncIntervalMs: number;
  logger: Logger;
  /** Test hook: called after each object uploaded. */
  afterObject?: (name: string) => void;
}

export class BucketTier implements ColdTier {
  readonly bucket: Bucket;
  readonly index: BucketIndex;
  readonly shipper: Shipper;
  readonly store: BucketStore;
  private timer: NodeJS.Timeout | null = null;
  private synced = false;
  private stopped = false;

  constructor(
    private readonly o: BucketTierOptions,
    private readonly tsdb: TSDB,
  ) {
    this.bucket = openBucket(o.objectStore);
    this.index = new BucketIndex(this.bucket, o.logger);
    // Block files are uploaded by the TSDB's compaction worker (off the request thread).
    const uploadFile = async (name: string, path: string): Promise<void> => {
      const args: UploadFileArgs = { objectStore: o.objectStore, name, path };
      await tsdb.compactor.runTask(UPLOAD_TASK_MODULE, 'uploadFile', args);
    };
    this.shipper = new Shipper({
      bucket: this.bucket,
      index: this.index,
      labels: o.labels,
      retention: o.retention,
      holdBlocks: () => tsdb.holdBlocks(),
      uploadFile,
      logger: o.logger,
      afterObject: o.afterObject,
    });
    this.store = new BucketStore(
      this.bucket,
      this.index,
      join(o.dataDir, 'bucket-cache'),
      o.cacheBytes,
      o.logger,
      o.labels,
      o.indexHeaderCacheBytes,
    );
  }

  /**
   * Attaches to the TSDB, syncs the block list (errors logged, retried by the loop), starts the
   * upload pass in the background (resuming a crashed upload) and the loop.
   */
  async start(): Promise<void> {
    this.tsdb.attachTier(this);
    // Every compaction pass (background, or POST /api/v1/admin/tsdb/compact) uploads the blocks
    // it wrote, raw and rollups, before it applies local retention; the admin call returns
    // after the upload.
    this.tsdb.addPostCompactionTask(async () => {
      if (!this.stopped) await this.shipper.trigger();
    });
    this.o.logger.info(
      { bucket: describeObjectStore(this.o.objectStore), cacheBytes: this.o.cacheBytes },
      'bucket tier starting',
    );
    const inFlight = this.tick();
    await this.index.refresh().catch(() => {}); // joins the tick's listing; its errors are logged there
    void inFlight;
    this.timer = setInterval(() => void this.tick(), this.o.syncIntervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.index.refresh();
      this.synced = true;
    } catch (e) {
      this.o.logger.error(
        { err: errorMessage(e) },
        'cannot sync the bucket block list; keeping the previous one',
      );
      return;
    }
    await this.uploadPass();
  }

  /**
   * Runs (or joins) an upload pass, then lets local retention delete what the bucket now holds
   * (the loop's pass; compaction passes upload through their post-compaction task instead).
   */
  async uploadPass(): Promise<void> {
    await this.shipper.trigger();
    if (!this.stopped) await this.tsdb.applyRetention();
  }

  holds(ulid: string): boolean {
    return this.index.complete(ulid);
  }

  async open(
    mintMs: number,
    maxtMs: number,
    local: readonly BlockMeta[],
    localMinT: number,
    hints?: QuerierHints,
  ): Promise<{ sources: SeriesSource[]; rollups?: Block[]; release(): void }> {
    if (!this.synced) {
      try {
        await this.index.refresh();
        this.synced = true;
      } catch (e) {
        // The bucket's blocks end before the local data starts (local blocks leave only once the
        // bucket holds them), so a query over local time answers without the bucket.
        if (mintMs >= localMinT) return { sources: [], release: () => {} };
        throw new CanopyError(
          'unavailable',
          `cannot query the bucket tier: its block list was never read: ${errorMessage(e)}`,
          { cause: e },
        );
      }
    }
    return this.store.open(mintMs, maxtMs, local, hints);
  }

  /** Stops the loop and waits for a running upload pass. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.shipper.idle();
    this.store.close();
    this.bucket.close();
  }
}
