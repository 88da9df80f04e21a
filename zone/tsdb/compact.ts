// Compaction: re-chunking, planning which blocks to merge, and merging them (run in the
// compaction worker; head cuts are packed on the request thread by compactor.ts). Chunks are copied byte for byte whenever they do not overlap (the common case:
// head chunks never straddle a block boundary); overlapping data (OOO samples, overlapping
// blocks from backfill or snapshots) is re-encoded from a deduplicating merged cursor.
import { compareLabels, type Labels } from '../../shared/labels.ts';
import { CanopyError } from '../../shared/errors.ts';
import { ValueKind, type SampleCursor } from '../../shared/storage.ts';
import { DecimalChunk, DistributionChunk } from './chunk/index.ts';
import { ChunkSeqCursor, MergeCursor } from './cursors.ts';
import { BlockWriter, type BlockMeta, type ChunkData } from './block-writer.ts';
import type { Block } from './block-reader.ts';
import type { ChunkRef, IndexSeries } from './block-index.ts';
import { TSDB_DEFAULTS } from '../tsdb-defaults.ts';

/** Re-encodes a cursor's samples into chunks of at most maxSamples. */
export function rechunk(cur: SampleCursor, maxSamples = TSDB_DEFAULTS.samplesPerChunk): ChunkData[] {
  const out: ChunkData[] = [];
  let fc: DecimalChunk | null = null,
    dc: DistributionChunk | null = null;
  let minT = 0;
  const seal = (): void => {
    const c = fc ?? dc;
    if (c) out.push({ minT, maxT: c.lastT(), encoding: c.encoding, bytes: c.bytes().slice() });
    fc = dc = null;
  };
  for (let k = cur.next(); k !== ValueKind.None; k = cur.next()) {
    const t = cur.atT();
    if (k === ValueKind.Float) {
      if (!fc || fc.numSamples() >= maxSamples) {
        seal();
        fc = new DecimalChunk(256);
        minT = t;
      }
      fc.append(t, cur.atF());
    } else {
      if (!dc || dc.numSamples() >= maxSamples) {
        seal();
        dc = new DistributionChunk();
        minT = t;
      }
      dc.append(t, cur.atDistribution());
    }
  }
  const e = cur.err();
  if (e) throw e;
  seal();
  return out;
}

/** Series merged between event-loop yields (the worker's loop: its messages keep flowing). */
const YIELD_EVERY = 2000;
const yieldLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Block ranges compaction builds, ascending: 3×, 9×, 27× the block range (capped). */
export function compactionRanges(blockRangeMs: number, maxRangeMs = Infinity): number[] {
  const out: number[] = [];
  for (let r = blockRangeMs * 3; r <= blockRangeMs * 27 && r <= maxRangeMs; r *= 3) out.push(r);
  return out;
}

/**
 * The next group of blocks to merge: overlapping blocks first, else ≥ 2 blocks inside one
 * aligned range that is complete (some block already reaches its end). Blocks sorted by minT.
 */
export function planCompaction(blocks: readonly Block[], ranges: readonly number[]): Block[] | null {
  const sorted = [...blocks].sort((a, b) => a.minT - b.minT);
  for (let i = 0; i + 1 < sorted.length; i++) {
    let end = sorted[i]!.meta.maxTime,
      j = i + 1;
    while (j < sorted.length && sorted[j]!.minT < end) end = Math.max(end, sorted[j++]!.meta.maxTime);
    if (j > i + 1) return sorted.slice(i, j);
  }
  const newest = sorted.reduce((m, b) => Math.max(m, b.meta.maxTime), -Infinity);
  for (const r of ranges) {
    const buckets = new Map<number, Block[]>();
    for (const b of sorted) {
      const start = Math.floor(b.minT / r) * r;
      if (b.meta.maxTime > start + r) continue; // already wider than this range
      let g = buckets.get(start);
      if (!g) buckets.set(start, (g = []));
      g.push(b);
    }
    for (const [start, g] of buckets) {
      if (g.length >= 2 && start + r <= newest) return g;
    }
  }
  return null;
}

function overlapping(groups: { refs: ChunkRef[] }[]): boolean {
  const all: ChunkRef[] = groups.flatMap((g) => g.refs).sort((a, b) => a.minT - b.minT);
  for (let i = 1; i < all.length; i++) if (all[i]!.minT <= all[i - 1]!.maxT) return true;
  return false;
}

/** Merges blocks into one new block (written under blocksDir); returns its meta. */
export async function compactBlocks(blocks: readonly Block[], blocksDir: string): Promise<BlockMeta> {
  if (blocks.length === 0) throw new CanopyError('internal', 'cannot compact zero blocks');
  const minT = Math.min(...blocks.map((b) => b.meta.minTime));
  const maxT = Math.max(...blocks.map((b) => b.meta.maxTime));
  const level = Math.max(...blocks.map((b) => b.meta.compaction.level)) + 1;
  const sources = [...new Set(blocks.flatMap((b) => b.meta.compaction.sources))].sort();
  const lists: { block: Block; series: IndexSeries }[][] = blocks.map((b) =>
    [...b.allSeries()].map((series) => ({ block: b, series })),
  );
  const pos = new Array<number>(lists.length).fill(0);
  const w = new BlockWriter(blocksDir, minT, maxT, level, sources);
  let k = 0;
  try {
    for (;;) {
      if (++k % YIELD_EVERY === 0) await yieldLoop();
      let min: Labels | null = null;
      for (let i = 0; i < lists.length; i++) {
        const e = lists[i]![pos[i]!];
        if (e && (min === null || compareLabels(e.series.labels, min) < 0)) min = e.series.labels;
      }
      if (min === null) break;
      const group: { block: Block; refs: ChunkRef[] }[] = [];
      for (let i = 0; i < lists.length; i++) {
        const e = lists[i]![pos[i]!];
        if (e && compareLabels(e.series.labels, min) === 0) {
          group.push({ block: e.block, refs: e.series.chunks });
          pos[i]!++;
        }
      }
      let chunks: ChunkData[];
      if (group.length === 1 || !overlapping(group)) {
        const flat = group
          .flatMap((g) => g.refs.map((ref) => ({ block: g.block, ref })))
          .sort((a, b) => a.ref.minT - b.ref.minT);
        chunks = flat.map(({ block, ref }) => ({
          minT: ref.minT,
          maxT: ref.maxT,
          encoding: ref.encoding,
          bytes: block.readChunk(ref),
        }));
      } else {
        let cur: SampleCursor | null = null;
        for (const g of group) {
          const c = new ChunkSeqCursor(g.block.chunkList(g.refs), -Infinity, Infinity);
          cur = cur === null ? c : new MergeCursor(cur, c);
        }
        chunks = rechunk(cur!);
      }
      w.addSeries(min, chunks);
    }
    return w.finish();
  } catch (e) {
    w.abort();
    throw e;
  }
}
