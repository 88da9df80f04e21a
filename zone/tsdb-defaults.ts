// The zone's storage defaults, written once: config parsing (zone/config.ts), the TSDB
// (zone/tsdb: parseTSDBOptions, the head), the WAL (zone/wal), the importer (zone/import) and
// the docs (docs/format/block.md "Defaults", checked by test/zone/tsdb/defaults.test.ts) take
// them from here. A module of constants only: it imports nothing, so every folder may use it.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface TSDBDefaults {
  blockRangeMs: number;
  retentionMs: number;
  retentionBytes: number;
  outOfOrderWindowMs: number;
  walFsync: 'always' | 'batch' | 'none';
  walSegmentSizeBytes: number;
  samplesPerChunk: number;
  compactIntervalMs: number;
  rollup5mAfterMs: number;
  rollup1hAfterMs: number;
  retention5mMs: number;
  retention1hMs: number;
}

export const TSDB_DEFAULTS: Readonly<TSDBDefaults> = Object.freeze({
  /** Head block range: blocks are cut, and head chunks never straddle, at multiples of it (Prometheus's 2 h). */
  blockRangeMs: 2 * HOUR_MS,
  /** Blocks ending this far behind the newest data are deleted (Prometheus's 15 d). */
  retentionMs: 15 * DAY_MS,
  /** Block bytes kept at most; 0 = unlimited. */
  retentionBytes: 0,
  /** Samples accepted this far behind a series' newest sample. */
  outOfOrderWindowMs: HOUR_MS,
  /** WAL fsync policy: one fsync per group commit window. */
  walFsync: 'batch',
  /** WAL segment size (Prometheus's 128 MiB). */
  walSegmentSizeBytes: 128 * 1024 * 1024,
  /** Samples per head chunk before a new chunk starts (Prometheus's 120). */
  samplesPerChunk: 120,
  /** Background compaction (and rollup) pass interval. */
  compactIntervalMs: MINUTE_MS,
  /**
   * Rollup ages of a zone (Thanos's defaults): 5m rollups of raw blocks ending this far behind
   * the newest data, 1h rollups of 5m blocks. A TSDB opened without them (tests, benchmarks,
   * the importer) writes no rollups: parseTSDBOptions defaults them to 0.
   */
  rollup5mAfterMs: 40 * HOUR_MS,
  rollup1hAfterMs: 10 * DAY_MS,
  /** Rollup blocks kept forever unless bounded. */
  retention5mMs: 0,
  retention1hMs: 0,
});

/** The shortest block range (and retention) a zone accepts. */
export const MIN_BLOCK_RANGE_MS = MINUTE_MS;
/** The smallest WAL segment the WAL accepts. */
export const MIN_WAL_SEGMENT_SIZE_BYTES = 4 * 1024;
