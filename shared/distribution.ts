// Distribution values: one flush interval's summary of observations (delta temporality).
// {count, sum, min, max} plus a t-digest given as centroids (means ascending, weights > 0,
// sum of weights == count). Digests merge but cannot be subtracted, so distributions are
// never cumulative. In PromQL they behave like Prometheus native histograms.
export interface Distribution {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Centroid means, ascending. */
  means: Float64Array;
  /** Centroid weights, same length as means. */
  weights: Float64Array;
}

export function emptyDistribution(): Distribution {
  return {
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
    means: new Float64Array(0),
    weights: new Float64Array(0),
  };
}
