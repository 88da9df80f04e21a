// Public surface of the zone's write-ahead log.
export { Wal, WAL_RECORD_HEADER_BYTES, type FsyncPolicy, type WalOptions, type WalStats } from './wal.ts';
export type { WalReplayHandler, ReplayStats } from './replay.ts';
export { crc32c } from './crc32c.ts';
