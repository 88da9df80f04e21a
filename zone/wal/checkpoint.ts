// Checkpoint writing: folds a previous checkpoint and the segments it does not cover into
// checkpoint.<n>/, keeping series records that keepSeries() accepts and samples (float and
// distribution) of kept series with t >= minTMs. Same record format as segments, so replay
// reads both with one reader. Atomic: written into checkpoint.<n>.tmp/, each file fsynced,
// the tmp directory fsynced, renamed to checkpoint.<n>, and the parent fsynced. A crash at any
// point leaves either the old state or the complete new checkpoint (tmp dirs are removed on
// open).
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Labels } from '../../shared/labels.ts';
import type { Distribution } from '../../shared/distribution.ts';
import type { Logger } from '../../shared/log.ts';
import { ByteSink } from './byte-sink.ts';
import { encodeDistribution, encodeSamples, encodeSeries } from './record.ts';
import { emptyReplayStats, replayFiles, type ReplayStats, type WalReplayHandler } from './replay.ts';
import { checkpointName, removePath, segmentName, syncDir } from './segment.ts';

export interface CheckpointStats {
  read: ReplayStats;
  keptSeries: number;
  keptSamples: number;
  sizeBytes: number;
}

/** Collects the kept records into a sink; the caller drains it to disk between files. */
class CheckpointFilter implements WalReplayHandler {
  readonly sink = new ByteSink(1024 * 1024);
  keptSeries = 0;
  keptSamples = 0;
  constructor(
    private readonly keepSeries: (ref: number) => boolean,
    private readonly minTMs: number,
  ) {}

  series(ref: number, labels: Labels): void {
    if (!this.keepSeries(ref)) return;
    encodeSeries(this.sink, ref, labels);
    this.keptSeries++;
  }

  samples(refs: Uint32Array, tsMs: Float64Array, values: Float64Array, n: number): void {
    // Compacts kept samples to the front of the (scratch) arrays, then encodes them.
    let k = 0;
    for (let i = 0; i < n; i++) {
      const t = tsMs[i]!;
      if (t < this.minTMs || !this.keepSeries(refs[i]!)) continue;
      refs[k] = refs[i]!;
      tsMs[k] = t;
      values[k] = values[i]!;
      k++;
    }
    if (k > 0) encodeSamples(this.sink, refs, tsMs, values, 0, k);
    this.keptSamples += k;
  }

  distribution(ref: number, tMs: number, d: Distribution): void {
    if (tMs < this.minTMs || !this.keepSeries(ref)) return;
    encodeDistribution(this.sink, ref, tMs, d);
    this.keptSamples++;
  }
}

export interface CheckpointOptions {
  walDir: string;
  /** The last segment the checkpoint covers (its directory is named after it). */
  index: number;
  /** The previous checkpoint's files and the covered segments, in order. */
  sources: readonly string[];
  /** Series refs still in the head: records of others are dropped. */
  keepSeries: (ref: number) => boolean;
  /** Samples before this are dropped. */
  minTMs: number;
  segmentSizeBytes: number;
  log: Logger;
}

export async function writeCheckpoint({
  walDir,
  index,
  sources,
  keepSeries,
  minTMs,
  segmentSizeBytes,
  log,
}: CheckpointOptions): Promise<CheckpointStats> {
  const finalDir = join(walDir, checkpointName(index));
  const tmpDir = finalDir + '.tmp';
  await removePath(tmpDir);
  await mkdir(tmpDir, { recursive: true });
  const filter = new CheckpointFilter(keepSeries, minTMs);
  const read = emptyReplayStats();
  let fileIndex = 0;
  let fh: FileHandle | null = null;
  let fileBytes = 0;
  let sizeBytes = 0;
  const drain = async (): Promise<void> => {
    const sink = filter.sink;
    if (sink.len === 0) return;
    if (fh && fileBytes > 0 && fileBytes + sink.len > segmentSizeBytes) {
      await fh.sync();
      await fh.close();
      fh = null;
      fileIndex++;
    }
    if (!fh) {
      fh = await open(join(tmpDir, segmentName(fileIndex)), 'w');
      fileBytes = 0;
    }
    await fh.write(sink.buf, 0, sink.len);
    fileBytes += sink.len;
    sizeBytes += sink.len;
    sink.reset();
  };
  try {
    // One file at a time so the sink holds at most one source file's kept records.
    for (const src of sources) {
      await replayFiles([src], filter, log, read, 'WAL checkpoint read');
      await drain();
    }
    if (!fh) fh = await open(join(tmpDir, segmentName(0)), 'w');
    await (fh as FileHandle).sync();
  } finally {
    if (fh) await (fh as FileHandle).close();
  }
  await syncDir(tmpDir);
  await removePath(finalDir);
  await rename(tmpDir, finalDir);
  await syncDir(walDir);
  return { read, keptSeries: filter.keptSeries, keptSamples: filter.keptSamples, sizeBytes };
}
