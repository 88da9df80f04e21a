// zone/tsdb: the zone's time-series database (head + WAL + 2 h blocks), implementing the shared
// Storage contract. Everything else in this folder is internal.
//
//   const db = await openTSDB({ dir: join(dataDir, 'tsdb'), logger });   // replays the WAL
//   const app = db.appender(); app.append(labels, tMs, v); const res = await app.commit();
//   // res.rejected counts drops by reason; commit resolves after the WAL commit (ack point)
//   const q = await db.querier(mint, maxt); … q.select(matchers, hints) …; q.close();
//   await db.close();
export {
  openTSDB,
  parseTSDBOptions,
  TSDB,
  type TSDBOptions,
  type TSDBStats,
  type ResolvedTSDBOptions,
  type ColdTier,
  type HeldBlocks,
  type PostCompactionTask,
} from './db.ts';
export type { SeriesSource } from './querier.ts';
export { blockResolution, type BlockMeta } from './block-writer.ts';
export { RES_RAW, RES_5M, RES_1H } from './rollup.ts';
export { Block, BlockSourceSeries, type ChunkReader } from './block-reader.ts';
export * from './chunk/index.ts';
export {
  readIndexFile,
  readIndexFileAsync,
  IndexReader,
  type BlockIndexReader,
  type ChunkRef,
} from './block-index.ts';
export {
  IndexHeader,
  RangedIndexReader,
  parseRangedToc,
  RANGED_TOC_BYTES,
  type RangedToc,
  type IndexRangeRead,
} from './ranged-index.ts';
export { labelPairsForMatchers } from './postings.ts';
export type { SourceSeries } from './querier.ts';
