// Pipeline: where every source of samples (scrapes, StatsD flushes, JSON push, the heartbeat)
// meets. Samples become a Batch (grouped by series, with a fresh batch id), are encoded once,
// and appended to the queue the shipper drains. External labels are added where absent.
// Batch ids are "<source>-<boot>-<createdMs base36>-<seq>": unique across restarts (boot is
// the process start time plus randomness), and batchCreatedMs(id) reads a queued batch's age
// without decoding it (the leaf's oldest-batch-age gauge).
// Per label set (by identity: scrape loops and aggregators hand the same Labels object every
// time) the series entry (key, encoded label bytes) is found through a WeakMap, so a repeat
// scrape costs no label work at all; entries are interned by key, so samples of one series
// group into one batch series even when they come with distinct Labels objects (JSON push).
// Grouping stamps the entry with the batch number instead of building a Map per batch, and the
// per-batch series slots (with their sample arrays) are reused: a scrape of 1,000 series leaves
// almost no garbage here. See batch-encoder.ts for why encoding is by hand.
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

/** One distinct series the pipeline has seen: its key, label bytes and batch slot. */
interface SeriesEntry {
  readonly key: string;
  readonly bytes: Uint8Array;
  /** the batch that last used this entry, and its slot there */
  batch: number;
  slot: number;
}

/** The interned entries are pruned when they pass this many and twice what the last prune kept. */
const MIN_INTERNED = 10_000;

export class Pipeline {
  private seq = 0;
  private batchNo = 0;
  private readonly ext: Labels;
  private readonly encoder = new BatchEncoder();
  /** label set (by identity) → its series entry (external labels applied) */
  private readonly labelCache = new WeakMap<Labels, SeriesEntry>();
  /** series key → entry, so distinct Labels objects of one series share an entry */
  private byKey = new Map<string, SeriesEntry>();
  /** the current batch's series, reused across batches (arrays emptied, not reallocated) */
  private readonly slots: EncodedSeries[] = [];
  private used = 0;
  private pruneAt = MIN_INTERNED;
  private prunedAtBatch = 0;
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
  push(
    floats: readonly FloatSample[],
    dists: readonly DistributionSample[] = [],
    metadata: readonly MetadataEntry[] = [],
  ): string | undefined {
    if (floats.length === 0 && dists.length === 0 && metadata.length === 0) return undefined;
    const batch = ++this.batchNo;
    this.used = 0;
    for (let i = 0; i < floats.length; i++) {
      const f = floats[i]!;
      const s = this.seriesOf(f.labels, batch);
      s.timestampsMs.push(f.tMs);
      s.values.push(f.value);
    }
    for (const d of dists)
      (this.seriesOf(d.labels, batch).distributions ??= []).push(
        encodeDistributionSample({ timestampMs: d.tMs, value: distributionToWire(d.d) }),
      );
    const createdMs = Date.now();
    const id = `${this.prefix}-${createdMs.toString(36)}-${++this.seq}`;
    const bytes = this.encoder.encode(id, this.source, createdMs, this.slots, metadata, this.used);
    this.sink.append(id, bytes, floats.length + dists.length);
    if (this.byKey.size > this.pruneAt) this.prune(batch);
    return id;
  }

  private seriesOf(ls: Labels, batch: number): EncodedSeries {
    let e = this.labelCache.get(ls);
    if (e === undefined) {
      const full = withDefaults(ls, this.ext);
      const key = labelsKey(full);
      e = this.byKey.get(key);
      if (e === undefined) this.byKey.set(key, (e = { key, bytes: encodeLabels(full), batch: 0, slot: 0 }));
      this.labelCache.set(ls, e);
    }
    if (e.batch === batch) return this.slots[e.slot]!;
    e.batch = batch;
    e.slot = this.used++;
    let s = this.slots[e.slot];
    if (s === undefined)
      this.slots.push((s = { labelBytes: e.bytes, timestampsMs: [], values: [], distributions: undefined }));
    s.labelBytes = e.bytes;
    s.timestampsMs.length = 0;
    s.values.length = 0;
    s.distributions = undefined;
    return s;
  }

  /**
   * Forgets interned entries no batch used since the last prune (amortized: runs when the map
   * has doubled). An entry still cached by its Labels object keeps working; only the sharing
   * with other Labels objects of that series ends, which at worst splits it in a batch.
   */
  private prune(batch: number): void {
    const keep = new Map<string, SeriesEntry>();
    for (const [k, e] of this.byKey) if (e.batch > this.prunedAtBatch) keep.set(k, e);
    this.byKey = keep;
    this.prunedAtBatch = batch;
    this.pruneAt = Math.max(MIN_INTERNED, 2 * keep.size);
    if (this.slots.length > 2 * this.used + 1024) this.slots.length = this.used;
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
