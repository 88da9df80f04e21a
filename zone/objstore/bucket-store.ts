// The store-gateway inside the zone: answers queries over bucket blocks by ranges
// (docs/format/bucket.md, "Queries"). The block list comes from the BucketIndex (synced at start
// and periodically). For a querier it: picks the bucket blocks the query needs (candidates);
// gets each one's index (the RangeCache, else one GET of the index object; decoded indexes are
// kept in memory up to INDEX_MEMORY_BYTES); works out from the querier hints' matchers which
// chunk pages (PAGE_BYTES) hold the selected series' chunks in range; pins them, fetches the
// missing ones with ranged GETs (adjacent pages, and gaps up to MAX_GAP_PAGES, coalesced into
// one request of at most MAX_REQUEST_BYTES; FETCH_CONCURRENCY requests in flight) into the
// cache; and returns one BucketBlockSource per block, whose reads stay synchronous. close()
// unpins, and the cache evicts back to its bound (range-cache.ts).
import type { Logger } from '../../shared/log.ts';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import type { QuerierHints } from '../../shared/storage.ts';
import { readIndexFileAsync, RES_1H, RES_5M, type Block, type BlockMeta, type SeriesSource } from '../tsdb/index.ts';
import { RollupBlockCache } from './rollup-block-cache.ts';

const ROLLUP_RESOLUTIONS = [RES_5M, RES_1H];
import type { Bucket } from './bucket.ts';
import type { BucketIndex } from './bucket-index.ts';
import { blockResolution, sameLabels, type BucketBlockMeta } from './bucket-meta.ts';
import { BucketBlock, BucketBlockSource, pageKey } from './bucket-block.ts';
import { PAGE_BYTES, RangeCache } from './range-cache.ts';

/** Missing pages this close are fetched in one request with the gap: a round trip costs more than 32 KiB. */
const MAX_GAP_PAGES = 2;
/** One ranged GET: large enough to amortise a request, small enough to hold in memory. */
const MAX_REQUEST_BYTES = 8 << 20;
/** Ranged GETs in flight per querier open (S3 latency is per request; bandwidth is shared). */
const FETCH_CONCURRENCY = 8;
/** Decoded indexes kept in memory (least recently used dropped first; re-read from the disk cache). */
const INDEX_MEMORY_BYTES = 256 << 20;

export interface BucketStoreStats {
  /** Indexes fetched from the bucket / their bytes. */
  indexFetches: number;
  indexFetchedBytes: number;
  /** Ranged GETs of chunk pages / their bytes. */
  chunkRequests: number;
  chunkFetchedBytes: number;
  /** Chunk pages a querier needed that were already cached / that had to be fetched. */
  pageHits: number;
  pageMisses: number;
  /** The disk cache: entries, bytes, evictions. */
  cachedEntries: number;
  cachedBytes: number;
  evictions: number;
}

export class BucketStore {
  readonly cache: RangeCache;
  /** Decoded bucket blocks by ulid; Map order is LRU order. */
  private readonly blocks = new Map<string, BucketBlock>();
  private blocksBytes = 0;
  private readonly loadingIndex = new Map<string, Promise<BucketBlock>>();
  private readonly loadingPages = new Map<string, Promise<void>>();
  readonly stats: BucketStoreStats = { indexFetches: 0, indexFetchedBytes: 0, chunkRequests: 0, chunkFetchedBytes: 0, pageHits: 0, pageMisses: 0, cachedEntries: 0, cachedBytes: 0, evictions: 0 };

  private readonly rollupCache: RollupBlockCache;

  constructor(
    private readonly bucket: Bucket,
    private readonly index: BucketIndex,
    cacheDir: string,
    cacheBytes: number,
    private readonly log: Logger,
    /** This zone's labels: only its own blocks are read (zones may share a bucket). */
    private readonly labels: Readonly<Record<string, string>>,
  ) {
    this.cache = new RangeCache(cacheDir, cacheBytes, log);
    // Rollup blocks are read whole (rollup-block-cache.ts), in a sibling directory with its own bound.
    this.rollupCache = new RollupBlockCache(this.bucket, `${cacheDir}-rollups`, cacheBytes, log);
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
   * blocks as `sources` (read by page ranges), 5m and 1h rollup blocks as `rollups` (each
   * deduplicated against local blocks of its own resolution; downloaded whole; read only through
   * aggregate selects, never mixed into raw reads).
   */
  async open(mintMs: number, maxtMs: number, local: readonly BlockMeta[], hints?: QuerierHints): Promise<{ sources: SeriesSource[]; rollups: Block[]; release(): void }> {
    const metas = this.candidates(mintMs, maxtMs, local, 0);
    const rolled = ROLLUP_RESOLUTIONS.flatMap((r) => this.candidates(mintMs, maxtMs, local, r));
    const pinned: string[] = [];
    let rollups: { blocks: Block[]; release(): void } | undefined;
    const release = (): void => {
      rollups?.release();
      rollups = undefined;
      for (const k of pinned) this.cache.unpin(k);
      pinned.length = 0;
      this.cache.evict();
      this.updateStats();
    };
    try {
      const blocks = await pool(metas, FETCH_CONCURRENCY, (m) => this.block(m));
      // Pages to read, pinned before any fetch so that no fetch of this querier evicts another's.
      const runs: { block: BucketBlock; seg: number; first: number; last: number }[] = [];
      const waits: Promise<void>[] = [];
      for (const b of blocks) {
        const need = new Set<number>();
        b.neededPages(hints?.selects, mintMs, maxtMs, need);
        const missing: number[] = [];
        for (const sp of need) {
          const seg = Math.floor(sp / 2 ** 32), page = sp % 2 ** 32;
          const key = pageKey(b.ulid, seg, page);
          this.cache.pin(key);
          pinned.push(key);
          const inFlight = this.loadingPages.get(key);
          if (inFlight) waits.push(inFlight);
          else if (this.cache.has(key)) this.stats.pageHits++;
          else {
            missing.push(sp);
            this.stats.pageMisses++;
          }
        }
        missing.sort((x, y) => x - y);
        for (const sp of missing) {
          const seg = Math.floor(sp / 2 ** 32), page = sp % 2 ** 32;
          const r = runs[runs.length - 1];
          if (r && r.block === b && r.seg === seg && page - r.last <= MAX_GAP_PAGES + 1 && (page - r.first + 1) * PAGE_BYTES <= MAX_REQUEST_BYTES) r.last = page;
          else runs.push({ block: b, seg, first: page, last: page });
        }
      }
      // Each run's pages are marked in flight before any await, so a concurrent querier waits
      // for them instead of fetching them again; every run settles even when another fails.
      const tasks = runs.map((r) => {
        const t = deferred();
        for (let pg = r.first; pg <= r.last; pg++) {
          const key = pageKey(r.block.ulid, r.seg, pg);
          if (!this.loadingPages.has(key)) this.loadingPages.set(key, t.promise); // a gap page may be another's
        }
        return { r, t };
      });
      const errors = await pool(tasks, FETCH_CONCURRENCY, async ({ r, t }) => {
        try {
          await this.fetchRun(r.block, r.seg, r.first, r.last);
          t.resolve();
          return null;
        } catch (e) {
          t.reject(e);
          return e;
        } finally {
          for (let pg = r.first; pg <= r.last; pg++) {
            const key = pageKey(r.block.ulid, r.seg, pg);
            if (this.loadingPages.get(key) === t.promise) this.loadingPages.delete(key);
          }
        }
      });
      const failed = errors.find((e) => e !== null);
      if (failed) throw failed;
      await Promise.all(waits);
      this.updateStats();
      if (rolled.length > 0) rollups = await this.rollupCache.open(rolled);
      return { sources: blocks.map((b) => new BucketBlockSource(b, this.cache)), rollups: rollups?.blocks ?? [], release };
    } catch (e) {
      release();
      throw new CanopyError('unavailable', `cannot read bucket blocks for the query: ${errorMessage(e)}`, { cause: e });
    }
  }

  /** One ranged GET of pages first..last of a chunk file, stored page by page. */
  private async fetchRun(b: BucketBlock, seg: number, first: number, last: number): Promise<void> {
    const name = `${b.ulid}/chunks/${String(seg).padStart(6, '0')}`;
    const off = first * PAGE_BYTES;
    let want = 0;
    for (let p = first; p <= last; p++) want += b.pageBytes(seg, p);
    const buf = await this.bucket.getRange(name, off, want);
    if (buf.length !== want) throw new CanopyError('corrupt', `bucket object ${name}: ${buf.length} bytes at ${off}, expected ${want} (meta.json lists ${b.segBytes[seg - 1]})`);
    this.stats.chunkRequests++;
    this.stats.chunkFetchedBytes += buf.length;
    let at = 0;
    for (let p = first; p <= last; p++) {
      const n = b.pageBytes(seg, p);
      await this.cache.put(pageKey(b.ulid, seg, p), buf.subarray(at, at + n));
      at += n;
    }
  }

  /** The decoded block: from memory, else its cached index file, else one GET of the index object. */
  private block(m: BucketBlockMeta): Promise<BucketBlock> {
    const b = this.blocks.get(m.ulid);
    if (b) {
      this.blocks.delete(m.ulid);
      this.blocks.set(m.ulid, b);
      return Promise.resolve(b);
    }
    let p = this.loadingIndex.get(m.ulid);
    if (!p) {
      p = this.loadBlock(m).finally(() => this.loadingIndex.delete(m.ulid));
      this.loadingIndex.set(m.ulid, p);
    }
    return p;
  }

  private async loadBlock(m: BucketBlockMeta): Promise<BucketBlock> {
    for (const f of m.thanos.files) {
      if (!/^(index|chunks\/\d{6})$/.test(f.rel_path)) throw new CanopyError('corrupt', `bucket block ${m.ulid}: unexpected file ${f.rel_path} in meta.json`);
    }
    const want = m.thanos.files.find((f) => f.rel_path === 'index')?.size_bytes;
    if (want === undefined) throw new CanopyError('corrupt', `bucket block ${m.ulid}: meta.json lists no index`);
    const key = `${m.ulid}/index`;
    let bytes = this.cache.readSync(key);
    if (bytes === null || bytes.length !== want) {
      const started = performance.now();
      bytes = await this.bucket.get(key);
      if (bytes === null) throw new CanopyError('not_found', `bucket object ${key} is missing`);
      if (bytes.length !== want) throw new CanopyError('corrupt', `bucket object ${key} has ${bytes.length} bytes, meta.json says ${want}`);
      this.stats.indexFetches++;
      this.stats.indexFetchedBytes += bytes.length;
      await this.cache.put(key, bytes);
      this.log.debug({ block: m.ulid, bytes: bytes.length, durationMs: Math.round(performance.now() - started) }, 'bucket block index fetched');
    }
    // Decompressed off the loop and parsed in slices: this runs while a query waits, others run.
    const index = await readIndexFileAsync(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const raced = this.blocks.get(m.ulid);
    if (raced) return raced; // a concurrent load finished first
    const block = new BucketBlock(m, index);
    this.blocks.set(m.ulid, block);
    this.blocksBytes += block.index.byteLength;
    for (const [ulid, o] of this.blocks) {
      if (this.blocksBytes <= INDEX_MEMORY_BYTES || ulid === m.ulid) break;
      this.blocks.delete(ulid);
      this.blocksBytes -= o.index.byteLength;
    }
    return block;
  }

  private updateStats(): void {
    this.stats.cachedEntries = this.cache.stats.entries;
    this.stats.cachedBytes = this.cache.stats.bytes;
    this.stats.evictions = this.cache.stats.evictions;
  }

  close(): void {
    this.rollupCache.close();
    this.blocks.clear();
  }
}

function deferred(): { promise: Promise<void>; resolve(): void; reject(e: unknown): void } {
  let resolve!: () => void, reject!: (e: unknown) => void;
  const promise = new Promise<void>((a, b) => {
    resolve = a;
    reject = b;
  });
  promise.catch(() => {}); // awaited by the queriers that share the pages; unobserved otherwise
  return { promise, resolve, reject };
}

/** Runs fn over items with at most n in flight; results in item order; the first error rejects. */
async function pool<T, R>(items: readonly T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}
