// Rendering query values the way Prometheus's HTTP API does: timestamps as float seconds,
// sample values as strings formatted like Go's strconv.FormatFloat(v, 'f', -1, 64)
// (shortest round-trip digits, never an exponent), NaN/+Inf/-Inf spelled as Prometheus does.
import { labelsToRecord, type Labels } from '../labels.ts';
import type { Distribution } from '../distribution.ts';
import { formatFloat } from '../promql/format.ts';
import type { MatrixSeries, Point, QueryValue, VectorSample } from '../value.ts';

/** Sample values as Prometheus writes them (Go's strconv.FormatFloat(v, 'f', -1, 64)). */
export const formatSampleValue = formatFloat;

export function formatTimeSeconds(tMs: number): number {
  return tMs / 1000;
}

/** A distribution rendered in the shape of a Prometheus native histogram sample. */
export function formatDistribution(d: Distribution): Record<string, unknown> {
  const buckets: [number, string, string, string][] = [];
  let lo = d.min;
  for (let i = 0; i < d.means.length; i++) {
    const hi = i + 1 < d.means.length ? (d.means[i]! + d.means[i + 1]!) / 2 : d.max;
    // boundary rule 3 = closed on both ends (first bucket), 0 = open left, closed right.
    buckets.push([
      i === 0 ? 3 : 0,
      formatSampleValue(lo),
      formatSampleValue(hi),
      formatSampleValue(d.weights[i]!),
    ]);
    lo = hi;
  }
  return { count: formatSampleValue(d.count), sum: formatSampleValue(d.sum), buckets };
}

function pointPair(p: Point): [number, string] {
  return [formatTimeSeconds(p.t), formatSampleValue(p.f)];
}

function vectorSampleJson(s: VectorSample): Record<string, unknown> {
  return s.d
    ? { metric: labelsToRecord(s.labels), histogram: [formatTimeSeconds(s.t), formatDistribution(s.d)] }
    : { metric: labelsToRecord(s.labels), value: [formatTimeSeconds(s.t), formatSampleValue(s.f)] };
}

function matrixSeriesJson(s: MatrixSeries): Record<string, unknown> {
  const floats = s.points.filter((p) => !p.d);
  const hists = s.points.filter((p) => p.d);
  const out: Record<string, unknown> = { metric: labelsToRecord(s.labels) };
  if (floats.length > 0 || hists.length === 0) out.values = floats.map(pointPair);
  if (hists.length > 0) out.histograms = hists.map((p) => [formatTimeSeconds(p.t), formatDistribution(p.d!)]);
  return out;
}

export function formatQueryData(v: QueryValue): { resultType: string; result: unknown } {
  switch (v.type) {
    case 'vector':
      return { resultType: 'vector', result: v.vector.map(vectorSampleJson) };
    case 'matrix':
      return { resultType: 'matrix', result: v.matrix.map(matrixSeriesJson) };
    case 'scalar':
      return { resultType: 'scalar', result: [formatTimeSeconds(v.t), formatSampleValue(v.f)] };
    case 'string':
      return { resultType: 'string', result: [formatTimeSeconds(v.t), v.s] };
  }
}

export function formatSeries(series: readonly Labels[]): Record<string, string>[] {
  return series.map(labelsToRecord);
}
