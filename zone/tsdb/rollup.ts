// Rollups (downsampling): writes 5m blocks from raw blocks and 1h blocks from 5m blocks, one
// rollup block per source block with the same time range (as Thanos' compactor). Per window
// and series: count, sum, min, max, last and a reset-corrected counter (chunk/rollup.ts,
// docs/format/rollup.md). NaN samples (stale markers) are not aggregated. Series holding
// distribution samples are left out of rollups (queries read them raw).
import { CanopyError } from '../../shared/errors.ts';
import { ValueKind, type SampleCursor } from '../../shared/storage.ts';
import {
  decodeRollupChunk,
  emptyWindows,
  encodeRollupChunk,
  ROLLUP_ENCODING,
  type RollupWindows,
} from './chunk/rollup.ts';
import { ChunkSeqCursor } from './cursors.ts';
import { BlockWriter, blockResolution, type BlockMeta, type ChunkData } from './block-writer.ts';
import type { Block } from './block-reader.ts';
import type { ChunkRef } from './block-index.ts';

export const RES_RAW = 0;
export const RES_5M = 300_000;
export const RES_1H = 3_600_000;
/** Resolutions, finest first. */
export const RESOLUTIONS: readonly number[] = [RES_RAW, RES_5M, RES_1H];

/** Windows per rollup chunk (5m: 20 h; 1h: 10 d). */
const WINDOWS_PER_CHUNK = 240;

/** Collects windows of one series into rollup chunks. */
class ChunkBuilder {
  readonly out: ChunkData[] = [];
  private w = emptyWindows();
  /** The block's first raw sample: the counter's lead sample when it precedes the first window's end. */
  first: { t: number; v: number } | undefined;

  /** t: the window's stamp, its end minus 1 ms (aligned: the timestamps cost a bit each). */
  add(t: number, count: number, sum: number, min: number, max: number, last: number, counter: number): void {
    const w = this.w;
    if (w.t.length === 0 && this.out.length === 0 && this.first && this.first.t < t)
      w.counterFirst = this.first;
    w.t.push(t);
    w.count.push(count);
    w.sum.push(sum);
    w.min.push(min);
    w.max.push(max);
    w.last.push(last);
    w.counter.push(counter);
    if (w.t.length >= WINDOWS_PER_CHUNK) this.seal();
  }

  seal(): void {
    const w = this.w;
    if (w.t.length === 0) return;
    const minT = w.counterFirst ? w.counterFirst.t : w.t[0]!;
    this.out.push({
      minT,
      maxT: w.t[w.t.length - 1]!,
      encoding: ROLLUP_ENCODING,
      bytes: encodeRollupChunk(w),
    });
    this.w = emptyWindows();
  }
}

/**
 * Downsamples raw float samples into windows of resMs; null when the cursor holds a
 * distribution sample (such series stay raw).
 */
export function downsampleRaw(cur: SampleCursor, resMs: number): ChunkData[] | null {
  const b = new ChunkBuilder();
  let win = NaN,
    count = 0,
    sum = 0,
    min = 0,
    max = 0,
    last = 0;
  let prevRaw = NaN,
    resets = 0,
    lastCounter = 0;
  const flush = (): void => {
    if (count > 0) b.add(win + resMs - 1, count, sum, min, max, last, lastCounter);
    count = 0;
  };
  for (let k = cur.next(); k !== ValueKind.None; k = cur.next()) {
    if (k === ValueKind.Distribution) return null;
    const v = cur.atF();
    if (v !== v) continue;
    const t = cur.atT();
    if (b.first === undefined) b.first = { t, v };
    else if (v < prevRaw) resets += prevRaw;
    prevRaw = v;
    const w = Math.floor(t / resMs) * resMs; // windows [w, w + res), as Thanos
    if (w !== win) {
      flush();
      win = w;
      min = max = v;
      sum = 0;
    }
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    last = v;
    lastCounter = v + resets;
  }
  const e = cur.err();
  if (e) throw e;
  flush();
  b.seal();
  return b.out;
}

/** Re-aggregates a rollup series (all its chunks in one block, in order) into windows of resMs. */
export function downsampleRollup(chunks: readonly Uint8Array[], resMs: number): ChunkData[] {
  const all: RollupWindows = emptyWindows();
  for (const [i, bytes] of chunks.entries()) {
    const w = decodeRollupChunk(bytes);
    if (i === 0) all.counterFirst = w.counterFirst;
    all.t.push(...w.t);
    all.count.push(...w.count);
    all.sum.push(...w.sum);
    all.min.push(...w.min);
    all.max.push(...w.max);
    all.last.push(...w.last);
    all.counter.push(...w.counter);
  }
  const b = new ChunkBuilder();
  b.first = all.counterFirst;
  let i = 0;
  while (i < all.t.length) {
    const win = Math.floor(all.t[i]! / resMs) * resMs;
    let count = 0,
      sum = 0,
      min = Infinity,
      max = -Infinity,
      j = i;
    for (; j < all.t.length && all.t[j]! < win + resMs; j++) {
      count += all.count[j]!;
      sum += all.sum[j]!;
      if (all.min[j]! < min) min = all.min[j]!;
      if (all.max[j]! > max) max = all.max[j]!;
    }
    b.add(win + resMs - 1, count, sum, min, max, all.last[j - 1]!, all.counter[j - 1]!);
    i = j;
  }
  b.seal();
  return b.out;
}

const YIELD_EVERY = 500;
const yieldLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Writes the rollup of block src at resMs (src is raw, or a finer rollup) under blocksDir. */
export async function writeRollupBlock(src: Block, resMs: number, blocksDir: string): Promise<BlockMeta> {
  const srcRes = blockResolution(src.meta);
  if (!(resMs > srcRes) || resMs % Math.max(srcRes, 1) !== 0)
    throw new CanopyError('internal', `cannot roll up a ${srcRes} ms block to ${resMs} ms`);
  const m = src.meta;
  const w = new BlockWriter(blocksDir, m.minTime, m.maxTime, m.compaction.level, m.compaction.sources, resMs);
  let k = 0;
  try {
    for (const s of src.allSeries()) {
      if (++k % YIELD_EVERY === 0) await yieldLoop();
      let chunks: ChunkData[] | null;
      if (srcRes === RES_RAW) {
        chunks = downsampleRaw(new ChunkSeqCursor(src.chunkList(s.chunks), -Infinity, Infinity), resMs);
      } else {
        chunks = downsampleRollup(
          s.chunks.map((c: ChunkRef) => src.readChunk(c).slice()),
          resMs,
        );
      }
      if (chunks) w.addSeries(s.labels, chunks);
    }
    return w.finish();
  } catch (e) {
    w.abort();
    throw e;
  }
}

/** What one rollup step does: write a rollup of `source`, replacing `replaces` (finer-grained older rollups inside its range). */
export interface RollupPlan {
  source: Block;
  resMs: number;
  replaces: Block[];
}

/**
 * The next rollup to write: a block of the resolution below resMs that ends at or before
 * `beforeMs`, or spans at least `minRangeMs` (Thanos downsamples blocks larger than 40 h / 10 d),
 * or is listed in `force`, and whose range no resMs block covers yet. resMs blocks
 * lying inside the source's range (rollups of blocks merged since) are replaced; a source
 * partly overlapped by a wider rollup is skipped.
 */
export function planRollup(
  blocks: readonly Block[],
  resMs: number,
  beforeMs: number,
  force: readonly Block[] = [],
  minRangeMs = Infinity,
): RollupPlan | null {
  const from = RESOLUTIONS[RESOLUTIONS.indexOf(resMs) - 1];
  if (from === undefined) return null;
  const targets = blocks.filter((b) => blockResolution(b.meta) === resMs);
  for (const s of blocks) {
    if (blockResolution(s.meta) !== from) continue;
    // Old enough, or (Thanos's rule) a block spanning at least minRangeMs, or forced.
    if (s.meta.maxTime > beforeMs && s.meta.maxTime - s.meta.minTime < minRangeMs && !force.includes(s))
      continue;
    const over = targets.filter((t) => t.meta.minTime < s.meta.maxTime && t.meta.maxTime > s.meta.minTime);
    if (over.some((t) => t.meta.minTime === s.meta.minTime && t.meta.maxTime === s.meta.maxTime)) continue;
    if (over.some((t) => t.meta.minTime < s.meta.minTime || t.meta.maxTime > s.meta.maxTime)) continue;
    return { source: s, resMs, replaces: over };
  }
  return null;
}
