// Remote-write request bytes for the differential test and the query benchmark: one
// prometheus.WriteRequest per call, encoded by hand so a stale marker keeps its exact NaN bits
// (0x7ff0000000000002) — a JS number NaN may lose its payload on the way through a codec.
import snappy from 'snappy';

/** Per series: labels (sorted, incl. __name__), timestamps (ms) and values; `null` = stale marker. */
export interface SeriesData {
  labels: [string, string][];
  tsMs: number[];
  values: (number | null)[];
}

function varint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

function lenField(out: number[], tag: number, payload: number[] | Uint8Array): void {
  out.push(tag);
  varint(out, payload.length);
  for (let i = 0; i < payload.length; i++) out.push(payload[i]!);
}

const f64 = new DataView(new ArrayBuffer(8));

/** Encodes the samples of `series` with from ≤ index < to (per series) as one snappy WriteRequest. */
export function encodeWriteRequest(parts: { s: SeriesData; from: number; to: number }[]): Buffer {
  const out: number[] = [];
  for (const { s, from, to } of parts) {
    if (from >= to) continue;
    const ts: number[] = [];
    for (const [n, v] of s.labels) {
      const l: number[] = [];
      lenField(l, 0x0a, Buffer.from(n));
      lenField(l, 0x12, Buffer.from(v));
      lenField(ts, 0x0a, l);
    }
    for (let i = from; i < to; i++) {
      const smp: number[] = [0x09];
      const v = s.values[i]!;
      if (v === null) {
        f64.setUint32(4, 0x7ff00000, true);
        f64.setUint32(0, 0x00000002, true);
      } else f64.setFloat64(0, v, true);
      for (let b = 0; b < 8; b++) smp.push(f64.getUint8(b));
      smp.push(0x10);
      varint(smp, s.tsMs[i]!);
      lenField(ts, 0x12, smp);
    }
    lenField(out, 0x0a, ts);
  }
  return snappy.compressSync(Buffer.from(out));
}

/**
 * Splits a dataset into windows of `windowMs` of time, oldest first, each a list of requests
 * over disjoint series (they may be sent concurrently; windows must be sent in order, so every
 * series' samples arrive in order and none reaches further back than Prometheus' head accepts).
 */
export function* windowedRequests(
  series: SeriesData[],
  startMs: number,
  endMs: number,
  windowMs: number,
  maxSeriesPerRequest = 500,
): Generator<Buffer[]> {
  const pos = new Int32Array(series.length);
  for (let w = startMs; w <= endMs; w += windowMs) {
    const wEnd = w + windowMs;
    let parts: { s: SeriesData; from: number; to: number }[] = [];
    const batch: Buffer[] = [];
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      let to = pos[i]!;
      while (to < s.tsMs.length && s.tsMs[to]! < wEnd) to++;
      if (to > pos[i]!) parts.push({ s, from: pos[i]!, to });
      pos[i] = to;
      if (parts.length >= maxSeriesPerRequest) {
        batch.push(encodeWriteRequest(parts));
        parts = [];
      }
    }
    if (parts.length) batch.push(encodeWriteRequest(parts));
    if (batch.length) yield batch;
  }
}
