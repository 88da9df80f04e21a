// Chunk codecs: the public surface of zone/tsdb/chunk.
export {
  ChunkEncoding,
  MAX_ABS_T_MS,
  validTimestamp,
  isKnownEncoding,
  type Chunk,
  type ChunkCursor,
  type FloatAppender,
  type DistributionAppender,
} from './encoding.ts';
export { XorChunk, XorCursor } from './xor.ts';
export { DecimalChunk, DecimalCursor } from './decimal.ts';
export { DistributionChunk, DistributionCursor } from './distribution.ts';
export { openChunkCursor } from './open.ts';
