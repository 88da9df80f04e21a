// Public surface of zone ingest: framework-free handlers the zone's HTTP server mounts.
export { handleRemoteWrite, snappyDecodedLength, trimIngestCaches, ingestCacheSize } from './remote-write.ts';
export { handlePush, pushTimestampMs, SECONDS_THRESHOLD } from './push.ts';
export {
  Admission,
  DEFAULT_ADMISSION_LIMITS,
  parseAdmissionLimits,
  type AdmissionLimits,
  type AdmissionOptions,
} from './admission.ts';
export { Tenants, type TenantUsage, type TenantsOptions } from './tenants.ts';
export { IngestMetrics, type IngestDropReason, type IngestPath } from './ingest-metrics.ts';
export {
  DEFAULT_MAX_BODY_BYTES,
  type IngestHeaders,
  type IngestOptions,
  type IngestResponse,
} from './ingest-options.ts';
export { WriteRequestReader } from './write-request-reader.ts';
export { readRequestBody, writeIngestResponse } from './http-adapter.ts';
export { otlpHandler, type OtlpHandler, type OtlpMetadataSink, type OtlpVia } from './otlp.ts';
export {
  OVERRIDE_KEYS,
  parseRuntimeConfig,
  RuntimeConfigLoader,
  type RuntimeConfigOptions,
} from './runtime-config.ts';
