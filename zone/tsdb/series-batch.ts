// A batch of block series handed from the head (request thread) to the compaction worker: the
// labels and chunks of up to a few thousand series packed into a handful of arrays, so one
// postMessage moves them with a cheap structured clone (one string array) and the chunk bytes
// are transferred, not copied. Series stay in label order across batches (BlockWriter's rule).
import type { Label, Labels } from '../../shared/labels.ts';
import type { ChunkData } from './block-writer.ts';
import type { ChunkList } from './cursors.ts';

export interface SeriesBatch {
  /** name, value, name, value … of every series, in order. */
  labels: string[];
  /** Labels per series. */
  labelCounts: Uint16Array;
  /** Chunks per series. */
  chunkCounts: Uint32Array;
  /** Per chunk: minT, maxT, encoding, byte length. */
  chunkMeta: Float64Array;
  /** Every chunk's bytes, back to back. */
  bytes: Uint8Array;
}

/** Packs series as they come (label order); take() returns the batch and starts a new one. */
export class SeriesBatchBuilder {
  private labels: string[] = [];
  private labelCounts: number[] = [];
  private chunkCounts: number[] = [];
  private meta: number[] = [];
  private parts: Uint8Array[] = [];
  private nBytes = 0;

  get seriesCount(): number {
    return this.labelCounts.length;
  }

  /** Adds a series whose chunks are list[0..n) (bytes copied now: head slabs are reused later). */
  addList(labels: Labels, list: ChunkList): void {
    this.addLabels(labels);
    this.chunkCounts.push(list.length);
    for (let i = 0; i < list.length; i++)
      this.addChunk(list.minT(i), list.maxT(i), list.encoding(i), list.bytes(i));
  }

  /** Adds a series with chunks already encoded (re-chunked OOO data). */
  addChunks(labels: Labels, chunks: readonly ChunkData[]): void {
    this.addLabels(labels);
    this.chunkCounts.push(chunks.length);
    for (const c of chunks) this.addChunk(c.minT, c.maxT, c.encoding, c.bytes);
  }

  private addLabels(labels: Labels): void {
    for (const l of labels) this.labels.push(l.name, l.value);
    this.labelCounts.push(labels.length);
  }

  private addChunk(minT: number, maxT: number, encoding: number, bytes: Uint8Array): void {
    this.meta.push(minT, maxT, encoding, bytes.length);
    this.parts.push(bytes.slice());
    this.nBytes += bytes.length;
  }

  take(): SeriesBatch {
    const bytes = new Uint8Array(this.nBytes);
    let off = 0;
    for (const p of this.parts) {
      bytes.set(p, off);
      off += p.length;
    }
    const b: SeriesBatch = {
      labels: this.labels,
      labelCounts: Uint16Array.from(this.labelCounts),
      chunkCounts: Uint32Array.from(this.chunkCounts),
      chunkMeta: Float64Array.from(this.meta),
      bytes,
    };
    this.labels = [];
    this.labelCounts = [];
    this.chunkCounts = [];
    this.meta = [];
    this.parts = [];
    this.nBytes = 0;
    return b;
  }
}

/** Transfer list of a batch (its typed arrays' buffers). */
export function batchTransfer(b: SeriesBatch): ArrayBuffer[] {
  return [b.labelCounts.buffer, b.chunkCounts.buffer, b.chunkMeta.buffer, b.bytes.buffer] as ArrayBuffer[];
}

/** Calls fn(labels, chunks) per series of the batch, in order (chunk bytes are views into it). */
export function forEachBatchSeries(b: SeriesBatch, fn: (labels: Labels, chunks: ChunkData[]) => void): void {
  let li = 0,
    ci = 0,
    off = 0;
  for (let s = 0; s < b.labelCounts.length; s++) {
    const ls: Label[] = new Array(b.labelCounts[s]!);
    for (let i = 0; i < ls.length; i++, li += 2) ls[i] = { name: b.labels[li]!, value: b.labels[li + 1]! };
    const chunks: ChunkData[] = new Array(b.chunkCounts[s]!);
    for (let i = 0; i < chunks.length; i++, ci++) {
      const m = b.chunkMeta,
        len = m[ci * 4 + 3]!;
      chunks[i] = {
        minT: m[ci * 4]!,
        maxT: m[ci * 4 + 1]!,
        encoding: m[ci * 4 + 2]!,
        bytes: b.bytes.subarray(off, off + len),
      };
      off += len;
    }
    fn(ls, chunks);
  }
}
