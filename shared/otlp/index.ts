// Public surface of shared/otlp: OTLP/HTTP metrics decoding and the translation to Prometheus
// samples, used by the zone's /api/v1/otlp/v1/metrics and the leaf's /v1/metrics (docs/otlp.md).
export {
  normalizeMetricName,
  normalizeLabelName,
  cleanUpString,
  type OtlpNameKind,
} from './normalize-name.ts';
export { CumulativeState, DEFAULT_IDLE_MS, type HistogramTotals } from './cumulative-state.ts';
export {
  translateExportRequest,
  exponentialBuckets,
  anyValueString,
  formatBound,
  EXPONENTIAL_TARGET_SCALE,
  type OtlpDropReason,
  type OtlpDistribution,
  type OtlpMetadata,
  type OtlpSample,
  type OtlpSeriesType,
  type OtlpTranslation,
} from './translate.ts';
export {
  otlpMediaType,
  decodeContentEncoding,
  decodeExportRequest,
  encodeExportResponse,
  encodeStatus,
  contentTypeOf,
  type OtlpMediaType,
} from './decode.ts';
export { receiveOtlp, otlpError, otlpSuccess, type OtlpReceived, type OtlpResponse } from './receive.ts';
export {
  exponentialSnapshot,
  snapshotDistribution,
  ExponentialDeltas,
  type ExponentialSnapshot,
} from './exponential-distribution.ts';
export { otlpGrpcOutcome, OTLP_GRPC_CONTENT_TYPE, GrpcCode, type OtlpGrpcOutcome } from './grpc.ts';
