// Timestamp coding shared by the chunk codecs: sample 0 as a zig-zag uvarint, sample 1 as a
// uvarint delta (> 0), later samples as a delta-of-delta in prefix buckets:
//   '0' → 0;  '1'×i '0' + widths[i-1] bits (i = 1..k);  '1'×(k+1) + 64-bit two's complement.
// A w-bit bucket holds [-(2^(w-1) - 1), 2^(w-1)]. With |t| ≤ 2^52 every delta and dod is an
// exact double, so no BigInt is needed. Decoding validates bounds and strict increase.
import { CanopyError } from '../../../shared/errors.ts';
import { MAX_ABS_T_MS } from './encoding.ts';
import { unzigzag, zigzag, type BitReader, type BitWriter } from './bit-stream.ts';

const TWO32 = 4294967296;

/** A dod bucket table with its prefix codes precomputed (shared by all chunks: hot path). */
export class DodBuckets {
  /** Per bucket: upper bound 2^(w-1), prefix code and its length. */
  readonly halves: Float64Array;
  readonly prefix: Uint32Array;
  readonly prefixLen: Uint8Array;

  constructor(readonly widths: readonly number[]) {
    const k = widths.length;
    this.halves = Float64Array.from(widths, (w) => 2 ** (w - 1));
    this.prefix = new Uint32Array(k + 1);
    this.prefixLen = new Uint8Array(k + 1);
    for (let i = 0; i < k; i++) {
      this.prefix[i] = (1 << (i + 2)) - 2; // i+1 ones, then a zero
      this.prefixLen[i] = i + 2;
    }
    this.prefix[k] = (1 << (k + 1)) - 1; // k+1 ones: the 64-bit escape
    this.prefixLen[k] = k + 1;
  }
}

/** Prometheus XOR chunk buckets. */
export const PROM_DOD_WIDTHS = new DodBuckets([14, 17, 20]);
/** Canopy buckets: ±8 ms of dod costs 6 bits, ±64 ms 10 bits (tuned on jittered 15 s scrapes). */
export const CANOPY_DOD_WIDTHS = new DodBuckets([4, 7, 14, 32]);

/** Writes sample number i (0-based) at tMs, updating s (the previous time and delta). */
export function writeTimestamp(
  s: { t: number; delta: number },
  bk: DodBuckets,
  w: BitWriter,
  i: number,
  tMs: number,
): void {
  if (i > 1) {
    const d = tMs - s.t;
    const dod = d - s.delta;
    s.delta = d;
    s.t = tMs;
    if (dod === 0) {
      w.writeBit(0);
      return;
    }
    const hs = bk.halves;
    let b = 0;
    while (b < hs.length && !(dod > -hs[b]! && dod <= hs[b]!)) b++;
    w.writeBits(bk.prefix[b]!, bk.prefixLen[b]!);
    if (b < hs.length) {
      const wd = bk.widths[b]!;
      w.writeWide(dod < 0 ? dod + 2 * hs[b]! : dod, wd);
    } else {
      const hi = Math.floor(dod / TWO32);
      w.writeBits(hi >>> 0, 32);
      w.writeBits((dod - hi * TWO32) >>> 0, 32);
    }
    return;
  }
  if (i === 0) w.writeUvarint(zigzag(tMs));
  else {
    s.delta = tMs - s.t;
    w.writeUvarint(s.delta);
  }
  s.t = tMs;
}

export class TimestampState {
  t = 0;
  delta = 0;

  constructor(private readonly b: DodBuckets) {}

  reset(): void {
    this.t = 0;
    this.delta = 0;
  }

  /** Writes sample number i (0-based) at tMs. */
  write(w: BitWriter, i: number, tMs: number): void {
    writeTimestamp(this, this.b, w, i, tMs);
  }

  read(r: BitReader, i: number): number {
    let t: number;
    if (i === 0) {
      t = unzigzag(r.readUvarint());
    } else if (i === 1) {
      this.delta = r.readUvarint();
      t = this.t + this.delta;
      if (this.delta <= 0)
        throw new CanopyError('corrupt', `cannot decode timestamp: delta ${this.delta} is not positive`);
    } else {
      const ws = this.b.widths;
      let k = 0;
      while (k <= ws.length && r.readBit() === 1) k++;
      let dod: number;
      if (k === 0) dod = 0;
      else if (k <= ws.length) {
        const wd = ws[k - 1]!;
        dod = r.readWide(wd);
        if (dod > 2 ** (wd - 1)) dod -= 2 ** wd;
      } else {
        const hi = r.readBits(32) | 0;
        dod = hi * TWO32 + r.readBits(32);
      }
      this.delta += dod;
      if (this.delta <= 0 || !Number.isSafeInteger(this.delta))
        throw new CanopyError('corrupt', `cannot decode timestamp: delta ${this.delta} is not positive`);
      t = this.t + this.delta;
    }
    if (!(t <= MAX_ABS_T_MS && t >= -MAX_ABS_T_MS))
      throw new CanopyError('corrupt', `cannot decode timestamp: ${t} out of range`);
    this.t = t;
    return t;
  }
}
