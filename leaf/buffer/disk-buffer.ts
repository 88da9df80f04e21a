// DiskBuffer: a bounded, restart-safe FIFO of encoded batches on local disk (the leaf's queue
// between the pipeline and the shipper). Byte format: docs/format/disk-buffer.md.
//
// Files in `dir`: segments `NNNNNNNNNNNNNNNN.seg` (16 hex digits, ascending) holding
// framed, CRC-checked batch records (segment-record.ts), and `ack.pos` naming the first unacknowledged
// record (segment, offset). Appends go to the newest segment; a new segment starts when the
// current one would exceed `segmentBytes`. A segment is deleted once every record in it is
// acked (or dropped) and it is not the one being written.
//
// Invariants: `index` lists every unacked record in order (segment, offset ascending);
// `diskBytes` == Σ sizes of segment files on disk; after append() returns, diskBytes ≤ maxBytes
// unless a single segment alone is larger (segmentBytes ≤ maxBytes/4 keeps that from happening).
// Size bound: when an append would exceed maxBytes, whole oldest segments are dropped (their
// unacked records counted exactly through onDrop(samples, batches, "buffer_full")) until it fits.
// Restart: open() reads ack.pos, scans segments from there (CRC-checking every record), skips
// damaged records to the next intact one (version 2 records carry a sync marker and a trailer,
// so the loss is counted exactly: records, bytes, samples), writes a "lost" record over each
// damaged region it counted (so a second restart does not count it again), truncates a damaged
// or torn tail, and resumes with the first unacked batch. peek() re-checks the CRC of every
// record it reads, so damage that happens while the leaf runs is skipped and counted the same way.
// Version 1 segments (written before the sync marker) are still read; appends always go to a
// version 2 segment. The ack position is persisted with an atomic rename (no fsync) at most every ackPersistIntervalMs, on drops and
// on close: after a crash the batches acked in the last interval are re-sent, which the zone
// deduplicates by batch id. Appends are fsynced only with syncEveryAppend.
// In-flight batches: the shipper brackets a send with sending(id) … ack(id) | sendFailed(id).
// If the bound drops the segment holding the batch being sent, the drop of that one batch is
// counted only once the send fails (sendFailed) — if the zone acknowledges it, it was
// delivered, not lost — so the buffer_full count equals exactly what never reached a zone.
// Cursors (leaf fan-out to zone replicas, `ship_to: all`): the buffer may be opened with several
// named cursors, each with its own head, in-flight state and ack file `ack-<name>.pos` (same
// 20-byte layout as ack.pos). Records are stored once; a segment is deleted when every cursor
// has passed it. The bound drops whole oldest segments as before and counts, per cursor, the
// records that cursor had not acknowledged (so a batch lost for two replicas is counted twice,
// once per replica it never reached). A named cursor without its file starts at ack.pos if
// present (a leaf switching from one cursor to fan-out), else at the oldest record kept. The
// default (unnamed) cursor is the one the queue methods of this class use; cursor(name) gives
// the others.
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { CanopyError, bug } from '../../shared/errors.ts';
import {
  RECORD_TYPE_BATCH,
  RECORD_TYPE_LOST,
  encodeLostRecordV1,
  encodeLostRecordV2,
  encodeRecordV2,
  minLostRecordBytes,
  recordPayload,
  scanRecords,
  type DamagedRegion,
  type SegmentScan,
} from './segment-record.ts';

export const SEGMENT_MAGIC = 0x46554243; // "CBUF" little-endian
export const ACK_MAGIC = 0x4b434143; // "CACK" little-endian
/** Version written; version 1 segments are still read. */
export const BUFFER_FORMAT_VERSION = 2;
export const SEGMENT_HEADER_BYTES = 8;

export type BufferDropReason = 'buffer_full' | 'corrupt';

export interface DiskBufferOptions {
  dir: string;
  /** Bound on the bytes of all segment files. Default 100 MiB. */
  maxBytes?: number;
  /** Segment size target. Default min(16 MiB, maxBytes/8). */
  segmentBytes?: number;
  /** fsync after every append (durable across power loss; slower). Default false. */
  syncEveryAppend?: boolean;
  /** Persist the ack position at most this often (and on close/drops). Default 1000 ms; 0 = every ack. */
  ackPersistIntervalMs?: number;
  /** Called for every drop with the exact number of samples and batches lost (and for which cursor; "" = default). */
  onDrop?: (samples: number, batches: number, reason: BufferDropReason, cursor: string) => void;
  /**
   * Named cursors (fan-out): each delivers every record once, with its own ack file. Default:
   * one unnamed cursor (ack.pos). With names, the first is the one the class's queue methods use.
   */
  cursors?: string[];
}

export interface BufferedBatch {
  id: string;
  bytes: Uint8Array;
  samples: number;
}

interface RecordRef {
  seg: number;
  off: number;
  /** total record size including header */
  size: number;
  id: string;
  samples: number;
}

interface Segment {
  seq: number;
  fd: number;
  size: number;
  /** record format of this segment (1: read only) */
  version: 1 | 2;
}

/** What damage cost, counted once (at open, or when peek() finds a record damaged since). */
export interface CorruptionStats {
  /** records lost (known and unknown sample counts) */
  records: number;
  /** of which the sample counts are unknown (header and trailer both damaged, or version 1) */
  unknownRecords: number;
  /** samples of the lost records whose counts are known */
  samples: number;
  /** bytes skipped or cut: damaged records, torn tails, damaged segment headers */
  bytes: number;
}

function segName(seq: number): string {
  return seq.toString(16).padStart(16, '0') + '.seg';
}

/** A queue view of one cursor of the buffer (fan-out: one per zone replica). */
export interface BufferCursor {
  readonly name: string;
  peek(): BufferedBatch | undefined;
  sending(id: string): void;
  sendFailed(id: string): void;
  ack(id: string): boolean;
  waitForBatch(signal: AbortSignal): Promise<void>;
  length(): number;
  samples(): number;
}

interface CursorState {
  name: string;
  /** ack file name in dir */
  file: string;
  head: number; // index[head] is the cursor's first unacked record
  peeked: BufferedBatch | undefined;
  /** the batch the shipper is sending (the head when sending() was called) */
  inFlight: { id: string; samples: number } | undefined;
  /** the in-flight batch, dropped by the bound while being sent: counted if the send fails */
  droppedInFlight: { id: string; samples: number } | undefined;
  waiter: (() => void) | undefined;
  ackDirty: boolean;
  lastAckWriteMs: number;
}

/** The ack file of a cursor: ack.pos for the default one, ack-<name>.pos for named ones. */
export function cursorAckFile(name: string): string {
  return name === '' ? 'ack.pos' : `ack-${name}.pos`;
}

const CURSOR_NAME_RE = /^[A-Za-z0-9._-]{1,100}$/;

export class DiskBuffer {
  readonly dir: string;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  private readonly syncEveryAppend: boolean;
  private readonly ackPersistIntervalMs: number;
  private readonly onDrop: (
    samples: number,
    batches: number,
    reason: BufferDropReason,
    cursor: string,
  ) => void;
  private readonly segments: Segment[] = []; // ascending seq
  private readonly index: RecordRef[] = [];
  private diskBytes = 0;
  /** cursors[0] is the default one (the class's own queue methods) */
  private readonly cursors: CursorState[];
  private closed = false;
  /** Samples and batches dropped so far, by reason. */
  readonly dropped = { buffer_full: { samples: 0, batches: 0 }, corrupt: { samples: 0, batches: 0 } };
  /** Damage found so far (at open and by peek()). */
  readonly corrupt: CorruptionStats = { records: 0, unknownRecords: 0, samples: 0, bytes: 0 };

  private constructor(opts: DiskBufferOptions) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes ?? 100 << 20;
    this.segmentBytes = opts.segmentBytes ?? Math.min(16 << 20, Math.floor(this.maxBytes / 8));
    if (!(this.maxBytes >= 4096))
      throw new CanopyError('config_invalid', `disk buffer maxBytes ${this.maxBytes} must be ≥ 4096`);
    if (!(this.segmentBytes >= 1024 && this.segmentBytes <= this.maxBytes / 2))
      throw new CanopyError(
        'config_invalid',
        `disk buffer segmentBytes ${this.segmentBytes} must be in 1024..maxBytes/2`,
      );
    this.syncEveryAppend = opts.syncEveryAppend ?? false;
    this.ackPersistIntervalMs = opts.ackPersistIntervalMs ?? 1000;
    this.onDrop = opts.onDrop ?? (() => {});
    const names = opts.cursors && opts.cursors.length > 0 ? opts.cursors : [''];
    for (const n of names) {
      if (n !== '' && !CURSOR_NAME_RE.test(n))
        throw new CanopyError(
          'config_invalid',
          `disk buffer cursor name "${n}" must match ${CURSOR_NAME_RE.source}`,
        );
    }
    if (new Set(names).size !== names.length)
      throw new CanopyError('config_invalid', `disk buffer cursor names must be unique: ${names.join(', ')}`);
    this.cursors = names.map((name) => ({
      name,
      file: cursorAckFile(name),
      head: 0,
      peeked: undefined,
      inFlight: undefined,
      droppedInFlight: undefined,
      waiter: undefined,
      ackDirty: false,
      lastAckWriteMs: 0,
    }));
  }

  /** The queue view of a cursor given at open. */
  cursor(name: string): BufferCursor {
    const c = this.cursors.find((x) => x.name === name);
    if (!c)
      throw new CanopyError(
        'bad_data',
        `disk buffer has no cursor "${name}" (has ${this.cursors.map((x) => JSON.stringify(x.name)).join(', ')})`,
      );
    return {
      name,
      peek: () => this.peekAt(c),
      sending: (id) => this.sendingAt(c, id),
      sendFailed: (id) => this.sendFailedAt(c, id),
      ack: (id) => this.ackAt(c, id),
      waitForBatch: (signal) => this.waitAt(c, signal),
      length: () => this.index.length - c.head,
      samples: () => this.samplesAt(c),
    };
  }

  /** Names of the cursors, default first. */
  cursorNames(): string[] {
    return this.cursors.map((c) => c.name);
  }

  /** Opens (creating if needed) the buffer in opts.dir and recovers its state. */
  static open(opts: DiskBufferOptions): DiskBuffer {
    const b = new DiskBuffer(opts);
    try {
      mkdirSync(b.dir, { recursive: true });
      b.recover();
    } catch (e) {
      if (e instanceof CanopyError) throw e;
      throw new CanopyError('io', `cannot open disk buffer in ${b.dir}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    return b;
  }

  // ---- recovery -------------------------------------------------------------------------

  private recover(): void {
    const seqs = readdirSync(this.dir)
      .filter((n) => /^[0-9a-f]{16}\.seg$/.test(n))
      .map((n) => parseInt(n.slice(0, 16), 16))
      .sort((a, b) => a - b);
    // each cursor's position; a named cursor without its file starts at ack.pos, else at the start
    const fallback = this.readAck('ack.pos');
    const pos = this.cursors.map((c) => this.readAck(c.file) ?? (c.name !== '' ? fallback : undefined));
    const ack = pos.some((p) => p === undefined)
      ? undefined
      : pos.reduce((a, b) => (b!.seg < a!.seg || (b!.seg === a!.seg && b!.off < a!.off) ? b : a));
    for (const seq of seqs) {
      if (ack && seq < ack.seg) {
        unlinkSync(join(this.dir, segName(seq))); // fully acked before the restart
        continue;
      }
      const fd = openSync(join(this.dir, segName(seq)), 'r+');
      const seg: Segment = { seq, fd, size: fstatSync(fd).size, version: BUFFER_FORMAT_VERSION };
      this.segments.push(seg);
      this.scanSegment(seg, ack && seq === ack.seg ? ack.off : SEGMENT_HEADER_BYTES);
      this.diskBytes += seg.size;
    }
    // each cursor resumes at its first record at or after its position
    this.cursors.forEach((c, i) => {
      const p = pos[i];
      if (!p) return;
      let h = 0;
      while (
        h < this.index.length &&
        (this.index[h]!.seg < p.seg || (this.index[h]!.seg === p.seg && this.index[h]!.off < p.off))
      )
        h++;
      c.head = h;
    });
    const last = this.segments[this.segments.length - 1];
    if (last === undefined) this.newSegment(ack ? ack.seg + 1 : 1);
    else if (last.version !== BUFFER_FORMAT_VERSION) this.newSegment(last.seq + 1); // appends: current version only
  }

  /**
   * Indexes the intact batch records of a segment from `from` on and counts what damage cost.
   * Reads the whole segment (≤ segmentBytes, once per open).
   */
  private scanSegment(seg: Segment, from: number): void {
    const buf = Buffer.allocUnsafe(seg.size);
    let got = 0;
    while (got < seg.size) {
      const n = readSync(seg.fd, buf, got, seg.size - got, got);
      if (n === 0) break;
      got += n;
    }
    const start = Math.max(from, SEGMENT_HEADER_BYTES);
    let scan: SegmentScan;
    if (seg.size < SEGMENT_HEADER_BYTES) {
      // not even a header (a crash right after creating the file): keep it empty and valid
      this.corrupt.bytes += seg.size;
      ftruncateSync(seg.fd, 0);
      this.writeSegmentHeader(seg.fd);
      seg.size = SEGMENT_HEADER_BYTES;
      return;
    }
    if (buf.readUInt32LE(0) === SEGMENT_MAGIC && (buf[4] === 1 || buf[4] === 2)) {
      seg.version = buf[4] as 1 | 2;
      scan = scanRecords(buf, seg.version, start);
    } else {
      // damaged segment header: whichever version finds records is the one it was written in
      this.corrupt.bytes += SEGMENT_HEADER_BYTES;
      scan = scanRecords(buf, 2, start);
      seg.version = 2;
      if (scan.records.length === 0) {
        const v1 = scanRecords(buf, 1, start);
        if (v1.records.length > 0) {
          scan = v1;
          seg.version = 1;
        }
      }
      this.writeSegmentHeader(seg.fd, seg.version);
    }
    const damaged = scan.damaged;
    for (const r of scan.records) {
      if (r.type === RECORD_TYPE_BATCH)
        this.index.push({ seg: seg.seq, off: r.off, size: r.size, id: r.id, samples: r.samples });
      else if (r.type !== RECORD_TYPE_LOST)
        damaged.push({
          off: r.off,
          bytes: r.size,
          records: 1,
          samples: r.samples,
          unknownRecords: 0,
          tail: false,
        }); // a type this version does not know
    }
    damaged.sort((a, b) => a.off - b.off);
    for (const d of damaged) {
      this.countCorrupt(d);
      if (d.tail) {
        // torn or damaged tail: nothing intact follows — cut it off
        ftruncateSync(seg.fd, d.off);
        seg.size = d.off;
      } else if (d.bytes >= minLostRecordBytes(seg.version)) {
        // counted now: mark it so the next open skips it without counting it again
        const lost = seg.version === 1 ? encodeLostRecordV1(d.bytes) : encodeLostRecordV2(d.bytes);
        let w = 0;
        while (w < lost.length) w += writeSync(seg.fd, lost, w, lost.length - w, d.off + w);
      }
    }
  }

  /** Counts one damaged region: records, bytes, and the known samples as dropped (reason corrupt). */
  private countCorrupt(d: DamagedRegion): void {
    this.corrupt.records += d.records + d.unknownRecords;
    this.corrupt.unknownRecords += d.unknownRecords;
    this.corrupt.samples += d.samples;
    this.corrupt.bytes += d.bytes;
    if (d.records + d.unknownRecords > 0) this.countDrop(d.samples, d.records + d.unknownRecords, 'corrupt');
  }

  private writeSegmentHeader(fd: number, version: number = BUFFER_FORMAT_VERSION): void {
    const h = Buffer.alloc(SEGMENT_HEADER_BYTES);
    h.writeUInt32LE(SEGMENT_MAGIC, 0);
    h[4] = version;
    writeSync(fd, h, 0, SEGMENT_HEADER_BYTES, 0);
  }

  private readAck(file: string): { seg: number; off: number } | undefined {
    const p = join(this.dir, file);
    if (!existsSync(p)) return undefined;
    const b = readFileSync(p);
    // the ack file's layout is the same in versions 1 and 2
    if (
      b.length !== 20 ||
      b.readUInt32LE(0) !== ACK_MAGIC ||
      (b[4] !== 1 && b[4] !== 2) ||
      crc32(b.subarray(0, 16)) !== b.readUInt32LE(16)
    )
      return undefined;
    return { seg: b.readUInt32LE(8), off: b.readUInt32LE(12) };
  }

  private writeAck(c: CursorState): void {
    const r = this.index[c.head];
    const w = this.segments[this.segments.length - 1]!;
    const seg = r ? r.seg : w.seq;
    const off = r ? r.off : w.size;
    const b = Buffer.alloc(20);
    b.writeUInt32LE(ACK_MAGIC, 0);
    b[4] = BUFFER_FORMAT_VERSION;
    b.writeUInt32LE(seg, 8);
    b.writeUInt32LE(off, 12);
    b.writeUInt32LE(crc32(b.subarray(0, 16)), 16);
    const tmp = join(this.dir, `${c.file}.tmp`);
    writeFileSync(tmp, b);
    renameSync(tmp, join(this.dir, c.file));
    c.ackDirty = false;
    c.lastAckWriteMs = Date.now();
  }

  private newSegment(seq: number): Segment {
    const fd = openSync(join(this.dir, segName(seq)), 'w+');
    this.writeSegmentHeader(fd);
    const seg: Segment = { seq, fd, size: SEGMENT_HEADER_BYTES, version: BUFFER_FORMAT_VERSION };
    this.segments.push(seg);
    this.diskBytes += SEGMENT_HEADER_BYTES;
    return seg;
  }

  // ---- queue API ------------------------------------------------------------------------

  /** Appends a batch. Drops the oldest segments (counted) when the bound would be exceeded. */
  append(id: string, bytes: Uint8Array, samples: number): void {
    if (this.closed) throw new CanopyError('unavailable', 'cannot append to a closed disk buffer');
    const idBytes = Buffer.from(id, 'utf8');
    if (idBytes.length > 0xffff)
      throw new CanopyError('bad_data', `cannot buffer batch: id is ${idBytes.length} bytes, max 65535`);
    const rec = encodeRecordV2(RECORD_TYPE_BATCH, idBytes, bytes, samples);
    const size = rec.length;
    if (size + SEGMENT_HEADER_BYTES > this.segmentBytes && size + SEGMENT_HEADER_BYTES > this.maxBytes / 2) {
      this.countDrop(samples, 1, 'buffer_full'); // can never fit: a batch larger than half the buffer
      return;
    }
    let w = this.segments[this.segments.length - 1]!;
    if (w.size + size > this.segmentBytes && w.size > SEGMENT_HEADER_BYTES) {
      if (this.syncEveryAppend) fsyncSync(w.fd);
      w = this.newSegment(w.seq + 1);
    }
    while (this.diskBytes + size > this.maxBytes && this.segments.length > 1) this.dropOldestSegment();
    let written = 0;
    while (written < size) written += writeSync(w.fd, rec, written, size - written, w.size + written);
    if (this.syncEveryAppend) fsyncSync(w.fd);
    this.index.push({ seg: w.seq, off: w.size, size, id, samples });
    w.size += size;
    this.diskBytes += size;
    for (const c of this.cursors) c.waiter?.();
  }

  private dropOldestSegment(): void {
    const old = this.segments[0]!;
    const lost: { c: CursorState; samples: number; batches: number }[] = [];
    for (const c of this.cursors) {
      let samples = 0,
        batches = 0;
      while (c.head < this.index.length && this.index[c.head]!.seg === old.seq) {
        const r = this.index[c.head]!;
        if (c.inFlight !== undefined && r.id === c.inFlight.id) c.droppedInFlight = c.inFlight;
        else {
          samples += r.samples;
          batches++;
        }
        c.head++;
      }
      c.peeked = undefined;
      if (batches > 0) lost.push({ c, samples, batches });
    }
    this.removeSegment(old);
    this.compactIndex();
    for (const c of this.cursors) this.writeAck(c);
    for (const l of lost) this.countDrop(l.samples, l.batches, 'buffer_full', l.c.name);
  }

  /** Counts a loss; corruption found at open is lost for every cursor and counted once ("" cursor). */
  private countDrop(samples: number, batches: number, reason: BufferDropReason, cursor = ''): void {
    this.dropped[reason].samples += samples;
    this.dropped[reason].batches += batches;
    this.onDrop(samples, batches, reason, cursor);
  }

  private removeSegment(seg: Segment): void {
    if (this.segments[0] !== seg) bug('disk buffer removes a segment that is not the oldest');
    this.segments.shift();
    closeSync(seg.fd);
    unlinkSync(join(this.dir, segName(seg.seq)));
    this.diskBytes -= seg.size;
  }

  private compactIndex(): void {
    let min = Infinity;
    for (const c of this.cursors) min = Math.min(min, c.head);
    if (min > 1024 && min * 2 > this.index.length) {
      this.index.splice(0, min);
      for (const c of this.cursors) c.head -= min;
    }
  }

  // The default cursor's queue API (single-zone leaves and existing callers).
  /**
   * The oldest unacknowledged batch, or undefined when empty. A record damaged since it was
   * written or scanned (CRC mismatch) is counted as corrupt, marked lost on disk and skipped.
   */
  peek(): BufferedBatch | undefined {
    return this.peekAt(this.cursors[0]!);
  }

  /** Marks the oldest batch (`id`) as being sent; see the header on in-flight drops. */
  sending(id: string): void {
    this.sendingAt(this.cursors[0]!, id);
  }

  /** The send of `id` failed (it will be retried if still buffered). */
  sendFailed(id: string): void {
    this.sendFailedAt(this.cursors[0]!, id);
  }

  /**
   * Acknowledges the oldest batch; returns false (and does nothing) if `id` is not the oldest
   * (true, with nothing left to remove, for an in-flight batch the bound already dropped).
   */
  ack(id: string): boolean {
    return this.ackAt(this.cursors[0]!, id);
  }

  /** Resolves when a batch is waiting (immediately if one is) or the signal aborts. */
  waitForBatch(signal: AbortSignal): Promise<void> {
    return this.waitAt(this.cursors[0]!, signal);
  }

  /** Unacked batches (of the default cursor). */
  length(): number {
    return this.index.length - this.cursors[0]!.head;
  }

  /** Unacked samples (of the default cursor). */
  samples(): number {
    return this.samplesAt(this.cursors[0]!);
  }

  /** Batches not yet acknowledged by the cursor that is furthest behind. */
  maxLength(): number {
    let n = 0;
    for (const c of this.cursors) n = Math.max(n, this.index.length - c.head);
    return n;
  }

  private peekAt(c: CursorState): BufferedBatch | undefined {
    if (c.peeked) return c.peeked;
    for (;;) {
      const r = this.index[c.head];
      if (!r) return undefined;
      const seg = this.segments.find((s) => s.seq === r.seg);
      if (!seg) bug(`disk buffer record ${r.id} points at missing segment ${r.seg}`);
      const buf = Buffer.allocUnsafe(r.size);
      const n = readSync(seg.fd, buf, 0, r.size, r.off);
      const payload = n === r.size ? recordPayload(buf, seg.version) : undefined;
      if (payload !== undefined) {
        c.peeked = { id: r.id, samples: r.samples, bytes: payload };
        return c.peeked;
      }
      // damaged since written: counted for this cursor (each cursor loses it once)
      this.corrupt.records += 1;
      this.corrupt.samples += r.samples;
      this.corrupt.bytes += r.size;
      this.countDrop(r.samples, 1, 'corrupt', c.name);
      if (n === r.size) {
        const lost = seg.version === 1 ? encodeLostRecordV1(r.size) : encodeLostRecordV2(r.size);
        writeSync(seg.fd, lost, 0, lost.length, r.off);
      }
      this.advance(c);
    }
  }

  private sendingAt(c: CursorState, id: string): void {
    const r = this.index[c.head];
    c.inFlight = r && r.id === id ? { id, samples: r.samples } : undefined;
  }

  private sendFailedAt(c: CursorState, id: string): void {
    if (c.inFlight?.id === id) c.inFlight = undefined;
    const d = c.droppedInFlight;
    if (d !== undefined && d.id === id) {
      c.droppedInFlight = undefined;
      this.countDrop(d.samples, 1, 'buffer_full', c.name);
    }
  }

  private ackAt(c: CursorState, id: string): boolean {
    if (c.inFlight?.id === id) c.inFlight = undefined;
    if (c.droppedInFlight?.id === id) {
      c.droppedInFlight = undefined; // delivered after all: not a loss
      return true;
    }
    const r = this.index[c.head];
    if (!r || r.id !== id) return false;
    this.advance(c);
    return true;
  }

  /** Moves a cursor past its oldest record (acked, or skipped as damaged). */
  private advance(c: CursorState): void {
    c.head++;
    c.peeked = undefined;
    // delete segments every cursor has passed (never the one being written)
    let nextSeg = this.segments[this.segments.length - 1]!.seq;
    for (const x of this.cursors) nextSeg = Math.min(nextSeg, this.index[x.head]?.seg ?? nextSeg);
    while (this.segments.length > 1 && this.segments[0]!.seq < nextSeg) this.removeSegment(this.segments[0]!);
    this.compactIndex();
    // Persisting every ack costs a file write + rename; batching them only risks re-sending
    // a few acked batches after a crash, which the zone deduplicates by batch id.
    c.ackDirty = true;
    if (Date.now() - c.lastAckWriteMs >= this.ackPersistIntervalMs) this.writeAck(c);
  }

  private waitAt(c: CursorState, signal: AbortSignal): Promise<void> {
    if (c.head < this.index.length || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        if (c.waiter === done) c.waiter = undefined;
        signal.removeEventListener('abort', done);
        resolve();
      };
      c.waiter = done;
      signal.addEventListener('abort', done);
    });
  }

  private samplesAt(c: CursorState): number {
    let n = 0;
    for (let i = c.head; i < this.index.length; i++) n += this.index[i]!.samples;
    return n;
  }

  /** Bytes of segment files on disk. */
  sizeBytes(): number {
    return this.diskBytes;
  }

  close(): void {
    if (this.closed) return;
    for (const c of this.cursors) {
      if (c.droppedInFlight !== undefined) this.sendFailedAt(c, c.droppedInFlight.id); // never acked: lost
      if (c.ackDirty) this.writeAck(c);
    }
    this.closed = true;
    for (const s of this.segments) {
      try {
        fsyncSync(s.fd);
      } finally {
        closeSync(s.fd);
      }
    }
    this.segments.length = 0;
    for (const c of this.cursors) c.waiter?.();
  }
}
