// Chunked metadata answers over the bus. A zone's MetadataResult with a long series list is
// split into messages numbered chunk_index = 0, 1, …, each under the bus's max payload, the
// last with last=true; values, metadata and hints ride in the first. MetadataStream joins them.
import { pb, type IMetadataResult, type ISeries } from '../../proto/index.ts';
import { CanopyError } from '../errors.ts';
import { chunkBudget } from './chunk.ts';

/** Encodes a metadata answer as one or more MetadataResult messages, each at most maxBytes. */
export function encodeMetadataChunks(res: IMetadataResult, maxBytes: number): Uint8Array[] {
  const budget = chunkBudget(maxBytes);
  const whole = pb.MetadataResult.encode({ ...res, chunkIndex: 0, last: true }).finish();
  if (whole.length <= budget) return [whole];
  const series = res.series ?? [];
  const out: Uint8Array[] = [];
  let batch: ISeries[] = [];
  let size = 0;
  const flush = (last: boolean): void => {
    const head = out.length === 0 ? { ...res } : { queryId: res.queryId, zone: res.zone };
    out.push(pb.MetadataResult.encode({ ...head, series: batch, chunkIndex: out.length, last }).finish());
    batch = [];
    size = 0;
  };
  for (const s of series) {
    const n = pb.Series.encode(s).finish().length + 8;
    if (size + n > budget && batch.length > 0) flush(false);
    batch.push(s);
    size += n;
  }
  flush(true);
  return out;
}

/** Collects one zone's metadata chunks. */
export class MetadataStream {
  private readonly chunks: IMetadataResult[] = [];
  private lastIndex = -1;

  /** Returns true when the stream is complete. */
  add(bytes: Uint8Array): boolean {
    let msg: IMetadataResult;
    try {
      msg = pb.MetadataResult.decode(bytes);
    } catch (e) {
      throw new CanopyError('corrupt', `cannot decode a metadata result: ${(e as Error).message}`);
    }
    this.chunks.push(msg);
    if (msg.last) this.lastIndex = msg.chunkIndex ?? 0;
    return this.lastIndex >= 0 && this.chunks.length >= this.lastIndex + 1;
  }

  result(): IMetadataResult {
    const sorted = [...this.chunks].sort((a, b) => (a.chunkIndex ?? 0) - (b.chunkIndex ?? 0));
    const first = sorted[0] ?? {};
    if (sorted.length === 1) return first;
    const series: ISeries[] = [];
    for (const c of sorted) for (const s of c.series ?? []) series.push(s);
    return { ...first, series, last: true };
  }
}
