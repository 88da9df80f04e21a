// Decimal chunk (encoding 2): Gorilla timestamps with buckets tuned for ms scrape jitter, and
// values coded as scaled integers when they have few decimal digits (most exporter data), with
// an XOR fallback that keeps every float64 bit pattern exact.
//   u16be count | timestamps (TimestampState, CANOPY_DOD_WIDTHS) interleaved with values:
//   '0'    value bit-identical to the previous one
//   '10'   integer delta at the current scale: zz = zigzag(I - Iprev), then
//            '0' + nPrev bits (reuse width)  |  '1' + n:6 + n bits (n ≥ 1, becomes nPrev)
//   '110'  set scale: k:4, n:6, n bits of zigzag(I)     (value = I / 10^k)
//   '111'  XorFloatState diff against the previous value (leaves decimal mode)
// Invariants: I / 10^k reproduces the value bit for bit (checked by the encoder), |I| ≤ 2^51,
// so deltas stay exact doubles. Initial state: value +0, decimal mode, k = 0, I = 0, nPrev = 0.
import { CanopyError } from '../../../shared/errors.ts';
import { ValueKind } from '../../../shared/storage.ts';
import type { Distribution } from '../../../shared/distribution.ts';
import {
  BitReader,
  BitWriter,
  bitLength,
  floatBits,
  joinFloat,
  peek32,
  splitFloat,
  unzigzag,
  zigzag,
} from './bit-stream.ts';
import {
  ChunkEncoding,
  checkAppend,
  MAX_ABS_T_MS,
  readCount,
  type Chunk,
  type ChunkCursor,
  type FloatAppender,
} from './encoding.ts';
import { CANOPY_DOD_WIDTHS, TimestampState, writeTimestamp } from './timestamps.ts';
import { XorFloatState, xorCost, xorWriteDiff, type XorState } from './float-xor.ts';

const MAX_SCALE = 15;
/** The two smallest timestamp dod buckets (widths and halves), decoded inline by nextFast. */
const DOD_W0 = CANOPY_DOD_WIDTHS.widths[0]!,
  DOD_W1 = CANOPY_DOD_WIDTHS.widths[1]!;
const DOD_H0 = 2 ** (DOD_W0 - 1),
  DOD_H1 = 2 ** (DOD_W1 - 1);
const MAX_INT = 2 ** 51;
const POW10 = Float64Array.from({ length: MAX_SCALE + 1 }, (_, i) => 10 ** i);

/** Scaled integer of v at scale k when it reproduces v exactly, else NaN. */
function scaled(v: number, k: number): number {
  const p = POW10[k]!;
  const i = Math.round(v * p);
  if (!(i <= MAX_INT && i >= -MAX_INT) || i / p !== v) return NaN;
  if (v === 0 && 1 / v < 0) return NaN; // -0 has no integer form
  return i;
}

/**
 * The encoder is one flat object (it extends the bit writer and holds the timestamp and XOR
 * state itself): the head keeps one open chunk per series, so every object saved per chunk
 * is saved per series.
 */
export class DecimalChunk extends BitWriter implements Chunk, FloatAppender, XorState {
  private n = 0;
  /** Timestamp state (writeTimestamp). */
  t = 0;
  delta = 0;
  /** XOR state (xorWriteDiff): previous value bits and window. */
  hi = 0;
  lo = 0;
  lead = 0xff;
  trail = 0;
  private dec = true;
  private k = 0;
  private int = 0;
  private nPrev = 0;

  constructor(initialBytes = 32) {
    super(initialBytes);
    this.writeBits(0, 16);
  }

  get encoding(): ChunkEncoding {
    return ChunkEncoding.Decimal;
  }

  static fromBytes(b: Uint8Array): DecimalChunk {
    const c = new DecimalChunk(b.length + 8);
    const cur = new DecimalCursor(b);
    while (cur.next() !== ValueKind.None) c.append(cur.atT(), cur.atF());
    const e = cur.err();
    if (e) throw e;
    return c;
  }

  numSamples(): number {
    return this.n;
  }

  /** Bytes allocated for the stream (≥ bytes().length). */
  capacityBytes(): number {
    return this.buf.byteLength;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.byteLength());
  }

  appender(): FloatAppender {
    return this;
  }

  lastT(): number {
    return this.t;
  }

  append(tMs: number, v: number): void {
    checkAppend(this.t, this.n, tMs);
    writeTimestamp(this, CANOPY_DOD_WIDTHS, this, this.n, tMs);
    splitFloat(v);
    const hi = floatBits.hi,
      lo = floatBits.lo;
    if (hi === this.hi && lo === this.lo) {
      this.writeBit(0);
    } else {
      const i = this.dec ? scaled(v, this.k) : NaN;
      if (i === i) {
        this.writeDelta(zigzag(i - this.int));
        this.int = i;
      } else {
        this.writeOther(v, hi, lo);
      }
      this.hi = hi;
      this.lo = lo;
    }
    this.n++;
    this.setByte(0, this.n >>> 8);
    this.setByte(1, this.n & 0xff);
  }

  private writeDelta(z: number): void {
    const bl = bitLength(z);
    if (this.nPrev > 0 && bl <= this.nPrev && this.nPrev - bl <= 6) {
      this.writeBits(0b100, 3);
      this.writeWide(z, this.nPrev);
    } else {
      this.writeBits(0b101, 3);
      this.writeBits(bl, 6);
      this.writeWide(z, bl);
      this.nPrev = bl;
    }
  }

  /** A value not representable at the current scale: a new scale, or XOR. */
  private writeOther(v: number, hi: number, lo: number): void {
    let k = this.dec ? this.k + 1 : 0;
    let i = NaN;
    for (; k <= MAX_SCALE; k++) {
      i = scaled(v, k);
      if (i === i) break;
    }
    const cost = xorCost(this, hi, lo);
    if (i === i) {
      const z = zigzag(i);
      const bl = bitLength(z);
      if (10 + bl <= cost) {
        this.writeBits(0b110, 3);
        this.writeBits(k, 4);
        this.writeBits(bl, 6);
        this.writeWide(z, bl);
        this.dec = true;
        this.k = k;
        this.int = i;
        return;
      }
    }
    this.writeBits(0b111, 3);
    xorWriteDiff(this, this, hi, lo);
    this.dec = false;
  }

  cursor(): ChunkCursor {
    return new DecimalCursor(this.bytes());
  }
}

export class DecimalCursor implements ChunkCursor {
  private readonly r: BitReader;
  private n = 0;
  private i = 0;
  private t = 0;
  private v = 0;
  private on = false;
  private e: Error | null = null;
  private readonly ts = new TimestampState(CANOPY_DOD_WIDTHS);
  private readonly vs = new XorFloatState();
  private dec = true;
  private k = 0;
  private int = 0;
  private nPrev = 0;

  constructor(b: Uint8Array) {
    this.r = new BitReader(b);
    this.reset(b);
  }

  reset(b: Uint8Array): void {
    this.r.reset(b, 2);
    this.i = 0;
    this.e = null;
    this.on = false;
    this.v = 0;
    this.ts.reset();
    this.vs.reset();
    this.dec = true;
    this.k = 0;
    this.int = 0;
    this.nPrev = 0;
    try {
      this.n = readCount(b);
    } catch (err) {
      this.n = 0;
      this.e = err as Error;
    }
  }

  private readValue(): void {
    const r = this.r;
    if (r.readBit() === 0) return;
    if (r.readBit() === 0) {
      if (!this.dec)
        throw new CanopyError('corrupt', 'cannot decode decimal chunk: integer delta outside decimal mode');
      let n = this.nPrev;
      if (r.readBit() === 1) {
        n = r.readBits(6);
        this.nPrev = n;
      }
      if (n === 0 || n > 53)
        throw new CanopyError('corrupt', `cannot decode decimal chunk: delta width ${n}`);
      this.setInt(this.int + unzigzag(r.readWide(n)));
    } else if (r.readBit() === 0) {
      this.k = r.readBits(4);
      const n = r.readBits(6);
      if (n > 53) throw new CanopyError('corrupt', `cannot decode decimal chunk: value width ${n}`);
      this.dec = true;
      this.setInt(unzigzag(r.readWide(n)));
    } else {
      if (this.dec) {
        // The XOR state's value bits are those of the previous (decimal-coded) value.
        splitFloat(this.v);
        this.vs.hi = floatBits.hi;
        this.vs.lo = floatBits.lo;
      }
      this.vs.readDiff(r);
      this.dec = false;
      this.v = joinFloat(this.vs.hi, this.vs.lo);
    }
  }

  private setInt(i: number): void {
    if (!(i <= MAX_INT && i >= -MAX_INT))
      throw new CanopyError('corrupt', `cannot decode decimal chunk: integer ${i} out of range`);
    this.int = i;
    this.v = i / POW10[this.k]!;
  }

  /**
   * Decodes sample i ≥ 2 in the common cases (a timestamp dod in the two smallest buckets and
   * an unchanged value or an integer delta of ≤ 23/29 bits) from two 32-bit peeks, without
   * bounds checks (only when ≥ 8 bytes remain). Returns false, having changed nothing, in
   * every other case, and the general path decodes (and validates) the sample.
   */
  private nextFast(): boolean {
    const r = this.r,
      buf = r.buf,
      p = r.pos;
    if ((p >>> 3) + 8 > buf.length) return false;
    const w = peek32(buf, p);
    let dod: number, used: number;
    if (w >= 0) {
      dod = 0;
      used = 1;
    } else if ((w & 0x40000000) === 0) {
      dod = (w << 2) >>> (32 - DOD_W0);
      if (dod > DOD_H0) dod -= 2 * DOD_H0;
      used = 2 + DOD_W0;
    } else if ((w & 0x20000000) === 0) {
      dod = (w << 3) >>> (32 - DOD_W1);
      if (dod > DOD_H1) dod -= 2 * DOD_H1;
      used = 3 + DOD_W1;
    } else return false;
    const ts = this.ts;
    const delta = ts.delta + dod;
    const t = ts.t + delta;
    if (!(delta > 0 && delta <= Number.MAX_SAFE_INTEGER && t <= MAX_ABS_T_MS && t >= -MAX_ABS_T_MS))
      return false;
    const v = peek32(buf, p + used);
    if (v >= 0) {
      used += 1;
    } else {
      if ((v & 0x40000000) !== 0 || !this.dec) return false;
      let n: number, z: number;
      if ((v & 0x20000000) === 0) {
        n = this.nPrev;
        if (n === 0 || n > 29) return false;
        z = (v << 3) >>> (32 - n);
        used += 3 + n;
      } else {
        n = (v >>> 23) & 63;
        if (n === 0 || n > 23) return false;
        z = (v << 9) >>> (32 - n);
        used += 9 + n;
      }
      const i = this.int + unzigzag(z);
      if (!(i <= MAX_INT && i >= -MAX_INT)) return false;
      this.nPrev = n;
      this.int = i;
      this.v = i / POW10[this.k]!;
    }
    r.pos = p + used;
    ts.delta = delta;
    ts.t = t;
    this.t = t;
    return true;
  }

  next(): ValueKind {
    if (this.i >= this.n) {
      this.on = false;
      return ValueKind.None;
    }
    if (this.i >= 2 && this.nextFast()) {
      this.i++;
      this.on = true;
      return ValueKind.Float;
    }
    try {
      this.t = this.ts.read(this.r, this.i);
      this.readValue();
    } catch (err) {
      this.e =
        err instanceof CanopyError
          ? err
          : new CanopyError('corrupt', `cannot decode decimal chunk: ${String(err)}`);
      this.n = 0;
      this.on = false;
      return ValueKind.None;
    }
    this.i++;
    this.on = true;
    return ValueKind.Float;
  }

  seek(tMs: number): ValueKind {
    if (this.on && this.t >= tMs) return ValueKind.Float;
    while (this.next() !== ValueKind.None) if (this.t >= tMs) return ValueKind.Float;
    return ValueKind.None;
  }

  atT(): number {
    return this.t;
  }
  atF(): number {
    return this.v;
  }
  atDistribution(): Distribution {
    throw new CanopyError('execution', 'decimal chunk holds float samples, not distributions');
  }
  err(): Error | null {
    return this.e;
  }
}
