// The OTLP metrics messages Canopy's receivers decode (proto/otlp/gen, generated from
// metrics.proto, never edited by hand). Importing proto/index.ts first configures protobufjs
// without Long, so int64/fixed64 fields decode as JS numbers (nanosecond timestamps lose
// precision below ~256 ns, which the millisecond conversion drops anyway).
import '../index.ts';
import { otlp } from './gen/otlp.js';
import type { ServiceDefinition } from '@grpc/grpc-js';

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

/**
 * opentelemetry.proto.collector.metrics.v1.MetricsService (OTLP/gRPC), for @grpc/grpc-js
 * Server.addService. Requests and responses pass as raw bytes: the receivers decode with
 * their own error handling (shared/otlp), the same as for OTLP/HTTP protobuf bodies.
 */
export const otlpMetricsService: ServiceDefinition = {
  export: {
    path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Uint8Array) => Buffer.from(b),
    requestDeserialize: (buf: Buffer) => buf,
    responseSerialize: (b: Uint8Array) => Buffer.from(b),
    responseDeserialize: (buf: Buffer) => buf,
  },
};
