// Ranged block index: index file version 2 (docs/format/block.md, "index, version 2"). Unlike
// version 1 (one brotli stream), every part a query needs can be read by byte range, as the
// Prometheus/Thanos index-header design needs: a fixed 32-byte TOC at the end of the file
// locates the "index header" (brotli: symbols, the postings offset table, the series entry
// sizes), which a bucket reader fetches and keeps; postings lists and series entries are then
// read one by one by range, each carrying its own CRC32C.
//
//   header   magic u32 "CNIZ" | version u8 = 2 | 3 zero bytes
//   series   per series id (label order): entry | crc32c(entry) u32
//   postings per label pair (name, value order): n uvarint | n × id delta uvarint | crc32c u32
//   index header  brotli(symbols | postings table | series sizes)
//   TOC      postingsOff u32 | headerOff u32 | headerBytes u32 | headerRawBytes u32 | nSeries u32 |
//            headerCrc u32 | magic u32 "CNIT" | crc32c u32 of the 28 bytes before
//
// Invariants checked: TOC magic and CRC, header CRC, section offsets ordered and consistent with
// the file size, every entry's CRC, symbol refs in range, posting ids strictly increasing and
// < nSeries, every count fitting in its bytes. Any violation is CanopyError('corrupt').
import { brotliCompressSync, brotliDecompressSync, constants as zc } from 'node:zlib';
import { CanopyError } from '../../shared/errors.ts';
import type { Label } from '../../shared/labels.ts';
import type { Matcher } from '../../shared/matchers.ts';
import { crc32c } from '../wal/index.ts';
import { ByteReader, ByteWriter } from './byte-buf.ts';
import { EMPTY_POSTINGS, postingsForMatchers, type PostingsIndex } from './postings.ts';
import { indexSymbols, type ChunkRef, type IndexSeries } from './block-index.ts';

export const RANGED_INDEX_FILE_MAGIC = 0x5a494e43; // "CNIZ", as version 1
export const RANGED_INDEX_VERSION = 2;
export const RANGED_TOC_BYTES = 32;
const TOC_MAGIC = 0x54494e43; // "CNIT" little-endian
const SERIES_OFF = 8;
/** Brotli quality 6 for the header, as for version 1's whole index. */
const HEADER_BROTLI_QUALITY = 6;

export interface RangedToc {
  /** Bytes of the whole index file. */
  fileBytes: number;
  postingsOff: number;
  headerOff: number;
  headerBytes: number;
  headerRawBytes: number;
  nSeries: number;
  headerCrc: number;
}

/** Encodes index file version 2 from series already sorted by labels. */
export function encodeRangedIndexFile(series: readonly IndexSeries[]): Uint8Array {
  const { symbols, symId } = indexSymbols(series);
  const w = new ByteWriter(1 << 16);
  w.u32(RANGED_INDEX_FILE_MAGIC);
  w.u8(RANGED_INDEX_VERSION);
  w.u8(0);
  w.u8(0);
  w.u8(0);
  const seriesSizes = new Array<number>(series.length);
  const postings = new Map<string, Map<string, number[]>>();
  series.forEach((s, id) => {
    const start = w.len;
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
    let prevMax = 0,
      prevSeg = 0,
      prevEnd = 0;
    for (const c of s.chunks) {
      w.varint(c.minT - prevMax);
      w.uvarint(c.maxT - c.minT);
      w.u8(c.encoding);
      w.uvarint(c.seg);
      // A series' chunks sit one after another in a chunk file: the offset is a small delta.
      w.varint(c.off - (c.seg === prevSeg ? prevEnd : 0));
      w.uvarint(c.len);
      prevMax = c.maxT;
      prevSeg = c.seg;
      prevEnd = c.off + c.len;
    }
    w.u32(crc32c(w.buf, start, w.len));
    seriesSizes[id] = w.len - start;
  });
  const postingsOff = w.len;
  const h = new ByteWriter(1 << 14);
  const enc = new TextEncoder();
  h.uvarint(symbols.length);
  for (const s of symbols) {
    const b = enc.encode(s);
    h.uvarint(b.length);
    h.bytes(b);
  }
  let pairs = 0;
  for (const m of postings.values()) pairs += m.size;
  h.uvarint(pairs);
  for (const name of [...postings.keys()].sort()) {
    const m = postings.get(name)!;
    for (const value of [...m.keys()].sort()) {
      const ids = m.get(value)!;
      const start = w.len;
      w.uvarint(ids.length);
      let prev = 0;
      for (const id of ids) {
        w.uvarint(id - prev);
        prev = id;
      }
      w.u32(crc32c(w.buf, start, w.len));
      h.uvarint(symId.get(name)!);
      h.uvarint(symId.get(value)!);
      h.uvarint(w.len - start);
    }
  }
  h.uvarint(series.length);
  for (const n of seriesSizes) h.uvarint(n);
  const raw = h.view();
  const z = brotliCompressSync(raw, {
    params: { [zc.BROTLI_PARAM_QUALITY]: HEADER_BROTLI_QUALITY, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  const headerOff = w.len;
  w.bytes(z);
  const tocStart = w.len;
  w.u32(postingsOff);
  w.u32(headerOff);
  w.u32(z.length);
  w.u32(raw.length);
  w.u32(series.length);
  w.u32(crc32c(z));
  w.u32(TOC_MAGIC);
  w.u32(crc32c(w.buf, tocStart, w.len));
  return w.view().slice();
}

/**
 * The TOC from the last RANGED_TOC_BYTES of an index file of fileBytes bytes, or null when
 * those bytes are not a version 2 TOC (a version 1 file). A TOC whose magic and CRC check but
 * whose offsets do not fit the file is corrupt.
 */
export function parseRangedToc(tail: Uint8Array, fileBytes: number): RangedToc | null {
  if (tail.length < RANGED_TOC_BYTES || fileBytes < SERIES_OFF + RANGED_TOC_BYTES) return null;
  const r = new ByteReader(tail, tail.length - RANGED_TOC_BYTES, tail.length, 'index TOC');
  const postingsOff = r.u32(),
    headerOff = r.u32(),
    headerBytes = r.u32(),
    headerRawBytes = r.u32(),
    nSeries = r.u32(),
    headerCrc = r.u32(),
    magic = r.u32(),
    crc = r.u32();
  if (magic !== TOC_MAGIC || crc !== crc32c(tail, tail.length - RANGED_TOC_BYTES, tail.length - 4))
    return null;
  if (!(
    SERIES_OFF <= postingsOff &&
    postingsOff <= headerOff &&
    headerOff + headerBytes + RANGED_TOC_BYTES === fileBytes
  )) {
    throw new CanopyError(
      'corrupt',
      `cannot read index: TOC offsets (postings ${postingsOff}, header ${headerOff}+${headerBytes}) do not fit a ${fileBytes}-byte file`,
    );
  }
  return { fileBytes, postingsOff, headerOff, headerBytes, headerRawBytes, nSeries, headerCrc };
}

/**
 * The index header: symbols, where each label pair's postings list and each series entry sit.
 * Decoded from the bytes [headerOff, headerOff + headerBytes) of the file.
 */
export class IndexHeader {
  readonly symbols: string[];
  /** name → value → pair number (position in the postings table). */
  private readonly pairs = new Map<string, Map<string, number>>();
  /** File offset of pair i's postings list; entry nPairs is the end of the last one. */
  private readonly postingsAt: Uint32Array;
  /** File offset of series i's entry; entry nSeries is the end of the last one. */
  private readonly seriesAt: Uint32Array;

  constructor(
    readonly toc: RangedToc,
    z: Uint8Array,
  ) {
    if (z.length !== toc.headerBytes)
      throw new CanopyError(
        'corrupt',
        `cannot read index header: ${z.length} bytes, TOC says ${toc.headerBytes}`,
      );
    const got = crc32c(z);
    if (got !== toc.headerCrc)
      throw new CanopyError(
        'corrupt',
        `cannot read index header: crc ${got.toString(16)} != ${toc.headerCrc.toString(16)}`,
      );
    let raw: Buffer;
    try {
      raw = brotliDecompressSync(z, { maxOutputLength: toc.headerRawBytes });
    } catch (e) {
      throw new CanopyError('corrupt', `cannot decompress index header: ${String(e)}`, { cause: e });
    }
    if (raw.length !== toc.headerRawBytes)
      throw new CanopyError(
        'corrupt',
        `cannot read index header: ${raw.length} bytes decompressed, TOC says ${toc.headerRawBytes}`,
      );
    const r = new ByteReader(raw, 0, raw.length, 'index header');
    const dec = new TextDecoder('utf-8', { fatal: false });
    const ns = r.count(1);
    this.symbols = new Array<string>(ns);
    for (let i = 0; i < ns; i++) this.symbols[i] = dec.decode(r.bytes(r.uvarint()));
    const np = r.count(3);
    this.postingsAt = new Uint32Array(np + 1);
    let at = toc.postingsOff;
    for (let i = 0; i < np; i++) {
      const name = this.sym(r.uvarint()),
        value = this.sym(r.uvarint());
      let m = this.pairs.get(name);
      if (!m) this.pairs.set(name, (m = new Map()));
      m.set(value, i);
      this.postingsAt[i] = at;
      at += r.uvarint();
    }
    if (at !== toc.headerOff)
      throw new CanopyError(
        'corrupt',
        `cannot read index header: postings lists end at ${at}, the header starts at ${toc.headerOff}`,
      );
    this.postingsAt[np] = at;
    const n = r.count(1);
    if (n !== toc.nSeries)
      throw new CanopyError('corrupt', `cannot read index header: ${n} series, TOC says ${toc.nSeries}`);
    this.seriesAt = new Uint32Array(n + 1);
    at = SERIES_OFF;
    for (let i = 0; i < n; i++) {
      this.seriesAt[i] = at;
      at += r.uvarint();
    }
    if (at !== toc.postingsOff)
      throw new CanopyError(
        'corrupt',
        `cannot read index header: series entries end at ${at}, postings start at ${toc.postingsOff}`,
      );
    this.seriesAt[n] = at;
    if (r.pos !== raw.length)
      throw new CanopyError('corrupt', `cannot read index header: ${raw.length - r.pos} trailing bytes`);
  }

  sym(id: number): string {
    const s = this.symbols[id];
    if (s === undefined)
      throw new CanopyError('corrupt', `cannot read index: symbol ${id} of ${this.symbols.length}`);
    return s;
  }

  get numSeries(): number {
    return this.seriesAt.length - 1;
  }

  get numPairs(): number {
    return this.postingsAt.length - 1;
  }

  /** Bytes the decoded header holds in memory (roughly). */
  get memoryBytes(): number {
    return this.toc.headerRawBytes * 2 + this.postingsAt.byteLength + this.seriesAt.byteLength;
  }

  /** Pair number of name=value, or -1. */
  pair(name: string, value: string): number {
    return this.pairs.get(name)?.get(value) ?? -1;
  }

  /** [offset, bytes] of pair p's postings list. */
  postingsRange(p: number): [number, number] {
    const a = this.postingsAt[p],
      b = this.postingsAt[p + 1];
    if (a === undefined || b === undefined)
      throw new CanopyError(
        'corrupt',
        `cannot read index: postings list ${p} of ${this.postingsAt.length - 1}`,
      );
    return [a, b - a];
  }

  /** [offset, bytes] of series id's entry. */
  seriesRange(id: number): [number, number] {
    const a = this.seriesAt[id],
      b = this.seriesAt[id + 1];
    if (a === undefined || b === undefined)
      throw new CanopyError('corrupt', `cannot read index: series ${id} of ${this.numSeries}`);
    return [a, b - a];
  }

  valuesOf(name: string): Iterable<string> {
    return this.pairs.get(name)?.keys() ?? [];
  }

  labelNames(): string[] {
    return [...this.pairs.keys()];
  }
}

/** The header of a whole version 2 index file (local blocks, downloaded rollup blocks). */
export function readRangedHeader(file: Uint8Array): IndexHeader | null {
  const toc = parseRangedToc(file, file.length);
  if (toc === null) return null;
  return new IndexHeader(toc, file.subarray(toc.headerOff, toc.headerOff + toc.headerBytes));
}

function checkedBody(b: Uint8Array, what: string, crcChecked = false): ByteReader {
  if (b.length < 5) throw new CanopyError('corrupt', `cannot read ${what}: ${b.length} bytes is too short`);
  if (crcChecked) return new ByteReader(b, 0, b.length - 4, what);
  const want =
    (b[b.length - 4]! | (b[b.length - 3]! << 8) | (b[b.length - 2]! << 16) | (b[b.length - 1]! << 24)) >>> 0;
  const got = crc32c(b, 0, b.length - 4);
  if (got !== want)
    throw new CanopyError('corrupt', `cannot read ${what}: crc ${got.toString(16)} != ${want.toString(16)}`);
  return new ByteReader(b, 0, b.length - 4, what);
}

/** Decodes one postings list (its bytes with the CRC) of an index of nSeries series. */
export function decodePostingsList(
  b: Uint8Array,
  nSeries: number,
  what: string,
  crcChecked = false,
): Uint32Array {
  const r = checkedBody(b, what, crcChecked);
  const n = r.count(1);
  const out = new Uint32Array(n);
  let id = 0;
  for (let i = 0; i < n; i++) {
    id += r.uvarint();
    if (id >= nSeries || (i > 0 && id === out[i - 1]))
      throw new CanopyError('corrupt', `cannot read ${what}: posting ${id} of ${nSeries} series`);
    out[i] = id;
  }
  if (r.pos !== r.end)
    throw new CanopyError('corrupt', `cannot read ${what}: ${r.end - r.pos} trailing bytes`);
  return out;
}

/** Decodes one series entry (its bytes with the CRC). */
export function decodeSeriesEntry(
  b: Uint8Array,
  h: IndexHeader,
  what: string,
  crcChecked = false,
): IndexSeries {
  const r = checkedBody(b, what, crcChecked);
  const nl = r.count(2);
  const labels: Label[] = new Array(nl);
  for (let i = 0; i < nl; i++) labels[i] = { name: h.sym(r.uvarint()), value: h.sym(r.uvarint()) };
  const nc = r.count(6);
  const chunks: ChunkRef[] = new Array(nc);
  let prevMax = 0,
    prevSeg = 0,
    prevEnd = 0;
  for (let i = 0; i < nc; i++) {
    const minT = prevMax + r.varint();
    const maxT = minT + r.uvarint();
    const encoding = r.u8(),
      seg = r.uvarint();
    const off = (seg === prevSeg ? prevEnd : 0) + r.varint(),
      len = r.uvarint();
    if (off < 0) throw new CanopyError('corrupt', `cannot read ${what}: chunk offset ${off}`);
    chunks[i] = { minT, maxT, encoding, seg, off, len };
    prevMax = maxT;
    prevSeg = seg;
    prevEnd = off + len;
  }
  if (r.pos !== r.end)
    throw new CanopyError('corrupt', `cannot read ${what}: ${r.end - r.pos} trailing bytes`);
  return { labels, chunks };
}

/**
 * Reads the bytes of one postings list (kind 'p', pair number i) or series entry (kind 's',
 * series id i) at [off, off+len) of the index file; throws when they are not available.
 */
export type IndexRangeRead = (kind: 'p' | 's', i: number, off: number, len: number) => Uint8Array;

/** A version 2 index read through its header and a range reader (whole file, or bucket cache). */
export class RangedIndexReader implements PostingsIndex {
  private allCache: Uint32Array | null = null;
  /** verify() passed: the bytes are in memory and every CRC was checked; reads skip it. */
  private verified = false;

  constructor(
    readonly header: IndexHeader,
    private readonly read: IndexRangeRead,
    /** Bytes held in memory (the whole file for a local block). */
    readonly byteLength: number,
  ) {}

  numSeries(): number {
    return this.header.numSeries;
  }

  /**
   * Checks the CRC of every series entry and postings list (a whole file opened locally: as
   * version 1's whole-file CRC, so a damaged local block is skipped at open, not mid-query).
   */
  verify(): this {
    for (let id = 0; id < this.header.numSeries; id++) {
      const [off, len] = this.header.seriesRange(id);
      checkedBody(this.read('s', id, off, len), `index series ${id} at ${off}`);
    }
    for (let p = 0; p < this.header.numPairs; p++) {
      const [off, len] = this.header.postingsRange(p);
      checkedBody(this.read('p', p, off, len), `index postings list ${p} at ${off}`);
    }
    this.verified = true;
    return this;
  }

  /** verify() in slices of at most ~sliceMs, yielding to the event loop between them (block opens on the request thread). */
  async verifyAsync(sliceMs = 1): Promise<this> {
    let t0 = performance.now();
    const step = async (): Promise<void> => {
      if (performance.now() - t0 < sliceMs) return;
      await new Promise((r) => setImmediate(r));
      t0 = performance.now();
    };
    for (let id = 0; id < this.header.numSeries; id++) {
      const [off, len] = this.header.seriesRange(id);
      checkedBody(this.read('s', id, off, len), `index series ${id} at ${off}`);
      if ((id & 255) === 0) await step();
    }
    for (let p = 0; p < this.header.numPairs; p++) {
      const [off, len] = this.header.postingsRange(p);
      checkedBody(this.read('p', p, off, len), `index postings list ${p} at ${off}`);
      if ((p & 255) === 0) await step();
    }
    this.verified = true;
    return this;
  }

  series(id: number): IndexSeries {
    const [off, len] = this.header.seriesRange(id);
    return decodeSeriesEntry(
      this.read('s', id, off, len),
      this.header,
      `index series ${id} at ${off}`,
      this.verified,
    );
  }

  postings(name: string, value: string): Uint32Array {
    const p = this.header.pair(name, value);
    if (p < 0) return EMPTY_POSTINGS;
    const [off, len] = this.header.postingsRange(p);
    return decodePostingsList(
      this.read('p', p, off, len),
      this.header.numSeries,
      `index postings for ${name}=${JSON.stringify(value)} at ${off}`,
      this.verified,
    );
  }

  allPostings(): Uint32Array {
    if (!this.allCache) {
      this.allCache = new Uint32Array(this.header.numSeries);
      for (let i = 0; i < this.allCache.length; i++) this.allCache[i] = i;
    }
    return this.allCache;
  }

  valuesOf(name: string): Iterable<string> {
    return this.header.valuesOf(name);
  }

  select(ms: readonly Matcher[]): Uint32Array {
    return postingsForMatchers(this, ms);
  }

  labelNames(ms?: readonly Matcher[]): string[] {
    if (!ms || ms.length === 0) return this.header.labelNames();
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
