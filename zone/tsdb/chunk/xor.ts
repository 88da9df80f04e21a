// XOR chunk (encoding 1): the Prometheus Gorilla layout.
//   u16be count | t0 zig-zag uvarint | v0 64 bits | t1 uvarint delta | v1 xor |
//   then per sample: dod in buckets '0' / '10'+14 / '110'+17 / '1110'+20 / '1111'+64,
//   value: '0' same as previous, else '1' + XorFloatState diff.
// Round-trips every float64 bit pattern. Samples are strictly increasing in time.
import { CanopyError } from '../../../shared/errors.ts';
import { ValueKind } from '../../../shared/storage.ts';
import type { Distribution } from '../../../shared/distribution.ts';
import { BitReader, BitWriter, floatBits, joinFloat, splitFloat } from './bit-stream.ts';
import {
  ChunkEncoding,
  checkAppend,
  readCount,
  type Chunk,
  type ChunkCursor,
  type FloatAppender,
} from './encoding.ts';
import { PROM_DOD_WIDTHS, TimestampState } from './timestamps.ts';
import { XorFloatState } from './float-xor.ts';

export class XorChunk implements Chunk, FloatAppender {
  readonly encoding = ChunkEncoding.Xor;
  private readonly w: BitWriter;
  private n = 0;
  private readonly ts = new TimestampState(PROM_DOD_WIDTHS);
  private readonly vs = new XorFloatState();

  constructor(initialBytes = 32) {
    this.w = new BitWriter(initialBytes);
    this.w.writeBits(0, 16);
  }

  /** Decodes (and validates) bytes into a chunk that can be appended to. */
  static fromBytes(b: Uint8Array): XorChunk {
    const c = new XorChunk(b.length + 8);
    const cur = new XorCursor(b);
    while (cur.next() !== ValueKind.None) c.append(cur.atT(), cur.atF());
    const e = cur.err();
    if (e) throw e;
    return c;
  }

  numSamples(): number {
    return this.n;
  }

  bytes(): Uint8Array {
    return this.w.buf.subarray(0, this.w.byteLength());
  }

  appender(): FloatAppender {
    return this;
  }

  lastT(): number {
    return this.ts.t;
  }

  append(tMs: number, v: number): void {
    checkAppend(this.ts.t, this.n, tMs);
    const w = this.w;
    this.ts.write(w, this.n, tMs);
    splitFloat(v);
    const hi = floatBits.hi,
      lo = floatBits.lo;
    if (this.n === 0) {
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
      this.vs.hi = hi;
      this.vs.lo = lo;
    } else if (hi === this.vs.hi && lo === this.vs.lo) {
      w.writeBit(0);
    } else {
      w.writeBit(1);
      this.vs.writeDiff(w, hi, lo);
    }
    this.n++;
    w.setByte(0, this.n >>> 8);
    w.setByte(1, this.n & 0xff);
  }

  cursor(): ChunkCursor {
    return new XorCursor(this.bytes());
  }
}

export class XorCursor implements ChunkCursor {
  private r: BitReader;
  private n = 0;
  private i = 0;
  private t = 0;
  private v = 0;
  private e: Error | null = null;
  private on = false;
  private readonly ts = new TimestampState(PROM_DOD_WIDTHS);
  private readonly vs = new XorFloatState();

  constructor(b: Uint8Array) {
    this.r = new BitReader(b);
    this.reset(b);
  }

  reset(b: Uint8Array): void {
    this.r.reset(b, 2);
    this.i = 0;
    this.e = null;
    this.on = false;
    this.ts.reset();
    this.vs.reset();
    try {
      this.n = readCount(b);
    } catch (err) {
      this.n = 0;
      this.e = err as Error;
    }
  }

  next(): ValueKind {
    if (this.i >= this.n) {
      this.on = false;
      return ValueKind.None;
    }
    try {
      this.t = this.ts.read(this.r, this.i);
      if (this.i === 0) {
        this.vs.hi = this.r.readBits(32);
        this.vs.lo = this.r.readBits(32);
      } else if (this.r.readBit() === 1) {
        this.vs.readDiff(this.r);
      }
      this.v = joinFloat(this.vs.hi, this.vs.lo);
    } catch (err) {
      this.e =
        err instanceof CanopyError
          ? err
          : new CanopyError('corrupt', `cannot decode xor chunk: ${String(err)}`);
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
    throw new CanopyError('execution', 'xor chunk holds float samples, not distributions');
  }
  err(): Error | null {
    return this.e;
  }
}
