// A bucket block read by ranges (docs/format/bucket.md, "Queries"): its meta.json comes from
// the bucket listing. Its index is either the index header of a version 2 (ranged) index
// (ranged-index.ts; postings lists and series entries are then read one by one from the
// RangeCache, which the store fills before a querier is handed out), or the whole index, decoded
// in memory (version 1 blocks, which cannot be read by ranges, and any block read without
// querier hints). Its chunk files are read in PAGE_BYTES pages from the RangeCache. select() and
// cursors are synchronous as the storage contract requires; a read of an index entry or a page
// that was not prefetched (the caller read what its QuerierHints did not announce) fails with
// CanopyError('unavailable') — thrown by select(), or held in the cursor's err() — never silently.
import { CanopyError } from '../../shared/errors.ts';
import type { Matcher } from '../../shared/matchers.ts';
import { crc32c } from '../wal/index.ts';
import {
  BlockSourceSeries,
  RangedIndexReader,
  type BlockIndexReader,
  type ChunkReader,
  type ChunkRef,
  type IndexHeader,
  type SeriesSource,
  type SourceSeries,
} from '../tsdb/index.ts';
import type { BucketBlockMeta } from './bucket-meta.ts';
import { PAGE_BYTES, type RangeCache } from './range-cache.ts';

/** Cache key of page `page` of chunk file `seg` of a block. */
export function pageKey(ulid: string, seg: number, page: number): string {
  return `${ulid}/c${seg}-${page}`;
}

/** The pages holding chunk ref c's frame tail (data + crc u32). */
export function chunkPages(c: ChunkRef): [first: number, last: number] {
  return [Math.floor(c.off / PAGE_BYTES), Math.floor((c.off + c.len + 3) / PAGE_BYTES)];
}

/** Cache key of a version 2 index's postings list (kind 'p', pair number i) or series entry ('s', id i). */
export function indexItemKey(ulid: string, kind: 'p' | 's', i: number): string {
  return `${ulid}/${kind}${i}`;
}

/** A bucket block with its index header and/or decoded whole index; shared by queriers. */
export class BucketBlock {
  readonly minT: number;
  /** Inclusive. */
  readonly maxT: number;
  /** Sizes of chunks/000001… from meta.json (1-based file n at index n-1). */
  readonly segBytes: number[];

  constructor(
    readonly meta: BucketBlockMeta,
    /** Size of the index object (meta.json). */
    readonly indexBytes: number,
    /** The index header of a version 2 index; null for version 1. */
    readonly header: IndexHeader | null,
    /** The whole index decoded (always for version 1; for version 2 once a querier without hints needed it). */
    public whole: BlockIndexReader | null,
  ) {
    if (header === null && whole === null)
      throw new CanopyError('internal', `BUG: bucket block ${meta.ulid} without an index`);
    this.minT = meta.minTime;
    this.maxT = meta.maxTime - 1;
    this.segBytes = [];
    for (const f of meta.thanos.files) {
      const m = /^chunks\/(\d{6})$/.exec(f.rel_path);
      if (m) this.segBytes[Number(m[1]) - 1] = f.size_bytes;
    }
    for (let i = 0; i < this.segBytes.length; i++) {
      if (this.segBytes[i] === undefined)
        throw new CanopyError(
          'corrupt',
          `bucket block ${meta.ulid}: meta.json lists no chunks/${String(i + 1).padStart(6, '0')}`,
        );
    }
  }

  get ulid(): string {
    return this.meta.ulid;
  }

  /** Bytes the decoded index parts hold in memory. */
  get memoryBytes(): number {
    return (this.header?.memoryBytes ?? 0) + (this.whole?.byteLength ?? 0);
  }

  /** Bytes of page `page` of chunk file `seg` (the last page of a file is shorter). */
  pageBytes(seg: number, page: number): number {
    const size = this.segBytes[seg - 1];
    if (size === undefined)
      throw new CanopyError('corrupt', `bucket block ${this.ulid} has no chunk file ${seg}`);
    return Math.max(0, Math.min(PAGE_BYTES, size - page * PAGE_BYTES));
  }
}

/** One querier's view of a bucket block: a SeriesSource reading chunk pages from the cache. */
export class BucketBlockSource implements SeriesSource, ChunkReader {
  readonly minT: number;
  readonly maxT: number;
  /** The last page read (consecutive chunks of a series mostly share one). */
  private lastKey = '';
  private lastPage: Buffer | null = null;

  /** The whole index when the block has it, else the ranged one reading entries from the cache. */
  readonly index: BlockIndexReader;
  readonly ranged: boolean;

  constructor(
    readonly block: BucketBlock,
    private readonly cache: RangeCache,
    /** The querier hints' matcher sets (undefined: none announced). */
    private readonly selects?: readonly (readonly Matcher[])[],
  ) {
    this.minT = block.minT;
    this.maxT = block.maxT;
    this.ranged = block.whole === null;
    this.index =
      block.whole ??
      new RangedIndexReader(block.header!, (kind, i, off, len) => this.indexItem(kind, i, off, len), 0);
  }

  /**
   * An announced matcher set all of whose matchers are in ms: ms is then narrower (as a wrapper
   * adding a tenant matcher makes it), so its series are the announced set's series (whose
   * postings and entries were fetched) that also match the rest of ms.
   */
  private announcedWithin(ms: readonly Matcher[]): readonly Matcher[] | undefined {
    const have = new Set(ms.map(String));
    let best: readonly Matcher[] | undefined;
    for (const h of this.selects ?? [])
      if (h.length > (best?.length ?? -1) && h.every((m) => have.has(String(m)))) best = h;
    return best;
  }

  /** A postings list or series entry of the ranged index, from the cache. */
  private indexItem(kind: 'p' | 's', i: number, off: number, len: number): Uint8Array {
    const key = indexItemKey(this.block.ulid, kind, i);
    const b = this.cache.mustReadSync(key, 'the query selected series its querier hints did not announce');
    if (b.length !== len)
      throw new CanopyError(
        'corrupt',
        `cannot read bucket cache entry ${key}: ${b.length} bytes, the index header says ${len} at ${off}`,
      );
    return b;
  }

  /**
   * Adds to `out` the pages (as "seg:page" numbers seg * 2^32 + page) holding the chunks in
   * [mintMs, maxtMs] of the series `selects` match; every page of every file when selects is
   * undefined.
   */
  neededPages(
    selects: readonly (readonly Matcher[])[] | undefined,
    mintMs: number,
    maxtMs: number,
    out: Set<number>,
  ): void {
    if (selects === undefined) {
      for (let s = 1; s <= this.block.segBytes.length; s++) {
        const n = Math.ceil(this.block.segBytes[s - 1]! / PAGE_BYTES);
        for (let p = 0; p < n; p++) out.add(s * 2 ** 32 + p);
      }
      return;
    }
    for (const ms of selects) {
      const ids = this.index.select(ms);
      for (let i = 0; i < ids.length; i++) {
        for (const c of this.index.series(ids[i]!).chunks) {
          if (c.maxT < mintMs || c.minT > maxtMs) continue;
          const [a, b] = chunkPages(c);
          for (let p = a; p <= b; p++) out.add(c.seg * 2 ** 32 + p);
        }
      }
    }
  }

  /** One chunk's data, CRC-checked; throws CanopyError (held by the cursor) when a page is missing. */
  readChunk(c: ChunkRef): Uint8Array {
    const [a, b] = chunkPages(c);
    const start = c.off - a * PAGE_BYTES;
    let frame: Uint8Array;
    if (a === b) frame = this.page(c.seg, a).subarray(start, start + c.len + 4);
    else {
      // A chunk across pages (a chunk is at most a few KiB, so rarely more than two).
      frame = new Uint8Array(c.len + 4);
      let at = 0;
      for (let p = a; p <= b; p++) {
        const pg = this.page(c.seg, p);
        const from = p === a ? start : 0;
        const n = Math.min(pg.length - from, frame.length - at);
        frame.set(pg.subarray(from, from + n), at);
        at += n;
      }
    }
    if (frame.length < c.len + 4)
      throw new CanopyError(
        'corrupt',
        `cannot read chunk at ${c.off} in bucket block ${this.block.ulid}: chunk file ${c.seg} ends inside it`,
      );
    const data = frame.subarray(0, c.len);
    const crc =
      (frame[c.len]! | (frame[c.len + 1]! << 8) | (frame[c.len + 2]! << 16) | (frame[c.len + 3]! << 24)) >>>
      0;
    if (crc32c(data) !== crc)
      throw new CanopyError(
        'corrupt',
        `cannot read chunk at ${c.off} in bucket block ${this.block.ulid}: crc mismatch`,
      );
    return data;
  }

  private page(seg: number, page: number): Buffer {
    const key = pageKey(this.block.ulid, seg, page);
    if (key === this.lastKey && this.lastPage) return this.lastPage;
    const b = this.cache.mustReadSync(key, 'the query read samples its querier hints did not announce');
    this.lastKey = key;
    this.lastPage = b;
    return b;
  }

  select(ms: readonly Matcher[], mintMs: number, maxtMs: number): SourceSeries[] {
    const announced = this.ranged ? this.announcedWithin(ms) : undefined;
    const ids = this.index.select(announced ?? ms);
    const out: SourceSeries[] = [];
    for (let i = 0; i < ids.length; i++) {
      const s = this.index.series(ids[i]!);
      if (
        announced &&
        announced.length < ms.length &&
        !ms.every((m) => m.matches(s.labels.find((l) => l.name === m.name)?.value ?? ''))
      )
        continue;
      const cs = s.chunks;
      if (cs.length === 0 || cs[cs.length - 1]!.maxT < mintMs || cs[0]!.minT > maxtMs) continue;
      out.push(new BlockSourceSeries(this, s.labels, cs, mintMs, maxtMs));
    }
    return out;
  }

  labelNames(ms?: readonly Matcher[]): string[] {
    return this.index.labelNames(ms);
  }

  labelValues(name: string, ms?: readonly Matcher[]): string[] {
    return this.index.labelValues(name, ms);
  }
}
