// zone/tsdb: the zone's time-series database (head + WAL + blocks), implementing the shared
// Storage contract. Everything else in this folder is internal.
export { openTSDB, parseTSDBOptions, TSDB, type TSDBOptions, type TSDBStats } from './db.ts';
export type { BlockMeta } from './block-writer.ts';
export { Block } from './block-reader.ts';
export * from './chunk/index.ts';
