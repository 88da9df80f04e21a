// Go's math package as Prometheus 2.42 (go1.19, linux/amd64) computes exp, ln, log2, log10,
// sinh, cosh and `^`, where its results differ from JavaScript's Math beyond rounding:
// - Log on amd64 (assembly) takes a subnormal x's exponent field as is, without normalizing:
//   ln(5e-324) is -709.09 there (≈ ln 2^-1023), not -744.44. Log10 = Log · (1/Ln10) inherits
//   it; Log2 goes through Frexp and does not.
// - Pow is Go's own algorithm (x^yf through Exp(yf·Log(x)), x^yi by repeated squaring of the
//   Frexp mantissa), so a subnormal base with a fractional exponent inherits Log's behaviour.
// - Exp on amd64 (assembly) overflows to +Inf from x ≈ 709.436 (see goExp); Sinh, Cosh and Pow
//   inherit it.
// Elsewhere the values agree with Math.* to a few ulps.

const buf = new DataView(new ArrayBuffer(8));
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * math.Exp as on linux/amd64 (assembly): the exponent k is x·log2(e) rounded to nearest (even),
 * and 2^k must be a normal float64, so x ≥ 1023.5·ln 2 ≈ 709.436 gives +Inf there although
 * e^x is finite up to ≈ 709.78; below that, Math.exp agrees to a few ulps.
 */
export function goExp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === -Infinity) return 0;
  if (x > 7.09782712893384e2) return Infinity;
  const k = roundHalfEven(x * Math.LOG2E);
  if (k + 0x3ff >= 0x7ff) return Infinity;
  if (k + 0x3ff <= 0 && k + 0x3ff < -52) return 0;
  return Math.exp(x);
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** math.Sinh: Exp(|x|)/2 above 21, so it overflows with Exp. */
export function goSinh(x: number): number {
  const a = Math.abs(x);
  if (a > 21) return (x < 0 ? -1 : 1) * goExp(a) * 0.5;
  return Math.sinh(x);
}

/** math.Cosh: Exp(|x|)/2 above 21, so it overflows with Exp. */
export function goCosh(x: number): number {
  const a = Math.abs(x);
  if (a > 21) return goExp(a) * 0.5;
  return Math.cosh(x);
}

/** Go's log polynomial (FreeBSD e_log.c as math/log.go) from a reduced f1 ∈ [0.5, 1) and exponent ki. */
function logReduced(f1: number, ki: number): number {
  const Ln2Hi = 6.9314718036912381649e-1,
    Ln2Lo = 1.90821492927058770002e-10;
  const L1 = 6.66666666666673513e-1,
    L2 = 3.999999999940941908e-1,
    L3 = 2.857142874366239149e-1,
    L4 = 2.222219843214978396e-1;
  const L5 = 1.818357216161805012e-1,
    L6 = 1.531383769920937332e-1,
    L7 = 1.479819860511658591e-1;
  if (f1 < Math.SQRT1_2) {
    f1 *= 2;
    ki--;
  }
  const f = f1 - 1;
  const k = ki;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
  const t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
  const R = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * Ln2Hi - (hfsq - (s * (hfsq + R) + k * Ln2Lo) - f);
}

/** math.Log as on linux/amd64. */
export function goLog(x: number): number {
  if (!(x > 0 && x < MIN_NORMAL)) return Math.log(x);
  // The assembly's reduction: mantissa bits with the exponent of 0.5, k = exponent field − 1022.
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0),
    lo = buf.getUint32(4);
  buf.setUint32(0, (hi & 0x000fffff) | 0x3fe00000);
  buf.setUint32(4, lo);
  return logReduced(buf.getFloat64(0), 0 - 0x3fe);
}

/** math.Log10: Log(x) · (1/Ln10). */
export function goLog10(x: number): number {
  return goLog(x) * Math.LOG10E;
}

/** math.Frexp: x = frac · 2^exp with frac ∈ [0.5, 1) (subnormals normalized). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x) || x !== x) return [x, 0];
  let e = 0;
  if (Math.abs(x) < MIN_NORMAL) {
    x *= 2 ** 52;
    e = -52;
  }
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  e += ((hi >>> 20) & 0x7ff) - 1022;
  buf.setUint32(0, (hi & 0x800fffff) | 0x3fe00000);
  return [buf.getFloat64(0), e];
}

/** math.Log2: exact for powers of two, else Log(frac)·(1/Ln2) + exp. */
export function goLog2(x: number): number {
  const [frac, exp] = frexp(x);
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * Math.LOG2E + exp;
}

/** math.Ldexp: frac · 2^exp, rounding once into the subnormal range as Go does. */
export function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac) || frac !== frac) return frac;
  const [f, e] = frexp(frac); // frac = (2f) · 2^(e−1), 2f ∈ [1, 2)
  exp += e - 1;
  if (exp < -1075) return frac < 0 ? -0 : 0;
  if (exp > 1023) return frac < 0 ? -Infinity : Infinity;
  let m = 1;
  if (exp < -1022) {
    exp += 53;
    m = 2 ** -53;
  }
  return m * (2 * f * 2 ** exp);
}

function isOddInt(x: number): boolean {
  return Number.isInteger(x) && Math.abs(x) < 2 ** 53 && Math.abs(x % 2) === 1;
}

/** math.Pow (go1.19). */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (x !== x || y !== y) return NaN;
  if (x === 0) {
    if (y < 0) return isOddInt(y) ? (Object.is(x, -0) ? -Infinity : Infinity) : Infinity;
    if (y > 0) return isOddInt(y) ? x : 0;
  }
  if (y === Infinity || y === -Infinity) {
    if (x === -1) return 1;
    if (Math.abs(x) < 1 === (y === Infinity)) return 0;
    return Infinity;
  }
  if (x === Infinity || x === -Infinity) {
    if (x === -Infinity) return goPow(1 / x, -y);
    if (y < 0) return 0;
    if (y > 0) return Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  const ay = Math.abs(y);
  let yi = Math.trunc(ay);
  let yf = ay - yi;
  if (yf !== 0 && x < 0) return NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    if (Math.abs(x) < 1 === y > 0) return 0;
    return Infinity;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = goExp(yf * goLog(x));
  }
  let [x1, xe] = frexp(x);
  // yi < 2^63: walk its bits from the lowest (halving and flooring an integer double is exact).
  for (let i = yi; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}
