// Wal: the zone's write-ahead log (format: docs/format/wal.md).
// Writers log records into an in-memory buffer (synchronously, copying what they need), then
// await commit(), which resolves once every record logged before the call is written and —
// per FsyncPolicy — fsynced. All disk I/O runs on one serial promise chain, so writes to the
// segment file never interleave; under 'batch' the first commit() of a window arms a timer and
// every commit arriving within groupWindowMs shares the one write + fsync.
//
// Byte accounting (all logical offsets over the life of this Wal object):
//   durableBytes <= writtenBytes <= loggedBytes; front holds [writtenBytes, loggedBytes)
//   outside a flush; `cuts` are ascending offsets where a new segment must begin (records
//   never span segments); waiters are ascending by `mark` (the loggedBytes at their commit()).
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../../shared/labels.ts';
import type { Distribution } from '../../shared/distribution.ts';
import { silentLogger, type Logger } from '../../shared/log.ts';
import { bug, CanopyError, errorMessage } from '../../shared/errors.ts';
import { ByteSink } from './byte-sink.ts';
import {
  checkT,
  encodeDistribution,
  encodeSamples,
  encodeSeries,
  HEADER_BYTES,
  MAX_SAMPLES_PER_RECORD,
} from './record.ts';
import { emptyReplayStats, replayFiles, type ReplayStats, type WalReplayHandler } from './replay.ts';
import { writeCheckpoint } from './checkpoint.ts';
import {
  checkpointFiles,
  checkpointName,
  listDir,
  removePath,
  segmentName,
  syncDir,
  validPrefix,
} from './segment.ts';
import { MIN_WAL_SEGMENT_SIZE_BYTES, TSDB_DEFAULTS } from '../tsdb-defaults.ts';

export type FsyncPolicy = 'always' | 'batch' | 'none';

export interface WalOptions {
  dir: string;
  /** Target segment size; a segment is cut before a record that would exceed it. Default 128 MiB. */
  segmentSizeBytes?: number;
  /** always: fsync per commit; batch: group commit; none: no fsync (tests/bench). Default 'batch'. */
  fsync?: FsyncPolicy;
  /** Group-commit window for 'batch'. Default 2 ms. */
  groupWindowMs?: number;
  logger?: Logger;
}

export interface WalStats {
  bytesWritten: number;
  fsyncs: number;
  corruptRecords: number;
  truncatedBytes: number;
}

interface ResolvedOptions {
  dir: string;
  segmentSizeBytes: number;
  fsync: FsyncPolicy;
  groupWindowMs: number;
  logger: Logger;
}

interface Waiter {
  mark: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

function parseWalOptions(o: WalOptions): ResolvedOptions {
  const segmentSizeBytes = o.segmentSizeBytes ?? TSDB_DEFAULTS.walSegmentSizeBytes;
  const fsync = o.fsync ?? TSDB_DEFAULTS.walFsync;
  const groupWindowMs = o.groupWindowMs ?? 2;
  if (typeof o.dir !== 'string' || o.dir === '')
    throw new CanopyError('config_invalid', 'cannot open WAL: dir must be a non-empty path');
  if (!Number.isInteger(segmentSizeBytes) || segmentSizeBytes < MIN_WAL_SEGMENT_SIZE_BYTES) {
    throw new CanopyError(
      'config_invalid',
      `cannot open WAL: segmentSizeBytes must be an integer >= ${MIN_WAL_SEGMENT_SIZE_BYTES}, got ${segmentSizeBytes}`,
    );
  }
  if (fsync !== 'always' && fsync !== 'batch' && fsync !== 'none') {
    throw new CanopyError(
      'config_invalid',
      `cannot open WAL: fsync must be always, batch or none, got ${String(fsync)}`,
    );
  }
  if (!(groupWindowMs >= 0 && Number.isFinite(groupWindowMs))) {
    throw new CanopyError(
      'config_invalid',
      `cannot open WAL: groupWindowMs must be >= 0, got ${groupWindowMs}`,
    );
  }
  return { dir: o.dir, segmentSizeBytes, fsync, groupWindowMs, logger: o.logger ?? silentLogger() };
}

export class Wal {
  readonly stats: WalStats = { bytesWritten: 0, fsyncs: 0, corruptRecords: 0, truncatedBytes: 0 };

  private front = new ByteSink();
  private back = new ByteSink();
  private loggedBytes = 0;
  private writtenBytes = 0;
  private durableBytes = 0;
  private readonly cuts: number[] = [];
  /** Bytes assigned to the newest segment, written or pending. */
  private segAssignedBytes: number;
  private waiters: Waiter[] = [];
  private chain: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private failed: CanopyError | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private checkpointChain: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;

  private constructor(
    private readonly o: ResolvedOptions,
    private fh: FileHandle,
    private segIndex: number,
    segBytes: number,
    private firstSegment: number,
    private checkpointIndex: number,
    private readonly repaired: { corruptRecords: number; truncatedBytes: number },
  ) {
    this.segAssignedBytes = segBytes;
    this.log = o.logger;
    this.stats.corruptRecords = repaired.corruptRecords;
    this.stats.truncatedBytes = repaired.truncatedBytes;
  }

  /** Opens (creating) the WAL directory and repairs a torn or corrupt tail of the last segment. */
  static async open(opts: WalOptions): Promise<Wal> {
    const o = parseWalOptions(opts);
    const log = o.logger;
    await mkdir(o.dir, { recursive: true });
    const ls = await listDir(o.dir);
    for (const t of ls.tmp) await removePath(join(o.dir, t));
    const cp = ls.checkpoints.length ? ls.checkpoints[ls.checkpoints.length - 1]! : -1;
    for (const c of ls.checkpoints) if (c !== cp) await removePath(join(o.dir, checkpointName(c)));
    // Segments a finished checkpoint covers (a crash between its rename and their deletion).
    for (const s of ls.segments) if (s <= cp) await removePath(join(o.dir, segmentName(s)));
    const segments = ls.segments.filter((s) => s > cp);
    const repaired = { corruptRecords: 0, truncatedBytes: 0 };
    let segIndex: number;
    let segBytes = 0;
    if (segments.length === 0) {
      segIndex = cp >= 0 ? cp + 1 : 1;
    } else {
      segIndex = segments[segments.length - 1]!;
      const path = join(o.dir, segmentName(segIndex));
      const buf = await readFile(path);
      const vp = validPrefix(buf);
      segBytes = vp.validBytes;
      if (vp.validBytes < buf.length) {
        repaired.corruptRecords = 1;
        repaired.truncatedBytes = buf.length - vp.validBytes;
        log.warn(
          {
            file: path,
            offsetBytes: vp.validBytes,
            truncatedBytes: repaired.truncatedBytes,
            detail: vp.detail,
          },
          'WAL repair: truncating torn or corrupt tail of the last segment',
        );
        const fh = await open(path, 'r+');
        try {
          await fh.truncate(vp.validBytes);
          if (o.fsync !== 'none') await fh.sync();
        } finally {
          await fh.close();
        }
      }
      if (segBytes >= o.segmentSizeBytes) {
        segIndex++;
        segBytes = 0;
      }
    }
    const fh = await open(join(o.dir, segmentName(segIndex)), 'a');
    if (o.fsync !== 'none') await syncDir(o.dir);
    const first = segments.length ? segments[0]! : segIndex;
    log.info(
      { dir: o.dir, firstSegment: first, lastSegment: segIndex, checkpoint: cp >= 0 ? cp : null },
      'WAL opened',
    );
    return new Wal(o, fh, segIndex, segBytes, first, cp, repaired);
  }

  private checkWritable(): void {
    if (this.closed) bug('WAL record logged after close()');
  }

  /** Accounts a record of `n` bytes just appended to `front`; decides segment cuts. */
  private account(n: number): void {
    if (this.segAssignedBytes > 0 && this.segAssignedBytes + n > this.o.segmentSizeBytes) {
      this.cuts.push(this.loggedBytes);
      this.segAssignedBytes = 0;
    }
    this.segAssignedBytes += n;
    this.loggedBytes += n;
  }

  logSeries(ref: number, labels: Labels): void {
    this.checkWritable();
    this.account(encodeSeries(this.front, ref, labels));
  }

  logSamples(refs: Uint32Array, tsMs: Float64Array, values: Float64Array, n: number): void {
    this.checkWritable();
    if (n > refs.length || n > tsMs.length || n > values.length)
      bug(`logSamples n=${n} exceeds the arrays given`);
    // Validate all first so a bad call logs nothing (it is split into several records below).
    for (let i = 0; i < n; i++) checkT(tsMs[i]!);
    for (let from = 0; from < n; from += MAX_SAMPLES_PER_RECORD) {
      const to = Math.min(n, from + MAX_SAMPLES_PER_RECORD);
      this.account(encodeSamples(this.front, refs, tsMs, values, from, to));
    }
  }

  logDistribution(ref: number, tMs: number, d: Distribution): void {
    this.checkWritable();
    this.account(encodeDistribution(this.front, ref, tMs, d));
  }

  /** Resolves when every record logged before the call is written and (per policy) fsynced. */
  commit(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed)
      return Promise.reject(new CanopyError('unavailable', 'cannot commit: the WAL is closed'));
    const mark = this.loggedBytes;
    if (mark <= this.durableBytes) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ mark, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = (): void => {
      // The flag stays set until this flush starts, so commits in the window join it.
      void this.enqueue(() => {
        this.flushScheduled = false;
        return this.flush();
      }).catch(() => {});
    };
    if (this.o.fsync === 'batch' && this.o.groupWindowMs > 0) setTimeout(run, this.o.groupWindowMs);
    else setImmediate(run);
  }

  /** Runs fn after every earlier I/O job; a failure marks the WAL failed. */
  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(() => {
      if (this.failed) throw this.failed;
      return fn();
    });
    this.chain = p.then(
      () => {},
      (e: unknown) => this.fail(e),
    );
    return p;
  }

  private fail(e: unknown): void {
    if (!this.failed) {
      this.failed =
        e instanceof CanopyError
          ? e
          : new CanopyError(
              'io',
              `cannot write WAL segment ${segmentName(this.segIndex)}: ${errorMessage(e)}`,
              { cause: e },
            );
      this.log.error({ err: this.failed }, 'WAL failed; further commits are rejected');
    }
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.reject(this.failed);
  }

  private settle(): void {
    let i = 0;
    const ws = this.waiters;
    while (i < ws.length && ws[i]!.mark <= this.durableBytes) ws[i++]!.resolve();
    if (i > 0) this.waiters = ws.slice(i);
  }

  private async sync(): Promise<void> {
    await this.fh.sync();
    this.stats.fsyncs++;
  }

  private async writeBytes(buf: Buffer, start: number, end: number): Promise<void> {
    let off = start;
    while (off < end) {
      const { bytesWritten } = await this.fh.write(buf, off, end - off);
      off += bytesWritten;
    }
    this.stats.bytesWritten += end - start;
  }

  private async roll(): Promise<void> {
    if (this.o.fsync !== 'none') await this.sync();
    await this.fh.close();
    this.segIndex++;
    this.fh = await open(join(this.o.dir, segmentName(this.segIndex)), 'a');
    if (this.o.fsync !== 'none') await syncDir(this.o.dir);
  }

  /** Writes everything logged so far (one job on the chain). */
  private async flush(): Promise<void> {
    const sink = this.front;
    const base = this.writtenBytes;
    const end = base + sink.len;
    if (end !== this.loggedBytes)
      bug(`WAL buffer holds ${sink.len} bytes but ${this.loggedBytes - base} are unwritten`);
    // Double buffering: appends go to the other sink while this one is written.
    this.front = this.back;
    this.front.reset();
    this.back = sink;
    const always = this.o.fsync === 'always';
    const marks = always ? this.waiters.map((w) => w.mark) : [];
    let mi = 0;
    let pos = base;
    while (true) {
      while (this.cuts.length > 0 && this.cuts[0]! <= pos) {
        await this.roll();
        this.cuts.shift();
      }
      if (pos >= end) break;
      let stop = end;
      if (this.cuts.length > 0 && this.cuts[0]! < stop) stop = this.cuts[0]!;
      while (mi < marks.length && marks[mi]! <= pos) mi++;
      if (mi < marks.length && marks[mi]! < stop) stop = marks[mi]!;
      await this.writeBytes(sink.buf, pos - base, stop - base);
      pos = stop;
      this.writtenBytes = pos;
      if (always && mi < marks.length && marks[mi] === pos) {
        await this.sync();
        this.durableBytes = pos;
        this.settle();
      }
    }
    if (this.o.fsync !== 'none' && this.durableBytes < end) await this.sync();
    this.durableBytes = end;
    this.settle();
  }

  /** Replays the checkpoint, then the segments after it, in order. Call before logging. */
  async replay(h: WalReplayHandler): Promise<ReplayStats> {
    const started = performance.now();
    const stats = emptyReplayStats();
    stats.corruptRecords = this.repaired.corruptRecords;
    stats.truncatedBytes = this.repaired.truncatedBytes;
    const files: string[] = [];
    if (this.checkpointIndex >= 0)
      files.push(...(await checkpointFiles(join(this.o.dir, checkpointName(this.checkpointIndex)))));
    const ls = await listDir(this.o.dir);
    for (const s of ls.segments)
      if (s > this.checkpointIndex && s <= this.segIndex) files.push(join(this.o.dir, segmentName(s)));
    this.log.info(
      { files: files.length, checkpoint: this.checkpointIndex >= 0 ? this.checkpointIndex : null },
      'WAL replay starting',
    );
    await replayFiles(files, h, this.log, stats);
    this.stats.corruptRecords += stats.corruptRecords - this.repaired.corruptRecords;
    this.stats.truncatedBytes += stats.truncatedBytes - this.repaired.truncatedBytes;
    stats.durationMs = performance.now() - started;
    this.log.info({ ...stats }, 'WAL replay done');
    return stats;
  }

  /** Closes the current segment and starts the next; returns the index of the closed one. */
  cutSegment(): Promise<number> {
    this.checkWritable();
    if (this.cuts.length === 0 || this.cuts[this.cuts.length - 1] !== this.loggedBytes)
      this.cuts.push(this.loggedBytes);
    this.segAssignedBytes = 0;
    return this.enqueue(async () => {
      await this.flush();
      return this.segIndex - 1;
    });
  }

  segmentRange(): { first: number; last: number } {
    return { first: this.firstSegment, last: this.segIndex };
  }

  /**
   * Rewrites the previous checkpoint and segments <= throughSegment into checkpoint.<n>,
   * keeping series records with keepSeries(ref) and samples of kept series with t >= minTMs,
   * then deletes what it replaced. Cuts the current segment first when throughSegment
   * reaches it. Checkpoints run one at a time and do not block commits.
   */
  checkpoint(throughSegment: number, keepSeries: (ref: number) => boolean, minTMs: number): Promise<void> {
    const run = this.checkpointChain.then(() => this.runCheckpoint(throughSegment, keepSeries, minTMs));
    this.checkpointChain = run.catch(() => {});
    return run;
  }

  private async runCheckpoint(
    throughSegment: number,
    keepSeries: (ref: number) => boolean,
    minTMs: number,
  ): Promise<void> {
    if (throughSegment >= this.segIndex) await this.cutSegment();
    const through = Math.min(throughSegment, this.segIndex - 1);
    if (through <= this.checkpointIndex) return;
    const started = performance.now();
    const dir = this.o.dir;
    const prev = this.checkpointIndex;
    const sources: string[] = [];
    if (prev >= 0) sources.push(...(await checkpointFiles(join(dir, checkpointName(prev)))));
    const ls = await listDir(dir);
    const covered = ls.segments.filter((s) => s > prev && s <= through);
    for (const s of covered) sources.push(join(dir, segmentName(s)));
    const st = await writeCheckpoint({
      walDir: dir,
      index: through,
      sources,
      keepSeries,
      minTMs,
      segmentSizeBytes: this.o.segmentSizeBytes,
      log: this.log,
    });
    this.checkpointIndex = through;
    this.firstSegment = Math.max(this.firstSegment, through + 1);
    for (const s of covered) await removePath(join(dir, segmentName(s)));
    if (prev >= 0) await removePath(join(dir, checkpointName(prev)));
    await syncDir(dir);
    this.stats.corruptRecords += st.read.corruptRecords;
    this.log.info(
      {
        checkpoint: through,
        segmentsFolded: covered.length,
        keptSeries: st.keptSeries,
        keptSamples: st.keptSamples,
        readSamples: st.read.samples,
        sizeBytes: st.sizeBytes,
        durationMs: Math.round(performance.now() - started),
      },
      'WAL checkpoint written',
    );
  }

  /** Flushes, fsyncs and closes the segment file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    await this.checkpointChain;
    this.closed = true;
    try {
      await this.enqueue(async () => {
        await this.flush();
        if (this.o.fsync === 'none') await this.sync();
      });
    } finally {
      await this.chain;
      await this.fh.close();
    }
  }
}

/** Frame overhead per record, for callers sizing batches. */
export const WAL_RECORD_HEADER_BYTES = HEADER_BYTES;
