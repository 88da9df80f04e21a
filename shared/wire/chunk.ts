// Chunked messages over the bus (partial results, metadata answers, field hints): one answer
// or update split into messages numbered chunk_index = 0, 1, …, the last with last=true, each
// under the bus's max payload (docs/format/nats.md). What every such stream shares lives here:
// - chunkBudget: the byte budget of one chunk — 90 % of the bus's max payload less room for
//   the message's fixed fields, never below 1 KiB;
// - packChunks: items packed greedily, in order, into chunks within the budget;
// - ChunkStream: one answer's chunks collected (in any order) until complete.
// Each message kind keeps only what is its own: how an item is sized, what rides in chunk 0,
// and how the chunks are joined.
import { CanopyError } from '../errors.ts';

export function chunkBudget(maxPayloadBytes: number): number {
  return Math.max(1024, Math.floor(maxPayloadBytes * 0.9) - 512);
}

/**
 * Packs items, in order, into chunks whose summed sizes stay within `budget`; an item larger
 * than the budget gets a chunk of its own (callers split such items first). Always at least one
 * chunk, empty when there are no items, so an empty answer is still one message with last=true.
 */
export function packChunks<T>(items: Iterable<T>, sizeOf: (item: T) => number, budget: number): T[][] {
  const out: T[][] = [];
  let batch: T[] = [];
  let size = 0;
  for (const it of items) {
    const n = sizeOf(it);
    if (size + n > budget && batch.length > 0) {
      out.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(it);
    size += n;
  }
  out.push(batch);
  return out;
}

/** The fields every chunked message carries. */
export interface ChunkFields {
  chunkIndex?: number | null;
  last?: boolean | null;
}

/**
 * Collects the chunks of one answer, which may arrive in any order. add() returns true once
 * the last chunk and every chunk before it arrived; chunks() gives them in chunk order.
 */
export class ChunkStream<M extends ChunkFields> {
  private readonly received: M[] = [];
  private lastIndex = -1;

  /** `what` names the message in errors ("a partial result"). */
  constructor(
    private readonly decode: (bytes: Uint8Array) => M,
    private readonly what: string,
  ) {}

  /** Returns true when the stream is complete; throws CanopyError 'corrupt' for undecodable bytes. */
  add(bytes: Uint8Array): boolean {
    let msg: M;
    try {
      msg = this.decode(bytes);
    } catch (e) {
      throw new CanopyError('corrupt', `cannot decode ${this.what}: ${(e as Error).message}`);
    }
    this.received.push(msg);
    if (msg.last) this.lastIndex = msg.chunkIndex ?? 0;
    return this.lastIndex >= 0 && this.received.length >= this.lastIndex + 1;
  }

  /** The chunks received so far, in chunk order. */
  chunks(): M[] {
    return [...this.received].sort((a, b) => (a.chunkIndex ?? 0) - (b.chunkIndex ?? 0));
  }
}
