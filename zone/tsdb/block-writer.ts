// Writes one immutable block directory: chunks/NNNNNN (segment files of framed chunks), index
// (block-index.ts) and meta.json, first into "<id>.tmp" then renamed into place, so a crash
// never leaves a half-written block under its final name. Series are added in label order.
// Sync fs: a block is written in one go by the compactor (see db.ts for scheduling).
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Labels } from '../../shared/labels.ts';
import { CanopyError } from '../../shared/errors.ts';
import { crc32c } from '../wal/index.ts';
import { encodeIndex, encodeIndexFile, type ChunkRef, type IndexSeries } from './block-index.ts';

export const CHUNKS_MAGIC = 0x4b434e43; // "CNCK" little-endian
export const CHUNKS_VERSION = 1;
export const CHUNKS_HEADER_BYTES = 8;
export const BLOCK_META_VERSION = 1;
const SEGMENT_MAX_BYTES = 512 * 1024 * 1024;
const FLUSH_BYTES = 1 << 20;

export interface BlockMeta {
  version: number;
  ulid: string;
  /** Inclusive start, ms. */
  minTime: number;
  /** Exclusive end, ms (Prometheus convention). */
  maxTime: number;
  stats: { numSeries: number; numSamples: number; numChunks: number };
  compaction: { level: number; sources: string[] };
  /** Rollup blocks only (Thanos' field): the window of their aggregates, ms; absent = raw. */
  thanos?: { downsample?: { resolution: number } };
}

/**
 * A block's resolution: 0 for raw samples, else its rollup window (ms). Of a local or bucket
 * meta.json as read from disk: thanos.downsample.resolution, else a top-level resolution,
 * else 0 (raw); anything but a finite non-negative number counts as raw.
 */
export function blockResolution(meta: BlockMeta): number {
  const m = meta as BlockMeta & { thanos?: { downsample?: { resolution?: unknown } }; resolution?: unknown };
  const r = m.thanos?.downsample?.resolution ?? m.resolution;
  return typeof r === 'number' && Number.isFinite(r) && r >= 0 ? r : 0;
}

/** An encoded chunk handed to the writer. */
export interface ChunkData {
  minT: number;
  maxT: number;
  encoding: number;
  bytes: Uint8Array;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-like id: 10 chars of ms time + 16 random chars (Crockford base32); sorts by time. */
export function newBlockId(nowMs = Date.now()): string {
  let s = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    s = CROCKFORD[t % 32]! + s;
    t = Math.floor(t / 32);
  }
  const r = randomBytes(16);
  for (let i = 0; i < 16; i++) s += CROCKFORD[r[i]! & 31];
  return s;
}

export class BlockWriter {
  readonly id: string;
  private readonly tmpDir: string;
  private seg = 0;
  private fd = -1;
  private segBytes = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly series: IndexSeries[] = [];
  private numSamples = 0;
  private numChunks = 0;
  private readonly frame = new Uint8Array(16);

  constructor(
    private readonly blocksDir: string,
    private readonly minTime: number,
    private readonly maxTime: number,
    private readonly level = 1,
    private readonly sources: string[] = [],
    /** Rollup window, ms; 0 = raw (docs/format/rollup.md). */
    private readonly resolutionMs = 0,
  ) {
    this.id = newBlockId();
    this.tmpDir = join(blocksDir, this.id + '.tmp');
    mkdirSync(join(this.tmpDir, 'chunks'), { recursive: true });
  }

  private openSegment(): void {
    this.flush();
    if (this.fd >= 0) {
      fsyncSync(this.fd);
      closeSync(this.fd);
    }
    this.seg++;
    this.fd = openSync(join(this.tmpDir, 'chunks', String(this.seg).padStart(6, '0')), 'w');
    const h = new Uint8Array(CHUNKS_HEADER_BYTES);
    new DataView(h.buffer).setUint32(0, CHUNKS_MAGIC, true);
    h[4] = CHUNKS_VERSION;
    this.pending.push(h);
    this.pendingBytes += h.length;
    this.segBytes = h.length;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Frame: encoding u8 | uvarint len | data | crc32c(data) u32le. */
  private writeChunk(c: ChunkData): ChunkRef {
    const len = c.bytes.length;
    if (this.fd < 0 || this.segBytes + len + 16 > SEGMENT_MAX_BYTES) this.openSegment();
    const f = this.frame;
    let n = 0;
    f[n++] = c.encoding;
    let z = len;
    while (z >= 0x80) {
      f[n++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    f[n++] = z;
    const off = this.segBytes + n;
    const crc = new Uint8Array(4);
    new DataView(crc.buffer).setUint32(0, crc32c(c.bytes), true);
    this.pending.push(f.slice(0, n), c.bytes, crc);
    this.pendingBytes += n + len + 4;
    this.segBytes += n + len + 4;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    this.numChunks++;
    this.numSamples += len >= 2 ? (c.bytes[0]! << 8) | c.bytes[1]! : 0;
    return { minT: c.minT, maxT: c.maxT, encoding: c.encoding, seg: this.seg, off, len };
  }

  /** Adds a series (label order, strictly increasing); series without chunks are skipped. */
  addSeries(labels: Labels, chunks: readonly ChunkData[]): void {
    if (chunks.length === 0) return;
    const refs: ChunkRef[] = new Array(chunks.length);
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      if (c.minT < this.minTime || c.maxT >= this.maxTime) {
        throw new CanopyError(
          'internal',
          `cannot write block: chunk [${c.minT}, ${c.maxT}] outside [${this.minTime}, ${this.maxTime})`,
        );
      }
      refs[i] = this.writeChunk(c);
    }
    this.series.push({ labels, chunks: refs });
  }

  /**
   * The written index as one in-memory encoding (encodeIndex's, after finish): the compaction
   * worker hands it to the request thread, which then opens the block without reading the file
   * (the file itself is version 2, ranged, for the bucket's range reads).
   */
  rawIndex: Uint8Array | null = null;

  /** Writes index and meta.json, syncs, and renames the block into place. */
  finish(): BlockMeta {
    if (this.fd < 0) this.openSegment();
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    writeFileSync(join(this.tmpDir, 'index'), encodeIndexFile(this.series));
    this.rawIndex = encodeIndex(this.series);
    const meta: BlockMeta = {
      version: BLOCK_META_VERSION,
      ulid: this.id,
      minTime: this.minTime,
      maxTime: this.maxTime,
      stats: { numSeries: this.series.length, numSamples: this.numSamples, numChunks: this.numChunks },
      compaction: { level: this.level, sources: this.sources.length > 0 ? this.sources : [this.id] },
    };
    if (this.resolutionMs > 0) meta.thanos = { downsample: { resolution: this.resolutionMs } };
    writeFileSync(join(this.tmpDir, 'meta.json'), JSON.stringify(meta, null, 2));
    renameSync(this.tmpDir, join(this.blocksDir, this.id));
    return meta;
  }

  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmpDir, { recursive: true, force: true });
  }
}
