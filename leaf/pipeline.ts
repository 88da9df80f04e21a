// Pipeline: where every source of samples (scrapes, StatsD flushes, JSON push, the heartbeat)
// meets. Samples become a Batch (grouped by series, with a fresh batch id), are encoded once,
// and appended to the queue the shipper drains. External labels are added where absent.
// Batch ids are "<source>-<boot>-<createdMs base36>-<seq>": unique across restarts (boot is
// the process start time plus randomness), and batchCreatedMs(id) reads a queued batch's age
// without decoding it (the leaf's oldest-batch-age gauge).
// Per label set (by identity: scrape loops and aggregators hand the same Labels object every
// time) the series key and encoded label bytes are computed once and kept in a WeakMap, so a
// repeat scrape costs no label work at all; see batch-encoder.ts for why encoding is by hand.
import { labelsKey, withDefaults, labelsFromRecord, type Labels } from '../shared/labels.ts';
import type { Distribution } from '../shared/distribution.ts';
import { distributionToWire } from '../shared/wire/index.ts';
import { BatchEncoder, encodeDistributionSample, encodeLabels, type EncodedSeries } from './batch-encoder.ts';

export interface FloatSample {
  labels: Labels;
  tMs: number;
  value: number;
}

export interface DistributionSample {
  labels: Labels;
  tMs: number;
  d: Distribution;
}

export interface MetadataEntry {
  metric: string;
  type: string;
  help: string;
  unit: string;
}

export interface BatchSink {
  append(id: string, bytes: Uint8Array, samples: number): void;
}

export class Pipeline {
  private seq = 0;
  private readonly ext: Labels;
  private readonly encoder = new BatchEncoder();
  /** label set (by identity) → series key and encoded label fields, with external labels */
  private readonly labelCache = new WeakMap<Labels, { key: string; bytes: Uint8Array }>();
  private readonly prefix: string;

  constructor(
    private readonly source: string,
    externalLabels: Record<string, string>,
    private readonly sink: BatchSink,
  ) {
    this.ext = labelsFromRecord(externalLabels);
    this.prefix = `${source}-${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
  }

  /** Queues one batch; returns its id (undefined when there was nothing to send). */
  push(floats: readonly FloatSample[], dists: readonly DistributionSample[] = [], metadata: readonly MetadataEntry[] = []): string | undefined {
    if (floats.length === 0 && dists.length === 0 && metadata.length === 0) return undefined;
    const bySeries = new Map<string, EncodedSeries>();
    for (const f of floats) {
      const s = this.seriesOf(bySeries, f.labels);
      s.timestampsMs.push(f.tMs);
      s.values.push(f.value);
    }
    for (const d of dists) (this.seriesOf(bySeries, d.labels).distributions ??= []).push(encodeDistributionSample({ timestampMs: d.tMs, value: distributionToWire(d.d) }));
    const createdMs = Date.now();
    const id = `${this.prefix}-${createdMs.toString(36)}-${++this.seq}`;
    const bytes = this.encoder.encode(id, this.source, createdMs, bySeries.values(), metadata);
    this.sink.append(id, bytes, floats.length + dists.length);
    return id;
  }

  private seriesOf(bySeries: Map<string, EncodedSeries>, ls: Labels): EncodedSeries {
    let e = this.labelCache.get(ls);
    if (e === undefined) {
      const full = withDefaults(ls, this.ext);
      e = { key: labelsKey(full), bytes: encodeLabels(full) };
      this.labelCache.set(ls, e);
    }
    let s = bySeries.get(e.key);
    if (s === undefined) {
      s = { labelBytes: e.bytes, timestampsMs: [], values: [], distributions: undefined };
      bySeries.set(e.key, s);
    }
    return s;
  }
}

/** The creation time encoded in a pipeline batch id, or undefined for another id format. */
export function batchCreatedMs(id: string): number | undefined {
  const end = id.lastIndexOf('-');
  const start = id.lastIndexOf('-', end - 1);
  if (start < 0) return undefined;
  const t = parseInt(id.slice(start + 1, end), 36);
  return Number.isFinite(t) ? t : undefined;
}
