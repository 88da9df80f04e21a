// ByteSink / ByteSource: the growable output buffer and the bounds-checked reader the WAL
// record codec writes and reads. Encodings (little-endian, as in docs/format/wal.md):
//   uvarint: LEB128, 7 bits per byte, values 0 .. 2^53-1 (JS safe integers);
//   zvarint: zigzag (n >= 0 ? 2n : -2n-1) then uvarint, |n| <= 2^52;
//   f64: IEEE-754 binary64 LE, 8 bytes; u32: LE, 4 bytes; str: uvarint byte length + UTF-8.
// A ByteSource never reads past `end`: an overrun throws CanopyError('corrupt').
import { CanopyError } from '../../shared/errors.ts';

const TWO_POW_31 = 0x80000000;

export class ByteSink {
  buf: Buffer;
  len = 0;
  private view: DataView;

  constructor(initialSizeBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSizeBytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for n more bytes (doubling, so appends are amortised O(1)). */
  ensure(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  reset(): void {
    this.len = 0;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.len, v, true);
    this.len += 4;
  }

  setU32At(off: number, v: number): void {
    this.view.setUint32(off, v, true);
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.len, v, true);
    this.len += 8;
  }

  uvarint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    let n = this.len;
    // Fast path below 2^31 with bit ops; above it, arithmetic (bit ops are 32-bit in JS).
    while (v >= TWO_POW_31) {
      b[n++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    while (v >= 0x80) {
      b[n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[n++] = v;
    this.len = n;
  }

  zvarint(v: number): void {
    this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  str(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.uvarint(n);
    this.ensure(n);
    this.len += this.buf.write(s, this.len, n, 'utf8');
  }

  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.ensure(n);
    this.buf.set(src.subarray(start, end), this.len);
    this.len += n;
  }
}

export class ByteSource {
  buf: Buffer;
  pos: number;
  end: number;
  private view: DataView;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  reset(buf: Buffer, start: number, end: number): void {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.pos = start;
    this.end = end;
  }

  private overrun(what: string): never {
    throw new CanopyError(
      'corrupt',
      `cannot read ${what}: record payload ends at byte ${this.end}, at ${this.pos}`,
    );
  }

  u8(): number {
    if (this.pos >= this.end) this.overrun('byte');
    return this.buf[this.pos++]!;
  }

  f64(): number {
    if (this.pos + 8 > this.end) this.overrun('float64');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  uvarint(): number {
    const b = this.buf;
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) this.overrun('varint');
      const x = b[this.pos++]!;
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 128;
    }
    // 8 groups of 7 bits = 56 bits; anything longer is not a safe integer.
    throw new CanopyError('corrupt', `cannot read varint: longer than 8 bytes at ${this.pos}`);
  }

  zvarint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  str(): string {
    const n = this.uvarint();
    if (this.pos + n > this.end) this.overrun(`string of ${n} bytes`);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}
