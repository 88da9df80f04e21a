// Evaluation values. The evaluator is columnar over a step grid: a node is evaluated once for
// all steps, and an instant vector is a list of series, each with one slot per step
// (`has[i]` says whether the series has a sample at step i). An instant query is a grid of one step.
import type { Labels } from '../labels.ts';
import type { Distribution } from '../distribution.ts';

/** Evaluation timestamps: startMs + i * intervalMs for i in [0, n); intervalMs 0 = an instant query. */
export interface StepGrid {
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalMs: number;
  readonly n: number;
}

export function makeGrid(startMs: number, endMs: number, intervalMs: number): StepGrid {
  const n = endMs < startMs ? 0 : intervalMs <= 0 ? 1 : Math.floor((endMs - startMs) / intervalMs) + 1;
  return { startMs, endMs, intervalMs, n };
}

export function stepTime(g: StepGrid, i: number): number {
  return g.startMs + i * g.intervalMs;
}

export interface StepSeries {
  labels: Labels;
  f: Float64Array;
  has: Uint8Array;
  /** Distribution samples per step (when any); a step with d[i] set is a distribution sample. */
  d: (Distribution | undefined)[] | null;
}

// Step arrays are carved out of shared 256 KiB slabs: a typed array with its own backing store
// costs a malloc plus GC finalization, several µs each, and a query creates one per series.
const SLAB_BYTES = 256 * 1024;
let f64Slab = new Float64Array(SLAB_BYTES / 8);
let f64Used = 0;
let u8Slab = new Uint8Array(SLAB_BYTES / 8);
let u8Used = 0;

/** A zeroed Float64Array of length n (a view into a slab when small). */
export function allocF64(n: number): Float64Array {
  if (n * 8 > SLAB_BYTES / 16) return new Float64Array(n);
  if (f64Used + n > f64Slab.length) {
    f64Slab = new Float64Array(SLAB_BYTES / 8);
    f64Used = 0;
  }
  const a = f64Slab.subarray(f64Used, f64Used + n);
  f64Used += n;
  return a;
}

/** A zeroed Uint8Array of length n (a view into a slab when small). */
export function allocU8(n: number): Uint8Array {
  if (n > SLAB_BYTES / 128) return new Uint8Array(n);
  if (u8Used + n > u8Slab.length) {
    u8Slab = new Uint8Array(SLAB_BYTES / 8);
    u8Used = 0;
  }
  const a = u8Slab.subarray(u8Used, u8Used + n);
  u8Used += n;
  return a;
}

export function newStepSeries(labels: Labels, n: number): StepSeries {
  return { labels, f: allocF64(n), has: allocU8(n), d: null };
}

export function setDist(s: StepSeries, i: number, d: Distribution, n: number): void {
  if (!s.d) s.d = new Array<Distribution | undefined>(n);
  s.d[i] = d;
  s.has[i] = 1;
}

/** A series of raw points (a range-vector selector or subquery result). */
export interface PointSeries {
  labels: Labels;
  ts: Float64Array;
  fs: Float64Array;
  ds: (Distribution | undefined)[] | null;
}

export type EvalValue =
  | { kind: 'vector'; series: StepSeries[] }
  | { kind: 'scalar'; f: Float64Array }
  | { kind: 'string'; s: string }
  | { kind: 'matrix'; series: PointSeries[] };

export type VectorValue = Extract<EvalValue, { kind: 'vector' }>;
export type ScalarValue = Extract<EvalValue, { kind: 'scalar' }>;

const staleBuf = new Float64Array(1);
const staleWords = new Uint32Array(staleBuf.buffer);

/** Prometheus's stale marker is the NaN 0x7ff0000000000002 (V8 may set the quiet bit on copies). */
export function isStaleNaN(f: number): boolean {
  if (f === f) return false;
  staleBuf[0] = f;
  return staleWords[0] === 2 && (staleWords[1]! & 0xfff7ffff) === 0x7ff00000;
}

export const STALE_NAN: number = (() => {
  staleWords[0] = 2;
  staleWords[1] = 0x7ff00000;
  return staleBuf[0]!;
})();
