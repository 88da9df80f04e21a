// Element-wise functions on instant vectors: math, trigonometry, rounding/clamping and the
// calendar functions (which read the sample value as Unix seconds, UTC).
import { breakdown, cal } from './calendar.ts';
import { goCosh, goExp, goLog, goLog10, goLog2, goSinh } from './gomath.ts';

export type ElementFunction = (v: number) => number;

function sgn(v: number): number {
  return v < 0 ? -1 : v > 0 ? 1 : v;
}

export const ELEMENT_FUNCTIONS: Readonly<Record<string, ElementFunction>> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: goExp,
  sqrt: Math.sqrt,
  ln: goLog,
  log2: goLog2,
  log10: goLog10,
  sgn,
  acos: Math.acos,
  acosh: Math.acosh,
  asin: Math.asin,
  asinh: Math.asinh,
  atan: Math.atan,
  atanh: Math.atanh,
  cos: Math.cos,
  cosh: goCosh,
  sin: Math.sin,
  sinh: goSinh,
  tan: Math.tan,
  tanh: Math.tanh,
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
};

/** Calendar functions: time.Unix(int64(v), 0).UTC() fields, as 2.42 (see calendar.ts). */
export const DATE_FUNCTIONS: Readonly<Record<string, ElementFunction>> = {
  day_of_month: (v) => (breakdown(v), cal.day),
  day_of_week: (v) => (breakdown(v), cal.wday),
  day_of_year: (v) => (breakdown(v), cal.yday),
  days_in_month: (v) => (breakdown(v), cal.daysInMonth),
  hour: (v) => (breakdown(v), cal.hour),
  minute: (v) => (breakdown(v), cal.minute),
  month: (v) => (breakdown(v), cal.month),
  year: (v) => (breakdown(v), cal.year),
};

/** Go's math.Floor(v*inv+0.5)/inv rounding to the nearest multiple of `toNearest`. */
export function roundTo(v: number, toNearest: number): number {
  const inv = 1 / toNearest;
  return Math.floor(v * inv + 0.5) / inv;
}
