// The storage contract between the zone's TSDB (the implementation) and the PromQL engine
// (the reader), and between ingest paths and the TSDB (the writer).
//
// Reading: Queryable.querier(mint, maxt) opens a consistent view (async: it may fetch blocks
// from a cold tier); everything after that is synchronous and cursor-based so the evaluator's
// inner loops allocate nothing per sample.
//
// Cursor contract (SampleCursor): starts before the first sample; next() advances and returns
// the kind of the sample now under the cursor, or ValueKind.None at the end (then err() tells
// whether it ended because of an error). seek(t) advances to the first sample with
// timestamp >= t (never backwards; if the current sample already satisfies it, stays) and
// returns its kind. atT()/atF()/atDistribution() are valid only after next()/seek() returned
// a kind other than None. Samples come in strictly increasing timestamp order.
import type { Labels } from './labels.ts';
import type { Matcher } from './matchers.ts';
import type { Distribution } from './distribution.ts';

export const enum ValueKind {
  None = 0,
  Float = 1,
  Distribution = 2,
}

export interface SampleCursor {
  next(): ValueKind;
  seek(tMs: number): ValueKind;
  atT(): number;
  atF(): number;
  atDistribution(): Distribution;
  err(): Error | null;
}

export interface Series {
  readonly labels: Labels;
  /**
   * A cursor over the series. `reuse` is a cursor of an earlier series of the same querier
   * that the caller is done with: the implementation may reset and return it instead of a
   * new one (as Prometheus' Iterator(it)), so a selector reads all its series with one cursor.
   */
  cursor(reuse?: SampleCursor): SampleCursor;
}

/** Series in ascending label order (compareLabels). */
export interface SeriesSet {
  next(): boolean;
  at(): Series;
  err(): Error | null;
  warnings(): readonly string[];
  /** The coarsest resolution the set's values come from, ms (0 or absent: raw). */
  resolutionMs?(): number;
}

export interface SelectHints {
  /** Inclusive time range the caller will read, ms. */
  startMs: number;
  endMs: number;
  /** Range query step, when known. */
  stepMs?: number;
  /** Enclosing function name, e.g. "rate", when known. */
  func?: string;
  /** Upper bound on series the caller accepts; the querier may stop early and the caller errors. */
  limitSeries?: number;
  /**
   * Coarsest rollup resolution the caller accepts, ms (0 or unset: raw samples only). Used only
   * with `aggregate`: the querier then returns that aggregate's values per window from rollups
   * where it has them, raw samples read as one-sample windows elsewhere (docs/format/rollup.md).
   */
  resolutionMs?: number;
  aggregate?: RollupAggregate;
}

/** Per-window aggregates of rollups; `counter` is the reset-corrected cumulative counter. */
export type RollupAggregate = 'count' | 'sum' | 'min' | 'max' | 'last' | 'counter';

export interface LabelHints {
  startMs: number;
  endMs: number;
  matchers?: readonly Matcher[];
  limit?: number;
}

export interface Querier {
  select(matchers: readonly Matcher[], hints: SelectHints): SeriesSet;
  labelNames(hints: LabelHints): string[];
  labelValues(name: string, hints: LabelHints): string[];
  close(): void;
  /** Rollup resolutions (ms, > 0) the querier holds data at; absent or empty: raw only. */
  rollupResolutions?(): readonly number[];
}

/**
 * What the caller will read through a querier, when it knows it before opening one (the
 * engine knows every selector of a query before evaluating it, as Prometheus's
 * populateSeries does). A cold tier (bucket blocks, zone/objstore) uses it to fetch only the
 * chunk bytes of the series these matchers select in the querier's range, since select() and
 * cursors are synchronous and cannot fetch.
 */
export interface QuerierHints {
  /**
   * Every matcher set the caller will select() and read samples with (narrower ones are fine).
   * Absent: anything in range may be read. `[]`: labels and series only, no samples. Reading
   * samples outside them may fail with the cursor's err(): never a silently partial answer.
   */
  selects?: readonly (readonly Matcher[])[];
}

export interface Queryable {
  /** Wrappers that rewrite matchers (external labels, tenants) rewrite hints.selects the same way. */
  querier(mintMs: number, maxtMs: number, hints?: QuerierHints): Promise<Querier>;
}

/** Reason codes for rejected samples; each feeds a *_dropped_total{reason} counter. */
export type DropReason =
  | 'out_of_order'
  | 'out_of_bounds'
  | 'too_far_in_future'
  | 'duplicate_sample'
  | 'invalid_labels'
  | 'duplicate_labels'
  | 'empty_labels'
  | 'series_limit'
  | 'metric_series_limit'
  | 'invalid_value'
  | 'buffer_full'
  | 'cardinality_limit'
  | 'parse_error';

/**
 * Batches writes; nothing is visible or durable before commit() resolves. commit() resolves
 * only after the batch is durable (WAL fsync policy permitting) — that is the moment an ingest
 * path may acknowledge. Rejected samples do not fail the batch: they are counted and reported.
 */
export interface Appender {
  append(labels: Labels, tMs: number, value: number): void;
  appendDistribution(labels: Labels, tMs: number, d: Distribution): void;
  commit(): Promise<AppendResult>;
  rollback(): void;
}

export interface AppendResult {
  accepted: number;
  rejected: Partial<Record<DropReason, number>>;
  /** First few rejection messages, for a 400 body. */
  errors: string[];
}

export interface Storage extends Queryable {
  appender(): Appender;
  /** Active series in the head. */
  seriesCount(): number;
  close(): Promise<void>;
}
