// Public surface of shared/sketch: mergeable sketches and pre-aggregates.
export { hash64, hash64Pair, hashHi, hashLo } from './hash.ts';
export { HyperLogLog, HLL_VERSION, HLL_DEFAULT_P } from './hll.ts';
export { TDigest, DIGEST_DEFAULT_COMPRESSION, validateDistribution } from './digest.ts';
export {
  type Aggregator,
  type ScalarState,
  type TimedValue,
  sumAggregator,
  minAggregator,
  maxAggregator,
  countAggregator,
  lastAggregator,
  distributionAggregator,
  uniqueAggregator,
} from './aggregator.ts';
