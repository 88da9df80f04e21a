// One interface for every mergeable sketch / pre-aggregate (OpenTelemetry "Aggregator" style):
//   create() → empty state; record(state, value) → fold one observation in;
//   merge(into, from) → fold another state in; toPoint(state) → the exported value.
//
// Merge algebra (what the tiers rely on when they combine partial states):
//   - merge is associative and commutative: merge(a, merge(b, c)) ≡ merge(merge(a, b), c) and
//     merge(a, b) ≡ merge(b, a) — exactly for sum/count/min/max/last-by-time and HLL,
//     within the sketch's error bound for t-digests;
//   - create() is the identity: merge(create(), a) ≡ a;
//   - states cover disjoint inputs (delta temporality): merging two states that saw the same
//     observation counts it twice for sum/count/digest (HLL and min/max are idempotent);
//   - nothing is subtractable: a cumulative value is made by merging deltas, never by diffing.
// `last` keeps the observation with the greatest timestamp (ties: the later merge wins).
import type { Distribution } from '../distribution.ts';
import { TDigest, DIGEST_DEFAULT_COMPRESSION } from './digest.ts';
import { HyperLogLog, HLL_DEFAULT_P } from './hll.ts';

export interface Aggregator<State, In, Out> {
  readonly kind: string;
  create(): State;
  record(s: State, v: In): void;
  merge(into: State, from: State): void;
  toPoint(s: State): Out;
}

/** A small mutable cell for scalar aggregators (one object per series, not per sample). */
export interface ScalarState {
  v: number;
  n: number;
  /** timestamp of v, for `last` */
  tMs: number;
}

function scalar(
  kind: string,
  init: number,
  fold: (a: number, b: number) => number,
): Aggregator<ScalarState, number, number> {
  return {
    kind,
    create: () => ({ v: init, n: 0, tMs: -Infinity }),
    record(s, v) {
      s.v = fold(s.v, v);
      s.n++;
    },
    merge(into, from) {
      if (from.n === 0) return;
      into.v = into.n === 0 ? from.v : fold(into.v, from.v);
      into.n += from.n;
    },
    toPoint: (s) => (s.n === 0 ? NaN : s.v),
  };
}

export const sumAggregator = scalar('sum', 0, (a, b) => a + b);
export const minAggregator = scalar('min', Infinity, (a, b) => (b < a || Number.isNaN(a) ? b : a));
export const maxAggregator = scalar('max', -Infinity, (a, b) => (b > a || Number.isNaN(a) ? b : a));
export const countAggregator: Aggregator<ScalarState, number, number> = {
  kind: 'count',
  create: () => ({ v: 0, n: 0, tMs: -Infinity }),
  record(s) {
    s.v++;
    s.n++;
  },
  merge(into, from) {
    into.v += from.v;
    into.n += from.n;
  },
  toPoint: (s) => s.v,
};

export interface TimedValue {
  tMs: number;
  v: number;
}
export const lastAggregator: Aggregator<ScalarState, TimedValue, number> = {
  kind: 'last',
  create: () => ({ v: NaN, n: 0, tMs: -Infinity }),
  record(s, x) {
    if (x.tMs >= s.tMs) {
      s.v = x.v;
      s.tMs = x.tMs;
    }
    s.n++;
  },
  merge(into, from) {
    if (from.n > 0 && from.tMs >= into.tMs) {
      into.v = from.v;
      into.tMs = from.tMs;
    }
    into.n += from.n;
  },
  toPoint: (s) => s.v,
};

export function distributionAggregator(
  compression = DIGEST_DEFAULT_COMPRESSION,
): Aggregator<TDigest, number, Distribution> {
  return {
    kind: 'distribution',
    create: () => new TDigest(compression),
    record: (s, v) => void s.add(v),
    merge: (into, from) => into.merge(from),
    toPoint: (s) => s.toDistribution(),
  };
}

export function uniqueAggregator(p = HLL_DEFAULT_P): Aggregator<HyperLogLog, string, number> {
  return {
    kind: 'unique',
    create: () => new HyperLogLog(p),
    record: (s, v) => void s.add(v),
    merge: (into, from) => into.merge(from),
    toPoint: (s) => s.count(),
  };
}
