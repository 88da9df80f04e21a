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

/** Why a new series was refused: its metric's series limit, or the leaf's total series limit. */
export type SeriesRefusal = 'too_many_series' | 'series_limit';

/**
 * Decides whether a series may pass (e.g. the cardinality guard): true, or the reason its
 * samples are dropped (and counted under).
 */
export type AdmitSeries = (labels: Labels) => true | SeriesRefusal;
