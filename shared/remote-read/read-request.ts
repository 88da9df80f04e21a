// Decoding a remote-read request (prometheus storage/remote/codec.go): a snappy block holding a
// ReadRequest; the answer type negotiated from accepted_response_types (first one supported,
// SAMPLES when the list is empty); matchers converted to Canopy's (RE2, fully anchored).
import snappy from 'snappy';
import { prometheus } from '../../proto/prometheus/gen/prometheus.js';
import { CanopyError, errorMessage } from '../errors.ts';
import { Matcher, type MatchType } from '../matchers.ts';

export const enum ResponseType {
  Samples = 0,
  StreamedXorChunks = 1,
}

export interface ReadQuery {
  startMs: number;
  endMs: number;
  matchers: Matcher[];
}

export interface ReadRequest {
  queries: ReadQuery[];
  responseType: ResponseType;
}

const MATCH_TYPES: Record<number, MatchType> = { 0: '=', 1: '!=', 2: '=~', 3: '!~' };

/** Largest decoded request accepted (Prometheus's decodeReadLimit). */
export const MAX_DECODED_REQUEST_BYTES = 32 * 1024 * 1024;

export function decodeReadRequest(body: Buffer): ReadRequest {
  let raw: Buffer;
  try {
    raw = snappy.uncompressSync(body, { asBuffer: true }) as Buffer;
  } catch (e) {
    throw new CanopyError('bad_data', `cannot decode remote-read request: snappy: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  if (raw.length > MAX_DECODED_REQUEST_BYTES)
    throw new CanopyError(
      'bad_data',
      `cannot decode remote-read request: ${raw.length} bytes decoded, limit ${MAX_DECODED_REQUEST_BYTES}`,
    );
  let pb: prometheus.ReadRequest;
  try {
    pb = prometheus.ReadRequest.decode(raw);
  } catch (e) {
    throw new CanopyError('bad_data', `cannot decode remote-read request: ${errorMessage(e)}`, { cause: e });
  }
  return { queries: pb.queries.map(toQuery), responseType: negotiate(pb.acceptedResponseTypes) };
}

function negotiate(accepted: readonly number[]): ResponseType {
  if (accepted.length === 0) return ResponseType.Samples;
  for (const t of accepted) if (t === ResponseType.Samples || t === ResponseType.StreamedXorChunks) return t;
  throw new CanopyError(
    'bad_data',
    `server does not support any of the requested response types: [${accepted.join(' ')}]; supported: [SAMPLES STREAMED_XOR_CHUNKS]`,
  );
}

function toQuery(q: prometheus.IQuery): ReadQuery {
  const matchers = (q.matchers ?? []).map((m) => {
    const type = MATCH_TYPES[m.type ?? 0];
    if (type === undefined) throw new CanopyError('bad_data', `invalid matcher type ${m.type}`);
    return new Matcher(type, m.name ?? '', m.value ?? '');
  });
  return { startMs: Number(q.startTimestampMs ?? 0), endMs: Number(q.endTimestampMs ?? 0), matchers };
}

/** Encodes a request as Prometheus's client sends it (tests and tools). */
export function encodeReadRequest(queries: readonly ReadQuery[], accepted: readonly ResponseType[]): Buffer {
  const types: Record<MatchType, number> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };
  const pb = prometheus.ReadRequest.encode({
    queries: queries.map((q) => ({
      startTimestampMs: q.startMs,
      endTimestampMs: q.endMs,
      matchers: q.matchers.map((m) => ({ type: types[m.type], name: m.name, value: m.value })),
    })),
    acceptedResponseTypes: accepted.map((t) => t as number as prometheus.ReadRequest.ResponseType),
  }).finish();
  return snappy.compressSync(Buffer.from(pb));
}
