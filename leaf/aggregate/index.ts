// Public surface of leaf/aggregate: StatsD pre-aggregation and stream aggregation rules.
export {
  StatsdAggregator,
  type StatsdAggregatorOptions,
  type StatsdAggregatorDropReason,
} from './statsd-aggregator.ts';
export {
  StreamAggregator,
  parseStreamAggrConfigs,
  type StreamAggrRule,
  type StreamAggregatorOptions,
  type StreamOutput,
} from './stream-aggregator.ts';
export type {
  FloatSample,
  DistributionSample,
  FlushBatch,
  FlushCallback,
  AdmitSeries,
  SeriesRefusal,
} from './types.ts';
