// The shipper: uploads every finished local block (raw and rollups) to the bucket and applies
// the bucket's retention per resolution. One pass at a time (a trigger during a pass runs one
// more pass after it). There is no cursor file: the bucket listing is the cursor
// (docs/format/bucket.md). A block is uploaded file by file, chunks first, index next and
// meta.json last, so a block with meta.json in the bucket is complete; a block without it is a
// partial upload, uploaded again in full by the next pass (objects are replaced whole, so a
// repeated upload is idempotent). After a merged block is complete, the blocks it replaces
// (same zone, sources a subset of its sources) are deleted from the bucket, meta.json first.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/log.ts';
import { errorMessage } from '../../shared/errors.ts';
import { blockResolution, type BlockMeta, type HeldBlocks } from '../tsdb/index.ts';
import type { Bucket, ObjectInfo } from './bucket.ts';
import type { BucketIndex } from './bucket-index.ts';
import { bucketMeta, sameLabels, ulidTimeMs, type BucketBlockFile } from './bucket-meta.ts';

/** Bucket retention per resolution, ms; 0 keeps forever (Thanos's default). */
export interface BucketRetention {
  rawMs: number;
  fiveMinMs: number;
  oneHourMs: number;
}

/** A partial upload this old (by its ulid time) that is not a local block is deleted (Thanos: 2 d). */
export const PARTIAL_UPLOAD_MAX_AGE_MS = 2 * 86_400_000;

export interface ShipperOptions {
  bucket: Bucket;
  index: BucketIndex;
  /** The zone's external labels written into meta.json (zone, region). */
  labels: Record<string, string>;
  retention: BucketRetention;
  holdBlocks(): HeldBlocks;
  /** Uploads one block file (default: bucket.upload here; the tier runs it in the compaction worker). */
  uploadFile?: (name: string, path: string) => Promise<void>;
  logger: Logger;
  /** Test hook: called after each uploaded object (crash injection). */
  afterObject?: (name: string) => void;
}

export interface ShipStats {
  uploadedBlocks: number;
  uploadedBytes: number;
  deletedBlocks: number;
  failures: number;
}

export function retentionFor(r: BucketRetention, resolutionMs: number): number {
  return resolutionMs === 0 ? r.rawMs : resolutionMs <= 300_000 ? r.fiveMinMs : r.oneHourMs;
}

async function blockFiles(dir: string): Promise<{ rel: string; path: string; size: number }[]> {
  const out: { rel: string; path: string; size: number }[] = [];
  for (const name of (await readdir(join(dir, 'chunks'))).sort()) {
    const p = join(dir, 'chunks', name);
    out.push({ rel: `chunks/${name}`, path: p, size: (await stat(p)).size });
  }
  out.push({ rel: 'index', path: join(dir, 'index'), size: (await stat(join(dir, 'index'))).size });
  return out;
}

export class Shipper {
  readonly totals: ShipStats = { uploadedBlocks: 0, uploadedBytes: 0, deletedBlocks: 0, failures: 0 };
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly o: ShipperOptions) {}

  /** Runs a pass now, or one more after the running one; resolves when that pass is done. */
  trigger(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const loop = async (): Promise<void> => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (e) {
          this.totals.failures++;
          this.o.logger.error(
            { err: errorMessage(e) },
            'bucket upload pass failed; retrying on the next trigger',
          );
        }
      } while (this.again);
    };
    this.running = loop().finally(() => (this.running = null));
    return this.running;
  }

  /** Resolves when no pass is running (does not start one). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private sameZone(m: BlockMeta): boolean {
    return sameLabels(m, this.o.labels);
  }

  private async pass(): Promise<void> {
    const { index, logger: log } = this.o;
    await index.refresh();
    const held = this.o.holdBlocks();
    const nowMs = Date.now();
    try {
      for (const b of held.blocks.sort((x, y) => x.meta.minTime - y.meta.minTime)) {
        if (index.complete(b.meta.ulid)) continue;
        const keepMs = retentionFor(this.o.retention, blockResolution(b.meta));
        if (keepMs > 0 && b.meta.maxTime <= nowMs - keepMs) continue; // the bucket would delete it at once
        await this.upload(b.meta, b.dir);
      }
      await this.deleteReplaced();
      await this.applyRetention(nowMs, new Set(held.blocks.map((b) => b.meta.ulid)));
    } finally {
      held.release();
    }
    log.debug({ ...this.totals }, 'bucket upload pass done');
  }

  private async upload(meta: BlockMeta, dir: string): Promise<void> {
    const { bucket, index } = this.o;
    const started = performance.now();
    let files;
    try {
      files = await blockFiles(dir);
    } catch (e) {
      // Merged away or deleted since the pass began; its data is in the block that replaced it.
      this.o.logger.info(
        { block: meta.ulid, err: errorMessage(e) },
        'local block vanished before upload; skipping it',
      );
      return;
    }
    const infos: ObjectInfo[] = [];
    const listed: BucketBlockFile[] = [];
    let bytes = 0;
    for (const f of files) {
      const name = `${meta.ulid}/${f.rel}`;
      await (this.o.uploadFile ? this.o.uploadFile(name, f.path) : bucket.upload(name, f.path));
      this.o.afterObject?.(name);
      infos.push({ name, sizeBytes: f.size });
      listed.push({ rel_path: f.rel, size_bytes: f.size });
      bytes += f.size;
    }
    const bm = bucketMeta(meta, this.o.labels, listed);
    const body = Buffer.from(JSON.stringify(bm, null, 2));
    await bucket.put(`${meta.ulid}/meta.json`, body);
    this.o.afterObject?.(`${meta.ulid}/meta.json`);
    infos.push({ name: `${meta.ulid}/meta.json`, sizeBytes: body.length });
    bytes += body.length;
    index.added(bm, infos);
    this.totals.uploadedBlocks++;
    this.totals.uploadedBytes += bytes;
    this.o.logger.info(
      {
        block: meta.ulid,
        minT: meta.minTime,
        maxT: meta.maxTime,
        resolution: bm.thanos.downsample.resolution,
        bytes,
        samples: meta.stats.numSamples,
        durationMs: Math.round(performance.now() - started),
      },
      'block uploaded to bucket',
    );
  }

  /** Deletes a block: meta.json first (it stops being complete), then its other files. */
  private async deleteBlock(ulid: string, files: readonly ObjectInfo[]): Promise<void> {
    await this.o.bucket.delete(`${ulid}/meta.json`);
    this.o.index.removed(ulid);
    for (const f of files) if (f.name !== `${ulid}/meta.json`) await this.o.bucket.delete(f.name);
    this.totals.deletedBlocks++;
  }

  /** Blocks of this zone whose sources another complete block of this zone (same resolution) covers. */
  private async deleteReplaced(): Promise<void> {
    const entries = this.o.index.all().filter((e) => e.meta && this.sameZone(e.meta));
    for (const e of entries) {
      const m = e.meta!;
      const res = blockResolution(m);
      const src = new Set(m.compaction.sources);
      const by = entries.find(
        (o) =>
          o !== e &&
          o.meta &&
          blockResolution(o.meta) === res &&
          o.meta.compaction.sources.length > src.size &&
          [...src].every((s) => o.meta!.compaction.sources.includes(s)),
      );
      if (!by || !this.o.index.complete(by.ulid)) continue;
      await this.deleteBlock(e.ulid, e.files);
      this.o.logger.info(
        { block: e.ulid, replacedBy: by.ulid },
        'bucket block replaced by a merged block; deleted',
      );
    }
  }

  private async applyRetention(nowMs: number, local: ReadonlySet<string>): Promise<void> {
    for (const e of this.o.index.all()) {
      if (e.meta) {
        if (!this.sameZone(e.meta)) continue;
        const keepMs = retentionFor(this.o.retention, blockResolution(e.meta));
        if (keepMs > 0 && e.meta.maxTime <= nowMs - keepMs) {
          await this.deleteBlock(e.ulid, e.files);
          this.o.logger.info(
            { block: e.ulid, maxT: e.meta.maxTime, resolution: blockResolution(e.meta) },
            'bucket block deleted by retention',
          );
        }
      } else if (!local.has(e.ulid) && nowMs - ulidTimeMs(e.ulid) > PARTIAL_UPLOAD_MAX_AGE_MS) {
        for (const f of e.files) await this.o.bucket.delete(f.name);
        this.o.index.removed(e.ulid);
        this.o.logger.info({ block: e.ulid, files: e.files.length }, 'partial bucket upload deleted');
      }
    }
  }
}
