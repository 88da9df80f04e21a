// The store-gateway inside the zone: answers queries over bucket blocks by ranges
// (docs/format/bucket.md, "Queries"). The block list comes from the BucketIndex (synced at start
// and periodically). For a querier it: picks the bucket blocks the query needs (candidates);
// gets each one's index — for a version 2 (ranged) index the index header (memory, else the
// bounded index-header cache on disk, else the index object's TOC and header by range), for a
// version 1 index the whole object (memory, else the RangeCache, else one GET; decoded indexes
// and headers are kept in memory up to INDEX_MEMORY_BYTES); for a ranged index, fetches the
// postings lists the querier hints' matchers need, then the series entries they select (ranges
// less than MAX_INDEX_GAP_BYTES apart coalesced into one request, as Thanos's partitioner does);
// works out which chunk pages (PAGE_BYTES) hold the selected series' chunks in range; pins
// every entry, fetches the missing ones with ranged GETs (adjacent pages, and gaps up to
// MAX_GAP_PAGES, coalesced into one request of at most MAX_REQUEST_BYTES; FETCH_CONCURRENCY
// requests in flight) into the cache; and returns one BucketBlockSource per block, whose reads
// stay synchronous. close() unpins, and the cache evicts back to its bound (range-cache.ts).
import type { Logger } from '../../shared/log.ts';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import type { QuerierHints } from '../../shared/storage.ts';
import {
  blockResolution,
  IndexHeader,
  labelPairsForMatchers,
  RangedIndexReader,
  parseRangedToc,
  readIndexFile,
  readIndexFileAsync,
  RES_1H,
  RES_5M,
  type Block,
  type BlockMeta,
  type SeriesSource,
} from '../tsdb/index.ts';
import { RollupBlockCache } from './rollup-block-cache.ts';

const ROLLUP_RESOLUTIONS = [RES_5M, RES_1H];
import type { Bucket } from './bucket.ts';
import type { BucketIndex } from './bucket-index.ts';
import { sameLabels, type BucketBlockMeta } from './bucket-meta.ts';
import { BucketBlock, BucketBlockSource, indexItemKey, pageKey } from './bucket-block.ts';
import { PAGE_BYTES, RangeCache } from './range-cache.ts';

/** Missing pages this close are fetched in one request with the gap: a round trip costs more than 32 KiB. */
const MAX_GAP_PAGES = 2;
/** One ranged GET: large enough to amortise a request, small enough to hold in memory. */
const MAX_REQUEST_BYTES = 8 << 20;
/** Ranged GETs in flight per querier open (S3 latency is per request; bandwidth is shared). */
const FETCH_CONCURRENCY = 8;
/** Index entries this close are fetched in one request with the gap (Thanos's partitioner does the same). */
const MAX_INDEX_GAP_BYTES = 32 << 10;
/**
 * The first read of an index object is its tail: the 32-byte TOC and, mostly, the whole
 * compressed header, sized from the block's series count (the header takes ~1.5 B per series on
 * node_exporter-like data, plus symbols): a header that does not fit costs one more GET (a round
 * trip), a larger tail fetches postings bytes nobody asked for.
 */
const INDEX_TAIL_MIN_BYTES = 4 << 10;
const INDEX_TAIL_BYTES_PER_SERIES = 4;
const INDEX_TAIL_MAX_BYTES = 1 << 20;
/**
 * A query whose series entries in a block add up to more than this fraction of the index reads
 * the whole index (one GET, decoded in memory) instead of one cache entry per series.
 */
const WHOLE_INDEX_FRACTION = 0.5;
/** Decoded indexes kept in memory (least recently used dropped first; re-read from the disk cache). */
const INDEX_MEMORY_BYTES = 256 << 20;

export interface BucketStoreStats {
  /** GETs of index objects (whole, TOC + header, entry ranges) / their bytes. */
  indexFetches: number;
  indexFetchedBytes: number;
  /** Of those: whole index objects (version 1; or no querier hints) / their bytes. */
  indexWholeFetches: number;
  indexWholeFetchedBytes: number;
  /** Of those: tail and header reads of ranged indexes / their bytes. */
  indexHeaderFetches: number;
  indexHeaderFetchedBytes: number;
  /** Of those: ranged GETs of postings lists and series entries / their bytes. */
  indexRangeRequests: number;
  indexRangeFetchedBytes: number;
  /** Postings lists and series entries a querier needed that were cached / fetched. */
  indexEntryHits: number;
  indexEntryMisses: number;
  /** The index-header disk cache: entries, bytes, evictions. */
  headerCachedEntries: number;
  headerCachedBytes: number;
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
  /** Index headers of ranged indexes, one "<ulid>/header" entry each (the header and TOC bytes). */
  readonly headerCache: RangeCache;
  /** Decoded bucket blocks by ulid; Map order is LRU order. */
  private readonly blocks = new Map<string, BucketBlock>();
  private blocksBytes = 0;
  private readonly loadingIndex = new Map<string, Promise<BucketBlock>>();
  private readonly loadingWhole = new Map<string, Promise<void>>();
  private readonly loadingPages = new Map<string, Promise<void>>();
  readonly stats: BucketStoreStats = {
    indexFetches: 0,
    indexFetchedBytes: 0,
    indexWholeFetches: 0,
    indexWholeFetchedBytes: 0,
    indexHeaderFetches: 0,
    indexHeaderFetchedBytes: 0,
    indexRangeRequests: 0,
    indexRangeFetchedBytes: 0,
    indexEntryHits: 0,
    indexEntryMisses: 0,
    headerCachedEntries: 0,
    headerCachedBytes: 0,
    chunkRequests: 0,
    chunkFetchedBytes: 0,
    pageHits: 0,
    pageMisses: 0,
    cachedEntries: 0,
    cachedBytes: 0,
    evictions: 0,
  };

  private readonly rollupCache: RollupBlockCache;

  constructor(
    private readonly bucket: Bucket,
    private readonly index: BucketIndex,
    cacheDir: string,
    cacheBytes: number,
    private readonly log: Logger,
    /** This zone's labels: only its own blocks are read (zones may share a bucket). */
    private readonly labels: Readonly<Record<string, string>>,
    /** Bound of the index-header cache (default: cacheBytes, as the rollup cache). */
    headerCacheBytes = cacheBytes,
  ) {
    this.cache = new RangeCache(cacheDir, cacheBytes, log);
    this.headerCache = new RangeCache(`${cacheDir}-index-headers`, headerCacheBytes, log);
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
  candidates(
    mintMs: number,
    maxtMs: number,
    local: readonly BlockMeta[],
    resolutionMs = 0,
  ): BucketBlockMeta[] {
    // Only local blocks of the same resolution hold the same data (a rollup's sources are raw blocks).
    const same = local.filter((m) => blockResolution(m) === resolutionMs);
    const localIds = new Set(same.map((m) => m.ulid));
    const localSources = new Set(same.flatMap((m) => m.compaction.sources));
    const all = this.index
      .completeMetas()
      .filter((m) => blockResolution(m) === resolutionMs && sameLabels(m, this.labels));
    return all.filter((m) => {
      if (m.minTime > maxtMs || m.maxTime - 1 < mintMs) return false;
      if (localIds.has(m.ulid) || m.compaction.sources.every((s) => localSources.has(s))) return false;
      return !all.some(
        (o) =>
          o !== m &&
          o.compaction.sources.length > m.compaction.sources.length &&
          m.compaction.sources.every((s) => o.compaction.sources.includes(s)),
      );
    });
  }

  /**
   * Opens this zone's bucket blocks for [mintMs, maxtMs] that local blocks do not hold: raw
   * blocks as `sources` (read by page ranges), 5m and 1h rollup blocks as `rollups` (each
   * deduplicated against local blocks of its own resolution; downloaded whole; read only through
   * aggregate selects, never mixed into raw reads).
   */
  async open(
    mintMs: number,
    maxtMs: number,
    local: readonly BlockMeta[],
    hints?: QuerierHints,
  ): Promise<{ sources: SeriesSource[]; rollups: Block[]; release(): void }> {
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
      const selects = hints?.selects;
      // Without matchers (no hints; labels and series only) any series may be read: whole indexes.
      const whole = selects === undefined || selects.length === 0;
      const blocks = await pool(metas, FETCH_CONCURRENCY, (m) => this.block(m, whole));
      if (whole) await pool(blocks, FETCH_CONCURRENCY, (b) => this.loadWhole(b));
      let sources = blocks.map((b) => new BucketBlockSource(b, this.cache, selects));
      const ranged = whole ? [] : sources.filter((s) => s.ranged);
      if (ranged.length > 0) {
        // 1. the postings lists every matcher may read; 2. the series entries they select.
        const lists: IndexEntry[] = [];
        for (const src of ranged) {
          const h = src.block.header!,
            seen = new Set<number>();
          for (const ms of selects!) {
            for (const [name, value] of labelPairsForMatchers(h, ms)) {
              const p = h.pair(name, value);
              if (p < 0 || seen.has(p)) continue;
              seen.add(p);
              const [off, len] = h.postingsRange(p);
              lists.push({ block: src.block, key: indexItemKey(src.block.ulid, 'p', p), off, len });
            }
          }
        }
        await this.fetchIndexEntries(lists, pinned);
        const entries: IndexEntry[] = [],
          wide: BucketBlock[] = [];
        for (const src of ranged) {
          const h = src.block.header!,
            seen = new Set<number>(),
            mine: IndexEntry[] = [];
          let bytes = 0;
          for (const ms of selects!) {
            for (const id of src.index.select(ms)) {
              if (seen.has(id)) continue;
              seen.add(id);
              const [off, len] = h.seriesRange(id);
              mine.push({ block: src.block, key: indexItemKey(src.block.ulid, 's', id), off, len });
              bytes += len;
            }
          }
          if (bytes > src.block.indexBytes * WHOLE_INDEX_FRACTION) wide.push(src.block);
          else entries.push(...mine);
        }
        await Promise.all([
          this.fetchIndexEntries(entries, pinned),
          pool(wide, FETCH_CONCURRENCY, (b) => this.loadWhole(b)),
        ]);
        // Blocks whose index is now whole in memory read it (no entry files).
        if (wide.length > 0) sources = blocks.map((b) => new BucketBlockSource(b, this.cache, selects));
      }
      // 3. chunk pages, pinned before any fetch so that no fetch of this querier evicts another's.
      const runs: { block: BucketBlock; seg: number; first: number; last: number }[] = [];
      const waits: Promise<void>[] = [];
      for (const src of sources) {
        const b = src.block;
        const need = new Set<number>();
        src.neededPages(selects, mintMs, maxtMs, need);
        const missing: number[] = [];
        for (const sp of need) {
          const seg = Math.floor(sp / 2 ** 32),
            page = sp % 2 ** 32;
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
          const seg = Math.floor(sp / 2 ** 32),
            page = sp % 2 ** 32;
          const r = runs[runs.length - 1];
          if (
            r &&
            r.block === b &&
            r.seg === seg &&
            page - r.last <= MAX_GAP_PAGES + 1 &&
            (page - r.first + 1) * PAGE_BYTES <= MAX_REQUEST_BYTES
          )
            r.last = page;
          else runs.push({ block: b, seg, first: page, last: page });
        }
      }
      await this.runFetches(
        runs,
        (r) =>
          Array.from({ length: r.last - r.first + 1 }, (_, i) => pageKey(r.block.ulid, r.seg, r.first + i)),
        (r) => this.fetchRun(r.block, r.seg, r.first, r.last),
      );
      await Promise.all(waits);
      this.updateStats();
      if (rolled.length > 0) rollups = await this.rollupCache.open(rolled);
      return { sources, rollups: rollups?.blocks ?? [], release };
    } catch (e) {
      release();
      throw new CanopyError('unavailable', `cannot read bucket blocks for the query: ${errorMessage(e)}`, {
        cause: e,
      });
    }
  }

  /**
   * Runs fetch over runs with FETCH_CONCURRENCY in flight. Each run's keys are marked in flight
   * before any await, so a concurrent querier waits for them instead of fetching them again;
   * every run settles even when another fails; the first failure is thrown.
   */
  private async runFetches<R>(
    runs: readonly R[],
    keys: (r: R) => string[],
    fetch: (r: R) => Promise<void>,
  ): Promise<void> {
    const tasks = runs.map((r) => {
      const t = deferred();
      const ks = keys(r);
      for (const key of ks) if (!this.loadingPages.has(key)) this.loadingPages.set(key, t.promise); // a gap page may be another's
      return { r, t, ks };
    });
    const errors = await pool(tasks, FETCH_CONCURRENCY, async ({ r, t, ks }) => {
      try {
        await fetch(r);
        t.resolve();
        return null;
      } catch (e) {
        t.reject(e);
        return e;
      } finally {
        for (const key of ks) if (this.loadingPages.get(key) === t.promise) this.loadingPages.delete(key);
      }
    });
    const failed = errors.find((e) => e !== null);
    if (failed) throw failed;
  }

  /**
   * Pins the postings lists / series entries, and fetches the missing ones: entries of one block
   * less than MAX_INDEX_GAP_BYTES apart in one ranged GET of at most MAX_REQUEST_BYTES, each
   * entry then stored as its own cache entry (the gaps are not kept).
   */
  private async fetchIndexEntries(entries: IndexEntry[], pinned: string[]): Promise<void> {
    const waits: Promise<void>[] = [];
    const missing: IndexEntry[] = [];
    for (const e of entries) {
      this.cache.pin(e.key);
      pinned.push(e.key);
      const inFlight = this.loadingPages.get(e.key);
      if (inFlight) waits.push(inFlight);
      else if (this.cache.has(e.key)) this.stats.indexEntryHits++;
      else {
        missing.push(e);
        this.stats.indexEntryMisses++;
      }
    }
    missing.sort((a, b) => (a.block === b.block ? a.off - b.off : a.block.ulid < b.block.ulid ? -1 : 1));
    const runs: IndexEntry[][] = [];
    for (const e of missing) {
      const r = runs[runs.length - 1];
      const last = r?.[r.length - 1];
      if (
        r &&
        last &&
        last.block === e.block &&
        e.off - (last.off + last.len) <= MAX_INDEX_GAP_BYTES &&
        e.off + e.len - r[0]!.off <= MAX_REQUEST_BYTES
      )
        r.push(e);
      else runs.push([e]);
    }
    await this.runFetches(
      runs,
      (r) => r.map((e) => e.key),
      async (r) => {
        const b = r[0]!.block,
          start = r[0]!.off,
          end = r[r.length - 1]!.off + r[r.length - 1]!.len;
        const name = `${b.ulid}/index`;
        if (end > b.indexBytes)
          throw new CanopyError(
            'corrupt',
            `bucket object ${name}: the index header points at byte ${end}, meta.json lists ${b.indexBytes}`,
          );
        const buf = await this.bucket.getRange(name, start, end - start);
        this.stats.indexFetches++;
        this.stats.indexFetchedBytes += buf.length;
        this.stats.indexRangeRequests++;
        this.stats.indexRangeFetchedBytes += buf.length;
        if (buf.length !== end - start)
          throw new CanopyError(
            'corrupt',
            `bucket object ${name}: ${buf.length} bytes at ${start}, expected ${end - start} (meta.json lists ${b.indexBytes})`,
          );
        for (const e of r) await this.cache.put(e.key, buf.subarray(e.off - start, e.off - start + e.len));
      },
    );
    await Promise.all(waits);
  }

  /** One ranged GET of pages first..last of a chunk file, stored page by page. */
  private async fetchRun(b: BucketBlock, seg: number, first: number, last: number): Promise<void> {
    const name = `${b.ulid}/chunks/${String(seg).padStart(6, '0')}`;
    const off = first * PAGE_BYTES;
    let want = 0;
    for (let p = first; p <= last; p++) want += b.pageBytes(seg, p);
    const buf = await this.bucket.getRange(name, off, want);
    if (buf.length !== want)
      throw new CanopyError(
        'corrupt',
        `bucket object ${name}: ${buf.length} bytes at ${off}, expected ${want} (meta.json lists ${b.segBytes[seg - 1]})`,
      );
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
  private block(m: BucketBlockMeta, whole: boolean): Promise<BucketBlock> {
    const b = this.blocks.get(m.ulid);
    if (b) {
      this.blocks.delete(m.ulid);
      this.blocks.set(m.ulid, b);
      return Promise.resolve(b);
    }
    let p = this.loadingIndex.get(m.ulid);
    if (!p) {
      p = this.loadBlock(m, whole).finally(() => this.loadingIndex.delete(m.ulid));
      this.loadingIndex.set(m.ulid, p);
    }
    return p;
  }

  /** `whole`: the querier needs the whole index anyway (no matcher hints): skip the tail read. */
  private async loadBlock(m: BucketBlockMeta, whole: boolean): Promise<BucketBlock> {
    for (const f of m.thanos.files) {
      if (!/^(index|chunks\/\d{6})$/.test(f.rel_path))
        throw new CanopyError(
          'corrupt',
          `bucket block ${m.ulid}: unexpected file ${f.rel_path} in meta.json`,
        );
    }
    const size = m.thanos.files.find((f) => f.rel_path === 'index')?.size_bytes;
    if (size === undefined)
      throw new CanopyError('corrupt', `bucket block ${m.ulid}: meta.json lists no index`);
    const name = `${m.ulid}/index`;
    let block: BucketBlock;
    const cachedHeader = this.headerCache.readSync(`${m.ulid}/header`);
    const header =
      cachedHeader === null
        ? null
        : this.headerFrom(cachedHeader, size, `cached index header ${m.ulid}/header`, true);
    const cachedWhole = header === null ? this.cache.readSync(name) : null;
    if (header !== null) block = new BucketBlock(m, size, header, null);
    else if (cachedWhole !== null && cachedWhole.length === size)
      block = await this.wholeBlock(m, size, cachedWhole);
    else if (whole) {
      const bytes = await this.fetchWhole(name, size);
      await this.cache.put(name, bytes);
      block = await this.wholeBlock(m, size, bytes);
    } else {
      // The tail: a version 2 index ends with its TOC, and mostly its whole header fits in it.
      const started = performance.now();
      const tailBytes = Math.min(
        size,
        Math.max(
          INDEX_TAIL_MIN_BYTES,
          Math.min(INDEX_TAIL_MAX_BYTES, INDEX_TAIL_BYTES_PER_SERIES * (m.stats?.numSeries ?? 0)),
        ),
      );
      const tail = await this.bucket.getRange(name, size - tailBytes, tailBytes);
      this.stats.indexFetches++;
      this.stats.indexFetchedBytes += tail.length;
      if (tail.length !== tailBytes)
        throw new CanopyError(
          'corrupt',
          `bucket object ${name}: ${tail.length} bytes at ${size - tailBytes}, expected ${tailBytes} (meta.json lists ${size})`,
        );
      const toc = tail.length === size ? null : parseRangedToc(tail, size);
      if (tail.length === size) {
        // A small index (either version): the tail is all of it, kept whole.
        this.stats.indexWholeFetches++;
        this.stats.indexWholeFetchedBytes += tail.length;
        await this.cache.put(name, tail);
        block = await this.wholeBlock(m, size, tail);
      } else if (toc !== null) {
        this.stats.indexHeaderFetches++;
        this.stats.indexHeaderFetchedBytes += tail.length;
        // [headerOff, size): the header and the TOC, as cached.
        let bytes: Buffer = tail.subarray(Math.max(0, toc.headerOff - (size - tailBytes)));
        if (toc.headerOff < size - tailBytes) {
          const rest = await this.bucket.getRange(name, toc.headerOff, size - tailBytes - toc.headerOff);
          this.stats.indexFetches++;
          this.stats.indexFetchedBytes += rest.length;
          this.stats.indexHeaderFetches++;
          this.stats.indexHeaderFetchedBytes += rest.length;
          bytes = Buffer.concat([rest, tail]);
        }
        const h = this.headerFrom(bytes, size, `bucket object ${name}`, false)!;
        await this.headerCache.put(`${m.ulid}/header`, bytes);
        block = new BucketBlock(m, size, h, null);
      } else {
        // Version 1 (one brotli stream): the whole object.
        const bytes = await this.fetchWhole(name, size);
        await this.cache.put(name, bytes);
        block = await this.wholeBlock(m, size, bytes);
      }
      this.log.debug(
        { block: m.ulid, ranged: block.header !== null, durationMs: Math.round(performance.now() - started) },
        'bucket block index fetched',
      );
    }
    this.remember(block);
    return block;
  }

  /**
   * The index header from bytes [headerOff, size) of the index object. A cached copy that does
   * not decode is dropped (null: fetched again); a fetched one that does not decode is corrupt.
   */
  private headerFrom(bytes: Buffer, size: number, what: string, cached: boolean): IndexHeader | null {
    try {
      const toc = parseRangedToc(bytes, size);
      if (toc === null) throw new CanopyError('corrupt', 'no version 2 TOC');
      if (bytes.length !== size - toc.headerOff)
        throw new CanopyError('corrupt', `${bytes.length} bytes, the TOC says ${size - toc.headerOff}`);
      return new IndexHeader(toc, bytes.subarray(0, toc.headerBytes));
    } catch (e) {
      if (!cached)
        throw new CanopyError('corrupt', `cannot read the index header of ${what}: ${errorMessage(e)}`, {
          cause: e,
        });
      this.log.warn(
        { entry: what, err: errorMessage(e) },
        'cannot decode a cached index header; fetching it again',
      );
      return null;
    }
  }

  /** A block read through its whole index file: verified / decompressed and parsed in slices, off the loop's critical path. */
  private async wholeBlock(m: BucketBlockMeta, size: number, bytes: Buffer): Promise<BucketBlock> {
    const whole = await readIndexFileAsync(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const header = whole instanceof RangedIndexReader ? whole.header : null;
    return new BucketBlock(m, size, header, whole);
  }

  private async fetchWhole(name: string, size: number): Promise<Buffer> {
    const bytes = await this.bucket.get(name);
    if (bytes === null) throw new CanopyError('not_found', `bucket object ${name} is missing`);
    if (bytes.length !== size)
      throw new CanopyError(
        'corrupt',
        `bucket object ${name} has ${bytes.length} bytes, meta.json says ${size}`,
      );
    this.stats.indexFetches++;
    this.stats.indexFetchedBytes += bytes.length;
    this.stats.indexWholeFetches++;
    this.stats.indexWholeFetchedBytes += bytes.length;
    return bytes;
  }

  /** A ranged block read without matchers: its whole index (cache, else one GET), decoded; one load per block at a time. */
  private loadWhole(b: BucketBlock): Promise<void> {
    if (b.whole !== null) return Promise.resolve();
    let p = this.loadingWhole.get(b.ulid);
    if (!p) {
      p = this.fetchWholeInto(b).finally(() => this.loadingWhole.delete(b.ulid));
      this.loadingWhole.set(b.ulid, p);
    }
    return p;
  }

  private async fetchWholeInto(b: BucketBlock): Promise<void> {
    const name = `${b.ulid}/index`;
    let bytes = this.cache.readSync(name);
    if (bytes === null || bytes.length !== b.indexBytes) {
      bytes = await this.fetchWhole(name, b.indexBytes);
      await this.cache.put(name, bytes);
    }
    if (b.whole !== null) return; // another querier decoded it meanwhile
    const before = b.memoryBytes;
    b.whole = readIndexFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.blocksBytes += b.memoryBytes - before;
    this.trimMemory(b.ulid);
  }

  /** Keeps a decoded block in memory, dropping the least recently used beyond INDEX_MEMORY_BYTES. */
  private remember(block: BucketBlock): void {
    this.blocks.set(block.ulid, block);
    this.blocksBytes += block.memoryBytes;
    this.trimMemory(block.ulid);
  }

  private trimMemory(keep: string): void {
    for (const [ulid, o] of this.blocks) {
      if (this.blocksBytes <= INDEX_MEMORY_BYTES) break;
      if (ulid === keep) continue;
      this.blocks.delete(ulid);
      this.blocksBytes -= o.memoryBytes;
    }
  }

  private updateStats(): void {
    this.stats.headerCachedEntries = this.headerCache.stats.entries;
    this.stats.headerCachedBytes = this.headerCache.stats.bytes;
    this.stats.cachedEntries = this.cache.stats.entries;
    this.stats.cachedBytes = this.cache.stats.bytes;
    this.stats.evictions = this.cache.stats.evictions;
  }

  close(): void {
    this.rollupCache.close();
    this.blocks.clear();
  }
}

/** A postings list or series entry of a ranged index: its cache key and byte range in the index object. */
interface IndexEntry {
  block: BucketBlock;
  key: string;
  off: number;
  len: number;
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
