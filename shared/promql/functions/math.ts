// Element-wise functions on instant vectors: math, trigonometry, rounding/clamping and the
// calendar functions (which read the sample value as Unix seconds, UTC).

export type ElementFunction = (v: number) => number;

function sgn(v: number): number {
  return v < 0 ? -1 : v > 0 ? 1 : v;
}

export const ELEMENT_FUNCTIONS: Readonly<Record<string, ElementFunction>> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sgn,
  acos: Math.acos,
  acosh: Math.acosh,
  asin: Math.asin,
  asinh: Math.asinh,
  atan: Math.atan,
  atanh: Math.atanh,
  cos: Math.cos,
  cosh: Math.cosh,
  sin: Math.sin,
  sinh: Math.sinh,
  tan: Math.tan,
  tanh: Math.tanh,
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
};

function date(v: number): Date {
  return new Date(v * 1000);
}

/** Calendar functions; NaN/Inf inputs yield NaN (Go's time conversion of such values is undefined). */
export const DATE_FUNCTIONS: Readonly<Record<string, ElementFunction>> = {
  day_of_month: (v) => date(v).getUTCDate(),
  day_of_week: (v) => date(v).getUTCDay(),
  day_of_year: (v) => {
    const d = date(v);
    return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400_000) + 1;
  },
  days_in_month: (v) => {
    const d = date(v);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  },
  hour: (v) => date(v).getUTCHours(),
  minute: (v) => date(v).getUTCMinutes(),
  month: (v) => date(v).getUTCMonth() + 1,
  year: (v) => date(v).getUTCFullYear(),
};

/** Go's math.Floor(v*inv+0.5)/inv rounding to the nearest multiple of `toNearest`. */
export function roundTo(v: number, toNearest: number): number {
  const inv = 1 / toNearest;
  return Math.floor(v * inv + 0.5) / inv;
}
