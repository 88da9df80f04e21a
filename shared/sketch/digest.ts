// Merging t-digest (Dunning & Ertl, "Computing extremely accurate quantiles using t-digests",
// 2019, §"merging digest") on typed arrays.
//
// State: up to `cap` centroids (means ascending, weights > 0) in Float64Arrays, plus an
// unsorted buffer of incoming (x, w) points. When the buffer fills (or before any read) the
// buffer is sorted and merged with the centroids in one pass, greedily growing each centroid
// while the cumulative weight stays inside one unit of the scale function
//   k2(q) = δ/Z · ln(q / (1 − q)),  Z = 4·ln(n/δ) + 24   (n = total weight)
// whose centroid width shrinks like q(1−q) at the tails (k1's asin only like √(q(1−q))), so
// extreme quantiles (p99, p999) stay accurate; it keeps about δ centroids. count/sum/min/max are tracked exactly beside it.
//
// Invariants (after compress()): means ascending; Σ weights == count; min ≤ means[0],
// means[n-1] ≤ max. Non-finite inputs are rejected (add returns false) — the caller counts them.
// Merge assumptions: digests merge (associative and commutative up to the digest's error bound)
// but cannot be subtracted; merging digests of different compression keeps this one's δ.
// Hot path: add() writes two typed-array slots; no allocation per sample.
import { CanopyError } from '../errors.ts';
import type { Distribution } from '../distribution.ts';

export const DIGEST_DEFAULT_COMPRESSION = 200;

export class TDigest {
  readonly compression: number;
  private means: Float64Array;
  private weights: Float64Array;
  private n = 0;
  private outMeans: Float64Array;
  private outWeights: Float64Array;
  private bufX: Float64Array;
  private bufW: Float64Array;
  /** Buffer capacity limit: larger = fewer merges; 8δ is the usual sweet spot. */
  private readonly maxBuf: number;
  private bn = 0;
  private bufUnit = true;
  private order: Uint32Array | undefined;
  /** Total weight (centroids + buffer). */
  private total = 0;
  private _sum = 0;
  private _min = Infinity;
  private _max = -Infinity;

  constructor(compression = DIGEST_DEFAULT_COMPRESSION) {
    if (!(compression >= 10 && compression <= 10000))
      throw new CanopyError(
        'bad_data',
        `cannot create t-digest: compression ${compression} outside 10..10000`,
      );
    this.compression = compression;
    // Arrays start small and grow on demand (up to ~δ centroids, 8δ buffered points), so the
    // many short-lived per-series digests of a StatsD flush cost ~2 KiB, not ~40 KiB, each.
    const cap = 32;
    this.means = new Float64Array(cap);
    this.weights = new Float64Array(cap);
    this.outMeans = new Float64Array(cap);
    this.outWeights = new Float64Array(cap);
    this.maxBuf = 8 * Math.ceil(compression);
    this.bufX = new Float64Array(64);
    this.bufW = new Float64Array(64);
  }

  get count(): number {
    return this.total;
  }
  get sum(): number {
    return this._sum;
  }
  get min(): number {
    return this._min;
  }
  get max(): number {
    return this._max;
  }

  /** Records x with weight w (> 0). Returns false (and records nothing) for non-finite input. */
  add(x: number, w = 1): boolean {
    if (!Number.isFinite(x) || !(w > 0) || !Number.isFinite(w)) return false;
    if (this.bn === this.bufX.length) this.fullBuffer();
    this.bufX[this.bn] = x;
    this.bufW[this.bn++] = w;
    if (w !== 1) this.bufUnit = false;
    this.total += w;
    this._sum += x * w;
    if (x < this._min) this._min = x;
    if (x > this._max) this._max = x;
    return true;
  }

  /** Merges another digest or a Distribution (its centroids become weighted points). */
  merge(other: TDigest | Distribution): void {
    if (other instanceof TDigest) {
      other.compress();
      this.mergeCentroids(other.means, other.weights, other.n, other._sum, other._min, other._max);
    } else {
      validateDistribution(other);
      this.mergeCentroids(other.means, other.weights, other.means.length, other.sum, other.min, other.max);
    }
  }

  private mergeCentroids(
    means: Float64Array,
    weights: Float64Array,
    n: number,
    sum: number,
    min: number,
    max: number,
  ): void {
    if (n === 0) return;
    for (let i = 0; i < n; i++) {
      if (this.bn === this.bufX.length) this.fullBuffer();
      const w = weights[i]!;
      this.bufX[this.bn] = means[i]!;
      this.bufW[this.bn++] = w;
      if (w !== 1) this.bufUnit = false;
      this.total += w;
    }
    this._sum += sum;
    if (min < this._min) this._min = min;
    if (max > this._max) this._max = max;
  }

  private fullBuffer(): void {
    if (this.bufX.length >= this.maxBuf) {
      this.compress();
      return;
    }
    const n = Math.min(this.bufX.length * 2, this.maxBuf);
    const x = new Float64Array(n),
      w = new Float64Array(n);
    x.set(this.bufX);
    w.set(this.bufW);
    this.bufX = x;
    this.bufW = w;
  }

  /** Folds the buffer into the centroids. Idempotent. */
  compress(): void {
    const bn = this.bn;
    if (bn === 0) return;
    const bx = this.bufX,
      bw = this.bufW;
    let order: Uint32Array | undefined;
    if (this.bufUnit)
      bx.subarray(0, bn).sort(); // numeric typed-array sort: far faster than a comparator
    else {
      if (!this.order || this.order.length < bx.length) this.order = new Uint32Array(bx.length);
      order = this.order.subarray(0, bn);
      for (let i = 0; i < bn; i++) order[i] = i;
      order.sort((a, b) => bx[a]! - bx[b]!);
    }
    const total = this.total;
    const d = this.compression;
    let om = this.outMeans,
      ow = this.outWeights;
    const cm0 = this.means,
      cw0 = this.weights,
      cn = this.n;
    let out = 0;
    let ci = 0,
      bi = 0;
    let curM = 0,
      curW = 0;
    let wSoFar = 0;
    let limitW = 0;
    const zd = (4 * Math.log(Math.max(total / d, 1)) + 24) / d; // Z/δ
    while (ci < cn || bi < bn) {
      let x: number, w: number;
      if (bi < bn) {
        const j = order ? order[bi]! : bi;
        const bxv = bx[j]!;
        if (ci < cn && cm0[ci]! < bxv) {
          x = cm0[ci]!;
          w = cw0[ci++]!;
        } else {
          x = bxv;
          w = bw[j]!;
          bi++;
        }
      } else {
        x = cm0[ci]!;
        w = cw0[ci++]!;
      }
      if (curW === 0) {
        curM = x;
        curW = w;
        limitW = 0; // q=0: k=-∞, the first centroid is a singleton
        continue;
      }
      if (wSoFar + curW + w <= limitW) {
        curW += w;
        curM += ((x - curM) * w) / curW;
      } else {
        om[out] = curM;
        ow[out++] = curW;
        wSoFar += curW;
        limitW = total * kInv(kOf(wSoFar / total, zd) + 1, zd);
        curM = x;
        curW = w;
      }
      if (out >= om.length - 1) {
        this.growOut();
        om = this.outMeans;
        ow = this.outWeights;
      }
    }
    if (curW > 0) {
      om[out] = curM;
      ow[out++] = curW;
    }
    // swap ping-pong buffers
    const tm = this.means,
      tw = this.weights;
    this.means = this.outMeans;
    this.weights = this.outWeights;
    this.outMeans = tm;
    this.outWeights = tw;
    this.n = out;
    this.bn = 0;
    this.bufUnit = true;
  }

  private growOut(): void {
    // Centroid arrays start small; they double as the centroid count grows (≲ 2δ in practice).
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.outMeans = grow(this.outMeans);
    this.outWeights = grow(this.outWeights);
    this.means = grow(this.means);
    this.weights = grow(this.weights);
  }

  /** Estimated q-quantile (0 ≤ q ≤ 1); NaN when empty. */
  quantile(q: number): number {
    this.compress();
    const n = this.n;
    if (n === 0 || !(q >= 0 && q <= 1)) return NaN;
    const min = this._min,
      max = this._max;
    if (q === 0) return min;
    if (q === 1) return max;
    const means = this.means,
      weights = this.weights;
    if (n === 1) return means[0]!;
    const total = this.total;
    const index = q * total;
    if (index < 1) return min;
    const w0 = weights[0]!;
    if (w0 > 1 && index < w0 / 2) return min + ((index - 1) / (w0 / 2 - 1)) * (means[0]! - min);
    if (index > total - 1) return max;
    const wl = weights[n - 1]!;
    if (wl > 1 && total - index < wl / 2)
      return max - ((total - index - 1) / (wl / 2 - 1)) * (max - means[n - 1]!);
    let soFar = w0 / 2;
    for (let i = 0; i < n - 1; i++) {
      const dw = (weights[i]! + weights[i + 1]!) / 2;
      if (soFar + dw > index) {
        let leftUnit = 0;
        if (weights[i] === 1) {
          if (index - soFar < 0.5) return means[i]!;
          leftUnit = 0.5;
        }
        let rightUnit = 0;
        if (weights[i + 1] === 1) {
          if (soFar + dw - index <= 0.5) return means[i + 1]!;
          rightUnit = 0.5;
        }
        const z1 = index - soFar - leftUnit;
        const z2 = soFar + dw - index - rightUnit;
        return weightedAverage(means[i]!, z2, means[i + 1]!, z1);
      }
      soFar += dw;
    }
    const z1 = index - (total - wl / 2); // past the last centroid's centre
    const z2 = total - index; // up to max
    return weightedAverage(means[n - 1]!, z2, max, z1);
  }

  /** Number of centroids after compression. */
  centroidCount(): number {
    this.compress();
    return this.n;
  }

  /** A snapshot (copies) as a shared Distribution value. */
  toDistribution(): Distribution {
    this.compress();
    return {
      count: this.total,
      sum: this._sum,
      min: this._min,
      max: this._max,
      means: this.means.slice(0, this.n),
      weights: this.weights.slice(0, this.n),
    };
  }

  static fromDistribution(d: Distribution, compression = DIGEST_DEFAULT_COMPRESSION): TDigest {
    const t = new TDigest(compression);
    t.merge(d);
    return t;
  }

  reset(): void {
    this.n = 0;
    this.bn = 0;
    this.bufUnit = true;
    this.total = 0;
    this._sum = 0;
    this._min = Infinity;
    this._max = -Infinity;
  }
}

// k2 and its inverse; zd = Z/δ.
function kOf(q: number, zd: number): number {
  if (q <= 0) return -Infinity;
  if (q >= 1) return Infinity;
  return Math.log(q / (1 - q)) / zd;
}
function kInv(k: number, zd: number): number {
  if (k === Infinity) return 1;
  return 1 / (1 + Math.exp(-k * zd));
}

function weightedAverage(x1: number, w1: number, x2: number, w2: number): number {
  if (x1 > x2) return weightedAverage(x2, w2, x1, w1);
  const x = (x1 * w1 + x2 * w2) / (w1 + w2);
  return Math.max(x1, Math.min(x, x2));
}

/** Rejects a malformed Distribution with a bad_data CanopyError (never a crash downstream). */
export function validateDistribution(d: Distribution): void {
  const n = d.means.length;
  if (d.weights.length !== n)
    throw new CanopyError('bad_data', `cannot read distribution: ${n} means but ${d.weights.length} weights`);
  let total = 0;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const m = d.means[i]!,
      w = d.weights[i]!;
    if (!Number.isFinite(m) || m < prev)
      throw new CanopyError(
        'bad_data',
        `cannot read distribution: centroid ${i} mean ${m} not finite or not ascending`,
      );
    if (!(w > 0) || !Number.isFinite(w))
      throw new CanopyError('bad_data', `cannot read distribution: centroid ${i} weight ${w} not positive`);
    prev = m;
    total += w;
  }
  if (n > 0 && Math.abs(total - d.count) > 1e-9 * Math.max(1, d.count)) {
    throw new CanopyError(
      'bad_data',
      `cannot read distribution: weights sum to ${total}, count is ${d.count}`,
    );
  }
}
