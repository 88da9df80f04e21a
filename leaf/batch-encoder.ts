// BatchEncoder: writes a canopy.v1.Batch (proto/canopy/ingest.proto) straight into one
// growable byte buffer it owns and reuses — no per-field objects. The generated protobufjs
// encoder allocates an operation object per field written (≈20 per scraped series) plus the
// wire-shaped copies of every series, and at 1,000 series per scrape that garbage was most
// of the leaf's CPU (young-generation GC), so the hot shape — float series — is encoded by hand.
// Distribution samples and metadata (rare, small) still go through the generated code; their
// bytes are spliced in as the length-delimited fields they are.
// Output is byte-identical to pb.Batch.encode (same field order, packed repeated scalars,
// proto3 defaults omitted); the test checks that. Label bytes are computed by the caller once
// per label set (encodeLabels) and cached, as label sets repeat on every scrape.
import { pb } from '../proto/index.ts';
import type { Labels } from '../shared/labels.ts';

/** One series of a batch: its pre-encoded labels and its samples. */
export interface EncodedSeries {
  labelBytes: Uint8Array;
  timestampsMs: number[];
  values: number[];
  /** pre-encoded canopy.v1.DistributionSample messages */
  distributions: Uint8Array[] | undefined;
}

const utf8 = new TextEncoder();

function varintSize(v: number): number {
  if (v < 0) return 10; // int64 two's complement
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

class ByteWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  varint(v: number): void {
    this.ensure(10);
    if (v < 0) {
      let b = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < 9; i++, b >>= 7n) this.buf[this.pos++] = Number(b & 0x7fn) | 0x80;
      this.buf[this.pos++] = Number(b & 0x7fn);
      return;
    }
    while (v >= 128) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Field `tag` as a length-delimited UTF-8 string (omitted when empty, as proto3 does). */
  stringField(tag: number, s: string): void {
    if (s === '') return;
    const b = utf8.encode(s);
    this.varint(tag);
    this.varint(b.length);
    this.bytes(b);
  }
}

/** The repeated `labels` fields (tag 1) of a Series, for a label set. */
export function encodeLabels(ls: Labels): Uint8Array {
  const w = new ByteWriter();
  for (const l of ls) {
    const n = utf8.encode(l.name);
    const v = utf8.encode(l.value);
    w.varint(0x0a);
    w.varint(
      (n.length ? 1 + varintSize(n.length) + n.length : 0) +
        (v.length ? 1 + varintSize(v.length) + v.length : 0),
    );
    if (n.length) {
      w.varint(0x0a);
      w.varint(n.length);
      w.bytes(n);
    }
    if (v.length) {
      w.varint(0x12);
      w.varint(v.length);
      w.bytes(v);
    }
  }
  return w.buf.slice(0, w.pos);
}

/** A DistributionSample message's bytes (field 4 of Series). */
export function encodeDistributionSample(d: Parameters<typeof pb.DistributionSample.encode>[0]): Uint8Array {
  return pb.DistributionSample.encode(d).finish();
}

export class BatchEncoder {
  private readonly w = new ByteWriter(64 * 1024);

  /** Encodes one batch of series[0, count); the result is a fresh copy the caller may keep. */
  encode(
    batchId: string,
    source: string,
    createdMs: number,
    series: readonly EncodedSeries[],
    metadata: readonly { metric: string; type: string; help: string; unit: string }[],
    count = series.length,
  ): Uint8Array {
    const w = this.w;
    w.pos = 0;
    w.stringField(0x0a, batchId);
    w.stringField(0x12, source);
    for (let i = 0; i < count; i++) {
      const s = series[i]!;
      let tsSize = 0;
      for (const t of s.timestampsMs) tsSize += varintSize(t);
      const n = s.values.length;
      let size = s.labelBytes.length;
      if (n > 0) size += 1 + varintSize(tsSize) + tsSize + 1 + varintSize(8 * n) + 8 * n;
      if (s.distributions) for (const d of s.distributions) size += 1 + varintSize(d.length) + d.length;
      w.varint(0x1a);
      w.varint(size);
      w.bytes(s.labelBytes);
      if (n > 0) {
        w.varint(0x12);
        w.varint(tsSize);
        for (const t of s.timestampsMs) w.varint(t);
        w.varint(0x1a);
        w.varint(8 * n);
        for (const v of s.values) w.double(v);
      }
      if (s.distributions) {
        for (const d of s.distributions) {
          w.varint(0x22);
          w.varint(d.length);
          w.bytes(d);
        }
      }
    }
    if (createdMs !== 0) {
      w.varint(0x20);
      w.varint(createdMs);
    }
    for (const m of metadata) {
      const b = pb.MetricMetadata.encode(m).finish();
      w.varint(0x2a);
      w.varint(b.length);
      w.bytes(b);
    }
    return w.buf.slice(0, w.pos);
  }
}
