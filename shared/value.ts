// Query result values, as the PromQL engine returns them and the HTTP API renders them.
// Sample values that are distributions are rendered as Prometheus native-histogram-like
// objects by the API layer.
import type { Labels } from './labels.ts';
import type { Distribution } from './distribution.ts';

export interface Point {
  t: number;
  f: number;
  /** Set when the sample is a distribution (then f is ignored). */
  d?: Distribution;
}

export interface VectorSample {
  labels: Labels;
  t: number;
  f: number;
  d?: Distribution;
}

export interface MatrixSeries {
  labels: Labels;
  points: Point[];
}

export type QueryValue =
  | { type: 'vector'; vector: VectorSample[] }
  | { type: 'matrix'; matrix: MatrixSeries[] }
  | { type: 'scalar'; t: number; f: number }
  | { type: 'string'; t: number; s: string };

export interface QueryResult {
  value: QueryValue;
  warnings: string[];
  /** Rollups: the coarsest resolution the query could read and the coarsest it read, ms. */
  resolution?: { maxMs: number; usedMs: number };
}
