// LabelSetCache: decoded label sets keyed by their protobuf wire bytes, so a series a sender
// re-sends every scrape interval costs one hash and one byte compare instead of a string
// allocation per label name and value (measured in bench/ingest.bench.ts) and, through the
// admission fields, one label validation per Admission instead of one per request.
// One map keyed by the bytes' hash (an entry, or a list on a collision) approximates LRU with a
// use stamp: a hit stamps the entry with the current epoch; when the map is full, a sweep drops
// the entries not used since the previous sweep, then (if that freed too little) the oldest
// inserted, down to half. Entries are immutable once published except for the admission memo,
// which is keyed by the Admission that wrote it (and the use stamp).
import type { Label, Labels } from '../../shared/labels.ts';
import type { IngestDropReason } from './ingest-metrics.ts';

export interface LabelSetEntry {
  /** The wire bytes of the TimeSeries.labels fields (copied). */
  readonly bytes: Buffer;
  readonly hash: number;
  /**
   * Labels as received (wire order, empty values kept); once an Admission accepts them, its
   * output instead (checking that again gives the same result, and one copy is kept, not two).
   */
  labels: Label[];
  /** Non-empty when a label was not valid UTF-8. */
  readonly labelErr: string;
  /** Admission memo: the checkLabels outcome by `admittedBy`. */
  admittedBy: object | null;
  admitted: Labels | null;
  reason: IngestDropReason;
  error: string;
  /** labelsKey(admitted), computed once when needed. */
  key: string;
  /** the cache epoch of the last use (see LabelSetCache.sweep) */
  used: number;
}

/**
 * A 32-bit hash of buf[a, b): FNV-1a-style multiply/xor over 4-byte words (4x fewer steps
 * than per byte), then the tail bytes, then a murmur3 finaliser for avalanche.
 */
export function hashBytes(buf: Uint8Array, a: number, b: number): number {
  let h = 0x811c9dc5 ^ (b - a);
  let i = a;
  for (; i + 4 <= b; i += 4) {
    const w = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    h = Math.imul(h ^ w, 0x01000193);
    h ^= h >>> 15;
  }
  for (; i < b; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function sameBytes(e: LabelSetEntry, buf: Uint8Array, a: number, b: number): boolean {
  const x = e.bytes;
  const n = x.length;
  if (n !== b - a) return false;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    if (
      x[i] !== buf[a + i] ||
      x[i + 1] !== buf[a + i + 1] ||
      x[i + 2] !== buf[a + i + 2] ||
      x[i + 3] !== buf[a + i + 3]
    )
      return false;
  }
  for (; i < n; i++) if (x[i] !== buf[a + i]) return false;
  return true;
}

/** The cache's smallest bound, however small the head. */
const MIN_ENTRIES = 10_000;

export class LabelSetCache {
  private readonly map = new Map<number, LabelSetEntry | LabelSetEntry[]>();
  private entries = 0;
  private epoch = 0;

  /** Entries held before a sweep; resized from the head's live series by trim(). */
  maxEntries: number;

  constructor(maxEntries = 200_000) {
    this.maxEntries = maxEntries;
  }

  /**
   * Follows the live set (after a head truncation): the bound becomes a margin over the head's
   * live series, and entries not used since the previous trim or sweep are dropped (their
   * series stopped sending; with them go the head series they kept reachable).
   */
  trim(liveSeries: number): void {
    this.maxEntries = Math.max(MIN_ENTRIES, Math.ceil(liveSeries * 1.5));
    const stale = this.epoch++;
    this.prune((e) => e.used >= stale);
    if (this.entries >= this.maxEntries) this.sweep();
  }

  get(buf: Uint8Array, a: number, b: number, hash: number): LabelSetEntry | undefined {
    const v = this.map.get(hash);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      if (!sameBytes(v, buf, a, b)) return undefined;
      v.used = this.epoch;
      return v;
    }
    for (const e of v) {
      if (sameBytes(e, buf, a, b)) {
        e.used = this.epoch;
        return e;
      }
    }
    return undefined;
  }

  add(buf: Buffer, a: number, b: number, hash: number, labels: Label[], labelErr: string): LabelSetEntry {
    if (this.entries >= this.maxEntries) this.sweep();
    const e: LabelSetEntry = {
      bytes: Buffer.from(buf.subarray(a, b)),
      hash,
      labels,
      labelErr,
      admittedBy: null,
      admitted: null,
      reason: 'invalid_labels',
      error: '',
      key: '',
      used: this.epoch,
    };
    const v = this.map.get(hash);
    if (v === undefined) this.map.set(hash, e);
    else if (Array.isArray(v)) v.push(e);
    else this.map.set(hash, [v, e]);
    this.entries++;
    return e;
  }

  /**
   * Forgets one entry: a series refused by a series or rate limit is not kept, so a bomb of
   * new series from one tenant neither grows the heap (its entries die young) nor evicts the
   * label sets of other senders.
   */
  delete(e: LabelSetEntry): void {
    const v = this.map.get(e.hash);
    if (v === e) {
      this.map.delete(e.hash);
      this.entries--;
    } else if (Array.isArray(v)) {
      const i = v.indexOf(e);
      if (i < 0) return;
      v.splice(i, 1);
      this.entries--;
      if (v.length === 1) this.map.set(e.hash, v[0]!);
    }
  }

  /** Drops entries unused since the last sweep; if that frees nothing, the oldest inserted, down to half. */
  private sweep(): void {
    const stale = this.epoch++;
    const keep = (e: LabelSetEntry): boolean => e.used >= stale; // used since the last sweep
    this.prune(keep);
    if (this.entries >= this.maxEntries) {
      let excess = this.entries - Math.floor(this.maxEntries / 2);
      this.prune(() => excess-- <= 0);
    }
  }

  private prune(keep: (e: LabelSetEntry) => boolean): void {
    for (const [h, v] of this.map) {
      if (!Array.isArray(v)) {
        if (!keep(v)) {
          this.map.delete(h);
          this.entries--;
        }
        continue;
      }
      const kept = v.filter(keep);
      this.entries -= v.length - kept.length;
      if (kept.length === 0) this.map.delete(h);
      else this.map.set(h, kept.length === 1 ? kept[0]! : kept);
    }
  }

  /** Entries held. */
  size(): number {
    return this.entries;
  }
}
