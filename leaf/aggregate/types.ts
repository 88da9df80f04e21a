// Output of the leaf's aggregators: one flush = float samples + distribution samples, all
// with sorted Labels (including __name__) and integer-millisecond timestamps.
import type { Labels } from '../../shared/labels.ts';
import type { Distribution } from '../../shared/distribution.ts';

export interface FloatSample {
  labels: Labels;
  tMs: number;
  value: number;
}

/** Field names match leaf/pipeline.ts's DistributionSample, so batches pass through unchanged. */
export interface DistributionSample {
  labels: Labels;
  tMs: number;
  d: Distribution;
}

export interface FlushBatch {
  tMs: number;
  floats: FloatSample[];
  distributions: DistributionSample[];
}

export type FlushCallback = (batch: FlushBatch) => void;

/** Decides whether a new series may be created (e.g. the cardinality guard); false drops it. */
export type AdmitSeries = (labels: Labels) => boolean;
