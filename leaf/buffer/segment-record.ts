// The disk buffer's record codec and segment scanner: byte layouts in
// docs/format/disk-buffer.md (versions 1 and 2). DiskBuffer writes version 2 and reads both.
//
// Version 2 frames each record so a reader can find the next one after damage and tell
// exactly what the damage cost:
//   header  u32 magic "CREC" · u32 body_len · u32 samples · u32 body_crc · u32 header_crc
//   body    u8 type · u16 id_len · id · payload
//   trailer u32 magic "CEND" · u32 body_len · u32 samples · u32 trailer_crc
// A record is intact when its header CRC and body CRC match (the trailer only serves
// recovery). Scanning a damaged region:
//   - header valid, body damaged or cut short → exactly one record lost, samples from the header;
//   - header damaged → search forward for the next valid header (magic + header CRC), then walk
//     back from it through the trailers of the records in between: each intact trailer is one
//     lost record with its samples; bytes left over that no trailer accounts for are one more
//     record of unknown size (both its header and its trailer are damaged).
// One flipped byte anywhere therefore costs exactly the record it hit, and the counts are exact.
// Version 1 records (u32 body_len · u32 crc · body with u32 samples) have no sync marker: after
// damage the scanner tries every later offset for a record whose length, type and CRC check out,
// and counts the skipped bytes as one record of unknown samples.
// A "lost" record (type 2) is what recovery writes over a damaged region it has counted, so the
// next open skips it silently instead of counting the same loss again.
import { crc32 } from 'node:zlib';

export const RECORD_MAGIC = 0x43455243; // "CREC" as bytes 43 52 45 43
export const TRAILER_MAGIC = 0x444e4543; // "CEND" as bytes 43 45 4e 44
export const V2_HEADER_BYTES = 20;
export const V2_TRAILER_BYTES = 16;
export const V1_HEADER_BYTES = 8;
export const RECORD_TYPE_BATCH = 1;
/** A placeholder over a damaged region already counted; carries no batch. */
export const RECORD_TYPE_LOST = 2;
export const MAX_BODY_BYTES = 256 << 20;
/** type + id_len */
const V2_BODY_MIN = 3;
/** type + samples + id_len */
const V1_BODY_MIN = 7;
/** The smallest whole version 2 record: the smallest region a "lost" record can cover. */
export const V2_MIN_RECORD_BYTES = V2_HEADER_BYTES + V2_BODY_MIN + V2_TRAILER_BYTES;

/** An intact record: where it is, its total size (framing included), its batch id and samples. */
export interface ScannedRecord {
  off: number;
  size: number;
  type: number;
  id: string;
  samples: number;
}

/** A damaged byte range and what it held, as far as can be known. */
export interface DamagedRegion {
  off: number;
  bytes: number;
  /** records lost whose sample counts are known (summed in `samples`) */
  records: number;
  samples: number;
  /** records lost whose sample counts are unknown (0 or 1 per region) */
  unknownRecords: number;
  /** the region runs to the end of the segment (a torn tail, or damage there) */
  tail: boolean;
}

export interface SegmentScan {
  records: ScannedRecord[];
  damaged: DamagedRegion[];
}

/** Encodes one version 2 batch record. */
export function encodeRecordV2(type: number, id: Buffer, payload: Uint8Array, samples: number): Buffer {
  const bodyLen = V2_BODY_MIN + id.length + payload.length;
  const size = V2_HEADER_BYTES + bodyLen + V2_TRAILER_BYTES;
  const rec = Buffer.allocUnsafe(size);
  const b = V2_HEADER_BYTES;
  rec[b] = type;
  rec.writeUInt16LE(id.length, b + 1);
  id.copy(rec, b + 3);
  rec.set(payload, b + 3 + id.length);
  rec.writeUInt32LE(RECORD_MAGIC, 0);
  rec.writeUInt32LE(bodyLen, 4);
  rec.writeUInt32LE(samples >>> 0, 8);
  rec.writeUInt32LE(crc32(rec.subarray(b, b + bodyLen)), 12);
  rec.writeUInt32LE(crc32(rec.subarray(0, 16)), 16);
  const t = b + bodyLen;
  rec.writeUInt32LE(TRAILER_MAGIC, t);
  rec.writeUInt32LE(bodyLen, t + 4);
  rec.writeUInt32LE(samples >>> 0, t + 8);
  rec.writeUInt32LE(crc32(rec.subarray(t, t + 12)), t + 12);
  return rec;
}

/** A "lost" record exactly `size` bytes long (size ≥ V2_MIN_RECORD_BYTES). */
export function encodeLostRecordV2(size: number): Buffer {
  return encodeRecordV2(RECORD_TYPE_LOST, Buffer.alloc(0), new Uint8Array(size - V2_MIN_RECORD_BYTES), 0);
}

/** The payload of an intact record read back whole (`rec` = its `size` bytes), or undefined if damaged. */
export function recordPayload(rec: Buffer, version: number): Uint8Array | undefined {
  if (version === 1) {
    const bodyLen = rec.length - V1_HEADER_BYTES;
    if (rec.readUInt32LE(0) !== bodyLen || crc32(rec.subarray(V1_HEADER_BYTES)) !== rec.readUInt32LE(4))
      return undefined;
    const idLen = rec.readUInt16LE(V1_HEADER_BYTES + 5);
    return plain(rec, V1_HEADER_BYTES + V1_BODY_MIN + idLen, rec.length);
  }
  const bodyLen = rec.length - V2_HEADER_BYTES - V2_TRAILER_BYTES;
  if (
    v2Header(rec, 0) !== bodyLen ||
    crc32(rec.subarray(V2_HEADER_BYTES, V2_HEADER_BYTES + bodyLen)) !== rec.readUInt32LE(12)
  )
    return undefined;
  const idLen = rec.readUInt16LE(V2_HEADER_BYTES + 1);
  return plain(rec, V2_HEADER_BYTES + V2_BODY_MIN + idLen, V2_HEADER_BYTES + bodyLen);
}

/** A plain Uint8Array view (not a Buffer) of rec[from, to): what callers compare and decode. */
function plain(rec: Buffer, from: number, to: number): Uint8Array {
  return new Uint8Array(rec.buffer, rec.byteOffset + from, to - from);
}

/** body_len of a valid version 2 header at `off` (magic, CRC and length range), else -1. */
function v2Header(buf: Buffer, off: number): number {
  if (off + V2_HEADER_BYTES > buf.length || buf.readUInt32LE(off) !== RECORD_MAGIC) return -1;
  if (crc32(buf.subarray(off, off + 16)) !== buf.readUInt32LE(off + 16)) return -1;
  const bodyLen = buf.readUInt32LE(off + 4);
  return bodyLen >= V2_BODY_MIN && bodyLen <= MAX_BODY_BYTES ? bodyLen : -1;
}

/** The record of a valid header at `off` if its body is intact and well formed, else undefined. */
function v2Record(buf: Buffer, off: number, bodyLen: number): ScannedRecord | undefined {
  const b = off + V2_HEADER_BYTES;
  const size = V2_HEADER_BYTES + bodyLen + V2_TRAILER_BYTES;
  if (off + size > buf.length || crc32(buf.subarray(b, b + bodyLen)) !== buf.readUInt32LE(off + 12))
    return undefined;
  const type = buf[b]!;
  const idLen = buf.readUInt16LE(b + 1);
  if (V2_BODY_MIN + idLen > bodyLen) return undefined;
  return {
    off,
    size,
    type,
    id: buf.toString('utf8', b + 3, b + 3 + idLen),
    samples: buf.readUInt32LE(off + 8),
  };
}

/** The next offset ≥ from holding a valid version 2 header, or buf.length. */
function nextV2Header(buf: Buffer, from: number): number {
  const magic = Buffer.from([0x43, 0x52, 0x45, 0x43]);
  for (let at = buf.indexOf(magic, from); at >= 0; at = buf.indexOf(magic, at + 1))
    if (v2Header(buf, at) >= 0) return at;
  return buf.length;
}

/** What the damaged bytes [from, to) held: walks back from `to` through intact trailers. */
function v2Damage(buf: Buffer, from: number, to: number): DamagedRegion {
  const d: DamagedRegion = {
    off: from,
    bytes: to - from,
    records: 0,
    samples: 0,
    unknownRecords: 0,
    tail: to === buf.length,
  };
  let pos = to;
  while (pos - V2_TRAILER_BYTES >= from) {
    const t = pos - V2_TRAILER_BYTES;
    if (buf.readUInt32LE(t) !== TRAILER_MAGIC || crc32(buf.subarray(t, t + 12)) !== buf.readUInt32LE(t + 12))
      break;
    const start = t - buf.readUInt32LE(t + 4) - V2_HEADER_BYTES;
    if (start < from) break;
    d.records++;
    d.samples += buf.readUInt32LE(t + 8);
    pos = start;
  }
  if (pos > from) d.unknownRecords = 1;
  return d;
}

function scanV2(buf: Buffer, from: number): SegmentScan {
  const out: SegmentScan = { records: [], damaged: [] };
  let off = from;
  while (off < buf.length) {
    const bodyLen = v2Header(buf, off);
    if (bodyLen >= 0) {
      const r = v2Record(buf, off, bodyLen);
      const size = V2_HEADER_BYTES + bodyLen + V2_TRAILER_BYTES;
      if (r !== undefined) {
        out.records.push(r);
        off += size;
        continue;
      }
      // the header is trustworthy (its CRC matched): exactly this record is lost
      const end = Math.min(off + size, buf.length);
      out.damaged.push({
        off,
        bytes: end - off,
        records: 1,
        samples: buf.readUInt32LE(off + 8),
        unknownRecords: 0,
        tail: end === buf.length,
      });
      off = end;
      continue;
    }
    const next = nextV2Header(buf, off + 1);
    out.damaged.push(v2Damage(buf, off, next));
    off = next;
  }
  return out;
}

/** A version 1 record at `off` if its length, CRC and body check out. */
function v1Record(buf: Buffer, off: number): ScannedRecord | undefined {
  if (off + V1_HEADER_BYTES > buf.length) return undefined;
  const bodyLen = buf.readUInt32LE(off);
  if (bodyLen < V1_BODY_MIN || bodyLen > MAX_BODY_BYTES || off + V1_HEADER_BYTES + bodyLen > buf.length)
    return undefined;
  const b = off + V1_HEADER_BYTES;
  const type = buf[b]!;
  if (type !== RECORD_TYPE_BATCH && type !== RECORD_TYPE_LOST) return undefined;
  const idLen = buf.readUInt16LE(b + 5);
  if (V1_BODY_MIN + idLen > bodyLen || crc32(buf.subarray(b, b + bodyLen)) !== buf.readUInt32LE(off + 4))
    return undefined;
  return {
    off,
    size: V1_HEADER_BYTES + bodyLen,
    type,
    id: buf.toString('utf8', b + 7, b + 7 + idLen),
    samples: buf.readUInt32LE(b + 1),
  };
}

function scanV1(buf: Buffer, from: number): SegmentScan {
  const out: SegmentScan = { records: [], damaged: [] };
  let off = from;
  while (off < buf.length) {
    const r = v1Record(buf, off);
    if (r !== undefined) {
      out.records.push(r);
      off += r.size;
      continue;
    }
    let next = off + 1;
    while (next < buf.length && v1Record(buf, next) === undefined) next++;
    out.damaged.push({
      off,
      bytes: next - off,
      records: 0,
      samples: 0,
      unknownRecords: 1,
      tail: next === buf.length,
    });
    off = next;
  }
  return out;
}

/** Scans a segment's bytes from `from` (past the segment header) as records of `version`. */
export function scanRecords(buf: Buffer, version: 1 | 2, from: number): SegmentScan {
  return version === 1 ? scanV1(buf, from) : scanV2(buf, from);
}

/** A version 1 "lost" record exactly `size` bytes long (size ≥ 15). */
export function encodeLostRecordV1(size: number): Buffer {
  const rec = Buffer.alloc(size);
  const bodyLen = size - V1_HEADER_BYTES;
  rec.writeUInt32LE(bodyLen, 0);
  rec[V1_HEADER_BYTES] = RECORD_TYPE_LOST;
  rec.writeUInt32LE(crc32(rec.subarray(V1_HEADER_BYTES)), 4);
  return rec;
}

/** The smallest region a "lost" record of `version` can cover. */
export function minLostRecordBytes(version: 1 | 2): number {
  return version === 1 ? V1_HEADER_BYTES + V1_BODY_MIN : V2_MIN_RECORD_BYTES;
}
