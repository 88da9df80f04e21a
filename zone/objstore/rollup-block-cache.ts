// Rollup blocks (5m, 1h) read from the bucket: downloaded whole into an on-disk cache
// (<dir>/<ulid>-<download time base36>/: meta.json, index, chunks fetched with ranged GETs of
// CHUNK_RANGE_BYTES) and opened with the ordinary block reader, because rollup reads go through
// Block's aggregate selects. Raw bucket blocks are read by page ranges instead (bucket-store.ts).
// Rollup blocks are small next to raw ones (docs/format/rollup.md: 0.75 B per raw sample at 5m,
// 0.08 B at 1h), so whole-block caching costs little. The cache is bounded by cacheBytes: least
// recently used blocks are evicted once no querier holds them. Downloads go to "<dir>.tmp" and
// are renamed into place; leftovers are deleted at start.
import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rename, rm, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/log.ts';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import { Block } from '../tsdb/index.ts';
import type { Bucket } from './bucket.ts';
import { ULID_RE, type BucketBlockMeta } from './bucket-meta.ts';

/** Ranged GET size: large enough to amortise a request, small enough to stream. */
const CHUNK_RANGE_BYTES = 16 << 20;
/** A cached block's directory: unique per download, so an evicted block still read never collides with a fresh copy. */
const CACHED_DIR_RE = new RegExp(`^${ULID_RE.source.slice(1, -1)}-[0-9a-z]+$`);

interface Cached {
  block: Block;
  lastUsedMs: number;
}

export interface RollupCacheStats {
  cachedBlocks: number;
  cachedBytes: number;
  downloads: number;
  downloadedBytes: number;
  evictions: number;
}

export class RollupBlockCache {
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<Block>>();
  private seq = 0;
  readonly stats: RollupCacheStats = {
    cachedBlocks: 0,
    cachedBytes: 0,
    downloads: 0,
    downloadedBytes: 0,
    evictions: 0,
  };

  constructor(
    private readonly bucket: Bucket,
    private readonly cacheDir: string,
    private readonly cacheBytes: number,
    private readonly log: Logger,
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

  /** Opens the given rollup blocks (downloading those not cached), held until release(). */
  async open(metas: readonly BucketBlockMeta[]): Promise<{ blocks: Block[]; release(): void }> {
    const blocks: Block[] = [];
    const release = (): void => {
      for (const b of blocks) b.release();
      blocks.length = 0;
      this.evict();
    };
    try {
      for (const m of metas) {
        const b = await this.fetch(m);
        b.acquire();
        blocks.push(b);
        this.cache.get(m.ulid)!.lastUsedMs = Date.now();
      }
    } catch (e) {
      release();
      throw new CanopyError(
        'unavailable',
        `cannot read bucket rollup blocks for the query: ${errorMessage(e)}`,
        { cause: e },
      );
    }
    this.evict();
    return { blocks: [...blocks], release };
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
    const dir = join(
      this.cacheDir,
      `${m.ulid}-${(this.seq = Math.max(this.seq + 1, Date.now())).toString(36)}`,
    );
    const tmp = `${dir}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(join(tmp, 'chunks'), { recursive: true });
    let bytes = 0;
    try {
      for (const f of m.thanos.files) {
        if (!/^(index|chunks\/\d{6})$/.test(f.rel_path))
          throw new CanopyError(
            'corrupt',
            `bucket block ${m.ulid}: unexpected file ${f.rel_path} in meta.json`,
          );
        const name = `${m.ulid}/${f.rel_path}`;
        const out = createWriteStream(join(tmp, f.rel_path));
        try {
          for (let off = 0; off < f.size_bytes; off += CHUNK_RANGE_BYTES) {
            const part = await this.bucket.getRange(
              name,
              off,
              Math.min(CHUNK_RANGE_BYTES, f.size_bytes - off),
            );
            if (part.length === 0)
              throw new CanopyError(
                'corrupt',
                `bucket object ${name} is shorter than ${f.size_bytes} bytes (meta.json)`,
              );
            bytes += part.length;
            if (!out.write(part)) await new Promise<void>((r) => out.once('drain', () => r()));
          }
        } finally {
          await new Promise<void>((resolve, reject) =>
            out.end((e?: Error | null) => (e ? reject(e) : resolve())),
          );
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
    this.log.info(
      { block: m.ulid, bytes, durationMs: Math.round(performance.now() - started) },
      'bucket rollup block cached',
    );
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
