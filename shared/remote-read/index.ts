export {
  RemoteReadHandler,
  plainTextError,
  SampleBudget,
  DEFAULT_REMOTE_READ_LIMITS,
  type RawSelect,
  type RemoteReadLimits,
} from './read-handler.ts';
export { selectFromQueryable } from './select.ts';
export { decodeReadRequest, encodeReadRequest, ResponseType, type ReadQuery } from './read-request.ts';
export { ChunkedWriter, readFrames } from './chunked-writer.ts';
export { XorChunkWriter, SAMPLES_PER_CHUNK } from './xor-chunk.ts';
