// Public surface of leaf/buffer: the bounded on-disk batch queue.
export {
  DiskBuffer,
  BUFFER_FORMAT_VERSION,
  type DiskBufferOptions,
  type BufferedBatch,
  type BufferDropReason,
  type CorruptionStats,
  type BufferCursor,
} from './disk-buffer.ts';
