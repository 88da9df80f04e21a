// Block index file (docs/format/block.md): symbols, series (label symbol refs + chunk refs),
// postings per label pair, a series offset table and a fixed TOC with a CRC32C over the file.
// Series ids are positions in label order, so postings order is label order. The reader
// validates magic, version and CRC at open and bounds-checks every later decode.
// Index file version 1 is this index in one brotli stream; blocks written now carry version 2
// (ranged-index.ts), which a bucket reader can read by ranges. readIndexFile reads both.
import { CanopyError } from '../../shared/errors.ts';
import { compareLabels, type Label, type Labels } from '../../shared/labels.ts';
import type { Matcher } from '../../shared/matchers.ts';
import { brotliCompressSync, brotliDecompress, brotliDecompressSync, constants as zc } from 'node:zlib';
import { promisify } from 'node:util';
import { crc32c } from '../wal/index.ts';
import { ByteReader, ByteWriter } from './byte-buf.ts';
import { EMPTY_POSTINGS, postingsForMatchers, type PostingsIndex } from './postings.ts';
import {
  encodeRangedIndexFile,
  RANGED_INDEX_VERSION,
  RangedIndexReader,
  readRangedHeader,
} from './ranged-index.ts';

export const INDEX_MAGIC = 0x58494e43; // "CNIX" little-endian
export const INDEX_VERSION = 1;
/** The index file: the index above, brotli-compressed behind its own 8-byte header. */
export const INDEX_FILE_MAGIC = 0x5a494e43; // "CNIZ" little-endian
export const INDEX_FILE_VERSION = 1;
/** Brotli quality 6: ~3.5× smaller index at ~15 MB/s; higher levels gain < 1% for 5× the time. */
const INDEX_BROTLI_QUALITY = 6;
const TOC_BYTES = 24;
const brotliDecompressAsync = promisify(brotliDecompress);

/** Where a chunk lives in the block's chunk files. */
export interface ChunkRef {
  minT: number;
  maxT: number;
  encoding: number;
  /** Chunk file number (1-based: chunks/000001). */
  seg: number;
  /** Byte offset of the chunk data in that file. */
  off: number;
  len: number;
}

export interface IndexSeries {
  labels: Labels;
  chunks: ChunkRef[];
}

/**
 * The symbol table of an index (every label name and value, sorted) and each symbol's id, for
 * series already sorted by labels (checked: both index versions are written from it).
 */
export function indexSymbols(series: readonly IndexSeries[]): {
  symbols: string[];
  symId: Map<string, number>;
} {
  for (let i = 1; i < series.length; i++) {
    if (compareLabels(series[i - 1]!.labels, series[i]!.labels) >= 0)
      throw new CanopyError('internal', `cannot write index: series ${i} out of label order`);
  }
  const symSet = new Set<string>();
  for (const s of series) for (const l of s.labels) symSet.add(l.name).add(l.value);
  const symbols = [...symSet].sort();
  const symId = new Map(symbols.map((s, i) => [s, i]));
  return { symbols, symId };
}

/** Encodes an index from series already sorted by labels. */
export function encodeIndex(series: readonly IndexSeries[]): Uint8Array {
  const { symbols, symId } = indexSymbols(series);
  const w = new ByteWriter(1 << 16);
  w.u32(INDEX_MAGIC);
  w.u8(INDEX_VERSION);
  w.u8(0);
  w.u8(0);
  w.u8(0);
  const symOff = w.len;
  const enc = new TextEncoder();
  w.uvarint(symbols.length);
  for (const s of symbols) {
    const b = enc.encode(s);
    w.uvarint(b.length);
    w.bytes(b);
  }
  const seriesOff = w.len;
  const offsets = new Uint32Array(series.length);
  const postings = new Map<string, Map<string, number[]>>();
  series.forEach((s, id) => {
    offsets[id] = w.len;
    w.uvarint(s.labels.length);
    for (const l of s.labels) {
      w.uvarint(symId.get(l.name)!);
      w.uvarint(symId.get(l.value)!);
      let m = postings.get(l.name);
      if (!m) postings.set(l.name, (m = new Map()));
      let p = m.get(l.value);
      if (!p) m.set(l.value, (p = []));
      p.push(id);
    }
    w.uvarint(s.chunks.length);
    let prevMax = 0;
    for (const c of s.chunks) {
      w.varint(c.minT - prevMax);
      w.uvarint(c.maxT - c.minT);
      w.u8(c.encoding);
      w.uvarint(c.seg);
      w.uvarint(c.off);
      w.uvarint(c.len);
      prevMax = c.maxT;
    }
  });
  const postOff = w.len;
  let pairs = 0;
  for (const m of postings.values()) pairs += m.size;
  w.uvarint(pairs);
  for (const name of [...postings.keys()].sort()) {
    const m = postings.get(name)!;
    for (const value of [...m.keys()].sort()) {
      const ids = m.get(value)!;
      w.uvarint(symId.get(name)!);
      w.uvarint(symId.get(value)!);
      w.uvarint(ids.length);
      let prev = 0;
      for (const id of ids) {
        w.uvarint(id - prev);
        prev = id;
      }
    }
  }
  const offsOff = w.len;
  for (const o of offsets) w.u32(o);
  w.u32(symOff);
  w.u32(seriesOff);
  w.u32(postOff);
  w.u32(offsOff);
  w.u32(series.length);
  w.u32(crc32c(w.buf, 0, w.len));
  return w.view().slice();
}

/** What a block reads its index through: version 1 (IndexReader) or 2 (RangedIndexReader). */
export type BlockIndexReader = Pick<
  IndexReader,
  | 'byteLength'
  | 'numSeries'
  | 'series'
  | 'postings'
  | 'allPostings'
  | 'valuesOf'
  | 'select'
  | 'labelNames'
  | 'labelValues'
>;

/** The bytes of an index file as blocks are written now: version 2 (ranged-index.ts). */
export function encodeIndexFile(series: readonly IndexSeries[]): Uint8Array {
  return encodeRangedIndexFile(series);
}

/** The bytes of an index file version 1: header + brotli(encodeIndex(series)) (older blocks; tests). */
export function encodeIndexFileV1(series: readonly IndexSeries[]): Uint8Array {
  return compressIndex(encodeIndex(series));
}

/** The version-1 index file of an encoded index (encodeIndex's bytes). */
export function compressIndex(raw: Uint8Array): Uint8Array {
  const z = brotliCompressSync(raw, {
    params: { [zc.BROTLI_PARAM_QUALITY]: INDEX_BROTLI_QUALITY, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  const out = new Uint8Array(8 + z.length);
  new DataView(out.buffer).setUint32(0, INDEX_FILE_MAGIC, true);
  out[4] = INDEX_FILE_VERSION;
  out.set(z, 8);
  return out;
}

/** The version of an index file: 1 (one brotli stream), 2 (ranged), or 0 for a bare index; an unknown version throws. */
function indexFileVersion(b: Uint8Array): 0 | 1 | 2 {
  if (!(b.length >= 8 && new DataView(b.buffer, b.byteOffset, 8).getUint32(0, true) === INDEX_FILE_MAGIC))
    return 0;
  if (b[4] === RANGED_INDEX_VERSION) return 2;
  if (b[4] !== INDEX_FILE_VERSION)
    throw new CanopyError('corrupt', `cannot read index file: unsupported version ${b[4]}`);
  return 1;
}

function rangedReader(b: Uint8Array): RangedIndexReader {
  const h = readRangedHeader(b);
  if (h === null)
    throw new CanopyError(
      'corrupt',
      `cannot read index file: version 2 without a valid TOC (${b.length} bytes)`,
    );
  return new RangedIndexReader(h, (_k, _i, off, len) => b.subarray(off, off + len), b.length);
}

/**
 * readIndexFile without holding the event loop: version 2 verified in slices; version 1
 * decompressed on libuv's pool and parsed in slices (block opens and bucket index loads on the
 * request thread).
 */
export async function readIndexFileAsync(b: Uint8Array): Promise<BlockIndexReader> {
  const v = indexFileVersion(b);
  if (v === 2) return rangedReader(b).verifyAsync();
  if (v === 0) return parseIndexAsync(b);
  let raw: Buffer;
  try {
    raw = await brotliDecompressAsync(b.subarray(8), { maxOutputLength: 2 ** 31 - 1 });
  } catch (e) {
    throw new CanopyError('corrupt', `cannot decompress index file: ${String(e)}`, { cause: e });
  }
  return parseIndexAsync(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
}

/** Opens an index file (version 2, version 1, or a bare index). */
export function readIndexFile(b: Uint8Array): BlockIndexReader {
  const v = indexFileVersion(b);
  if (v === 2) return rangedReader(b).verify();
  if (v === 1) {
    let raw: Buffer;
    try {
      raw = brotliDecompressSync(b.subarray(8), { maxOutputLength: 2 ** 31 - 1 });
    } catch (e) {
      throw new CanopyError('corrupt', `cannot decompress index file: ${String(e)}`, { cause: e });
    }
    return new IndexReader(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
  }
  return new IndexReader(b);
}

/** What an index parse finds (IndexReader's tables). */
interface IndexParts {
  symbols: string[];
  offsets: Uint32Array;
  postingsAt: Map<string, NamePostings>;
  seriesEnd: number;
}

/**
 * One label name's postings table: its values' symbol ids ascending (the file lists pairs by
 * name, then value, and symbols are sorted), each with its list's byte offset and length. Typed
 * arrays, 12 bytes a pair: a Map entry and tuple per pair cost ~100 bytes of heap in every
 * block held open (under series churn, most pairs are pod names and uids).
 */
interface NamePostings {
  valueIds: Uint32Array;
  at: Uint32Array;
  counts: Uint32Array;
}

/** Bytes CRC-checked, symbols, offsets or postings entries per parse step (each well under 1 ms). */
const PARSE_STEP_BYTES = 1 << 17;
const PARSE_STEP_ITEMS = 2048;

/**
 * Validates and parses an index as steps (a yield between slices of work), so a request thread
 * can parse a large new block's index in slices (parseIndexAsync) instead of one long piece.
 */
function* parseIndex(b: Uint8Array): Generator<void, IndexParts> {
  if (b.length < 8 + TOC_BYTES)
    throw new CanopyError('corrupt', `cannot read index: ${b.length} bytes is too short`);
  const toc = new ByteReader(b, b.length - TOC_BYTES);
  const symOff = toc.u32(),
    seriesOff = toc.u32(),
    postOff = toc.u32(),
    offsOff = toc.u32(),
    n = toc.u32(),
    crc = toc.u32();
  const head = new ByteReader(b, 0);
  if (head.u32() !== INDEX_MAGIC) throw new CanopyError('corrupt', 'cannot read index: bad magic');
  const ver = head.u8();
  if (ver !== INDEX_VERSION)
    throw new CanopyError('corrupt', `cannot read index: unsupported version ${ver}`);
  let got = 0;
  for (let at = 0; at < b.length - 4; at += PARSE_STEP_BYTES) {
    got = crc32c(b, at, Math.min(at + PARSE_STEP_BYTES, b.length - 4), got);
    yield;
  }
  if (got !== crc)
    throw new CanopyError('corrupt', `cannot read index: crc ${got.toString(16)} != ${crc.toString(16)}`);
  const tocStart = b.length - TOC_BYTES;
  if (!(
    8 <= symOff &&
    symOff <= seriesOff &&
    seriesOff <= postOff &&
    postOff <= offsOff &&
    offsOff + n * 4 === tocStart
  )) {
    throw new CanopyError('corrupt', 'cannot read index: inconsistent section offsets');
  }
  const r = new ByteReader(b, symOff, seriesOff);
  const dec = new TextDecoder('utf-8', { fatal: false });
  const ns = r.count(1);
  const symbols = new Array<string>(ns);
  for (let i = 0; i < ns; i++) {
    symbols[i] = dec.decode(r.bytes(r.uvarint()));
    if (i % PARSE_STEP_ITEMS === PARSE_STEP_ITEMS - 1) yield;
  }
  const sym = (id: number): string => symbols[id] ?? corruptSymbol(id, symbols.length);
  const offs = new ByteReader(b, offsOff, tocStart);
  const offsets = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const o = offs.u32();
    if (o < seriesOff || o >= postOff)
      throw new CanopyError(
        'corrupt',
        `cannot read index: series ${i} offset ${o} outside the series section`,
      );
    offsets[i] = o;
  }
  yield;
  for (let i = 1; i < ns; i++)
    if (!(symbols[i - 1]! < symbols[i]!))
      throw new CanopyError('corrupt', `cannot read index: symbols not sorted at ${i}`);
  yield;
  const postingsAt = new Map<string, NamePostings>();
  const p = new ByteReader(b, postOff, offsOff);
  const pairs = p.count(3);
  let work = 0;
  let curName = -1,
    vals: number[] = [],
    ats: number[] = [],
    cnts: number[] = [];
  const flush = (): void => {
    if (curName < 0) return;
    postingsAt.set(sym(curName), {
      valueIds: Uint32Array.from(vals),
      at: Uint32Array.from(ats),
      counts: Uint32Array.from(cnts),
    });
    vals = [];
    ats = [];
    cnts = [];
  };
  for (let i = 0; i < pairs; i++) {
    const nameId = p.uvarint(),
      valueId = p.uvarint();
    sym(valueId);
    const cnt = p.count(1);
    if (nameId !== curName) {
      if (nameId < curName || postingsAt.has(sym(nameId)))
        throw new CanopyError('corrupt', `cannot read index: postings of ${sym(nameId)} out of order`);
      flush();
      curName = nameId;
    } else if (valueId <= vals[vals.length - 1]!)
      throw new CanopyError('corrupt', `cannot read index: postings values of ${sym(nameId)} out of order`);
    vals.push(valueId);
    ats.push(p.pos);
    cnts.push(cnt);
    for (let j = 0; j < cnt; j++) p.uvarint();
    work += 1 + (cnt >> 3);
    if (work >= PARSE_STEP_ITEMS) {
      work = 0;
      yield;
    }
  }
  flush();
  return { symbols, offsets, postingsAt, seriesEnd: postOff };
}

function corruptSymbol(id: number, n: number): never {
  throw new CanopyError('corrupt', `cannot read index: symbol ${id} of ${n}`);
}

/**
 * Parses an index on the calling thread in slices of at most ~sliceMs, yielding to the event
 * loop between them (the request thread opening a block just written by the worker).
 */
export async function parseIndexAsync(b: Uint8Array, sliceMs = 1): Promise<IndexReader> {
  const steps = parseIndex(b);
  let t0 = performance.now();
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return new IndexReader(b, r.value);
    if (performance.now() - t0 >= sliceMs) {
      await new Promise((res) => setImmediate(res));
      t0 = performance.now();
    }
  }
}

export class IndexReader implements PostingsIndex {
  readonly symbols: string[];
  private readonly offsets: Uint32Array;
  /** name → its postings table (values by symbol id → byte offset of the first delta, count). */
  private readonly postingsAt: Map<string, NamePostings>;
  private readonly seriesEnd: number;
  private allCache: Uint32Array | null = null;

  constructor(
    private readonly b: Uint8Array,
    parts?: IndexParts,
  ) {
    if (!parts) {
      const steps = parseIndex(b);
      for (let r = steps.next(); ; r = steps.next()) {
        if (r.done) {
          parts = r.value;
          break;
        }
      }
    }
    this.symbols = parts.symbols;
    this.offsets = parts.offsets;
    this.postingsAt = parts.postingsAt;
    this.seriesEnd = parts.seriesEnd;
  }

  private sym(id: number): string {
    const s = this.symbols[id];
    if (s === undefined)
      throw new CanopyError('corrupt', `cannot read index: symbol ${id} of ${this.symbols.length}`);
    return s;
  }

  get byteLength(): number {
    return this.b.length;
  }

  numSeries(): number {
    return this.offsets.length;
  }

  series(id: number): IndexSeries {
    const o = this.offsets[id];
    if (o === undefined)
      throw new CanopyError('corrupt', `cannot read index: series ${id} of ${this.offsets.length}`);
    const r = new ByteReader(this.b, o, this.seriesEnd);
    const nl = r.count(2);
    const labels: Label[] = new Array(nl);
    for (let i = 0; i < nl; i++) labels[i] = { name: this.sym(r.uvarint()), value: this.sym(r.uvarint()) };
    const nc = r.count(6);
    const chunks: ChunkRef[] = new Array(nc);
    let prevMax = 0;
    for (let i = 0; i < nc; i++) {
      const minT = prevMax + r.varint();
      const maxT = minT + r.uvarint();
      chunks[i] = { minT, maxT, encoding: r.u8(), seg: r.uvarint(), off: r.uvarint(), len: r.uvarint() };
      prevMax = maxT;
    }
    return { labels, chunks };
  }

  /** The symbol id of str, -1 when absent (symbols are sorted: a binary search). */
  private symbolId(str: string): number {
    const sy = this.symbols;
    let lo = 0,
      hi = sy.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sy[mid]! < str) lo = mid + 1;
      else hi = mid;
    }
    return lo < sy.length && sy[lo] === str ? lo : -1;
  }

  postings(name: string, value: string): Uint32Array {
    const t = this.postingsAt.get(name);
    if (!t) return EMPTY_POSTINGS;
    const vid = this.symbolId(value);
    if (vid < 0) return EMPTY_POSTINGS;
    const v = t.valueIds;
    let lo = 0,
      hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v[mid]! < vid) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= v.length || v[lo] !== vid) return EMPTY_POSTINGS;
    const cnt = t.counts[lo]!;
    const r = new ByteReader(this.b, t.at[lo]!, this.b.length);
    const out = new Uint32Array(cnt);
    let id = 0;
    for (let i = 0; i < cnt; i++) {
      id += r.uvarint();
      if (id >= this.offsets.length || (i > 0 && id === out[i - 1]))
        throw new CanopyError('corrupt', `cannot read index: posting ${id} for ${name}=${value}`);
      out[i] = id;
    }
    return out;
  }

  allPostings(): Uint32Array {
    if (!this.allCache) {
      this.allCache = new Uint32Array(this.offsets.length);
      for (let i = 0; i < this.allCache.length; i++) this.allCache[i] = i;
    }
    return this.allCache;
  }

  valuesOf(name: string): Iterable<string> {
    const t = this.postingsAt.get(name);
    if (!t) return [];
    const out = new Array<string>(t.valueIds.length);
    for (let i = 0; i < out.length; i++) out[i] = this.symbols[t.valueIds[i]!]!;
    return out;
  }

  select(ms: readonly Matcher[]): Uint32Array {
    return postingsForMatchers(this, ms);
  }

  labelNames(ms?: readonly Matcher[]): string[] {
    if (!ms || ms.length === 0) return [...this.postingsAt.keys()];
    const set = new Set<string>();
    for (const id of this.select(ms)) for (const l of this.series(id).labels) set.add(l.name);
    return [...set];
  }

  labelValues(name: string, ms?: readonly Matcher[]): string[] {
    if (!ms || ms.length === 0) return [...this.valuesOf(name)];
    const set = new Set<string>();
    for (const id of this.select(ms))
      for (const l of this.series(id).labels) if (l.name === name) set.add(l.value);
    return [...set];
  }
}
