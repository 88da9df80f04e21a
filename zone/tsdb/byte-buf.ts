// Byte-aligned encoding helpers for the block files: a growable writer (uvarint, zig-zag varint,
// u32le, bytes) and a bounds-checked reader whose every overrun or malformed varint throws
// CanopyError('corrupt') — so a damaged index can never crash or loop the reader.
import { CanopyError } from '../../shared/errors.ts';

export class ByteWriter {
  buf: Uint8Array;
  len = 0;
  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
  }
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u8(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  uvarint(z: number): void {
    this.ensure(10);
    while (z >= 0x80) {
      this.buf[this.len++] = (z % 128) | 0x80;
      z = Math.floor(z / 128);
    }
    this.buf[this.len++] = z;
  }
  varint(i: number): void {
    this.uvarint(i >= 0 ? i * 2 : -i * 2 - 1);
  }
  u32(v: number): void {
    this.ensure(4);
    const b = this.buf,
      o = this.len;
    b[o] = v & 0xff;
    b[o + 1] = (v >>> 8) & 0xff;
    b[o + 2] = (v >>> 16) & 0xff;
    b[o + 3] = (v >>> 24) & 0xff;
    this.len += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

export class ByteReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
    private readonly what = 'index',
  ) {
    this.pos = start;
  }
  private fail(msg: string): never {
    throw new CanopyError('corrupt', `cannot read ${this.what}: ${msg} at byte ${this.pos} of ${this.end}`);
  }
  u8(): number {
    if (this.pos >= this.end) this.fail('truncated');
    return this.buf[this.pos++]!;
  }
  uvarint(): number {
    let z = 0,
      mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      z += (b & 0x7f) * mul;
      if (b < 0x80) return z;
      mul *= 128;
    }
    this.fail('varint longer than 8 bytes');
  }
  varint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  u32(): number {
    if (this.pos + 4 > this.end) this.fail('truncated');
    const b = this.buf,
      o = this.pos;
    this.pos += 4;
    return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  }
  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) this.fail(`${n} bytes past the end`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** A count of items of at least minBytes each that must fit in what is left. */
  count(minBytes: number): number {
    const n = this.uvarint();
    if (n * minBytes > this.end - this.pos) this.fail(`count ${n} does not fit`);
    return n;
  }
}
