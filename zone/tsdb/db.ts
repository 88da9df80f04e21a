// TSDB: the zone's Storage. Opens (or creates) <dir>/blocks and <dir>/wal, loads the blocks,
// replays the WAL into the head (logging progress), then serves. After commits, a background
// step (never overlapping itself) cuts the head's oldest block range once the head spans more
// than 1.5 block ranges, truncates the head, checkpoints the WAL, merges blocks and applies
// retention. Block writing and merging run in the compaction worker (compactor.ts); nothing
// reachable from a request does synchronous file I/O but chunk reads from open blocks.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/log.ts';
import { silentLogger } from '../../shared/log.ts';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import type { Labels } from '../../shared/labels.ts';
import type { Distribution } from '../../shared/distribution.ts';
import type { Appender, Querier, QuerierHints, Storage } from '../../shared/storage.ts';
import { Wal, type FsyncPolicy } from '../wal/index.ts';
import { Head } from './head.ts';
import type { HeadSeries } from './head-series.ts';
import { HeadAppender } from './head-append.ts';
import { headSource } from './head-read.ts';
import { TSDBQuerier, type SeriesSource } from './querier.ts';
import { Block } from './block-reader.ts';
import { blockResolution, type BlockMeta } from './block-writer.ts';
import { compactionRanges, planCompaction } from './compact.ts';
import { CompactionWorker } from './compactor.ts';
import { blocksBeyondRetention } from './retention.ts';
import { MIN_BLOCK_RANGE_MS, TSDB_DEFAULTS } from '../tsdb-defaults.ts';
import { planRollup, RES_1H, RES_5M, type RollupPlan } from './rollup.ts';

/** Runs after every compaction pass (e.g. the object-store upload) with the blocks it wrote. */
export type PostCompactionTask = (written: readonly BlockMeta[]) => Promise<void>;

export interface TSDBOptions {
  dir: string;
  /** Head block range and chunk alignment, ms. Defaults of every option: zone/tsdb-defaults.ts. */
  blockRangeMs?: number;
  /** Delete blocks ending this far behind the newest data; 0 = keep. Default 15 d. */
  retentionMs?: number;
  /** Keep at most this many block bytes; 0 = unlimited. */
  retentionBytes?: number;
  /** Accept samples this far behind a series' newest sample. Default 1 h. */
  outOfOrderWindowMs?: number;
  walFsync?: FsyncPolicy;
  walSegmentSizeBytes?: number;
  /** false: no WAL (tests, benchmarks); data lives in the head and blocks only. */
  wal?: boolean;
  /** Run the background block cutting after commits. Default true. */
  autoCompact?: boolean;
  /**
   * Write 5m rollups of raw blocks ending this far behind the newest data (and of raw blocks
   * retention deletes); 0 = never (the default here; the zone's config defaults to TSDB_DEFAULTS'
   * 40 h, Thanos's).
   */
  rollup5mAfterMs?: number;
  /** Write 1h rollups of 5m blocks ending this far behind the newest data; 0 = never (default; zone: 10 d). */
  rollup1hAfterMs?: number;
  /** Delete 5m / 1h rollup blocks ending this far behind the newest data; 0 = keep. Default 0. */
  retention5mMs?: number;
  retention1hMs?: number;
  /** Background compaction (and rollup) pass interval, ms. Default 1 min. */
  compactIntervalMs?: number;
  logger?: Logger;
}

/**
 * A colder tier under the local blocks (zone/objstore: the bucket). It uploads through a
 * post-compaction task (addPostCompactionTask), so every block a pass writes, raw or rollup,
 * is uploaded before that pass applies local retention.
 */
export interface ColdTier {
  /** True once the block is confirmed in the tier: only then may retention delete it locally. */
  holds(ulid: string): boolean;
  /**
   * Tier blocks with data in [mintMs, maxtMs] that the given local blocks do not already hold
   * (same ulid, or all its sources local, compared per resolution), opened for reading until
   * release(): raw blocks as `sources`, rollup blocks apart in `rollups` (never mixed into raw
   * reads). `localMinT` is the oldest raw sample time held locally (blocks and head): a tier
   * that cannot tell what it holds may still answer a query that starts at or after it.
   * `hints`: the querier's (shared/storage.ts QuerierHints): a tier may fetch only the chunks
   * they need.
   */
  open(
    mintMs: number,
    maxtMs: number,
    local: readonly BlockMeta[],
    localMinT: number,
    hints?: QuerierHints,
  ): Promise<{ sources: SeriesSource[]; rollups?: Block[]; release(): void }>;
}

/** A local block held open (for upload) until release(). */
export interface HeldBlocks {
  blocks: { meta: BlockMeta; dir: string }[];
  release(): void;
}

export interface TSDBStats {
  series: number;
  headSamples: number;
  headChunks: number;
  headMinT: number;
  headMaxT: number;
  headMemoryBytes: number;
  blocks: number;
  blockSamples: number;
  blockBytes: number;
  blockIndexBytes: number;
  walBytes: number;
}

/** How long a head cut waits for queriers opened before it (then truncates anyway, logged). */
const READER_WAIT_MS = 60_000;

export type ResolvedTSDBOptions = Required<Omit<TSDBOptions, 'logger'>> & { logger: Logger };
type Resolved = ResolvedTSDBOptions;

export function parseTSDBOptions(o: TSDBOptions): Resolved {
  const r: Resolved = {
    dir: o.dir,
    blockRangeMs: o.blockRangeMs ?? TSDB_DEFAULTS.blockRangeMs,
    retentionMs: o.retentionMs ?? TSDB_DEFAULTS.retentionMs,
    retentionBytes: o.retentionBytes ?? TSDB_DEFAULTS.retentionBytes,
    outOfOrderWindowMs: o.outOfOrderWindowMs ?? TSDB_DEFAULTS.outOfOrderWindowMs,
    walFsync: o.walFsync ?? TSDB_DEFAULTS.walFsync,
    walSegmentSizeBytes: o.walSegmentSizeBytes ?? TSDB_DEFAULTS.walSegmentSizeBytes,
    wal: o.wal ?? true,
    autoCompact: o.autoCompact ?? true,
    // Rollups only when asked: the zone passes TSDB_DEFAULTS' ages from its config.
    rollup5mAfterMs: o.rollup5mAfterMs ?? 0,
    rollup1hAfterMs: o.rollup1hAfterMs ?? 0,
    retention5mMs: o.retention5mMs ?? TSDB_DEFAULTS.retention5mMs,
    retention1hMs: o.retention1hMs ?? TSDB_DEFAULTS.retention1hMs,
    compactIntervalMs: o.compactIntervalMs ?? TSDB_DEFAULTS.compactIntervalMs,
    logger: o.logger ?? silentLogger(),
  };
  if (typeof r.dir !== 'string' || r.dir === '')
    throw new CanopyError('config_invalid', 'tsdb: dir must be a non-empty path');
  for (const k of [
    'blockRangeMs',
    'retentionMs',
    'retentionBytes',
    'outOfOrderWindowMs',
    'rollup5mAfterMs',
    'rollup1hAfterMs',
    'retention5mMs',
    'retention1hMs',
  ] as const) {
    if (!Number.isInteger(r[k]) || r[k] < 0)
      throw new CanopyError('config_invalid', `tsdb: ${k} must be a non-negative integer, got ${r[k]}`);
  }
  if (r.blockRangeMs < MIN_BLOCK_RANGE_MS)
    throw new CanopyError(
      'config_invalid',
      `tsdb: blockRangeMs must be ≥ ${MIN_BLOCK_RANGE_MS}, got ${r.blockRangeMs}`,
    );
  if (!Number.isInteger(r.compactIntervalMs) || r.compactIntervalMs < 1000)
    throw new CanopyError(
      'config_invalid',
      `tsdb: compactIntervalMs must be an integer ≥ 1000, got ${r.compactIntervalMs}`,
    );
  if (r.rollup5mAfterMs === 0 && r.rollup1hAfterMs > 0)
    throw new CanopyError(
      'config_invalid',
      'tsdb: 1h rollups are made from 5m rollups; rollup1hAfterMs needs rollup5mAfterMs > 0',
    );
  if (r.outOfOrderWindowMs > r.blockRangeMs)
    throw new CanopyError('config_invalid', 'tsdb: outOfOrderWindowMs must not exceed blockRangeMs');
  return r;
}

async function dirSize(p: string): Promise<number> {
  let st;
  try {
    st = await stat(p);
  } catch {
    return 0; // gone meanwhile (a checkpoint replaced it)
  }
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of await readdir(p).catch(() => [] as string[])) n += await dirSize(join(p, e));
  return n;
}

export class TSDB implements Storage {
  /** The in-memory head (internal: exposed for tests and diagnostics). */
  readonly head: Head;
  private blocksList: Block[] = [];
  private readonly blocksDir: string;
  private compacting: Promise<unknown> | null = null;
  /** Serialises head cuts, merges and retention (background and explicit calls). */
  private serial: Promise<unknown> = Promise.resolve();
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  /** Queriers open per generation; a head cut waits for older generations before truncating. */
  private readerGen = 0;
  private readonly readers = new Map<number, number>();
  /** WAL segment closed at the previous head cut (null until one happened in this process). */
  private prevCutSegment: number | null = null;
  private readonly log: Logger;
  private tier: ColdTier | null = null;
  private readonly postTasks: PostCompactionTask[] = [];
  /** Blocks the last pass wrote. */
  private lastWritten: BlockMeta[] = [];
  /** Blocks written since the post-compaction tasks last ran. */
  private written: BlockMeta[] = [];
  private readonly truncationListeners: ((liveSeries: number) => void)[] = [];
  /** Block writes, merges and rollups, off the request thread. */
  readonly compactor = new CompactionWorker();
  /** The WAL directory's size as last measured (stats() refreshes it in the background). */
  private walBytes = 0;
  private walSizing: Promise<void> | null = null;

  private constructor(
    private readonly o: Resolved,
    private readonly wal: Wal | null,
  ) {
    this.log = o.logger;
    this.blocksDir = join(o.dir, 'blocks');
    this.head = new Head({ chunkRangeMs: o.blockRangeMs, outOfOrderWindowMs: o.outOfOrderWindowMs });
  }

  static async open(opts: TSDBOptions): Promise<TSDB> {
    const o = parseTSDBOptions(opts);
    mkdirSync(join(o.dir, 'blocks'), { recursive: true });
    const wal = o.wal
      ? await Wal.open({
          dir: join(o.dir, 'wal'),
          fsync: o.walFsync,
          segmentSizeBytes: o.walSegmentSizeBytes,
          logger: o.logger,
        })
      : null;
    const db = new TSDB(o, wal);
    db.loadBlocks();
    if (wal) await db.replay(wal);
    if (o.autoCompact) {
      // Also check on a schedule, so an idle head is still cut and old blocks are rolled up
      // (a tick is skipped while a pass runs).
      db.timer = setInterval(() => db.tick(), o.compactIntervalMs);
      db.timer.unref();
    }
    return db;
  }

  private loadBlocks(): void {
    for (const name of readdirSync(this.blocksDir).sort()) {
      const p = join(this.blocksDir, name);
      if (name.endsWith('.tmp')) {
        rmSync(p, { recursive: true, force: true }); // a crash mid-write
        continue;
      }
      try {
        this.blocksList.push(this.adopt(Block.open(p)));
      } catch (e) {
        this.log.error({ block: name, err: errorMessage(e) }, 'cannot open block; skipping it');
      }
    }
    this.blocksList.sort((a, b) => a.minT - b.minT);
    const maxBlockT = this.rawBlocks().reduce((m, b) => Math.max(m, b.meta.maxTime), -Infinity);
    this.head.minValidT = maxBlockT;
    this.log.info({ blocks: this.blocksList.length }, 'tsdb blocks loaded');
  }

  private async replay(wal: Wal): Promise<void> {
    const head = this.head;
    const byRef: (HeadSeries | undefined)[] = [];
    let n = 0,
      nextLog = 10_000_000;
    const log = this.log;
    const started = performance.now();
    head.backfillWhenEmpty = false;
    log.info('tsdb replaying WAL into head');
    try {
      const st = await wal.replay({
        series(ref: number, labels: Labels): void {
          byRef[ref] = head.getOrCreate(labels, ref).series;
        },
        samples(refs: Uint32Array, tsMs: Float64Array, values: Float64Array, cnt: number): void {
          for (let i = 0; i < cnt; i++) {
            const s = byRef[refs[i]!];
            if (s) head.appendFloat(s, tsMs[i]!, values[i]!);
          }
          n += cnt;
          if (n >= nextLog) {
            nextLog += 10_000_000;
            log.info(
              { samples: n, series: head.seriesCount(), elapsedMs: Math.round(performance.now() - started) },
              'tsdb WAL replay progress',
            );
          }
        },
        distribution(ref: number, tMs: number, d: Distribution): void {
          const s = byRef[ref];
          if (s) head.appendDistribution(s, tMs, d);
          n++;
        },
      });
      // Series whose samples all went to blocks come back empty from the WAL: drop them.
      const dropped = Number.isFinite(head.minValidT) ? head.truncate(head.minValidT) : 0;
      if (dropped > 0)
        log.info({ series: dropped }, 'tsdb dropped replayed series without samples in the head');
      const ms = performance.now() - started;
      this.log.info(
        {
          ...st,
          series: head.seriesCount(),
          samplesReplayed: n,
          rate: Math.round(n / Math.max(ms / 1000, 1e-3)),
        },
        'tsdb WAL replayed into head',
      );
    } finally {
      head.backfillWhenEmpty = true;
    }
  }

  /** A block this TSDB owns: deleting it removes its directory without blocking the loop. */
  private adopt(b: Block): Block {
    b.asyncRemove = true;
    return b;
  }

  /**
   * Calls fn(liveSeries) after each head truncation, so caches outside the TSDB keyed by series
   * (ingest's label-set cache, admission's active series) follow the head's live set.
   */
  onHeadTruncated(fn: (liveSeries: number) => void): void {
    this.truncationListeners.push(fn);
  }

  /** Attaches the cold tier (once, right after open). */
  attachTier(tier: ColdTier): void {
    this.tier = tier;
  }

  /** Holds every local block open (not removed from disk) until release(). */
  holdBlocks(): HeldBlocks {
    const bs = [...this.blocksList];
    for (const b of bs) b.acquire();
    let released = false;
    return {
      blocks: bs.map((b) => ({ meta: b.meta, dir: b.dir })),
      release: () => {
        if (released) return;
        released = true;
        for (const b of bs) b.release();
      },
    };
  }

  /** Applies retention now (after the tier confirmed uploads). */
  applyRetention(): Promise<void> {
    return this.exclusive(async () => {
      if (!this.closed) this.retain();
    });
  }

  appender(): Appender {
    if (this.closed) throw new CanopyError('unavailable', 'cannot append: tsdb is closed');
    return new HeadAppender(this.head, this.wal, () => this.afterCommit());
  }

  private rawBlocks(): Block[] {
    return this.blocksList.filter((b) => blockResolution(b.meta) === 0);
  }

  /** Registers a task run after every compaction pass (the object-store upload hooks in here). */
  addPostCompactionTask(task: PostCompactionTask): void {
    this.postTasks.push(task);
  }

  private tick(): void {
    if (this.compacting || this.closed) return;
    const h = this.head;
    if (h.maxT - h.minT > this.o.blockRangeMs * 1.5) return this.afterCommit();
    const run = this.exclusive(() => this.blocksPass()).catch((e) =>
      this.log.error({ err: errorMessage(e) }, 'tsdb compaction failed'),
    );
    this.compacting = run.finally(() => (this.compacting = null));
  }

  /**
   * One full pass now (admin API): cuts the head's complete block ranges, merges blocks, writes
   * rollups, applies retention and runs the post-compaction tasks; resolves when done.
   */
  compactNow(): Promise<{ written: BlockMeta[] }> {
    return this.exclusive(async () => {
      const br = this.o.blockRangeMs;
      while (this.head.maxT - this.head.minT > br * 1.5)
        await this.cutOne(Math.floor(this.head.minT / br) * br);
      await this.blocksPass();
      return { written: this.lastWritten };
    });
  }

  private afterCommit(): void {
    if (!this.o.autoCompact || this.compacting || this.closed) return;
    const h = this.head;
    if (!(h.maxT - h.minT > this.o.blockRangeMs * 1.5)) return;
    const run = this.compactHead().catch((e) =>
      this.log.error({ err: errorMessage(e) }, 'tsdb compaction failed'),
    );
    this.compacting = run.finally(() => (this.compacting = null));
  }

  seriesCount(): number {
    return this.head.seriesCount();
  }

  async querier(mintMs: number, maxtMs: number, hints?: QuerierHints): Promise<Querier> {
    if (this.closed) throw new CanopyError('unavailable', 'cannot query: tsdb is closed');
    const blocks = this.blocksList.filter((b) => b.minT <= maxtMs && b.maxT >= mintMs);
    for (const b of blocks) b.acquire();
    const sources: SeriesSource[] = [
      ...blocks.filter((b) => blockResolution(b.meta) === 0),
      headSource(this.head),
    ];
    const rollups = blocks.filter((b) => blockResolution(b.meta) > 0);
    const gen = this.readerGen;
    this.readers.set(gen, (this.readers.get(gen) ?? 0) + 1);
    const done = (): void => {
      for (const b of blocks) b.release();
      const n = (this.readers.get(gen) ?? 1) - 1;
      if (n <= 0) this.readers.delete(gen);
      else this.readers.set(gen, n);
    };
    if (this.tier) {
      // Local blocks are held before the await, so none vanishes while the tier opens its
      // blocks (retention deletes a local block only once the tier holds it).
      let cold;
      try {
        // Raw data only: local rollups reach further back, but raw reads there need the bucket.
        const localMinT = Math.min(this.head.minT, ...this.rawBlocks().map((b) => b.minT));
        cold = await this.tier.open(
          mintMs,
          maxtMs,
          blocks.map((b) => b.meta),
          localMinT,
          hints,
        );
      } catch (e) {
        done();
        throw e;
      }
      if (cold.sources.length > 0) {
        sources.pop();
        sources.push(...cold.sources);
        sources.sort((a, b) => a.minT - b.minT);
        sources.push(headSource(this.head));
      }
      return new TSDBQuerier(
        sources,
        mintMs,
        maxtMs,
        () => {
          cold.release();
          done();
        },
        cold.rollups && cold.rollups.length > 0 ? [...rollups, ...cold.rollups] : rollups,
      );
    }
    return new TSDBQuerier(sources, mintMs, maxtMs, done, rollups);
  }

  /**
   * Waits (bounded) until every querier opened before generation `gen` is closed, so a
   * querier that does not know the new block never reads a head that lost its data.
   */
  private async waitForReaders(gen: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const older = (): number => {
      let n = 0;
      for (const [g, c] of this.readers) if (g < gen) n += c;
      return n;
    };
    while (older() > 0) {
      if (Date.now() > deadline) {
        this.log.warn(
          { queriers: older(), timeoutMs },
          'tsdb head truncation proceeds with queriers still open',
        );
        return;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  blocks(): readonly BlockMeta[] {
    return this.blocksList.map((b) => b.meta);
  }

  /** Cuts one block of head data in [mint, mint+range), truncates the head and the WAL. */
  private async cutOne(mintMs: number): Promise<BlockMeta | null> {
    const maxtMs = mintMs + this.o.blockRangeMs;
    const started = performance.now();
    // Close the range to appends first: the write yields to the event loop.
    if (maxtMs > this.head.minValidT) this.head.minValidT = maxtMs;
    const written = await this.compactor.writeHeadBlock(this.head, this.blocksDir, mintMs, maxtMs);
    const meta = written?.meta ?? null;
    if (written && meta) {
      this.blocksList.push(
        this.adopt(await Block.openAsync(join(this.blocksDir, meta.ulid), written.rawIndex)),
      );
      this.written.push(meta);
    }
    this.blocksList.sort((a, b) => a.minT - b.minT);
    // New queriers see the block and the head (merged, deduplicated); older ones finish first.
    await this.waitForReaders(++this.readerGen, READER_WAIT_MS);
    const deleted = await this.head.truncateAsync(maxtMs);
    for (const fn of this.truncationListeners) {
      try {
        fn(this.head.seriesCount());
      } catch (e) {
        this.log.error({ err: errorMessage(e) }, 'tsdb head truncation listener failed');
      }
    }
    if (this.wal) {
      // Checkpoint one cut behind (as Prometheus checkpoints only older segments): those
      // segments hold samples written a block range ago, which are now mostly in blocks and
      // get dropped, instead of rewriting the whole recent WAL at every cut.
      const seg = await this.wal.cutSegment();
      if (this.prevCutSegment !== null)
        await this.wal.checkpoint(
          this.prevCutSegment,
          (ref) => this.head.getByRef(ref) !== undefined,
          maxtMs,
        );
      this.prevCutSegment = seg;
    }
    this.log.info(
      {
        block: meta?.ulid,
        minT: mintMs,
        maxT: maxtMs,
        series: meta?.stats.numSeries,
        deletedSeries: deleted,
        durationMs: Math.round(performance.now() - started),
      },
      'tsdb head block written',
    );
    return meta;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn);
    this.serial = run.catch(() => {});
    return run;
  }

  /** Cuts every block range the head has moved 1.5 ranges past, then compacts and applies retention. */
  compactHead(): Promise<number> {
    return this.exclusive(() => this.doCompactHead());
  }

  private async doCompactHead(): Promise<number> {
    let n = 0;
    const br = this.o.blockRangeMs;
    while (this.head.maxT - this.head.minT > br * 1.5) {
      if (await this.cutOne(Math.floor(this.head.minT / br) * br)) n++;
    }
    await this.blocksPass();
    return n;
  }

  /** Cuts all head data into blocks now (tests, shutdown snapshots); returns blocks written. */
  cutBlocksNow(): Promise<number> {
    return this.exclusive(() => this.doCutBlocksNow());
  }

  private async doCutBlocksNow(): Promise<number> {
    let n = 0;
    const br = this.o.blockRangeMs;
    while (this.head.maxT !== -Infinity && this.head.minT !== Infinity) {
      if (await this.cutOne(Math.floor(this.head.minT / br) * br)) n++;
    }
    await this.blocksPass();
    return n;
  }

  /**
   * One blocks pass: merges, writes rollups, runs the post-compaction tasks (the bucket upload)
   * with the blocks written since they last ran, then applies local retention (with a cold tier,
   * only to blocks the tier holds, so a block leaves the disk only after its upload).
   */
  private async blocksPass(): Promise<void> {
    await this.compactBlocks();
    const newest = this.newestT();
    // Raw blocks local retention is about to delete are rolled up first (they may be younger
    // than rollup5mAfterMs).
    await this.rollup(
      newest,
      blocksBeyondRetention(this.rawBlocks(), newest, this.o.retentionMs, this.o.retentionBytes),
    );
    const written = this.written;
    this.written = [];
    this.lastWritten = written;
    for (const task of this.postTasks) {
      try {
        await task(written);
      } catch (e) {
        this.log.error({ err: errorMessage(e) }, 'tsdb post-compaction task failed');
      }
    }
    this.retain();
  }

  private async compactBlocks(): Promise<void> {
    const ranges = compactionRanges(
      this.o.blockRangeMs,
      this.o.retentionMs > 0 ? this.o.retentionMs / 10 : Infinity,
    );
    for (
      let plan = planCompaction(this.rawBlocks(), ranges);
      plan;
      plan = planCompaction(this.rawBlocks(), ranges)
    ) {
      const meta = await this.compactor.compact(
        plan.map((b) => b.dir),
        this.blocksDir,
      );
      this.written.push(meta);
      const nb = this.adopt(await Block.openAsync(join(this.blocksDir, meta.ulid)));
      this.blocksList = this.blocksList.filter((b) => !plan!.includes(b));
      this.blocksList.push(nb);
      this.blocksList.sort((a, b) => a.minT - b.minT);
      for (const b of plan) b.delete();
      this.log.info(
        { block: meta.ulid, from: plan.map((b) => b.id), level: meta.compaction.level },
        'tsdb blocks compacted',
      );
    }
  }

  private newestT(): number {
    return Math.max(this.head.maxT, ...this.blocksList.map((b) => b.maxT));
  }

  /**
   * Deletes local blocks beyond retention (raw: retentionMs/retentionBytes; rollups:
   * retention5mMs/retention1hMs); with a cold tier, only those the tier holds.
   */
  private retain(): void {
    const newest = this.newestT();
    let drop = [
      ...blocksBeyondRetention(this.rawBlocks(), newest, this.o.retentionMs, this.o.retentionBytes),
      ...blocksBeyondRetention(
        this.blocksList.filter((b) => blockResolution(b.meta) === RES_5M),
        newest,
        this.o.retention5mMs,
        0,
      ),
      ...blocksBeyondRetention(
        this.blocksList.filter((b) => blockResolution(b.meta) === RES_1H),
        newest,
        this.o.retention1hMs,
        0,
      ),
    ];
    const tier = this.tier;
    if (tier) {
      const kept = drop.filter((b) => !tier.holds(b.id));
      if (kept.length > 0)
        this.log.info(
          { blocks: kept.map((b) => b.id) },
          'tsdb keeps blocks beyond retention until they are in the bucket',
        );
      drop = drop.filter((b) => tier.holds(b.id));
    }
    if (drop.length > 0) {
      this.blocksList = this.blocksList.filter((b) => !drop.includes(b));
      for (const b of drop) b.delete();
      this.log.info({ blocks: drop.map((b) => b.id) }, 'tsdb blocks deleted by retention');
    }
  }

  /**
   * Writes 5m rollups of raw blocks older than rollup5mAfterMs (and of raw blocks retention is
   * about to delete), then 1h rollups of 5m blocks older than rollup1hAfterMs.
   */
  private async rollup(newest: number, rawDrop: readonly Block[]): Promise<void> {
    const steps: Array<[number, number]> = [];
    if (this.o.rollup5mAfterMs > 0) steps.push([RES_5M, this.o.rollup5mAfterMs]);
    if (this.o.rollup1hAfterMs > 0) steps.push([RES_1H, this.o.rollup1hAfterMs]);
    for (const [res, after] of steps) {
      const force = res === RES_5M ? rawDrop : [];
      // A source block spanning the rollup age is rolled up at once (Thanos: blocks larger than 40 h / 10 d).
      const next = (): RollupPlan | null => planRollup(this.blocksList, res, newest - after, force, after);
      for (let p = next(); p; p = next()) {
        const started = performance.now();
        p.source.acquire(); // its directory stays while the worker reads it
        let meta: BlockMeta;
        try {
          meta = await this.compactor.rollup(p.source.dir, res, this.blocksDir);
        } finally {
          p.source.release();
        }
        this.written.push(meta);
        this.blocksList.push(this.adopt(await Block.openAsync(join(this.blocksDir, meta.ulid))));
        this.blocksList = this.blocksList.filter((b) => !p!.replaces.includes(b));
        for (const b of p.replaces) b.delete();
        this.blocksList.sort((a, b) => a.minT - b.minT);
        this.log.info(
          {
            block: meta.ulid,
            from: p.source.id,
            resolutionMs: res,
            series: meta.stats.numSeries,
            windows: meta.stats.numSamples,
            replaced: p.replaces.map((b) => b.id),
            durationMs: Math.round(performance.now() - started),
          },
          'tsdb rollup block written',
        );
        await new Promise((r) => setImmediate(r));
      }
    }
  }

  /** Writes the head and every block as blocks into dir (admin snapshot); returns block ids. */
  snapshot(dir: string): Promise<string[]> {
    return this.exclusive(() => this.doSnapshot(dir));
  }

  private async doSnapshot(dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const ids: string[] = [];
    for (const b of [...this.blocksList]) {
      b.acquire(); // not deleted by a merge or retention meanwhile (those also run exclusively, but hold anyway)
      try {
        await cp(b.dir, join(dir, b.id), { recursive: true });
      } finally {
        b.release();
      }
      ids.push(b.id);
    }
    const br = this.o.blockRangeMs,
      h = this.head;
    if (h.maxT !== -Infinity) {
      for (let t = Math.floor(h.minT / br) * br; t <= h.maxT; t += br) {
        const written = await this.compactor.writeHeadBlock(h, dir, t, t + br);
        if (written) ids.push(written.meta.ulid);
      }
    }
    return ids;
  }

  stats(): TSDBStats {
    let chunks = 0,
      samples = 0;
    for (const s of this.head.allSeries()) chunks += s.chunkCount();
    samples = this.head.samplesAppended;
    return {
      series: this.head.seriesCount(),
      headSamples: samples,
      headChunks: chunks,
      headMinT: this.head.minT,
      headMaxT: this.head.maxT,
      headMemoryBytes: this.head.memoryEstimateBytes(),
      blocks: this.blocksList.length,
      blockSamples: this.blocksList.reduce((n, b) => n + b.meta.stats.numSamples, 0),
      blockBytes: this.blocksList.reduce((n, b) => n + b.sizeBytes, 0),
      blockIndexBytes: this.blocksList.reduce((n, b) => n + b.indexBytes, 0),
      walBytes: this.wal ? this.refreshWalBytes() : 0,
    };
  }

  /** The WAL size measured last (0 before the first measurement); starts a new one in the background. */
  private refreshWalBytes(): number {
    if (!this.walSizing) {
      this.walSizing = dirSize(join(this.o.dir, 'wal'))
        .then((n) => void (this.walBytes = n))
        .finally(() => (this.walSizing = null));
    }
    return this.walBytes;
  }

  /** stats() with the WAL size measured now (tests, tools). */
  async statsNow(): Promise<TSDBStats> {
    if (this.wal) this.walBytes = await dirSize(join(this.o.dir, 'wal'));
    const s = this.stats();
    return { ...s, walBytes: this.wal ? this.walBytes : 0 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.compacting) await this.compacting;
    await this.serial;
    if (this.wal) await this.wal.close();
    await this.compactor.close();
    await this.walSizing;
    for (const b of this.blocksList) b.close();
  }
}

export function openTSDB(opts: TSDBOptions): Promise<TSDB> {
  return TSDB.open(opts);
}
