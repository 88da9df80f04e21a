// Opens a block directory written by block-writer.ts: meta.json and the index are read at
// open (index CRC verified), chunks are read on demand with positioned sync reads (through a
// read-ahead window) and checked against their CRC32C. A block is shared by queriers through
// acquire()/release(); delete() removes the directory once the last reader is gone.
import {
  close,
  fstat,
  open,
  read,
  closeSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { CanopyError } from '../../shared/errors.ts';
import type { Labels } from '../../shared/labels.ts';
import type { Matcher } from '../../shared/matchers.ts';
import type { SampleCursor } from '../../shared/storage.ts';
import { crc32c } from '../wal/index.ts';
import {
  parseIndexAsync,
  readIndexFile,
  readIndexFileAsync,
  type BlockIndexReader,
  type ChunkRef,
  type IndexSeries,
} from './block-index.ts';
import {
  BLOCK_META_VERSION,
  blockResolution,
  CHUNKS_HEADER_BYTES,
  CHUNKS_MAGIC,
  CHUNKS_VERSION,
  type BlockMeta,
} from './block-writer.ts';
import { ChunkSeqCursor, type ChunkList } from './cursors.ts';
import type { SeriesSource, SourceSeries } from './querier.ts';

function parseMeta(raw: string, dir: string): BlockMeta {
  let m: BlockMeta;
  try {
    m = JSON.parse(raw) as BlockMeta;
  } catch (e) {
    throw new CanopyError('corrupt', `cannot read ${dir}/meta.json: ${String(e)}`, { cause: e });
  }
  if (
    m.version !== BLOCK_META_VERSION ||
    typeof m.ulid !== 'string' ||
    !Number.isFinite(m.minTime) ||
    !Number.isFinite(m.maxTime) ||
    m.maxTime <= m.minTime
  ) {
    throw new CanopyError('corrupt', `cannot read ${dir}/meta.json: unsupported version or bad time range`);
  }
  return m;
}

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const readFd = promisify(read);

function badHeader(dir: string, name: string): never {
  throw new CanopyError('corrupt', `cannot open block ${dir}: bad chunk file header in ${name}`);
}

function checkHeader(h: Buffer, dir: string, name: string): void {
  if (h.readUInt32LE(0) !== CHUNKS_MAGIC || h[4] !== CHUNKS_VERSION) badHeader(dir, name);
}

const MIN_READ_AHEAD = 4096;
const MAX_READ_AHEAD = 1 << 20;

/** Where a series' chunk bytes come from: a local block, or a bucket block's cached pages. */
export interface ChunkReader {
  /** One chunk's data, CRC-checked; throws CanopyError (the cursor holds it in err()). */
  readChunk(ref: ChunkRef): Uint8Array;
}

/** A block's chunks of one series (a class, not closures: a query makes one per series). */
export class BlockChunkList implements ChunkList {
  readonly length: number;
  constructor(
    private readonly block: ChunkReader,
    private readonly chunks: readonly ChunkRef[],
  ) {
    this.length = chunks.length;
  }
  minT(i: number): number {
    return this.chunks[i]!.minT;
  }
  maxT(i: number): number {
    return this.chunks[i]!.maxT;
  }
  encoding(i: number): number {
    return this.chunks[i]!.encoding;
  }
  bytes(i: number): Uint8Array {
    return this.block.readChunk(this.chunks[i]!);
  }
}

/** One selected block series, read over its select range; reuses a ChunkSeqCursor handed back. */
export class BlockSourceSeries implements SourceSeries {
  constructor(
    private readonly block: ChunkReader,
    readonly labels: Labels,
    private readonly chunks: readonly ChunkRef[],
    private readonly mintMs: number,
    private readonly maxtMs: number,
  ) {}
  cursor(reuse?: SampleCursor): SampleCursor {
    const list = new BlockChunkList(this.block, this.chunks);
    if (reuse instanceof ChunkSeqCursor) {
      reuse.reset(list, this.mintMs, this.maxtMs);
      return reuse;
    }
    return new ChunkSeqCursor(list, this.mintMs, this.maxtMs);
  }
}

export class Block implements SeriesSource, ChunkReader {
  readonly meta: BlockMeta;
  readonly index: BlockIndexReader;
  readonly minT: number;
  /** Inclusive. */
  readonly maxT: number;
  readonly sizeBytes: number;
  /** Size of the index file on disk. */
  readonly indexBytes: number;
  private readonly fds: number[];
  /** readChunk's read-ahead window: bytes of chunk file winSeg from offset winOff. */
  private win: Buffer = Buffer.alloc(0);
  private winSeg = 0;
  private winOff = 0;
  private winSize = MIN_READ_AHEAD;
  private refs = 0;
  private deleted = false;
  /**
   * Rollup blocks only: chunks (seg · 2^32 + offset) whose CRC was verified since the block was
   * opened. A rollup chunk holds six aggregates and a query decodes one, so re-checking the CRC
   * of every byte at every read cost more than the decoding; a rollup block has few chunks
   * (~35k for 30 d × 1,000 series at 5m), so the set stays small. Raw chunks are checked at
   * every read.
   */
  private verified: Set<number> | null = null;

  private constructor(
    readonly dir: string,
    f: { meta: BlockMeta; index: BlockIndexReader; indexBytes: number; sizeBytes: number; fds: number[] },
  ) {
    this.meta = f.meta;
    this.index = f.index;
    this.indexBytes = f.indexBytes;
    this.sizeBytes = f.sizeBytes;
    this.fds = f.fds;
    this.minT = this.meta.minTime;
    this.maxT = this.meta.maxTime - 1;
    if (blockResolution(this.meta) > 0) this.verified = new Set();
  }

  /** Opens a block with sync reads (start-up, workers, tools). */
  static open(dir: string): Block {
    const meta = parseMeta(readFileSync(join(dir, 'meta.json'), 'utf8'), dir);
    const ix = readFileSync(join(dir, 'index'));
    const index = readIndexFile(new Uint8Array(ix.buffer, ix.byteOffset, ix.byteLength));
    let size = ix.byteLength + statSync(join(dir, 'meta.json')).size;
    const fds: number[] = [];
    try {
      for (const name of readdirSync(join(dir, 'chunks')).sort()) {
        const p = join(dir, 'chunks', name);
        size += statSync(p).size;
        const fd = openSync(p, 'r');
        fds.push(fd);
        const h = Buffer.alloc(CHUNKS_HEADER_BYTES);
        if (readSync(fd, h, 0, h.length, 0) !== h.length) badHeader(dir, name);
        checkHeader(h, dir, name);
      }
    } catch (e) {
      for (const fd of fds) closeSync(fd);
      throw e;
    }
    return new Block(dir, { meta, index, indexBytes: ix.byteLength, sizeBytes: size, fds });
  }

  /**
   * Opens a block without blocking the event loop on file I/O or index decompression (the
   * request thread after a head cut or merge): the index is decompressed on libuv's pool and
   * parsed in slices that yield to the event loop.
   */
  static async openAsync(dir: string, rawIndex?: Uint8Array): Promise<Block> {
    const meta = parseMeta(await readFile(join(dir, 'meta.json'), 'utf8'), dir);
    let index: BlockIndexReader, indexBytes: number;
    if (rawIndex) {
      // The writer's own index bytes (before compression): no read, no decompression.
      index = await parseIndexAsync(rawIndex);
      indexBytes = (await stat(join(dir, 'index'))).size;
    } else {
      const ix = await readFile(join(dir, 'index'));
      index = await readIndexFileAsync(new Uint8Array(ix.buffer, ix.byteOffset, ix.byteLength));
      indexBytes = ix.byteLength;
    }
    let size = indexBytes + (await stat(join(dir, 'meta.json'))).size;
    const fds: number[] = [];
    try {
      for (const name of (await readdir(join(dir, 'chunks'))).sort()) {
        const p = join(dir, 'chunks', name);
        // Raw fds (a FileHandle closes its fd when collected).
        const fd = await openFd(p, 'r');
        fds.push(fd);
        size += (await fstatFd(fd)).size;
        const h = Buffer.alloc(CHUNKS_HEADER_BYTES);
        if ((await readFd(fd, h, 0, h.length, 0)).bytesRead !== h.length) badHeader(dir, name);
        checkHeader(h, dir, name);
      }
    } catch (e) {
      for (const fd of fds) close(fd, () => {});
      throw e;
    }
    return new Block(dir, { meta, index, indexBytes, sizeBytes: size, fds });
  }

  get id(): string {
    return this.meta.ulid;
  }

  /** Size of everything but the index (chunks + meta). */
  chunkBytesOnDisk(): number {
    return this.sizeBytes - this.indexBytes;
  }

  /**
   * Reads one chunk's bytes and verifies its CRC. Reads go through a read-ahead window: a
   * selector reads series in label order, which is their order in the chunk files, so
   * consecutive reads mostly fall in the window (one syscall per window, not per chunk). The
   * window doubles while reads continue where the last one ended and shrinks on a jump, so
   * a sparse select does not read much it does not need. Windows are never overwritten: a
   * returned view stays valid.
   */
  readChunk(ref: ChunkRef): Uint8Array {
    const fd = this.fds[ref.seg - 1];
    if (fd === undefined)
      throw new CanopyError('corrupt', `cannot read chunk: block ${this.id} has no chunk file ${ref.seg}`);
    const need = ref.len + 4;
    let w = this.win;
    if (this.winSeg !== ref.seg || ref.off < this.winOff || ref.off + need > this.winOff + w.length) {
      // Sequential: the chunk starts in the window or at most a frame header after its end.
      const sequential =
        this.winSeg === ref.seg && ref.off >= this.winOff && ref.off <= this.winOff + w.length + 16;
      this.winSize = sequential ? Math.min(this.winSize * 2, MAX_READ_AHEAD) : MIN_READ_AHEAD;
      const size = Math.max(need, this.winSize);
      const buf = Buffer.allocUnsafe(size);
      const n = readSync(fd, buf, 0, size, ref.off);
      if (n < need)
        throw new CanopyError(
          'corrupt',
          `cannot read chunk: ${n} of ${need} bytes at ${ref.off} in block ${this.id}`,
        );
      this.win = w = buf.subarray(0, n);
      this.winSeg = ref.seg;
      this.winOff = ref.off;
    }
    const o = ref.off - this.winOff;
    const data = new Uint8Array(w.buffer, w.byteOffset + o, ref.len);
    const key = ref.seg * 4294967296 + ref.off;
    if (this.verified?.has(key)) return data;
    if (crc32c(data) !== w.readUInt32LE(o + ref.len))
      throw new CanopyError('corrupt', `cannot read chunk at ${ref.off} in block ${this.id}: crc mismatch`);
    this.verified?.add(key);
    return data;
  }

  chunkList(chunks: readonly ChunkRef[]): ChunkList {
    return new BlockChunkList(this, chunks);
  }

  select(ms: readonly Matcher[], mintMs: number, maxtMs: number): SourceSeries[] {
    const ids = this.index.select(ms);
    const out: SourceSeries[] = [];
    for (let i = 0; i < ids.length; i++) {
      const s = this.index.series(ids[i]!);
      const cs = s.chunks;
      if (cs.length === 0 || cs[cs.length - 1]!.maxT < mintMs || cs[0]!.minT > maxtMs) continue;
      out.push(new BlockSourceSeries(this, s.labels, cs, mintMs, maxtMs));
    }
    return out;
  }

  *allSeries(): IterableIterator<IndexSeries> {
    for (let i = 0; i < this.index.numSeries(); i++) yield this.index.series(i);
  }

  labelNames(ms?: readonly Matcher[]): string[] {
    return this.index.labelNames(ms);
  }
  labelValues(name: string, ms?: readonly Matcher[]): string[] {
    return this.index.labelValues(name, ms);
  }

  acquire(): void {
    this.refs++;
  }

  release(): void {
    this.refs--;
    if (this.refs === 0 && this.deleted) this.removeNow();
  }

  /** Deletes the block once no querier holds it. */
  delete(): void {
    this.deleted = true;
    if (this.refs === 0) this.removeNow();
  }

  private closeFds(): void {
    for (const fd of this.fds) closeSync(fd);
    this.fds.length = 0;
  }

  private removeNow(): void {
    this.closeFds();
    if (this.asyncRemove) {
      // Off the event loop; a failure leaves a directory the next open skips or removes.
      this.removed = rm(this.dir, { recursive: true, force: true }).catch(() => {});
    } else rmSync(this.dir, { recursive: true, force: true });
  }

  /** Set by the TSDB: delete() removes the directory asynchronously (see removed). */
  asyncRemove = false;
  /** The pending asynchronous removal, if any. */
  removed: Promise<void> = Promise.resolve();

  close(): void {
    this.closeFds();
  }
}
