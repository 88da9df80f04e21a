// One series in the head: sealed chunks (their bytes packed into slabs shared by all series,
// see slab.ts), the open chunk being appended to, and an out-of-order buffer of float samples.
// Invariants: sealed chunks are ordered, non-overlapping and each lies inside one chunk range
// (so a block cut never splits a chunk); maxT is the newest in-order timestamp; OOO samples
// are sorted, unique, and absent from the in-order chunks.
import type { Distribution } from '../../shared/distribution.ts';
import { ValueKind, type SampleCursor } from '../../shared/storage.ts';
import { DecimalChunk, DistributionChunk, ChunkEncoding } from './chunk/index.ts';
import { floatBits, splitFloat } from './chunk/bit-stream.ts';
import { ArrayCursor, ChunkSeqCursor, MergeCursor, type ChunkList } from './cursors.ts';
import { Slabs } from './slab.ts';

const EMPTY_BYTES = new Uint8Array(0);
/** Shared by empty series (never written: seals and truncations make new arrays). */
const EMPTY_META: number[] = [];
const EMPTY_SLABS: Uint8Array[] = [];
/**
 * Per sealed chunk in `meta`: minT, maxT, start and end offset in its slab (`slabs`, same
 * index), encoding. A plain array (doubles unboxed in it), like `syms`: a small typed array costs
 * an ArrayBuffer and a view object on top of its bytes, which at a few hundred bytes per series
 * is most of a head series' overhead.
 */
const META = 5;
const MIN_T = 0,
  MAX_T = 1,
  START = 2,
  END = 3,
  ENC = 4;

/**
 * Sealed chunk bytes of every head. 1 MB slabs: at 100k series one chunk range seals ~13 MB,
 * so a head truncation frees whole slabs but for the one or two straddling its boundary.
 */
const sealed = new Slabs(1 << 20);
/** Query copies of open chunks (short-lived: one slab serves many queries). */
const openCopies = new Slabs(256 * 1024);

export function sameFloat(a: number, b: number): boolean {
  splitFloat(a);
  const hi = floatBits.hi,
    lo = floatBits.lo;
  splitFloat(b);
  return hi === floatBits.hi && lo === floatBits.lo;
}

function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (!sameFloat(a.count, b.count) || !sameFloat(a.sum, b.sum) || a.means.length !== b.means.length)
    return false;
  for (let i = 0; i < a.means.length; i++)
    if (a.means[i] !== b.means[i] || a.weights[i] !== b.weights[i]) return false;
  return true;
}

/** Append outcome: Ok, Ignored (exact duplicate), or a rejection. */
export const enum AppendCode {
  Ok = 0,
  Ignored = 1,
  OutOfOrder = 2,
  OutOfBounds = 3,
  Duplicate = 4,
  Invalid = 5,
}

export class HeadSeries {
  meta: number[] = EMPTY_META;
  /** The slab of each sealed chunk (references to a few shared slabs, no bytes of its own). */
  slabs: Uint8Array[] = EMPTY_SLABS;
  nChunks = 0;
  open: DecimalChunk | DistributionChunk | null = null;
  openMinT = 0;
  /** Newest in-order sample time; -Infinity when empty. */
  maxT = -Infinity;
  lastV = 0;
  lastD: Distribution | null = null;
  oooT: Float64Array | null = null;
  oooV: Float64Array | null = null;
  oooN = 0;

  constructor(
    readonly ref: number,
    readonly hash: number,
    /** Symbol ids: name0, value0, name1, value1… in label order (replaced by Head's symbol GC). */
    public syms: number[],
  ) {}

  /** Oldest sample time held (chunks or OOO), Infinity when empty. */
  minT(): number {
    let t = this.nChunks > 0 ? this.meta[0]! : this.open ? this.openMinT : Infinity;
    if (this.oooN > 0 && this.oooT![0]! < t) t = this.oooT![0]!;
    return t;
  }

  private seal(): void {
    const c = this.open;
    if (!c) return;
    const b = c.bytes();
    const o = sealed.put(b, b.length);
    // New arrays of exact length (push would leave 16+ free slots per series), and a reader
    // keeps the ones it holds.
    this.meta = this.meta.concat(this.openMinT, c.lastT(), o, o + b.length, c.encoding);
    this.slabs = this.slabs.concat(sealed.slab);
    this.nChunks++;
    this.open = null;
  }

  /** Whether an in-order sample at tMs of the given kind needs a new chunk. */
  private needsCut(tMs: number, dist: boolean, chunkRangeMs: number, maxSamples: number): boolean {
    const c = this.open;
    if (!c) return true;
    if ((c.encoding === ChunkEncoding.Distribution) !== dist) return true;
    if (c.numSamples() >= maxSamples) return true;
    return Math.floor(tMs / chunkRangeMs) !== Math.floor(this.openMinT / chunkRangeMs);
  }

  /** Returns true when a new chunk was opened. */
  appendInOrder(tMs: number, v: number, chunkRangeMs: number, maxSamples: number): boolean {
    let cut = false;
    if (this.needsCut(tMs, false, chunkRangeMs, maxSamples)) {
      // Size the new chunk like the previous one (+ slack): one allocation instead of
      // growing 64 → 128 → 256 → 512, and little unused capacity per series.
      this.seal();
      const k = this.nChunks;
      const last = k > 0 ? this.meta[(k - 1) * META + END]! - this.meta[(k - 1) * META + START]! : 0;
      this.open = new DecimalChunk(last > 0 ? last + (last >>> 3) + 8 : 64);
      this.openMinT = tMs;
      cut = true;
    }
    (this.open as DecimalChunk).append(tMs, v);
    this.maxT = tMs;
    this.lastV = v;
    this.lastD = null;
    return cut;
  }

  appendDistribution(tMs: number, d: Distribution, chunkRangeMs: number, maxSamples: number): AppendCode {
    if (tMs < this.maxT) return AppendCode.OutOfOrder;
    if (tMs === this.maxT)
      return this.lastD && sameDistribution(this.lastD, d) ? AppendCode.Ignored : AppendCode.Duplicate;
    if (this.needsCut(tMs, true, chunkRangeMs, maxSamples)) {
      this.seal();
      this.open = new DistributionChunk();
      this.openMinT = tMs;
    }
    (this.open as DistributionChunk).append(tMs, d);
    this.maxT = tMs;
    this.lastD = d;
    return AppendCode.Ok;
  }

  /** Checks a float sample at tMs ≤ maxT against stored data: Ignored, Duplicate or Ok (absent). */
  checkExisting(tMs: number, v: number): AppendCode {
    if (tMs === this.maxT)
      return this.lastD === null && sameFloat(v, this.lastV) ? AppendCode.Ignored : AppendCode.Duplicate;
    const i = this.oooIndex(tMs);
    if (i < this.oooN && this.oooT![i] === tMs)
      return sameFloat(v, this.oooV![i]!) ? AppendCode.Ignored : AppendCode.Duplicate;
    const cur = this.cursor(tMs, tMs, false);
    const k = cur.seek(tMs);
    if (k !== ValueKind.None && cur.atT() === tMs) {
      return k === ValueKind.Float && sameFloat(v, cur.atF()) ? AppendCode.Ignored : AppendCode.Duplicate;
    }
    return AppendCode.Ok;
  }

  private oooIndex(tMs: number): number {
    let lo = 0,
      hi = this.oooN;
    const ts = this.oooT;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts![mid]! < tMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insertOOO(tMs: number, v: number): void {
    if (!this.oooT || this.oooN === this.oooT.length) {
      const cap = Math.max(8, this.oooN * 2);
      const t = new Float64Array(cap),
        vv = new Float64Array(cap);
      if (this.oooT) {
        t.set(this.oooT.subarray(0, this.oooN));
        vv.set(this.oooV!.subarray(0, this.oooN));
      }
      this.oooT = t;
      this.oooV = vv;
    }
    const i = this.oooIndex(tMs);
    this.oooT.copyWithin(i + 1, i, this.oooN);
    this.oooV!.copyWithin(i + 1, i, this.oooN);
    this.oooT[i] = tMs;
    this.oooV![i] = v;
    this.oooN++;
  }

  /** Drops every chunk whose maxT < beforeMs and OOO samples before it; returns dropped chunks. */
  truncate(beforeMs: number): number {
    let k = 0;
    while (k < this.nChunks && this.meta[k * META + MAX_T]! < beforeMs) k++;
    if (k > 0) {
      this.nChunks -= k;
      // new arrays: readers keep the ones they hold
      this.meta = this.nChunks === 0 ? EMPTY_META : this.meta.slice(k * META, (k + this.nChunks) * META);
      this.slabs = this.nChunks === 0 ? EMPTY_SLABS : this.slabs.slice(k, k + this.nChunks);
    }
    if (this.open && this.nChunks === 0 && this.open.lastT() < beforeMs) {
      this.open = null;
      k++;
    }
    if (this.oooN > 0) {
      const i = this.oooIndex(beforeMs);
      if (i > 0) {
        this.oooT!.copyWithin(0, i, this.oooN);
        this.oooV!.copyWithin(0, i, this.oooN);
        this.oooN -= i;
      }
    }
    return k;
  }

  isEmpty(): boolean {
    return this.nChunks === 0 && this.open === null && this.oooN === 0;
  }

  chunkCount(): number {
    return this.nChunks + (this.open ? 1 : 0);
  }

  /** Bytes of the sealed chunks. */
  sealedBytes(): number {
    let b = 0;
    for (let i = 0; i < this.nChunks; i++) b += this.meta[i * META + END]! - this.meta[i * META + START]!;
    return b;
  }

  /**
   * A snapshot view of the chunks overlapping [mintMs, maxtMs]: sealed chunks are immutable
   * and the open chunk's bytes are copied, so later appends do not disturb the reader.
   */
  chunkList(mintMs: number, maxtMs: number, reuse?: ChunkList): ChunkList {
    const meta = this.meta,
      n = this.nChunks;
    let first = 0;
    while (first < n && meta[first * META + MAX_T]! < mintMs) first++;
    let last = n;
    while (last > first && meta[(last - 1) * META + MIN_T]! > maxtMs) last--;
    const open = this.open && this.openMinT <= maxtMs && this.open.lastT() >= mintMs ? this.open : null;
    return (reuse instanceof HeadChunkList ? reuse : new HeadChunkList()).set(this, first, last, open);
  }

  /**
   * A cursor over [mintMs, maxtMs] merging in-order chunks with the OOO buffer; `reuse` (a
   * cursor of this module the caller is done with) is reset and returned when it fits.
   */
  cursor(mintMs: number, maxtMs: number, withOOO = true, reuse?: SampleCursor): SampleCursor {
    let chunks: ChunkSeqCursor;
    if (reuse instanceof ChunkSeqCursor) {
      chunks = reuse;
      chunks.reset(this.chunkList(mintMs, maxtMs, chunks.chunks()), mintMs, maxtMs);
    } else chunks = new ChunkSeqCursor(this.chunkList(mintMs, maxtMs), mintMs, maxtMs);
    if (!withOOO || this.oooN === 0) return chunks;
    const lo = this.oooIndex(mintMs),
      hi = this.oooIndex(maxtMs + 1);
    if (hi <= lo) return chunks;
    // Copies: later OOO inserts shift the buffers under a live cursor.
    const ts = this.oooT!.slice(lo, hi),
      vs = this.oooV!.slice(lo, hi);
    return new MergeCursor(chunks, new ArrayCursor(ts, vs, ts.length));
  }

  /** Whether the series holds OOO samples in [mintMs, maxtMs]. */
  hasOOO(mintMs: number, maxtMs: number): boolean {
    return this.oooN > 0 && this.oooIndex(mintMs) < this.oooIndex(maxtMs + 1);
  }
}

/** A copy of the chunk's bytes (read straight from a decimal chunk's buffer: no view to copy from). */
function copyBytes(c: DecimalChunk | DistributionChunk): Uint8Array {
  const src = c instanceof DecimalChunk ? c.buf : c.bytes();
  const len = c instanceof DecimalChunk ? c.byteLength() : src.length;
  const o = openCopies.put(src, len);
  return openCopies.slab.subarray(o, o + len);
}

/** HeadSeries.chunkList's view: sealed chunks first..last-1, then the open chunk (copied) if any. */
class HeadChunkList implements ChunkList {
  length = 0;
  private meta: readonly number[] = EMPTY_META;
  private slabs: readonly Uint8Array[] = EMPTY_SLABS;
  private first = 0;
  private m = 0;
  private openBytes: Uint8Array = EMPTY_BYTES;
  private openMin = 0;
  private openMax = 0;
  private openEnc = 0;

  set(s: HeadSeries, first: number, last: number, open: DecimalChunk | DistributionChunk | null): this {
    this.meta = s.meta;
    this.slabs = s.slabs;
    this.first = first;
    this.m = last - first;
    this.length = this.m + (open ? 1 : 0);
    this.openBytes = open ? copyBytes(open) : EMPTY_BYTES;
    this.openMin = s.openMinT;
    this.openMax = open ? open.lastT() : 0;
    this.openEnc = open ? open.encoding : 0;
    return this;
  }

  minT(i: number): number {
    return i < this.m ? this.meta[(this.first + i) * META + MIN_T]! : this.openMin;
  }
  maxT(i: number): number {
    return i < this.m ? this.meta[(this.first + i) * META + MAX_T]! : this.openMax;
  }
  encoding(i: number): number {
    return i < this.m ? this.meta[(this.first + i) * META + ENC]! : this.openEnc;
  }
  bytes(i: number): Uint8Array {
    if (i >= this.m) return this.openBytes;
    const j = this.first + i,
      meta = this.meta;
    return this.slabs[j]!.subarray(meta[j * META + START]!, meta[j * META + END]!);
  }
}
