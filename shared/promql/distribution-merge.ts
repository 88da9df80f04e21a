// Merging distributions (sum, sum_over_time, dist + dist): concatenate the centroid lists,
// sort by mean and re-compress with the merging t-digest size bound (compression δ = 100):
// adjacent centroids merge while the merged weight stays within 4·n·q·(1−q)/δ.
import type { Distribution } from '../distribution.ts';

const COMPRESSION = 100;

export function mergeDistributions(ds: readonly Distribution[]): Distribution {
  let count = 0,
    sum = 0,
    min = Infinity,
    max = -Infinity,
    k = 0;
  for (const d of ds) {
    count += d.count;
    sum += d.sum;
    if (d.min < min) min = d.min;
    if (d.max > max) max = d.max;
    k += d.means.length;
  }
  const idx = new Uint32Array(k);
  const m = new Float64Array(k),
    w = new Float64Array(k);
  let j = 0;
  for (const d of ds) {
    m.set(d.means, j);
    w.set(d.weights, j);
    j += d.means.length;
  }
  for (let i = 0; i < k; i++) idx[i] = i;
  idx.sort((a, b) => m[a]! - m[b]!);
  const outM: number[] = [],
    outW: number[] = [];
  const total = w.reduce((a, b) => a + b, 0);
  let cumBefore = 0;
  for (let i = 0; i < k; i++) {
    const mi = m[idx[i]!]!,
      wi = w[idx[i]!]!;
    const last = outM.length - 1;
    if (last >= 0) {
      const merged = outW[last]! + wi;
      const q = (cumBefore + merged / 2) / total;
      if (merged <= Math.max(1, (4 * total * q * (1 - q)) / COMPRESSION)) {
        outM[last] = outM[last]! + ((mi - outM[last]!) * wi) / merged;
        outW[last] = merged;
        continue;
      }
      cumBefore += outW[last]!;
    }
    outM.push(mi);
    outW.push(wi);
  }
  return { count, sum, min, max, means: Float64Array.from(outM), weights: Float64Array.from(outW) };
}
