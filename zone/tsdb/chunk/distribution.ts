// Distribution chunk (encoding 3): one flush interval's {count, sum, min, max, centroids} per
// sample.
//   u16be count | per sample: timestamp (TimestampState, CANOPY_DOD_WIDTHS) |
//   count, sum, min, max: each '0' same as previous sample's field, else '1' + XOR diff |
//   centroids: uvarint n | per centroid: mean ('0' same as previous mean, else '1' + XOR diff),
//   weight: '0' + uvarint (integer weights < 2^32), or '1' + 64 raw bits.
// Decoding validates the centroid count against the bits left, so corrupt input cannot make
// it allocate without bound. Each decoded sample is a fresh Distribution object.
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
  type DistributionAppender,
} from './encoding.ts';
import { CANOPY_DOD_WIDTHS, TimestampState } from './timestamps.ts';
import { XorFloatState } from './float-xor.ts';

const MAX_CENTROIDS = 1 << 16;

function writeFloat(w: BitWriter, s: XorFloatState, v: number): void {
  splitFloat(v);
  if (floatBits.hi === s.hi && floatBits.lo === s.lo) w.writeBit(0);
  else {
    w.writeBit(1);
    s.writeDiff(w, floatBits.hi, floatBits.lo);
  }
}

function readFloat(r: BitReader, s: XorFloatState): number {
  if (r.readBit() === 1) s.readDiff(r);
  return joinFloat(s.hi, s.lo);
}

export class DistributionChunk implements Chunk, DistributionAppender {
  readonly encoding = ChunkEncoding.Distribution;
  private readonly w = new BitWriter(64);
  private n = 0;
  private readonly ts = new TimestampState(CANOPY_DOD_WIDTHS);
  private readonly fs = [
    new XorFloatState(),
    new XorFloatState(),
    new XorFloatState(),
    new XorFloatState(),
    new XorFloatState(),
  ];

  constructor() {
    this.w.writeBits(0, 16);
  }

  static fromBytes(b: Uint8Array): DistributionChunk {
    const c = new DistributionChunk();
    const cur = new DistributionCursor(b);
    while (cur.next() !== ValueKind.None) c.append(cur.atT(), cur.atDistribution());
    const e = cur.err();
    if (e) throw e;
    return c;
  }

  numSamples(): number {
    return this.n;
  }

  /** Bytes allocated for the stream (≥ bytes().length). */
  capacityBytes(): number {
    return this.w.buf.byteLength;
  }
  bytes(): Uint8Array {
    return this.w.buf.subarray(0, this.w.byteLength());
  }
  appender(): DistributionAppender {
    return this;
  }
  lastT(): number {
    return this.ts.t;
  }

  append(tMs: number, d: Distribution): void {
    checkAppend(this.ts.t, this.n, tMs);
    const nc = d.means.length;
    if (d.weights.length !== nc || nc > MAX_CENTROIDS) {
      throw new CanopyError(
        'bad_data',
        `cannot append distribution: ${nc} means, ${d.weights.length} weights (max ${MAX_CENTROIDS})`,
      );
    }
    const w = this.w,
      fs = this.fs;
    this.ts.write(w, this.n, tMs);
    writeFloat(w, fs[0]!, d.count);
    writeFloat(w, fs[1]!, d.sum);
    writeFloat(w, fs[2]!, d.min);
    writeFloat(w, fs[3]!, d.max);
    w.writeUvarint(nc);
    for (let i = 0; i < nc; i++) {
      writeFloat(w, fs[4]!, d.means[i]!);
      const wt = d.weights[i]!;
      if (Number.isInteger(wt) && wt >= 0 && wt < 4294967296) {
        w.writeBit(0);
        w.writeUvarint(wt);
      } else {
        splitFloat(wt);
        w.writeBit(1);
        w.writeBits(floatBits.hi, 32);
        w.writeBits(floatBits.lo, 32);
      }
    }
    this.n++;
    w.setByte(0, this.n >>> 8);
    w.setByte(1, this.n & 0xff);
  }

  cursor(): ChunkCursor {
    return new DistributionCursor(this.bytes());
  }
}

export class DistributionCursor implements ChunkCursor {
  private readonly r: BitReader;
  private n = 0;
  private i = 0;
  private t = 0;
  private d: Distribution | null = null;
  private on = false;
  private e: Error | null = null;
  private readonly ts = new TimestampState(CANOPY_DOD_WIDTHS);
  private readonly fs = [
    new XorFloatState(),
    new XorFloatState(),
    new XorFloatState(),
    new XorFloatState(),
    new XorFloatState(),
  ];

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
    for (const f of this.fs) f.reset();
    try {
      this.n = readCount(b);
    } catch (err) {
      this.n = 0;
      this.e = err as Error;
    }
  }

  private readSample(): Distribution {
    const r = this.r,
      fs = this.fs;
    const count = readFloat(r, fs[0]!);
    const sum = readFloat(r, fs[1]!);
    const min = readFloat(r, fs[2]!);
    const max = readFloat(r, fs[3]!);
    const nc = r.readUvarint();
    if (nc > MAX_CENTROIDS || nc * 2 > r.remainingBits())
      throw new CanopyError('corrupt', `cannot decode distribution chunk: ${nc} centroids`);
    const means = new Float64Array(nc),
      weights = new Float64Array(nc);
    for (let i = 0; i < nc; i++) {
      means[i] = readFloat(r, fs[4]!);
      if (r.readBit() === 0) weights[i] = r.readUvarint();
      else {
        const hi = r.readBits(32);
        weights[i] = joinFloat(hi, r.readBits(32));
      }
    }
    return { count, sum, min, max, means, weights };
  }

  next(): ValueKind {
    if (this.i >= this.n) {
      this.on = false;
      return ValueKind.None;
    }
    try {
      this.t = this.ts.read(this.r, this.i);
      this.d = this.readSample();
    } catch (err) {
      this.e =
        err instanceof CanopyError
          ? err
          : new CanopyError('corrupt', `cannot decode distribution chunk: ${String(err)}`);
      this.n = 0;
      this.on = false;
      return ValueKind.None;
    }
    this.i++;
    this.on = true;
    return ValueKind.Distribution;
  }

  seek(tMs: number): ValueKind {
    if (this.on && this.t >= tMs) return ValueKind.Distribution;
    while (this.next() !== ValueKind.None) if (this.t >= tMs) return ValueKind.Distribution;
    return ValueKind.None;
  }

  atT(): number {
    return this.t;
  }
  atF(): number {
    return this.d ? this.d.sum : NaN;
  }
  atDistribution(): Distribution {
    if (!this.d) throw new CanopyError('execution', 'distribution cursor is not on a sample');
    return this.d;
  }
  err(): Error | null {
    return this.e;
  }
}
