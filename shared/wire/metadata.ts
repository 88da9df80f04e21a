// Chunked metadata answers over the bus. A zone's MetadataResult with a long series list or
// large field hints (cardinality sketches) is split into messages numbered chunk_index = 0,
// 1, …, each under the bus's max payload, the last with last=true; values, metadata and the
// hints' scalar fields ride in the first. MetadataStream joins them. Packing and reassembly are
// the shared ones of chunk.ts.
import { pb, type IMetadataResult, type ISeries } from '../../proto/index.ts';
import { chunkBudget, ChunkStream, packChunks } from './chunk.ts';

type Hints = NonNullable<IMetadataResult['hints']>;

/** One packable item of a metadata answer: a series, or a list entry of its field hints. */
type Item =
  | { kind: 'series'; v: ISeries }
  | { kind: 'metric'; v: string }
  | { kind: 'label'; v: NonNullable<Hints['labels']>[number] }
  | { kind: 'card'; v: NonNullable<Hints['cardinality']>[number] }
  | { kind: 'pair'; v: NonNullable<Hints['labelPairs']>[number] };

function itemBytes(it: Item): number {
  switch (it.kind) {
    case 'series':
      return pb.Series.encode(it.v).finish().length + 8;
    case 'metric':
      return Buffer.byteLength(it.v, 'utf8') + 8;
    case 'label':
      return pb.LabelSummary.encode(it.v).finish().length + 8;
    case 'card':
      return pb.MetricCardinality.encode(it.v).finish().length + 8;
    case 'pair':
      return pb.LabelPairCardinality.encode(it.v).finish().length + 8;
  }
}

/**
 * Encodes a metadata answer as one or more MetadataResult messages, each at most maxBytes.
 * The series list and the hints' metric names, label summaries and cardinality sketches (one
 * 4 KiB sketch per metric, one 1 KiB sketch per top label pair) are packed greedily;
 * everything else rides in chunk 0.
 */
export function encodeMetadataChunks(res: IMetadataResult, maxBytes: number): Uint8Array[] {
  const budget = chunkBudget(maxBytes);
  const whole = pb.MetadataResult.encode({ ...res, chunkIndex: 0, last: true }).finish();
  if (whole.length <= budget) return [whole];
  const h = res.hints;
  const items: Item[] = (res.series ?? []).map((v) => ({ kind: 'series', v }));
  if (h) {
    for (const v of h.metricNames ?? []) items.push({ kind: 'metric', v });
    for (const v of h.labels ?? []) items.push({ kind: 'label', v });
    for (const v of h.cardinality ?? []) items.push({ kind: 'card', v });
    for (const v of h.labelPairs ?? []) items.push({ kind: 'pair', v });
  }
  const chunks = packChunks(items, itemBytes, budget);
  return chunks.map((batch, i) => {
    const head: IMetadataResult = i === 0 ? { ...res } : { queryId: res.queryId, zone: res.zone };
    const series: ISeries[] = [];
    const part: Hints = { metricNames: [], labels: [], cardinality: [], labelPairs: [] };
    for (const it of batch) {
      if (it.kind === 'series') series.push(it.v);
      else if (it.kind === 'metric') part.metricNames!.push(it.v);
      else if (it.kind === 'label') part.labels!.push(it.v);
      else if (it.kind === 'card') part.cardinality!.push(it.v);
      else part.labelPairs!.push(it.v);
    }
    if (h) head.hints = i === 0 ? { ...h, ...part } : part;
    return pb.MetadataResult.encode({
      ...head,
      series,
      chunkIndex: i,
      last: i === chunks.length - 1,
    }).finish();
  });
}

/** Collects one zone's metadata chunks. */
export class MetadataStream extends ChunkStream<IMetadataResult> {
  constructor() {
    super((b) => pb.MetadataResult.decode(b), 'a metadata result');
  }

  result(): IMetadataResult {
    const sorted = this.chunks();
    const first = sorted[0] ?? {};
    if (sorted.length === 1) return first;
    const series: ISeries[] = [];
    for (const c of sorted) for (const s of c.series ?? []) series.push(s);
    if (!first.hints) return { ...first, series, last: true };
    const hints: Hints = { ...first.hints, metricNames: [], labels: [], cardinality: [], labelPairs: [] };
    for (const c of sorted) {
      for (const n of c.hints?.metricNames ?? []) hints.metricNames!.push(n);
      for (const l of c.hints?.labels ?? []) hints.labels!.push(l);
      for (const x of c.hints?.cardinality ?? []) hints.cardinality!.push(x);
      for (const x of c.hints?.labelPairs ?? []) hints.labelPairs!.push(x);
    }
    return { ...first, series, hints, last: true };
  }
}
