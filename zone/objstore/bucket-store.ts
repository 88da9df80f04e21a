// The store-gateway inside the zone: answers queries over bucket blocks. The block list comes
// from the BucketIndex (synced at start and periodically). A block a query needs is fetched
// into an on-disk cache (<data>/bucket-cache/<ulid>/: meta.json, index, chunks fetched with
// ranged GETs of CHUNK_RANGE_BYTES) and opened with the ordinary block reader, so reads after
// querier() stay synchronous as the storage contract requires. The cache is bounded by
// cacheBytes: least recently used blocks are evicted once no querier holds them (a single query
// needing more than the bound still gets its blocks; they are evicted after it). Downloads go
// to "<ulid>.tmp" and are renamed into place; leftovers are deleted at start.
import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rename, rm, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/log.ts';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import { Block, RES_1H, RES_5M, type BlockMeta, type SeriesSource } from '../tsdb/index.ts';

const ROLLUP_RESOLUTIONS = [RES_5M, RES_1H];
import type { Bucket } from './bucket.ts';
import type { BucketIndex } from './bucket-index.ts';
import { blockResolution, sameLabels, ULID_RE, type BucketBlockMeta } from './bucket-meta.ts';

/** Ranged GET size for chunk files: large enough to amortise a request, small enough to stream. */
const CHUNK_RANGE_BYTES = 16 << 20;
/**
 * A cached block's directory: "<ulid>-<download time base36>". Unique per download, so a block
 * evicted while a querier still reads it (its directory is removed at release) never collides
 * with a fresh download of the same block.
 */
const CACHED_DIR_RE = new RegExp(`^${ULID_RE.source.slice(1, -1)}-[0-9a-z]+$`);

interface Cached {
  block: Block;
  lastUsedMs: number;
}

export interface BucketStoreStats {
  cachedBlocks: number;
  cachedBytes: number;
  downloads: number;
  downloadedBytes: number;
  evictions: number;
}

export class BucketStore {
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<Block>>();
  private seq = 0;
  readonly stats: BucketStoreStats = { cachedBlocks: 0, cachedBytes: 0, downloads: 0, downloadedBytes: 0, evictions: 0 };

  constructor(
    private readonly bucket: Bucket,
    private readonly index: BucketIndex,
    private readonly cacheDir: string,
    private readonly cacheBytes: number,
    private readonly log: Logger,
    /** This zone's labels: only its own blocks are read (zones may share a bucket). */
    private readonly labels: Readonly<Record<string, string>>,
  ) {
    mkdirSync(cacheDir, { recursive: true });
    for (const name of readdirSync(cacheDir)) {
      const p = join(cacheDir, name);
      const ulid = name.slice(0, 26);
      if (!CACHED_DIR_RE.test(name) || this.cache.has(ulid)) {
        rmSync(p, { recursive: true, force: true });
        continue;
      }
      try {
        this.cache.set(ulid, { block: Block.open(p), lastUsedMs: 0 });
      } catch (e) {
        log.warn({ block: name, err: errorMessage(e) }, 'cannot open cached bucket block; deleting it');
        rmSync(p, { recursive: true, force: true });
      }
    }
    this.updateStats();
  }

  /**
   * This zone's bucket blocks of resolution `resolutionMs` overlapping [mintMs, maxtMs] that local blocks do
   * not hold: not the same ulid, and not all their sources in local blocks. Among bucket blocks,
   * one whose sources another candidate's sources include is left out too (a merged block and
   * the blocks it replaced, before their deletion).
   */
  candidates(mintMs: number, maxtMs: number, local: readonly BlockMeta[], resolutionMs = 0): BucketBlockMeta[] {
    // Only local blocks of the same resolution hold the same data (a rollup's sources are raw blocks).
    const same = local.filter((m) => blockResolution(m) === resolutionMs);
    const localIds = new Set(same.map((m) => m.ulid));
    const localSources = new Set(same.flatMap((m) => m.compaction.sources));
    const all = this.index.completeMetas().filter((m) => blockResolution(m) === resolutionMs && sameLabels(m, this.labels));
    return all.filter((m) => {
      if (m.minTime > maxtMs || m.maxTime - 1 < mintMs) return false;
      if (localIds.has(m.ulid) || m.compaction.sources.every((s) => localSources.has(s))) return false;
      return !all.some((o) => o !== m && o.compaction.sources.length > m.compaction.sources.length && m.compaction.sources.every((s) => o.compaction.sources.includes(s)));
    });
  }

  /**
   * Opens this zone's bucket blocks for [mintMs, maxtMs] that local blocks do not hold: raw
   * blocks as `sources`, 5m and 1h rollup blocks as `rollups` (each deduplicated against local
   * blocks of its own resolution; rollups are read only through aggregate selects).
   */
  async open(mintMs: number, maxtMs: number, local: readonly BlockMeta[]): Promise<{ sources: SeriesSource[]; rollups: Block[]; release(): void }> {
    const raw = this.candidates(mintMs, maxtMs, local, 0);
    const rolled = ROLLUP_RESOLUTIONS.flatMap((r) => this.candidates(mintMs, maxtMs, local, r));
    const blocks: Block[] = [];
    const release = (): void => {
      for (const b of blocks) b.release();
      this.evict();
    };
    try {
      for (const m of [...raw, ...rolled]) {
        const b = await this.fetch(m);
        b.acquire();
        blocks.push(b);
        this.cache.get(m.ulid)!.lastUsedMs = Date.now();
      }
    } catch (e) {
      release();
      throw new CanopyError('unavailable', `cannot read bucket blocks for the query: ${errorMessage(e)}`, { cause: e });
    }
    this.evict();
    return { sources: blocks.slice(0, raw.length), rollups: blocks.slice(raw.length), release };
  }

  private fetch(m: BucketBlockMeta): Promise<Block> {
    const c = this.cache.get(m.ulid);
    if (c) return Promise.resolve(c.block);
    let p = this.loading.get(m.ulid);
    if (!p) {
      p = this.download(m).finally(() => this.loading.delete(m.ulid));
      this.loading.set(m.ulid, p);
    }
    return p;
  }

  private async download(m: BucketBlockMeta): Promise<Block> {
    const started = performance.now();
    const dir = join(this.cacheDir, `${m.ulid}-${(this.seq = Math.max(this.seq + 1, Date.now())).toString(36)}`);
    const tmp = `${dir}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(join(tmp, 'chunks'), { recursive: true });
    let bytes = 0;
    try {
      for (const f of m.thanos.files) {
        if (!/^(index|chunks\/\d{6})$/.test(f.rel_path)) throw new CanopyError('corrupt', `bucket block ${m.ulid}: unexpected file ${f.rel_path} in meta.json`);
        const name = `${m.ulid}/${f.rel_path}`;
        const out = createWriteStream(join(tmp, f.rel_path));
        try {
          for (let off = 0; off < f.size_bytes; off += CHUNK_RANGE_BYTES) {
            const part = await this.bucket.getRange(name, off, Math.min(CHUNK_RANGE_BYTES, f.size_bytes - off));
            if (part.length === 0) throw new CanopyError('corrupt', `bucket object ${name} is shorter than ${f.size_bytes} bytes (meta.json)`);
            bytes += part.length;
            if (!out.write(part)) await new Promise<void>((r) => out.once('drain', () => r()));
          }
        } finally {
          await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
        }
      }
      await writeFile(join(tmp, 'meta.json'), JSON.stringify(m, null, 2));
      await rename(tmp, dir);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
    const block = Block.open(dir);
    this.cache.set(m.ulid, { block, lastUsedMs: Date.now() });
    this.stats.downloads++;
    this.stats.downloadedBytes += bytes;
    this.updateStats();
    this.log.info({ block: m.ulid, bytes, durationMs: Math.round(performance.now() - started) }, 'bucket block cached');
    return block;
  }

  /** Evicts least recently used blocks while the cache is over its bound (deletion waits for readers). */
  private evict(): void {
    let total = 0;
    for (const c of this.cache.values()) total += c.block.sizeBytes;
    if (total <= this.cacheBytes) return;
    for (const [ulid, c] of [...this.cache].sort((a, b) => a[1].lastUsedMs - b[1].lastUsedMs)) {
      if (total <= this.cacheBytes) break;
      this.cache.delete(ulid);
      c.block.delete();
      total -= c.block.sizeBytes;
      this.stats.evictions++;
    }
    this.updateStats();
  }

  private updateStats(): void {
    this.stats.cachedBlocks = this.cache.size;
    let n = 0;
    for (const c of this.cache.values()) n += c.block.sizeBytes;
    this.stats.cachedBytes = n;
  }

  close(): void {
    for (const c of this.cache.values()) c.block.close();
  }
}
