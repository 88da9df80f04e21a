// LabelSetCache: decoded label sets keyed by their protobuf wire bytes, so a series a sender
// re-sends every scrape interval costs one hash and one byte compare instead of a string
// allocation per label name and value (measured in bench/ingest.bench.ts) and, through the
// admission fields, one label validation per Admission instead of one per request.
// Two generations approximate LRU: lookups hit `young` or `old` (promoting to young); when
// young reaches maxEntries/2, old is dropped and young becomes old. Entries are immutable once
// published except for the admission memo, which is keyed by the Admission that wrote it.
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
    if (x[i] !== buf[a + i] || x[i + 1] !== buf[a + i + 1] || x[i + 2] !== buf[a + i + 2] || x[i + 3] !== buf[a + i + 3]) return false;
  }
  for (; i < n; i++) if (x[i] !== buf[a + i]) return false;
  return true;
}

export class LabelSetCache {
  private young = new Map<number, LabelSetEntry[]>();
  private old = new Map<number, LabelSetEntry[]>();
  private youngSize = 0;
  private oldSize = 0;

  constructor(readonly maxEntries = 200_000) {}

  get(buf: Uint8Array, a: number, b: number, hash: number): LabelSetEntry | undefined {
    const ys = this.young.get(hash);
    if (ys) for (const e of ys) if (sameBytes(e, buf, a, b)) return e;
    const os = this.old.get(hash);
    if (os) {
      for (const e of os) {
        if (sameBytes(e, buf, a, b)) {
          this.insert(e);
          return e;
        }
      }
    }
    return undefined;
  }

  add(buf: Buffer, a: number, b: number, hash: number, labels: Label[], labelErr: string): LabelSetEntry {
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
    };
    this.insert(e);
    return e;
  }

  private insert(e: LabelSetEntry): void {
    if (this.youngSize >= this.maxEntries / 2) {
      this.old = this.young;
      this.oldSize = this.youngSize;
      this.young = new Map();
      this.youngSize = 0;
    }
    const list = this.young.get(e.hash);
    if (list) list.push(e);
    else this.young.set(e.hash, [e]);
    this.youngSize++;
  }

  /** Entries held (an entry promoted from old counts twice until old is dropped). */
  size(): number {
    return this.youngSize + this.oldSize;
  }
}
