// Chunk encodings and the interface every chunk codec implements. Encoding values are stored
// on disk (block chunk files) and are never reused. Every chunk starts with a 2-byte big-endian
// sample count; the rest is the codec's bit stream (docs/format/chunks.md).
import type { SampleCursor } from '../../../shared/storage.ts';
import type { Distribution } from '../../../shared/distribution.ts';
import { CanopyError } from '../../../shared/errors.ts';

export const enum ChunkEncoding {
  /** Gorilla: delta-of-delta timestamps, XOR floats (Prometheus XOR layout). */
  Xor = 1,
  /** Decimal-aware: scaled-integer deltas for decimal values, XOR fallback. */
  Decimal = 2,
  /** Distribution samples: count/sum/min/max + centroids. */
  Distribution = 3,
}

export function isKnownEncoding(e: number): e is ChunkEncoding {
  return e === ChunkEncoding.Xor || e === ChunkEncoding.Decimal || e === ChunkEncoding.Distribution;
}

/** Timestamps are integer ms with |t| ≤ 2^52 so every delta and delta-of-delta is exact. */
export const MAX_ABS_T_MS = 2 ** 52;
/** A chunk holds at most this many samples (the count header is 16 bits). */
export const MAX_CHUNK_SAMPLES = 0xffff;

export function validTimestamp(tMs: number): boolean {
  return Number.isInteger(tMs) && tMs <= MAX_ABS_T_MS && tMs >= -MAX_ABS_T_MS;
}

export interface FloatAppender {
  /** Precondition: tMs valid and > the previous sample's timestamp. */
  append(tMs: number, v: number): void;
}

export interface DistributionAppender {
  append(tMs: number, d: Distribution): void;
}

export interface ChunkCursor extends SampleCursor {
  /** Restarts on (possibly other) bytes of the same encoding, without allocating. */
  reset(bytes: Uint8Array): void;
}

export interface Chunk {
  readonly encoding: ChunkEncoding;
  numSamples(): number;
  /** The encoded bytes (a view; valid until the next append). */
  bytes(): Uint8Array;
  cursor(): ChunkCursor;
}

export function readCount(b: Uint8Array): number {
  if (b.length < 2) throw new CanopyError('corrupt', `cannot read chunk header: ${b.length} bytes`);
  return (b[0]! << 8) | b[1]!;
}

/** Validates an append; the fast path is a handful of comparisons (it runs per sample). */
export function checkAppend(prevT: number, n: number, tMs: number): void {
  if (
    (tMs > prevT || n === 0) &&
    n < MAX_CHUNK_SAMPLES &&
    tMs <= MAX_ABS_T_MS &&
    tMs >= -MAX_ABS_T_MS &&
    Math.floor(tMs) === tMs
  )
    return;
  if (!validTimestamp(tMs))
    throw new CanopyError(
      'out_of_bounds',
      `cannot append sample: timestamp ${tMs} is not an integer within ±2^52 ms`,
    );
  if (n > 0 && tMs <= prevT)
    throw new CanopyError('out_of_order', `cannot append sample at ${tMs}: chunk already ends at ${prevT}`);
  if (n >= MAX_CHUNK_SAMPLES)
    throw new CanopyError('limit_exceeded', `cannot append sample: chunk holds ${n} samples`);
}
