// WAL record framing and payload codecs (spec: docs/format/wal.md).
// Frame: u8 kind = (FORMAT_VERSION << 4) | type, u32 LE payload length, u32 LE CRC32C over
// the 5 header bytes before it followed by the payload; then the payload.
// Payloads (all varints per byte-sink.ts):
//   Series (1):       uvarint ref, uvarint nLabels, nLabels × (str name, str value)
//   Samples (2):      uvarint n, uvarint baseRef, zvarint baseT,
//                     n × (zvarint ref-baseRef, zvarint t-baseT, f64 value)
//   Distribution (3): uvarint ref, zvarint t, f64 count, sum, min, max, uvarint k,
//                     k × f64 mean, k × f64 weight
// Invariants: a frame never spans two segment files; payload length <= MAX_PAYLOAD_BYTES;
// refs are uint32; timestamps are safe integers (ms). Type values are never reused.
import type { Label, Labels } from '../../shared/labels.ts';
import type { Distribution } from '../../shared/distribution.ts';
import { bug, CanopyError } from '../../shared/errors.ts';
import { crc32c } from './crc32c.ts';
import { ByteSink, ByteSource } from './byte-sink.ts';

export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 9;
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
/** Samples per Samples record: bounds record size (~50 KiB) and the replay scratch arrays. */
export const MAX_SAMPLES_PER_RECORD = 4096;

export const enum RecordType {
  Series = 1,
  Samples = 2,
  Distribution = 3,
}

function isKnownType(t: number): boolean {
  return t === RecordType.Series || t === RecordType.Samples || t === RecordType.Distribution;
}

/** Starts a frame; returns its start offset for finishFrame. */
function beginFrame(sink: ByteSink, type: RecordType): number {
  const start = sink.len;
  sink.ensure(HEADER_BYTES);
  sink.buf[start] = (FORMAT_VERSION << 4) | type;
  sink.len += HEADER_BYTES;
  return start;
}

/** Patches length and CRC into the frame started at `start`; returns the frame size. */
function finishFrame(sink: ByteSink, start: number): number {
  const payloadLen = sink.len - start - HEADER_BYTES;
  if (payloadLen > MAX_PAYLOAD_BYTES)
    bug(`WAL record payload of ${payloadLen} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  sink.setU32At(start + 1, payloadLen);
  let c = crc32c(sink.buf, start, start + 5);
  c = crc32c(sink.buf, start + HEADER_BYTES, sink.len, c);
  sink.setU32At(start + 5, c);
  return sink.len - start;
}

function checkRef(ref: number): void {
  if (!(ref >= 0 && ref <= 0xffffffff && Number.isInteger(ref))) bug(`WAL series ref ${ref} is not a uint32`);
}

export function checkT(tMs: number): void {
  if (!Number.isSafeInteger(tMs)) bug(`WAL timestamp ${tMs} is not an integer millisecond`);
}

export function encodeSeries(sink: ByteSink, ref: number, labels: Labels): number {
  checkRef(ref);
  const start = beginFrame(sink, RecordType.Series);
  sink.uvarint(ref);
  sink.uvarint(labels.length);
  for (const l of labels) {
    sink.str(l.name);
    sink.str(l.value);
  }
  return finishFrame(sink, start);
}

/** Encodes samples [from, to) as one record; returns the frame size. */
export function encodeSamples(
  sink: ByteSink,
  refs: Uint32Array,
  tsMs: Float64Array,
  values: Float64Array,
  from: number,
  to: number,
): number {
  const n = to - from;
  // Validate before writing so a bad call leaves the sink unchanged.
  for (let i = from; i < to; i++) checkT(tsMs[i]!);
  const start = beginFrame(sink, RecordType.Samples);
  sink.ensure(n * 20 + 30);
  const baseRef = refs[from]!;
  const baseT = tsMs[from]!;
  sink.uvarint(n);
  sink.uvarint(baseRef);
  sink.zvarint(baseT);
  for (let i = from; i < to; i++) {
    sink.zvarint(refs[i]! - baseRef);
    sink.zvarint(tsMs[i]! - baseT);
    sink.f64(values[i]!);
  }
  return finishFrame(sink, start);
}

export function encodeDistribution(sink: ByteSink, ref: number, tMs: number, d: Distribution): number {
  checkRef(ref);
  checkT(tMs);
  if (d.means.length !== d.weights.length)
    bug(`distribution with ${d.means.length} means and ${d.weights.length} weights`);
  const start = beginFrame(sink, RecordType.Distribution);
  sink.uvarint(ref);
  sink.zvarint(tMs);
  sink.f64(d.count);
  sink.f64(d.sum);
  sink.f64(d.min);
  sink.f64(d.max);
  const k = d.means.length;
  sink.uvarint(k);
  sink.ensure(16 * k);
  for (let i = 0; i < k; i++) sink.f64(d.means[i]!);
  for (let i = 0; i < k; i++) sink.f64(d.weights[i]!);
  return finishFrame(sink, start);
}

/** Outcome of RecordScanner.next(). */
export const enum ScanStatus {
  Record = 0,
  End = 1,
  /** Fewer bytes left than the frame needs: a torn write. */
  Torn = 2,
  /** Bad kind byte, impossible length or CRC mismatch. */
  Corrupt = 3,
}

/**
 * Walks the frames of one segment image. After next() returned Record, type/payloadStart/
 * payloadEnd describe it; `offset` is always the start of the next unread frame, so on
 * Torn/Corrupt it is where the valid prefix ends.
 */
export class RecordScanner {
  offset = 0;
  type = 0;
  payloadStart = 0;
  payloadEnd = 0;
  detail = '';

  constructor(
    private buf: Buffer,
    private end = buf.length,
  ) {}

  next(): ScanStatus {
    const b = this.buf;
    const off = this.offset;
    const left = this.end - off;
    if (left === 0) return ScanStatus.End;
    const kind = b[off]!;
    if (kind >> 4 !== FORMAT_VERSION || !isKnownType(kind & 0x0f)) {
      this.detail = `unknown record kind byte 0x${kind.toString(16)}`;
      return ScanStatus.Corrupt;
    }
    if (left < HEADER_BYTES) {
      this.detail = `${left} bytes left, header needs ${HEADER_BYTES}`;
      return ScanStatus.Torn;
    }
    const len = b.readUInt32LE(off + 1);
    if (len > MAX_PAYLOAD_BYTES) {
      this.detail = `payload length ${len} exceeds ${MAX_PAYLOAD_BYTES}`;
      return ScanStatus.Corrupt;
    }
    if (left < HEADER_BYTES + len) {
      this.detail = `${left} bytes left, record needs ${HEADER_BYTES + len}`;
      return ScanStatus.Torn;
    }
    const want = b.readUInt32LE(off + 5);
    let c = crc32c(b, off, off + 5);
    c = crc32c(b, off + HEADER_BYTES, off + HEADER_BYTES + len, c);
    if (c !== want) {
      this.detail = `CRC32C mismatch (stored 0x${want.toString(16)}, computed 0x${c.toString(16)})`;
      return ScanStatus.Corrupt;
    }
    this.type = kind & 0x0f;
    this.payloadStart = off + HEADER_BYTES;
    this.payloadEnd = off + HEADER_BYTES + len;
    this.offset = this.payloadEnd;
    return ScanStatus.Record;
  }
}

/**
 * Decodes record payloads into reusable scratch arrays. Malformed payloads (only possible
 * when the CRC matched by chance or a writer was buggy) throw CanopyError('corrupt').
 */
export class RecordDecoder {
  readonly refs = new Uint32Array(MAX_SAMPLES_PER_RECORD);
  readonly tsMs = new Float64Array(MAX_SAMPLES_PER_RECORD);
  readonly values = new Float64Array(MAX_SAMPLES_PER_RECORD);
  private readonly src = new ByteSource(Buffer.alloc(0));

  /** Returns [ref, labels]. */
  series(buf: Buffer, start: number, end: number): { ref: number; labels: Labels } {
    const s = this.src;
    s.reset(buf, start, end);
    const ref = s.uvarint();
    const n = s.uvarint();
    if (n > end - start)
      throw new CanopyError('corrupt', `cannot decode series record: ${n} labels in ${end - start} bytes`);
    const labels: Label[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const name = s.str();
      labels[i] = { name, value: s.str() };
    }
    this.done(ref);
    return { ref, labels };
  }

  /** Fills refs/tsMs/values; returns the sample count. */
  samples(buf: Buffer, start: number, end: number): number {
    const s = this.src;
    s.reset(buf, start, end);
    const n = s.uvarint();
    if (n > MAX_SAMPLES_PER_RECORD)
      throw new CanopyError(
        'corrupt',
        `cannot decode samples record: ${n} samples, max ${MAX_SAMPLES_PER_RECORD}`,
      );
    const baseRef = s.uvarint();
    const baseT = s.zvarint();
    const refs = this.refs,
      ts = this.tsMs,
      vs = this.values;
    for (let i = 0; i < n; i++) {
      const ref = baseRef + s.zvarint();
      if (ref < 0 || ref > 0xffffffff)
        throw new CanopyError('corrupt', `cannot decode samples record: ref ${ref} out of range`);
      refs[i] = ref;
      ts[i] = baseT + s.zvarint();
      vs[i] = s.f64();
    }
    this.done(baseRef);
    return n;
  }

  distribution(buf: Buffer, start: number, end: number): { ref: number; tMs: number; d: Distribution } {
    const s = this.src;
    s.reset(buf, start, end);
    const ref = s.uvarint();
    const tMs = s.zvarint();
    const count = s.f64(),
      sum = s.f64(),
      min = s.f64(),
      max = s.f64();
    const k = s.uvarint();
    if (k * 16 > end - s.pos)
      throw new CanopyError(
        'corrupt',
        `cannot decode distribution record: ${k} centroids in ${end - s.pos} bytes`,
      );
    const means = new Float64Array(k),
      weights = new Float64Array(k);
    for (let i = 0; i < k; i++) means[i] = s.f64();
    for (let i = 0; i < k; i++) weights[i] = s.f64();
    this.done(ref);
    return { ref, tMs, d: { count, sum, min, max, means, weights } };
  }

  private done(ref: number): void {
    if (this.src.pos !== this.src.end) {
      throw new CanopyError('corrupt', `cannot decode record: ${this.src.end - this.src.pos} trailing bytes`);
    }
    if (ref > 0xffffffff) throw new CanopyError('corrupt', `cannot decode record: ref ${ref} out of range`);
  }
}
