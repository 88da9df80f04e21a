// Bit streams: an append-only, MSB-first bit writer over a growing Uint8Array, and a bounded
// reader. Invariants: the writer's bytes beyond bitLen are zero (so partially written bytes can be
// OR-ed into); the reader never reads past its end: an overrun throws CanopyError('corrupt').
// Widths are ≤ 32 bits per call; wider fields are written as two calls (hi, lo).
import { CanopyError } from '../../../shared/errors.ts';

const TWO32 = 4294967296;

export class BitWriter {
  buf: Uint8Array;
  /** Number of bits written. */
  bitLen = 0;

  constructor(initialBytes = 16) {
    this.buf = new Uint8Array(Math.max(2, initialBytes));
  }

  private grow(needBytes: number): void {
    // Doubling keeps appends amortised O(1); the head copies the sealed chunk to an exact-size array.
    let cap = this.buf.length * 2;
    while (cap < needBytes) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf);
    this.buf = next;
  }

  /** Writes the low `n` bits of `v` (0 ≤ n ≤ 32), most significant first. */
  writeBits(v: number, n: number): void {
    if (n === 0) return;
    if (n < 32) v &= (1 << n) - 1;
    const needBytes = (this.bitLen + n + 7) >>> 3;
    if (needBytes > this.buf.length) this.grow(needBytes);
    const buf = this.buf;
    while (n > 0) {
      const used = this.bitLen & 7;
      const free = 8 - used;
      const take = free < n ? free : n;
      const bits = (v >>> (n - take)) & ((1 << take) - 1);
      buf[this.bitLen >>> 3]! |= bits << (free - take);
      this.bitLen += take;
      n -= take;
    }
  }

  writeBit(b: number): void {
    const idx = this.bitLen >>> 3;
    if (idx >= this.buf.length) this.grow(idx + 1);
    if (b) this.buf[idx]! |= 0x80 >>> (this.bitLen & 7);
    this.bitLen++;
  }

  /** Writes a non-negative integer z < 2^53 in exactly n bits (n ≤ 53). */
  writeWide(z: number, n: number): void {
    if (n > 32) {
      this.writeBits(Math.floor(z / TWO32), n - 32);
      this.writeBits(z >>> 0, 32);
    } else this.writeBits(z >>> 0, n);
  }

  /** Unsigned LEB128 through the bit stream (not byte aligned). */
  writeUvarint(z: number): void {
    while (z >= 0x80) {
      this.writeBits((z % 128) | 0x80, 8);
      z = Math.floor(z / 128);
    }
    this.writeBits(z, 8);
  }

  byteLength(): number {
    return (this.bitLen + 7) >>> 3;
  }

  /** Sets a byte that was already written (used for chunk headers). */
  setByte(i: number, b: number): void {
    this.buf[i] = b;
  }

  /** A copy of exactly the written bytes. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.byteLength());
  }
}

export class BitReader {
  /** The bytes and the bit position; decoders' fast paths read them directly (peek32). */
  buf: Uint8Array;
  pos = 0;
  private endBits: number;

  constructor(buf: Uint8Array, startByte = 0) {
    this.buf = buf;
    this.pos = startByte * 8;
    this.endBits = buf.length * 8;
  }

  reset(buf: Uint8Array, startByte = 0): void {
    this.buf = buf;
    this.pos = startByte * 8;
    this.endBits = buf.length * 8;
  }

  private overrun(n: number): never {
    throw new CanopyError(
      'corrupt',
      `cannot read ${n} bits at bit ${this.pos}: stream has ${this.endBits} bits`,
    );
  }

  remainingBits(): number {
    return this.endBits - this.pos;
  }

  readBit(): number {
    if (this.pos >= this.endBits) this.overrun(1);
    const b = (this.buf[this.pos >>> 3]! >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return b;
  }

  /** Reads n ≤ 32 bits as an unsigned number. */
  readBits(n: number): number {
    const p = this.pos;
    if (p + n > this.endBits) this.overrun(n);
    const buf = this.buf;
    const i = p >>> 3;
    if (n > 0 && n <= 25 && i + 3 < buf.length) {
      // One big-endian 32-bit load holds the n ≤ 25 bits after any bit offset (0..7).
      const w = (buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!;
      this.pos = p + n;
      return (w << (p & 7)) >>> (32 - n);
    }
    let v = 0;
    while (n > 0) {
      const used = this.pos & 7;
      const avail = 8 - used;
      const take = avail < n ? avail : n;
      const bits = (buf[this.pos >>> 3]! >>> (avail - take)) & ((1 << take) - 1);
      v = v * (1 << take) + bits; // multiplication keeps 32-bit results unsigned
      this.pos += take;
      n -= take;
    }
    return v;
  }

  /** Reads an n-bit (n ≤ 53) unsigned integer. */
  readWide(n: number): number {
    if (n > 32) {
      const hi = this.readBits(n - 32);
      return hi * TWO32 + this.readBits(32);
    }
    return this.readBits(n);
  }

  readUvarint(): number {
    let z = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.readBits(8);
      z += (b & 0x7f) * mul;
      if (b < 0x80) return z;
      mul *= 128;
    }
    throw new CanopyError('corrupt', `cannot read uvarint at bit ${this.pos}: longer than 8 bytes`);
  }
}

/**
 * The 32 bits at bit position pos of buf, MSB first, as an int32. The caller guarantees that
 * bytes pos/8 .. pos/8 + 4 exist.
 */
export function peek32(buf: Uint8Array, pos: number): number {
  const j = pos >>> 3,
    sh = pos & 7;
  return (
    (((buf[j]! << 24) | (buf[j + 1]! << 16) | (buf[j + 2]! << 8) | buf[j + 3]!) << sh) |
    (buf[j + 4]! >>> (8 - sh))
  );
}

/** Zig-zag for integers up to ±2^52 without 32-bit bit operations. */
export function zigzag(i: number): number {
  return i >= 0 ? i * 2 : -i * 2 - 1;
}

export function unzigzag(z: number): number {
  // Math.floor instead of z % 2: a float modulo is a slow runtime call on the decode path.
  const h = Math.floor(z / 2);
  return z === 2 * h ? h : -h - 1;
}

/** Number of bits needed to hold z ≥ 0 (0 for z = 0). */
export function bitLength(z: number): number {
  if (z < TWO32) return 32 - Math.clz32(z);
  return 64 - Math.clz32(Math.floor(z / TWO32));
}

// Float64 ↔ two uint32 words. The platform is little-endian (checked once here).
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
  throw new Error('BUG: big-endian platforms are not supported');

export const floatBits = { hi: 0, lo: 0 };

/** Splits v into floatBits.hi / floatBits.lo (shared scratch; read immediately). */
export function splitFloat(v: number): void {
  f64[0] = v;
  floatBits.lo = u32[0]!;
  floatBits.hi = u32[1]!;
}

export function joinFloat(hi: number, lo: number): number {
  u32[0] = lo;
  u32[1] = hi;
  return f64[0]!;
}
