// OTLP/gRPC (opentelemetry.proto.collector.metrics.v1.MetricsService/Export, proto/otlp's
// otlpMetricsService) on top of the OTLP/HTTP receivers: a gRPC request is handled as an
// OTLP/HTTP protobuf body (grpc-js has already undone `grpc-encoding: gzip`), and the HTTP
// answer is mapped to gRPC as the OTLP specification pairs them:
//   200 → OK with the ExportMetricsServiceResponse bytes (partial_success as over HTTP);
//   400, 413, 415 → INVALID_ARGUMENT (not retried by senders);
//   429 → RESOURCE_EXHAUSTED and 503 → UNAVAILABLE (both retried by senders);
//   anything else → INTERNAL.
import type { OtlpResponse } from './receive.ts';

/** The Content-Type an OTLP/gRPC body is handled as. */
export const OTLP_GRPC_CONTENT_TYPE = 'application/x-protobuf';

/** gRPC status codes (google.rpc.Code). */
export const GrpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type OtlpGrpcOutcome = { ok: true; body: Uint8Array } | { ok: false; code: number; details: string };

export function otlpGrpcOutcome(res: OtlpResponse): OtlpGrpcOutcome {
  if (res.status === 200)
    return { ok: true, body: typeof res.body === 'string' ? Buffer.from(res.body) : res.body };
  const code =
    res.status === 429
      ? GrpcCode.RESOURCE_EXHAUSTED
      : res.status === 503
        ? GrpcCode.UNAVAILABLE
        : res.status === 400 || res.status === 413 || res.status === 415
          ? GrpcCode.INVALID_ARGUMENT
          : GrpcCode.INTERNAL;
  return {
    ok: false,
    code,
    details: res.message ?? (typeof res.body === 'string' ? res.body.trim() : `HTTP status ${res.status}`),
  };
}
