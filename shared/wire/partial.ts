// Chunked partial results over the bus. A zone answers a QueryRequest with PartialResult
// messages numbered chunk_index = 0, 1, …; the last one has last=true. Each message stays
// under the bus's max payload: series are packed greedily by their encoded size, and a single
// series larger than the budget is split by samples. The root reassembles with PartialStream.
// Packing and reassembly are the shared ones of chunk.ts.
import { pb, type IPartialResult, type ISeries } from '../../proto/index.ts';
import { chunkBudget, ChunkStream, packChunks } from './chunk.ts';

/** Encodes a result as one or more PartialResult messages, each at most maxBytes. */
export function encodePartialChunks(base: IPartialResult, series: ISeries[], maxBytes: number): Uint8Array[] {
  const budget = chunkBudget(maxBytes);
  const pieces = series.flatMap((s) => splitSeries(s, budget));
  const chunks = packChunks(pieces, (p) => pb.Series.encode(p).finish().length + 8, budget);
  return chunks.map((batch, i) =>
    pb.PartialResult.encode({
      ...base,
      series: batch,
      chunkIndex: i,
      last: i === chunks.length - 1,
    }).finish(),
  );
}

function splitSeries(s: ISeries, budget: number): ISeries[] {
  const n = (s.timestampsMs?.length ?? 0) + (s.distributions?.length ?? 0);
  const labelBytes = (s.labels ?? []).reduce(
    (a, l) => a + (l.name?.length ?? 0) + (l.value?.length ?? 0) + 8,
    0,
  );
  const est =
    labelBytes +
    20 * (s.timestampsMs?.length ?? 0) +
    (s.distributions ?? []).reduce((a, d) => a + 64 + 16 * (d.value?.means?.length ?? 0), 0);
  if (est <= budget || n <= 1) return [s];
  const pieces = Math.ceil(est / budget) + 1;
  const per = Math.ceil((s.timestampsMs?.length ?? 0) / pieces);
  const out: ISeries[] = [];
  const ts = s.timestampsMs ?? [],
    vs = s.values ?? [];
  for (let i = 0; i < ts.length; i += per)
    out.push({ labels: s.labels, timestampsMs: ts.slice(i, i + per), values: vs.slice(i, i + per) });
  const ds = s.distributions ?? [];
  const dper = Math.max(1, Math.ceil(ds.length / pieces));
  for (let i = 0; i < ds.length; i += dper)
    out.push({ labels: s.labels, distributions: ds.slice(i, i + dper) });
  return out;
}

/** Collects one zone's chunks; complete once the last chunk and all before it arrived. */
export class PartialStream extends ChunkStream<IPartialResult> {
  constructor() {
    super((b) => pb.PartialResult.decode(b), 'a partial result');
  }

  /** The chunks merged into one message (series concatenated in chunk order). */
  result(): IPartialResult {
    const sorted = this.chunks();
    const first = sorted[0] ?? {};
    const series: ISeries[] = [];
    const warnings: string[] = [];
    let samples = 0;
    for (const c of sorted) {
      for (const s of c.series ?? []) series.push(s);
      for (const w of c.warnings ?? []) warnings.push(w);
      samples += Number(c.samplesLoaded ?? 0);
      if (c.error && c.error.code) return c;
    }
    return { ...first, series, warnings, samplesLoaded: samples, last: true };
  }
}
