// Prometheus XOR chunk encoder (tsdb/chunkenc/xor.go layout), for remote read's
// STREAMED_XOR_CHUNKS answers, which Prometheus decodes with its own chunk reader:
//   u16be sample count | t0 zig-zag varint | v0 64 bits | t1-t0 uvarint | v1 xor |
//   then per sample: dod '0' / '10'+14 / '110'+17 / '1110'+20 / '1111'+64 bits (two's
//   complement), value '0' (same as previous) or '1' then '0' + bits in the previous window
//   or '1' + leading:5 + significant:6 (64 written as 0) + the significant bits.
// The zone's own XOR chunk (zone/tsdb/chunk/xor.ts) uses the same layout; this encoder lives in
// shared/ because the root answers remote read too. Tests decode its output with the zone's
// reader. Samples must come in strictly increasing time order (the caller's storage guarantees it).

/** Prometheus cuts XOR chunks at 120 samples; remote read answers do the same. */
export const SAMPLES_PER_CHUNK = 120;

const TWO32 = 4294967296;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Float64Array shares bytes with Uint32Array in platform order; Node runs little-endian here.
const LO = 0;
const HI = 1;

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

export class XorChunkWriter {
  private buf = new Uint8Array(128);
  /** Bits written, header included. */
  private bits = 16;
  private n = 0;
  private tPrev = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private lead = 0xff;
  private trail = 0;
  minT = 0;
  maxT = 0;

  get count(): number {
    return this.n;
  }

  reset(): void {
    this.buf.fill(0, 0, (this.bits + 7) >>> 3);
    this.bits = 16;
    this.n = 0;
    this.lead = 0xff;
    this.trail = 0;
  }

  /** The chunk's bytes (a copy: the writer is reused). */
  bytes(): Uint8Array {
    this.buf[0] = this.n >>> 8;
    this.buf[1] = this.n & 0xff;
    return this.buf.slice(0, (this.bits + 7) >>> 3);
  }

  append(tMs: number, v: number): void {
    f64[0] = v;
    const hi = u32[HI]!,
      lo = u32[LO]!;
    if (this.n === 0) {
      this.minT = tMs;
      this.writeUvarint(tMs >= 0 ? tMs * 2 : -tMs * 2 - 1);
      this.writeBits(hi, 32);
      this.writeBits(lo, 32);
    } else if (this.n === 1) {
      this.tDelta = tMs - this.tPrev;
      this.writeUvarint(this.tDelta);
      this.writeValue(hi, lo);
    } else {
      const delta = tMs - this.tPrev;
      const dod = delta - this.tDelta;
      this.tDelta = delta;
      if (dod === 0) this.writeBits(0, 1);
      else if (dod >= -(2 ** 13 - 1) && dod <= 2 ** 13) this.writeDod(0b10, 2, dod, 14);
      else if (dod >= -(2 ** 16 - 1) && dod <= 2 ** 16) this.writeDod(0b110, 3, dod, 17);
      else if (dod >= -(2 ** 19 - 1) && dod <= 2 ** 19) this.writeDod(0b1110, 4, dod, 20);
      else {
        this.writeBits(0b1111, 4);
        this.writeBits(Math.floor(dod / TWO32) >>> 0, 32);
        this.writeBits(dod >>> 0, 32);
      }
      this.writeValue(hi, lo);
    }
    this.tPrev = tMs;
    this.maxT = tMs;
    this.vHi = hi;
    this.vLo = lo;
    this.n++;
  }

  private writeDod(prefix: number, prefixBits: number, dod: number, width: number): void {
    this.writeBits(prefix, prefixBits);
    this.writeBits(dod & ((1 << width) - 1), width);
  }

  private writeValue(hi: number, lo: number): void {
    const xh = (hi ^ this.vHi) >>> 0,
      xl = (lo ^ this.vLo) >>> 0;
    if (xh === 0 && xl === 0) return this.writeBits(0, 1);
    this.writeBits(1, 1);
    let lead = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    if (lead >= 32) lead = 31; // 5 bits hold at most 31, as Prometheus clamps
    const trail = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
    if (this.lead !== 0xff && lead >= this.lead && trail >= this.trail) {
      this.writeBits(0, 1);
      this.writeShifted(xh, xl, this.trail, 64 - this.lead - this.trail);
      return;
    }
    this.lead = lead;
    this.trail = trail;
    const sig = 64 - lead - trail;
    this.writeBits(1, 1);
    this.writeBits(lead, 5);
    this.writeBits(sig & 63, 6);
    this.writeShifted(xh, xl, trail, sig);
  }

  /** Writes the low `count` bits of (hi:lo) >> shift. */
  private writeShifted(hi: number, lo: number, shift: number, count: number): void {
    let h: number, l: number;
    if (shift === 0) [h, l] = [hi, lo];
    else if (shift >= 32) [h, l] = [0, hi >>> (shift - 32)];
    else [h, l] = [hi >>> shift, ((lo >>> shift) | (hi << (32 - shift))) >>> 0];
    if (count > 32) {
      this.writeBits(h, count - 32);
      this.writeBits(l, 32);
    } else this.writeBits(l, count);
  }

  private writeUvarint(x: number): void {
    while (x >= 0x80) {
      this.writeBits((x % 0x80) | 0x80, 8);
      x = Math.floor(x / 0x80);
    }
    this.writeBits(x, 8);
  }

  /** Writes the low n (≤ 32) bits of v, most significant first. */
  private writeBits(v: number, n: number): void {
    const need = (this.bits + n + 7) >>> 3;
    if (need > this.buf.length) {
      const b = new Uint8Array(Math.max(need, this.buf.length * 2));
      b.set(this.buf);
      this.buf = b;
    }
    for (let i = n - 1; i >= 0; i--) {
      if ((v >>> i) & 1) {
        const at = this.bits >>> 3;
        this.buf[at] = this.buf[at]! | (0x80 >>> (this.bits & 7));
      }
      this.bits++;
    }
  }
}
