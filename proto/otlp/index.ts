// The OTLP metrics messages Canopy's receivers decode (proto/otlp/gen, generated from
// metrics.proto, never edited by hand). Importing proto/index.ts first configures protobufjs
// without Long, so int64/fixed64 fields decode as JS numbers (nanosecond timestamps lose
// precision below ~256 ns, which the millisecond conversion drops anyway).
import '../index.ts';
import { otlp } from './gen/otlp.js';

export { otlp };
export type IExportMetricsServiceRequest = otlp.IExportMetricsServiceRequest;
export type IMetric = otlp.IMetric;
export type IKeyValue = otlp.IKeyValue;
export type IAnyValue = otlp.IAnyValue;
export type INumberDataPoint = otlp.INumberDataPoint;
export type IHistogramDataPoint = otlp.IHistogramDataPoint;
export type IExponentialHistogramDataPoint = otlp.IExponentialHistogramDataPoint;
export type ISummaryDataPoint = otlp.ISummaryDataPoint;
export const AggregationTemporality = otlp.AggregationTemporality;
