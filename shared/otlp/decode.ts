// OTLP/HTTP request bodies → ExportMetricsServiceRequest, and the response bodies.
// Content-Type application/x-protobuf (binary protobuf) or application/json (the OTLP JSON
// mapping: lowerCamelCase field names, 64-bit integers as decimal strings or numbers, enums as
// numbers or names); Content-Encoding gzip or identity. The gunzipped size is capped like the
// body. Failures are CanopyError: 'bad_data' (answer 400) or 'limit_exceeded' (413), and
// unsupported media types are reported by otlpMediaType() returning null (answer 415).
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { otlp, type IExportMetricsServiceRequest } from '../../proto/otlp/index.ts';
import { CanopyError, errorMessage } from '../errors.ts';

export type OtlpMediaType = 'protobuf' | 'json';

/** The request's encoding from its Content-Type, or null when it is neither OTLP encoding. */
export function otlpMediaType(contentType: string | undefined): OtlpMediaType | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

const gunzipAsync = promisify(gunzip);

/** Undoes Content-Encoding (gzip or none), keeping the result under maxBytes. Gunzip runs on libuv's thread pool, off the request loop. */
export async function decodeContentEncoding(
  body: Uint8Array,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Uint8Array> {
  const ce = (contentEncoding ?? '').trim().toLowerCase();
  if (ce === '' || ce === 'identity') return body;
  if (ce !== 'gzip')
    throw new CanopyError(
      'bad_data',
      `unsupported Content-Encoding ${JSON.stringify(contentEncoding)}: expected gzip or none`,
      { fields: { unsupported: true } },
    );
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CanopyError('limit_exceeded', `decompressed body exceeds ${maxBytes} bytes`, {
        fields: { maxBytes },
      });
    }
    throw new CanopyError('bad_data', `cannot gunzip body: ${errorMessage(e)}`, { cause: e });
  }
}

/** Decodes an (already un-encoded) OTLP metrics request. */
export function decodeExportRequest(raw: Uint8Array, media: OtlpMediaType): IExportMetricsServiceRequest {
  if (media === 'protobuf') {
    try {
      return otlp.ExportMetricsServiceRequest.decode(raw);
    } catch (e) {
      throw new CanopyError(
        'bad_data',
        `cannot decode ExportMetricsServiceRequest protobuf: ${errorMessage(e)}`,
        { cause: e },
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));
  } catch (e) {
    throw new CanopyError('bad_data', `cannot parse JSON body: ${errorMessage(e)}`, { cause: e });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CanopyError('bad_data', 'cannot decode ExportMetricsServiceRequest JSON: expected an object');
  }
  try {
    return otlp.ExportMetricsServiceRequest.fromObject(parsed as Record<string, unknown>);
  } catch (e) {
    throw new CanopyError('bad_data', `cannot decode ExportMetricsServiceRequest JSON: ${errorMessage(e)}`, {
      cause: e,
    });
  }
}

/** ExportMetricsServiceResponse in the request's encoding; partial_success only when something was rejected. */
export function encodeExportResponse(
  media: OtlpMediaType,
  rejectedDataPoints: number,
  errorMessageText: string,
): Uint8Array | string {
  const partial =
    rejectedDataPoints > 0 || errorMessageText !== ''
      ? { rejectedDataPoints, errorMessage: errorMessageText }
      : null;
  if (media === 'json')
    return JSON.stringify(
      partial === null
        ? {}
        : {
            partialSuccess: {
              rejectedDataPoints: String(rejectedDataPoints),
              errorMessage: errorMessageText,
            },
          },
    );
  return otlp.ExportMetricsServiceResponse.encode({ partialSuccess: partial }).finish();
}

/** A google.rpc.Status body (code, message) for a failed request, in the request's encoding. */
export function encodeStatus(media: OtlpMediaType, grpcCode: number, message: string): Uint8Array | string {
  if (media === 'json') return JSON.stringify({ code: grpcCode, message });
  return otlp.Status.encode({ code: grpcCode, message }).finish();
}

export function contentTypeOf(media: OtlpMediaType): string {
  return media === 'json' ? 'application/json' : 'application/x-protobuf';
}
