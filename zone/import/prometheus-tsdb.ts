// Backfill from a Prometheus 2.x data directory: every block (a ULID directory with meta.json,
// index, chunks/) becomes a Canopy block over the same [minTime, maxTime). The facts used, from
// prometheus/tsdb/docs/format (index.md, chunks.md, tombstones.md):
//
// index (v2; big-endian fixed-width integers):
//   magic u32 0xBAAAD700 | version u8 = 2
//   symbols:  len u32 | count u32 | (len uvarint, bytes)* | crc32        ref = position (v2)
//   series:   16-byte aligned, series ref = offset / 16:
//             len uvarint | nLabels uvarint | (name ref, value ref uvarint)* | nChunks uvarint |
//             first: mint varint, maxt-mint uvarint, chunk ref uvarint |
//             next:  mint - prev maxt uvarint, maxt-mint uvarint, ref - prev ref varint | crc32
//   postings: len u32 | count u32 | ref u32* | crc32
//   postings offset table: len u32 | count u32 | (2 uvarint, name, value (uvarint len + bytes),
//             offset uvarint)* | crc32                       the all-series list is key ("", "")
//   TOC (last 52 bytes): 6 × u64 (symbols, series, label indices, label offset table, postings,
//             postings offset table) | crc32
// chunks/NNNNNN: magic u32 0x85BD40DD | version u8 | 3 padding; chunk ref = (file index << 32) |
//   offset, file index 0-based; at offset: len uvarint | encoding u8 | data[len] | crc32 of
//   encoding+data. Encoding 1 is XOR (the Gorilla layout, identical to Canopy's XOR chunk, so
//   chunks are copied byte for byte after decoding them once to validate); 2/3 (native
//   histograms) are refused. crc32 is Castagnoli throughout.
// A block with tombstones (deleted series data) is refused: run `promtool tsdb clean-tombstones`
// first. Anything malformed is CanopyError('corrupt') naming the file; nothing is half-written.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareLabels, labelsKey, type Label, type Labels } from '../../shared/labels.ts';
import { CanopyError } from '../../shared/errors.ts';
import { crc32c } from '../../shared/crc32c.ts';
import { ValueKind } from '../../shared/storage.ts';
import { XorCursor } from '../tsdb/chunk/xor.ts';
import { BlockWriter, type ChunkData } from '../tsdb/block-writer.ts';
import { blockSize, type ImportedBlock } from './openmetrics.ts';

const INDEX_MAGIC = 0xbaaad700;
const CHUNKS_MAGIC = 0x85bd40dd;
const TOC_BYTES = 6 * 8 + 4;
const XOR = 1;

class Reader {
  constructor(
    readonly b: Buffer,
    public pos: number,
    private readonly what: string,
  ) {}
  fail(msg: string): never {
    throw new CanopyError('corrupt', `${this.what}: ${msg} (at byte ${this.pos})`);
  }
  u32(): number {
    if (this.pos + 4 > this.b.length) this.fail('unexpected end');
    const v = this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uvarint(): number {
    let v = 0,
      mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.b.length) this.fail('unexpected end in a varint');
      const c = this.b[this.pos++]!;
      v += (c & 0x7f) * mul;
      if (c < 0x80) {
        if (v > Number.MAX_SAFE_INTEGER) this.fail('varint beyond 2^53');
        return v;
      }
      mul *= 128;
    }
    return this.fail('varint too long');
  }
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 1 ? -(u + 1) / 2 : u / 2;
  }
  str(): string {
    const n = this.uvarint();
    if (this.pos + n > this.b.length) this.fail('string beyond the end');
    const s = this.b.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

interface PromMeta {
  ulid: string;
  minTime: number;
  maxTime: number;
  version: number;
}

interface PromChunkMeta {
  minT: number;
  maxT: number;
  ref: number;
}

/** All series of a block's index, in index order, with their chunk metas. */
function readIndex(file: string): { labels: Labels; chunks: PromChunkMeta[] }[] {
  const b = readFileSync(file);
  const head = new Reader(b, 0, file);
  if (b.length < 5 + TOC_BYTES || head.u32() !== INDEX_MAGIC) head.fail('not a Prometheus index (bad magic)');
  if (b[4] !== 2) head.fail(`index version ${b[4]} (only version 2, Prometheus ≥ 2.1, is supported)`);
  const tocAt = b.length - TOC_BYTES;
  if (crc32c(b, tocAt, tocAt + 48) !== b.readUInt32BE(tocAt + 48)) head.fail('TOC checksum mismatch');
  const toc = Array.from({ length: 6 }, (_, i) => Number(b.readBigUInt64BE(tocAt + 8 * i)));
  // symbols
  const sr = new Reader(b, toc[0]!, file);
  const symLen = sr.u32();
  const symEnd = sr.pos + symLen;
  if (symEnd + 4 > b.length || crc32c(b, sr.pos, symEnd) !== b.readUInt32BE(symEnd))
    sr.fail('symbol table checksum mismatch');
  const symbols: string[] = new Array(sr.u32());
  for (let i = 0; i < symbols.length; i++) symbols[i] = sr.str();
  // postings offset table → the all-series postings list
  const pr = new Reader(b, toc[5]!, file);
  pr.u32(); // len
  const n = pr.u32();
  let allAt = -1;
  for (let i = 0; i < n && allAt < 0; i++) {
    if (pr.uvarint() !== 2) pr.fail('postings offset entry without 2 keys');
    const name = pr.str(),
      value = pr.str();
    const off = pr.uvarint();
    if (name === '' && value === '') allAt = off;
  }
  if (allAt < 0) pr.fail('no all-series postings list');
  const ar = new Reader(b, allAt, file);
  const plen = ar.u32();
  if (
    allAt + 4 + plen + 4 > b.length ||
    crc32c(b, allAt + 4, allAt + 4 + plen) !== b.readUInt32BE(allAt + 4 + plen)
  )
    ar.fail('postings checksum mismatch');
  const count = ar.u32();
  const sym = (r: Reader, ref: number): string =>
    ref < symbols.length ? symbols[ref]! : r.fail(`symbol ref ${ref} out of range`);
  const out: { labels: Labels; chunks: PromChunkMeta[] }[] = [];
  for (let i = 0; i < count; i++) {
    const ref = ar.u32();
    const r = new Reader(b, ref * 16, file);
    const len = r.uvarint();
    const start = r.pos;
    if (start + len + 4 > b.length || crc32c(b, start, start + len) !== b.readUInt32BE(start + len))
      r.fail(`series ${ref} checksum mismatch`);
    const nl = r.uvarint();
    const labels: Label[] = new Array(nl);
    for (let k = 0; k < nl; k++) labels[k] = { name: sym(r, r.uvarint()), value: sym(r, r.uvarint()) };
    const nc = r.uvarint();
    const chunks: PromChunkMeta[] = new Array(nc);
    let prevMaxT = 0,
      prevRef = 0;
    for (let k = 0; k < nc; k++) {
      const minT = k === 0 ? r.varint() : prevMaxT + r.uvarint();
      const maxT = minT + r.uvarint();
      const cref = k === 0 ? r.uvarint() : prevRef + r.varint();
      chunks[k] = { minT, maxT, ref: cref };
      prevMaxT = maxT;
      prevRef = cref;
    }
    if (r.pos !== start + len) r.fail(`series ${ref} entry length mismatch`);
    out.push({ labels, chunks });
  }
  return out;
}

/** Reads chunks from a block's segment files with positioned reads. */
class ChunkFiles {
  private readonly fds = new Map<number, number>();
  constructor(private readonly dir: string) {}
  private fd(seq: number): number {
    let fd = this.fds.get(seq);
    if (fd === undefined) {
      const file = join(this.dir, String(seq + 1).padStart(6, '0'));
      fd = openSync(file, 'r');
      const h = Buffer.alloc(8);
      if (readSync(fd, h, 0, 8, 0) !== 8 || h.readUInt32BE(0) !== CHUNKS_MAGIC)
        throw new CanopyError('corrupt', `${file}: not a Prometheus chunks file (bad magic)`);
      this.fds.set(seq, fd);
    }
    return fd;
  }
  read(ref: number): { encoding: number; data: Uint8Array } {
    const seq = Math.floor(ref / 4294967296),
      off = ref % 4294967296;
    const fd = this.fd(seq);
    const where = `${this.dir}/${String(seq + 1).padStart(6, '0')} offset ${off}`;
    const h = Buffer.alloc(11);
    const got = readSync(fd, h, 0, 11, off);
    const r = new Reader(h.subarray(0, got), 0, where);
    const len = r.uvarint();
    const total = r.pos + 1 + len + 4;
    const buf = Buffer.alloc(total);
    if (readSync(fd, buf, 0, total, off) !== total)
      throw new CanopyError('corrupt', `${where}: chunk beyond the end of the file`);
    const encStart = r.pos;
    if (crc32c(buf, encStart, encStart + 1 + len) !== buf.readUInt32BE(encStart + 1 + len))
      throw new CanopyError('corrupt', `${where}: chunk checksum mismatch`);
    return { encoding: buf[encStart]!, data: buf.subarray(encStart + 1, encStart + 1 + len) };
  }
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** Decodes an XOR chunk once: sample count, times inside [minT, maxT], no decode error. */
function checkXor(data: Uint8Array, c: PromChunkMeta, where: string): number {
  const cur = new XorCursor(data);
  let n = 0,
    first = NaN,
    last = NaN;
  while (cur.next() !== ValueKind.None) {
    if (n === 0) first = cur.atT();
    last = cur.atT();
    n++;
  }
  const e = cur.err();
  if (e) throw new CanopyError('corrupt', `${where}: ${e.message}`);
  if (n === 0 || first !== c.minT || last !== c.maxT)
    throw new CanopyError(
      'corrupt',
      `${where}: chunk samples [${first}, ${last}] do not match the index's [${c.minT}, ${c.maxT}]`,
    );
  return n;
}

function readMeta(dir: string): PromMeta {
  let m: PromMeta;
  try {
    m = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as PromMeta;
  } catch (e) {
    throw new CanopyError('corrupt', `${dir}/meta.json: ${(e as Error).message}`);
  }
  if (
    m.version !== 1 ||
    !Number.isSafeInteger(m.minTime) ||
    !Number.isSafeInteger(m.maxTime) ||
    m.maxTime <= m.minTime
  ) {
    throw new CanopyError(
      'corrupt',
      `${dir}/meta.json: not a Prometheus block meta (version 1, minTime < maxTime)`,
    );
  }
  return m;
}

function tombstonesEmpty(dir: string): boolean {
  const f = join(dir, 'tombstones');
  // magic u32 | version u8 | entries | crc32: 9 bytes when there are none
  return !existsSync(f) || statSync(f).size <= 9;
}

/** Prometheus block directories under dir (dir itself when it is one), sorted by name. */
export function promBlockDirs(dir: string): string[] {
  if (existsSync(join(dir, 'meta.json'))) return [dir];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new CanopyError('config_invalid', `cannot read ${dir}: ${(e as Error).message}`);
  }
  return names
    .filter((n) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(n) && existsSync(join(dir, n, 'meta.json')))
    .sort()
    .map((n) => join(dir, n));
}

export interface PrometheusImportResult {
  blocks: ImportedBlock[];
  /** Distinct series over all blocks. */
  series: number;
  samples: number;
}

/** Converts one Prometheus block; validates everything before the Canopy block is renamed into place. */
function importBlock(
  dir: string,
  blocksDir: string,
  seen: Set<string>,
): { block: ImportedBlock; samples: number } {
  const meta = readMeta(dir);
  if (!tombstonesEmpty(dir))
    throw new CanopyError(
      'bad_data',
      `${dir} has tombstones (deleted data): run \`promtool tsdb clean-tombstones\` on it first`,
    );
  const series = readIndex(join(dir, 'index')).sort((a, b) => compareLabels(a.labels, b.labels));
  const files = new ChunkFiles(join(dir, 'chunks'));
  const w = new BlockWriter(blocksDir, meta.minTime, meta.maxTime, 1);
  let samples = 0;
  try {
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      if (i > 0 && compareLabels(series[i - 1]!.labels, s.labels) === 0)
        throw new CanopyError('corrupt', `${dir}/index: series listed twice`);
      seen.add(labelsKey(s.labels));
      const chunks: ChunkData[] = [];
      for (const c of s.chunks) {
        const { encoding, data } = files.read(c.ref);
        const where = `${dir}: chunk ${c.ref}`;
        if (encoding !== XOR)
          throw new CanopyError(
            'bad_data',
            `${where}: encoding ${encoding} (native histograms) is not supported; only float (XOR) chunks are`,
          );
        samples += checkXor(data, c, where);
        chunks.push({ minT: c.minT, maxT: c.maxT, encoding: XOR, bytes: data });
      }
      w.addSeries(s.labels, chunks);
    }
    const m = w.finish();
    return { block: { meta: m, sizeBytes: blockSize(join(blocksDir, m.ulid)) }, samples };
  } catch (e) {
    w.abort();
    throw e;
  } finally {
    files.close();
  }
}

export function importPrometheusTSDB(o: {
  dir: string;
  dataDir: string;
  onBlock?: (b: ImportedBlock) => void;
}): PrometheusImportResult {
  const dirs = promBlockDirs(o.dir);
  if (dirs.length === 0)
    throw new CanopyError('config_invalid', `no Prometheus blocks (directories with meta.json) in ${o.dir}`);
  const blocksDir = join(o.dataDir, 'blocks');
  const res: PrometheusImportResult = { blocks: [], series: 0, samples: 0 };
  const seen = new Set<string>();
  for (const d of dirs) {
    const r = importBlock(d, blocksDir, seen);
    res.blocks.push(r.block);
    res.samples += r.samples;
    o.onBlock?.(r.block);
  }
  res.series = seen.size;
  return res;
}
