// Gorilla XOR coding of one float64 against the previous one (the value half of the Prometheus
// XOR chunk, shared by the other codecs). Layout of a value that differs from the previous:
//   '0'             reuse the previous window: (64 - lead - trail) significant bits follow
//   '1' lead:5 sig:6 then sig bits (sig 0 means 64)
// Callers write their own "same value" bit before. Exact for every bit pattern (NaN payloads too).
import { CanopyError } from '../../../shared/errors.ts';
import type { BitReader, BitWriter } from './bit-stream.ts';

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The XOR coder's state: previous value bits and the current window. */
export interface XorState {
  hi: number;
  lo: number;
  /** 0xff: no window yet. */
  lead: number;
  trail: number;
}

/** Bits the diff of (hi, lo) against s would take; 0 when identical. */
export function xorCost(s: XorState, hi: number, lo: number): number {
  const xh = (hi ^ s.hi) >>> 0,
    xl = (lo ^ s.lo) >>> 0;
  if (xh === 0 && xl === 0) return 0;
  let lead = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
  if (lead > 31) lead = 31;
  const trail = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
  if (s.lead !== 0xff && lead >= s.lead && trail >= s.trail) return 1 + 64 - s.lead - s.trail;
  return 12 + 64 - lead - trail;
}

/** Writes a value that differs from s's current one, and makes it current. */
export function xorWriteDiff(s: XorState, w: BitWriter, hi: number, lo: number): void {
  const xh = (hi ^ s.hi) >>> 0,
    xl = (lo ^ s.lo) >>> 0;
  let lead = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
  if (lead > 31) lead = 31;
  const trail = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
  if (s.lead !== 0xff && lead >= s.lead && trail >= s.trail) {
    w.writeBit(0);
    writeShifted(w, xh, xl, s.trail, 64 - s.lead - s.trail);
  } else {
    const sig = 64 - lead - trail;
    w.writeBit(1);
    w.writeBits(lead, 5);
    w.writeBits(sig & 63, 6);
    writeShifted(w, xh, xl, trail, sig);
    s.lead = lead;
    s.trail = trail;
  }
  s.hi = hi;
  s.lo = lo;
}

export class XorFloatState implements XorState {
  hi = 0;
  lo = 0;
  lead = 0xff;
  trail = 0;

  reset(): void {
    this.hi = 0;
    this.lo = 0;
    this.lead = 0xff;
    this.trail = 0;
  }

  cost(hi: number, lo: number): number {
    return xorCost(this, hi, lo);
  }

  writeDiff(w: BitWriter, hi: number, lo: number): void {
    xorWriteDiff(this, w, hi, lo);
  }

  readDiff(r: BitReader): void {
    if (r.readBit() === 1) {
      const lead = r.readBits(5);
      let sig = r.readBits(6);
      if (sig === 0) sig = 64;
      if (lead + sig > 64)
        throw new CanopyError(
          'corrupt',
          `cannot decode xor value: leading ${lead} + significant ${sig} bits exceed 64`,
        );
      this.lead = lead;
      this.trail = 64 - lead - sig;
    } else if (this.lead === 0xff) {
      throw new CanopyError('corrupt', 'cannot decode xor value: window reused before it was set');
    }
    const trail = this.trail,
      sig = 64 - this.lead - trail;
    let xh: number, xl: number;
    if (trail >= 32) {
      xh = (r.readBits(sig) << (trail - 32)) >>> 0;
      xl = 0;
    } else {
      const shi = sig > 32 ? r.readBits(sig - 32) : 0;
      const slo = r.readBits(sig > 32 ? 32 : sig);
      xh = trail === 0 ? shi : ((shi << trail) | (slo >>> (32 - trail))) >>> 0;
      xl = trail === 0 ? slo : (slo << trail) >>> 0;
    }
    this.hi = (this.hi ^ xh) >>> 0;
    this.lo = (this.lo ^ xl) >>> 0;
  }
}

function writeShifted(w: BitWriter, xh: number, xl: number, trail: number, sig: number): void {
  if (trail >= 32) {
    w.writeBits(xh >>> (trail - 32), sig);
    return;
  }
  const shi = trail === 0 ? xh : xh >>> trail;
  const slo = trail === 0 ? xl : ((xl >>> trail) | (xh << (32 - trail))) >>> 0;
  if (sig > 32) {
    w.writeBits(shi, sig - 32);
    w.writeBits(slo, 32);
  } else w.writeBits(slo, sig);
}
