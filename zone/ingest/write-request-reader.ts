// WriteRequestReader: a hand-written decoder for Prometheus remote-write 1.0 WriteRequest
// protobuf (proto/prometheus/remote.proto, types.proto) into reusable columns, so decoding
// builds no per-sample objects (protobufjs's static decode allocates a Sample object and a
// Long-or-number per sample; this reader is measured in bench/ingest.bench.ts).
//
// Fields read: WriteRequest.timeseries(1); TimeSeries.labels(1), samples(2), histograms(4,
// counted only); Label.name(1), value(2); Sample.value(1, double), timestamp(2, int64).
// Everything else (exemplars, metadata, unknown fields) is skipped by wire type, as protobuf
// requires. Output invariants after decode(): series i has labels series[i] (in wire order,
// empty values kept, not validated) and samples [sampleStart[i], sampleStart[i+1]) in
// tsMs/values; labelErr[i] is non-empty when a label was not valid UTF-8; entries[i] is the
// LabelSetCache entry series[i] came from (null when its label fields were not contiguous).
// series[i] may be shared with the cache: callers must not mutate it.
// Malformed protobuf (truncated field, bad wire type, length past the end) throws
// CanopyError('bad_data'); no input makes it throw anything else.
import { isUtf8 } from 'node:buffer';
import type { Label } from '../../shared/labels.ts';
import { CanopyError } from '../../shared/errors.ts';
import { hashBytes, LabelSetCache, type LabelSetEntry } from './label-set-cache.ts';

const TWO_POW_32 = 4294967296;

/** Distinct label pairs the reader shares before its table starts over. */
const MAX_INTERNED = 1_000_000;
/** The smallest bound trim() sets. */
const MIN_INTERNED = 100_000;

/**
 * One shared Label object (and so one copy of its strings) per distinct name/value pair, for
 * every reader of a zone (see WriteRequestReader.intern). Bounded: past MAX_INTERNED pairs
 * the table starts over.
 */
export class LabelInterner {
  /** name → value → the shared Label */
  private readonly interned = new Map<string, Map<string, Label>>();
  private pairs = 0;
  /** Pairs held before the table starts over; resized from the head by trim(). */
  private maxPairs = MAX_INTERNED;

  /**
   * Starts the table over and bounds it from the head's live series (after a head truncation):
   * pairs of series that stopped sending go; live label sets keep their Label objects in the
   * label-set cache and re-intern them on their next miss.
   */
  trim(liveSeries: number): void {
    this.interned.clear();
    this.pairs = 0;
    this.maxPairs = Math.max(MIN_INTERNED, liveSeries * 16);
  }

  intern(name: string, value: string): Label {
    let byValue = this.interned.get(name);
    if (byValue === undefined) this.interned.set(name, (byValue = new Map()));
    let l = byValue.get(value);
    if (l === undefined) {
      if (++this.pairs > this.maxPairs) {
        this.interned.clear();
        this.pairs = 1;
        this.interned.set(name, (byValue = new Map()));
      }
      byValue.set(value, (l = { name, value }));
    }
    return l;
  }

  /** Drops these exact Label objects from the table (see WriteRequestReader.forget). */
  forget(labels: readonly Label[]): void {
    for (const l of labels) {
      const byValue = this.interned.get(l.name);
      if (byValue !== undefined && byValue.get(l.value) === l) {
        byValue.delete(l.value);
        this.pairs--;
      }
    }
  }
}

export class WriteRequestReader {
  seriesCount = 0;
  series: Label[][] = [];
  labelErr: string[] = [];
  entries: (LabelSetEntry | null)[] = [];
  histograms = new Uint32Array(64);
  sampleStart = new Uint32Array(65);
  sampleCount = 0;
  /** Timestamps in ms; one that is not a safe integer is stored as NaN. */
  tsMs = new Float64Array(1024);
  values = new Float64Array(1024);

  private buf: Buffer = Buffer.alloc(0);
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private pos = 0;

  /**
   * Whether label sets missing from the cache are added to it (and their pairs interned).
   * Off for a tenant at its series limit: its new series will be refused, so they are decoded
   * into plain objects that die young (entries[i] null) instead of churning the shared cache.
   */
  private cacheNew = true;

  constructor(
    readonly cache = new LabelSetCache(),
    private readonly interner = new LabelInterner(),
  ) {}

  decode(buf: Buffer): void {
    this.begin(buf);
    this.decodeSome(Infinity);
  }

  /** Starts decoding buf in slices: call decodeSome until it returns true. */
  begin(buf: Buffer, opts: { cacheNew?: boolean } = {}): void {
    this.cacheNew = opts.cacheNew ?? true;
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = 0;
    this.seriesCount = 0;
    this.sampleCount = 0;
    this.series.length = 0;
    this.labelErr.length = 0;
    this.entries.length = 0;
    this.sampleStart[0] = 0;
  }

  /**
   * Decodes up to maxSeries more TimeSeries; true when the request is done (the columns are
   * then complete). Between slices the columns hold the series decoded so far.
   */
  decodeSome(maxSeries: number): boolean {
    const end = this.buf.length;
    const stop = this.seriesCount + maxSeries;
    while (this.pos < end && this.seriesCount < stop) {
      const key = this.varint32();
      const field = key >>> 3,
        wt = key & 7;
      if (field === 1 && wt === 2) {
        const len = this.length(end);
        this.timeSeries(this.pos + len);
      } else this.skip(wt, end);
    }
    this.sampleStart[this.seriesCount] = this.sampleCount;
    return this.pos >= end;
  }

  /**
   * Samples (and native histograms) in a WriteRequest, without decoding labels or values:
   * a walk over the wire format that allocates nothing, so a request over its tenant's
   * ingestion rate is refused before the costly decode. Throws bad_data as decode does.
   */
  countSamples(buf: Buffer): number {
    this.buf = buf;
    this.pos = 0;
    let n = 0;
    const end = buf.length;
    while (this.pos < end) {
      const key = this.varint32();
      if (key !== 0x0a) {
        this.skip(key & 7, end);
        continue;
      }
      const len = this.length(end);
      const tsEnd = this.pos + len;
      while (this.pos < tsEnd) {
        const k = this.varint32();
        if (k === 0x12 || k === 0x22) n++; // samples (2) and histograms (4), length-delimited
        this.skip(k & 7, tsEnd);
      }
      if (this.pos !== tsEnd) this.malformed('TimeSeries overruns its length');
    }
    return n;
  }

  private malformed(what: string): never {
    throw new CanopyError('bad_data', `cannot decode WriteRequest protobuf: ${what} at byte ${this.pos}`);
  }

  private varint32(): number {
    const b = this.buf;
    let v = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= b.length) this.malformed('truncated varint');
      const x = b[this.pos++]!;
      v += (x & 0x7f) * 2 ** shift;
      if (x < 0x80) return v > 0xffffffff ? this.malformed('varint exceeds 32 bits') : v;
    }
    return this.malformed('varint longer than 5 bytes');
  }

  /** int64 varint as a JS number (two's complement for negatives); may be unsafe when huge. */
  private varint64(end: number): number {
    const b = this.buf;
    let lo = 0,
      hi = 0,
      x: number;
    for (let shift = 0; shift < 28; shift += 7) {
      if (this.pos >= end) this.malformed('truncated varint');
      x = b[this.pos++]!;
      lo |= (x & 0x7f) << shift;
      if (x < 0x80) return lo >>> 0;
    }
    if (this.pos >= end) this.malformed('truncated varint');
    x = b[this.pos++]!;
    lo |= (x & 0x0f) << 28;
    hi = (x & 0x7f) >> 4;
    if (x < 0x80) return hi * TWO_POW_32 + (lo >>> 0);
    for (let shift = 3; shift < 38; shift += 7) {
      if (this.pos >= end) this.malformed('truncated varint');
      x = b[this.pos++]!;
      hi |= (x & 0x7f) << shift;
      if (x < 0x80) return (hi | 0) * TWO_POW_32 + (lo >>> 0);
    }
    return this.malformed('varint longer than 10 bytes');
  }

  private length(end: number): number {
    const len = this.varint32();
    if (len > end - this.pos) this.malformed(`length ${len} past the end of its message`);
    return len;
  }

  private skip(wt: number, end: number): void {
    switch (wt) {
      case 0:
        this.varint64(end);
        return;
      case 1:
        if (end - this.pos < 8) this.malformed('truncated fixed64');
        this.pos += 8;
        return;
      case 2: {
        // Not `this.pos += this.length(end)`: that reads pos before length() advances it.
        const len = this.length(end);
        this.pos += len;
        return;
      }
      case 5:
        if (end - this.pos < 4) this.malformed('truncated fixed32');
        this.pos += 4;
        return;
      default:
        this.malformed(`unsupported wire type ${wt}`);
    }
  }

  private timeSeries(end: number): void {
    const i = this.seriesCount++;
    if (i + 1 >= this.sampleStart.length) this.growSeries();
    this.sampleStart[i] = this.sampleCount;
    this.histograms[i] = 0;
    let labels: Label[] | null = null;
    let entry: LabelSetEntry | null = null;
    this.labelErr.push('');
    while (this.pos < end) {
      const keyPos = this.pos;
      const key = this.varint32();
      const field = key >>> 3,
        wt = key & 7;
      if (field === 2 && wt === 2) {
        const len = this.length(end);
        this.sample(this.pos + len);
      } else if (field === 1 && wt === 2) {
        if (labels === null) {
          // First label field: the run of consecutive label fields is the cache key.
          this.pos = keyPos;
          const runEnd = this.labelRunEnd(end);
          const hash = hashBytes(this.buf, keyPos, runEnd);
          entry = this.cache.get(this.buf, keyPos, runEnd, hash) ?? null;
          if (entry) {
            labels = entry.labels;
            this.labelErr[i] = entry.labelErr;
            this.pos = runEnd;
          } else {
            labels = [];
            while (this.pos < runEnd) {
              this.varint32();
              const len = this.length(end);
              this.label(this.pos + len, labels, i);
            }
            if (this.cacheNew)
              entry = this.cache.add(this.buf, keyPos, runEnd, hash, labels, this.labelErr[i]!);
          }
        } else {
          // A label after other fields: decode it into a private copy, uncached.
          if (entry) labels = labels.slice();
          entry = null;
          const len = this.length(end);
          this.label(this.pos + len, labels, i);
        }
      } else if (field === 4 && wt === 2) {
        this.histograms[i]!++;
        const len = this.length(end);
        this.pos += len;
      } else this.skip(wt, end);
    }
    if (this.pos !== end) this.malformed('TimeSeries overruns its length');
    this.series.push(labels ?? []);
    this.entries.push(entry);
  }

  /** From a label field key at pos: the end of the run of consecutive label fields (pos kept). */
  private labelRunEnd(end: number): number {
    const start = this.pos;
    while (this.pos < end && this.buf[this.pos] === 0x0a) {
      this.pos++;
      const len = this.length(end);
      this.pos += len;
    }
    const runEnd = this.pos;
    this.pos = start;
    return runEnd;
  }

  private label(end: number, out: Label[], seriesIndex: number): void {
    let name = '',
      value = '';
    while (this.pos < end) {
      const key = this.varint32();
      const field = key >>> 3,
        wt = key & 7;
      if ((field === 1 || field === 2) && wt === 2) {
        const len = this.length(end);
        const s = this.string(this.pos, this.pos + len, seriesIndex);
        this.pos += len;
        if (field === 1) name = s;
        else value = s;
      } else this.skip(wt, end);
    }
    if (this.pos !== end) this.malformed('Label overruns its length');
    out.push(this.cacheNew ? this.intern(name, value) : { name, value });
  }

  /**
   * One shared Label object (and so one copy of its strings) per distinct name/value pair:
   * labels repeat across series (job, metric name, instance, mode…), and the decoded label sets
   * live on in the cache and the head, so without this every series kept its own copies
   * (about 10 strings and 6 objects per series on node_exporter data). Labels are immutable.
   */
  private intern(name: string, value: string): Label {
    return this.interner.intern(name, value);
  }

  /**
   * Drops the interned pairs of a refused label set (a series over a limit), so a bomb of
   * unique label values is not retained. Always safe: a series that holds one of these Label
   * objects keeps it; a later identical pair just gets a new object.
   */
  forget(labels: readonly Label[]): void {
    this.interner.forget(labels);
  }

  /** ASCII fast path (latin1 decode is a plain copy); other bytes must be valid UTF-8. */
  private string(a: number, b: number, seriesIndex: number): string {
    const buf = this.buf;
    let ascii = true;
    for (let k = a; k < b; k++) {
      if (buf[k]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return buf.toString('latin1', a, b);
    if (!isUtf8(buf.subarray(a, b)) && this.labelErr[seriesIndex] === '') {
      this.labelErr[seriesIndex] = `label bytes at offset ${a} are not valid UTF-8`;
    }
    return buf.toString('utf8', a, b);
  }

  private sample(end: number): void {
    let v = 0,
      t = 0;
    while (this.pos < end) {
      const key = this.varint32();
      if (key === 0x09) {
        // field 1, wire type 1: double
        if (end - this.pos < 8) this.malformed('truncated double');
        v = this.view.getFloat64(this.pos, true);
        this.pos += 8;
      } else if (key === 0x10) {
        // field 2, wire type 0: int64
        t = this.varint64(end);
      } else this.skip(key & 7, end);
    }
    if (this.pos !== end) this.malformed('Sample overruns its length');
    const n = this.sampleCount++;
    if (n >= this.tsMs.length) this.growSamples();
    this.tsMs[n] = Number.isSafeInteger(t) ? t : NaN;
    this.values[n] = v;
  }

  private growSeries(): void {
    const n = this.sampleStart.length * 2;
    const ss = new Uint32Array(n);
    ss.set(this.sampleStart);
    this.sampleStart = ss;
    const hs = new Uint32Array(n);
    hs.set(this.histograms);
    this.histograms = hs;
  }

  private growSamples(): void {
    const n = this.tsMs.length * 2;
    const ts = new Float64Array(n);
    ts.set(this.tsMs);
    this.tsMs = ts;
    const vs = new Float64Array(n);
    vs.set(this.values);
    this.values = vs;
  }
}
