// The request half both OTLP receivers share: check the media type, undo gzip, decode and
// translate. Statuses as OTLP/HTTP specifies: 415 for a Content-Type other than protobuf or
// JSON (plain text, since the encoding is unknown), 400 with a google.rpc.Status body for a
// body that cannot be decoded (not retryable), 413 for a body over the cap; success answers
// 200 with ExportMetricsServiceResponse (partial_success when points were rejected).
import { isCanopyError } from '../errors.ts';
import type { CumulativeState } from './cumulative-state.ts';
import {
  contentTypeOf,
  decodeContentEncoding,
  decodeExportRequest,
  encodeExportResponse,
  encodeStatus,
  otlpMediaType,
  type OtlpMediaType,
} from './decode.ts';
import { translateExportRequest, type OtlpTranslation } from './translate.ts';

export interface OtlpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
  /** The error's text (statuses other than 200), for OTLP/gRPC's status details. */
  message?: string;
}

export type OtlpReceived =
  { ok: true; media: OtlpMediaType; translation: OtlpTranslation } | { ok: false; response: OtlpResponse };

/** gRPC status codes used in OTLP/HTTP error bodies. */
const INVALID_ARGUMENT = 3,
  RESOURCE_EXHAUSTED = 8,
  UNAVAILABLE = 14;

export function otlpError(media: OtlpMediaType, status: number, message: string): OtlpResponse {
  const code =
    status === 503 ? UNAVAILABLE : status === 429 || status === 413 ? RESOURCE_EXHAUSTED : INVALID_ARGUMENT;
  return {
    status,
    headers: { 'content-type': contentTypeOf(media) },
    body: encodeStatus(media, code, message),
    message,
  };
}

export function otlpSuccess(media: OtlpMediaType, rejectedDataPoints: number, message: string): OtlpResponse {
  return {
    status: 200,
    headers: { 'content-type': contentTypeOf(media) },
    body: encodeExportResponse(media, rejectedDataPoints, message),
  };
}

export async function receiveOtlp(
  body: Uint8Array,
  contentType: string | undefined,
  contentEncoding: string | undefined,
  maxBytes: number,
  state: CumulativeState,
  nowMs: number,
): Promise<OtlpReceived> {
  const media = otlpMediaType(contentType);
  if (media === null) {
    return {
      ok: false,
      response: {
        status: 415,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `unsupported Content-Type ${JSON.stringify(contentType ?? '')}: expected application/x-protobuf or application/json\n`,
      },
    };
  }
  if (body.length > maxBytes)
    return {
      ok: false,
      response: otlpError(media, 413, `request body of ${body.length} bytes exceeds ${maxBytes}`),
    };
  try {
    const raw = await decodeContentEncoding(body, contentEncoding, maxBytes);
    const req = decodeExportRequest(raw, media);
    return { ok: true, media, translation: translateExportRequest(req, state, nowMs) };
  } catch (e) {
    if (isCanopyError(e, 'limit_exceeded')) return { ok: false, response: otlpError(media, 413, e.message) };
    if (isCanopyError(e, 'bad_data'))
      return {
        ok: false,
        response: e.fields.unsupported
          ? { ...otlpError(media, 415, e.message) }
          : otlpError(media, 400, e.message),
      };
    throw e;
  }
}
