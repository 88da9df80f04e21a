// Reading WAL files back: a sequential pass over checkpoint and segment files that hands each
// record to a WalReplayHandler. Corruption in a file stops the pass over that file (the rest
// of it is unreachable: frames are only delimited by their own length), is counted and logged
// with the file and offset, and the pass continues with the next file. Never throws on bad
// bytes; only I/O errors and handler exceptions propagate.
import { readFile, stat } from 'node:fs/promises';
import type { Labels } from '../../shared/labels.ts';
import type { Distribution } from '../../shared/distribution.ts';
import type { Logger } from '../../shared/log.ts';
import { errorMessage, isCanopyError } from '../../shared/errors.ts';
import { RecordDecoder, RecordScanner, RecordType, ScanStatus } from './record.ts';

export interface WalReplayHandler {
  /** A series record (ref: uint32 assigned by the head, monotonic). */
  series(ref: number, labels: Labels): void;
  /** Float samples; the arrays are scratch space reused after return. */
  samples(refs: Uint32Array, tsMs: Float64Array, values: Float64Array, n: number): void;
  distribution(ref: number, tMs: number, d: Distribution): void;
}

export interface ReplayStats {
  segments: number;
  records: number;
  series: number;
  samples: number;
  /** Corrupt or torn records found (at open-time repair and during the pass). */
  corruptRecords: number;
  /** Bytes not replayed because of corruption (truncated at open, or skipped in older files). */
  truncatedBytes: number;
  durationMs: number;
}

export function emptyReplayStats(): ReplayStats {
  return {
    segments: 0,
    records: 0,
    series: 0,
    samples: 0,
    corruptRecords: 0,
    truncatedBytes: 0,
    durationMs: 0,
  };
}

const PROGRESS_EVERY_MS = 5000;

/** Logs replay progress at info every 10% of the bytes or every few seconds. */
class ReplayProgress {
  private nextPct = 10;
  private lastLogMs: number;
  constructor(
    private readonly totalBytes: number,
    startedMs: number,
    private readonly log: Logger,
    private readonly stats: ReplayStats,
    private readonly phase: string,
  ) {
    this.lastLogMs = startedMs;
  }

  at(doneBytes: number, file: string): void {
    const now = performance.now();
    const pct = this.totalBytes === 0 ? 100 : (doneBytes / this.totalBytes) * 100;
    if (pct < this.nextPct && now - this.lastLogMs < PROGRESS_EVERY_MS) return;
    this.log.info(
      { file, progressPct: Math.floor(pct), records: this.stats.records, samples: this.stats.samples },
      `${this.phase} progress`,
    );
    while (this.nextPct <= pct) this.nextPct += 10;
    this.lastLogMs = now;
  }
}

/** Replays `files` in order into `h`, adding to `stats`. */
export async function replayFiles(
  files: readonly string[],
  h: WalReplayHandler,
  log: Logger,
  stats: ReplayStats,
  phase = 'WAL replay',
): Promise<void> {
  const started = performance.now();
  let totalBytes = 0;
  for (const f of files) totalBytes += (await stat(f)).size;
  let doneBytes = 0;
  const progress = new ReplayProgress(totalBytes, started, log, stats, phase);
  const dec = new RecordDecoder();
  for (const file of files) {
    const buf = await readFile(file);
    stats.segments++;
    const sc = new RecordScanner(buf);
    let st: ScanStatus;
    let offset = 0;
    while ((st = sc.next()) === ScanStatus.Record) {
      // Decode first (errors here mean corruption), then call the handler outside the try so
      // its own exceptions propagate untouched.
      let series: ReturnType<RecordDecoder['series']> | undefined;
      let dist: ReturnType<RecordDecoder['distribution']> | undefined;
      let n = -1;
      try {
        if (sc.type === RecordType.Series) series = dec.series(buf, sc.payloadStart, sc.payloadEnd);
        else if (sc.type === RecordType.Samples) n = dec.samples(buf, sc.payloadStart, sc.payloadEnd);
        else dist = dec.distribution(buf, sc.payloadStart, sc.payloadEnd);
      } catch (e) {
        if (!isCanopyError(e, 'corrupt')) throw e;
        sc.detail = errorMessage(e);
        sc.offset = offset;
        st = ScanStatus.Corrupt;
        break;
      }
      if (series) {
        h.series(series.ref, series.labels);
        stats.series++;
      } else if (dist) {
        h.distribution(dist.ref, dist.tMs, dist.d);
        stats.samples++;
      } else {
        h.samples(dec.refs, dec.tsMs, dec.values, n);
        stats.samples += n;
      }
      offset = sc.offset;
      // Progress inside large files too; checking the clock every 1024 records is free.
      if ((++stats.records & 1023) === 0) progress.at(doneBytes + offset, file);
    }
    if (st !== ScanStatus.End) {
      stats.corruptRecords++;
      stats.truncatedBytes += buf.length - sc.offset;
      log.warn(
        { file, offsetBytes: sc.offset, skippedBytes: buf.length - sc.offset, detail: sc.detail },
        'WAL corruption: stopped replaying this file at offset',
      );
    }
    doneBytes += buf.length;
    progress.at(doneBytes, file);
  }
}
