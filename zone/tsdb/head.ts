// The head: the in-memory, appendable part of the TSDB. Series are keyed by a 32-bit hash of
// the sorted label set (full labels compared on a hit, so collisions are safe), refs are uint32
// and monotonic (never reused, even after restart: the WAL carries them), label strings are
// interned as symbol ids, and postings per label pair are append-only sorted Uint32Arrays
// (refs are monotonic, so appending keeps them sorted). Appending lives in head-append.ts.
import type { Labels, Label } from '../../shared/labels.ts';
import { compareLabels } from '../../shared/labels.ts';
import type { Distribution } from '../../shared/distribution.ts';
import type { Matcher } from '../../shared/matchers.ts';
import { bug } from '../../shared/errors.ts';
import { validTimestamp } from './chunk/index.ts';
import { AppendCode, HeadSeries } from './head-series.ts';
import { EMPTY_POSTINGS, postingsForMatchers, type PostingsIndex } from './postings.ts';
import { TSDB_DEFAULTS } from '../tsdb-defaults.ts';

export interface HeadOptions {
  /** Chunks never straddle a multiple of this (the block range), ms. */
  chunkRangeMs: number;
  outOfOrderWindowMs: number;
  samplesPerChunk?: number;
}

interface PostingsList {
  refs: Uint32Array;
  n: number;
}

function pushRef(p: PostingsList, ref: number): void {
  if (p.n === p.refs.length) {
    const next = new Uint32Array(Math.max(4, p.n * 2));
    next.set(p.refs);
    p.refs = next;
  }
  p.refs[p.n++] = ref;
}

/** FNV-1a over names and values with separators (collisions are resolved by comparing labels). */
export function hashLabels(ls: Labels): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!;
    const n = l.name,
      v = l.value;
    for (let j = 0; j < n.length; j++) h = Math.imul(h ^ n.charCodeAt(j), 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193);
    for (let j = 0; j < v.length; j++) h = Math.imul(h ^ v.charCodeAt(j), 0x01000193);
    h = Math.imul(h ^ 0xfe, 0x01000193);
  }
  return h | 0; // signed: a small integer in V8 (an unsigned hash ≥ 2^31 would be a heap number per series)
}

/** Series per truncation step (well under a millisecond of work). */
const TRUNCATE_STEP = 256;

/** Symbols being rebuilt by a truncation, with the postings of the series remapped so far. */
class SymbolTable {
  readonly symbols: string[] = [];
  readonly ids = new Map<string, number>();

  private intern(str: string): number {
    let id = this.ids.get(str);
    if (id === undefined) {
      id = this.symbols.length;
      this.symbols.push(str);
      this.ids.set(str, id);
    }
    return id;
  }

  /** s's symbol ids in this table (from the old table's), its refs added to the postings. */
  remap(
    old: readonly string[],
    s: HeadSeries,
    postings: Map<string, Map<string, PostingsList>>,
    all: PostingsList,
  ): number[] {
    const syms = new Array<number>(s.syms.length);
    for (let i = 0; i < syms.length; i += 2) {
      const name = old[s.syms[i]!]!,
        value = old[s.syms[i + 1]!]!;
      syms[i] = this.intern(name);
      syms[i + 1] = this.intern(value);
      let m = postings.get(name);
      if (!m) postings.set(name, (m = new Map()));
      let p = m.get(value);
      if (!p) m.set(value, (p = { refs: new Uint32Array(2), n: 0 }));
      pushRef(p, s.ref);
    }
    pushRef(all, s.ref);
    return syms;
  }
}

export class Head implements PostingsIndex {
  readonly chunkRangeMs: number;
  readonly oooWindowMs: number;
  readonly samplesPerChunk: number;
  /**
   * Interned label strings of the live series (rebuilt by truncate when series are deleted, so
   * strings of gone series are freed). Ids are only meaningful within one generation.
   */
  private symbols: string[] = [];
  private symbolIds = new Map<string, number>();
  /** Live series by ref: a Map, since refs are never reused and an array would only grow under churn. */
  private readonly byRef = new Map<number, HeadSeries>();
  /** labelsOf's Label objects by value symbol id (reset with the symbols). */
  private labelCache: (Label | undefined)[] = [];
  /** Head truncations that deleted series (each rebuilt symbols and postings). */
  gcRuns = 0;
  private readonly byHash = new Map<number, HeadSeries | HeadSeries[]>();
  /**
   * Labels object → series. Ingest hands the same Labels object for a series request after
   * request (the label-set cache), so a hit skips hashing the strings (~10% of remote_write
   * CPU); a hit is still checked against the live series and its labels (arrays may be reused).
   */
  private readonly byLabelsObject = new WeakMap<Labels, HeadSeries>();
  private postingsMap = new Map<string, Map<string, PostingsList>>();
  private all: PostingsList = { refs: new Uint32Array(64), n: 0 };
  private nextRef = 1;
  private numSeries = 0;
  /** Samples appended since open (in-order + OOO). */
  samplesAppended = 0;
  chunksCreated = 0;
  /** Samples below this are out of bounds (the last block cut), ms. */
  minValidT = -Infinity;
  /** When true, an empty head accepts samples of any age (backfill); off during WAL replay. */
  backfillWhenEmpty = true;
  minT = Infinity;
  maxT = -Infinity;

  constructor(opts: HeadOptions) {
    this.chunkRangeMs = opts.chunkRangeMs;
    this.oooWindowMs = opts.outOfOrderWindowMs;
    this.samplesPerChunk = opts.samplesPerChunk ?? TSDB_DEFAULTS.samplesPerChunk;
  }

  private intern(s: string): number {
    let id = this.symbolIds.get(s);
    if (id === undefined) {
      id = this.symbols.length;
      this.symbols.push(s);
      this.symbolIds.set(s, id);
    }
    return id;
  }

  private sameLabels(s: HeadSeries, ls: Labels): boolean {
    const syms = s.syms,
      sy = this.symbols;
    if (syms.length !== ls.length * 2) return false;
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i]!;
      if (sy[syms[2 * i]!] !== l.name || sy[syms[2 * i + 1]!] !== l.value) return false;
    }
    return true;
  }

  getByLabels(ls: Labels, hash = hashLabels(ls)): HeadSeries | undefined {
    const e = this.byHash.get(hash);
    if (e === undefined) return undefined;
    if (!Array.isArray(e)) return this.sameLabels(e, ls) ? e : undefined;
    for (const s of e) if (this.sameLabels(s, ls)) return s;
    return undefined;
  }

  getByRef(ref: number): HeadSeries | undefined {
    return this.byRef.get(ref);
  }

  /** Returns the series for ls, creating it (with ref, or the next ref) when absent. */
  getOrCreate(ls: Labels, ref = 0): { series: HeadSeries; created: boolean } {
    const seen = this.byLabelsObject.get(ls);
    if (seen !== undefined && this.byRef.get(seen.ref) === seen && this.sameLabels(seen, ls))
      return { series: seen, created: false };
    const hash = hashLabels(ls);
    const found = this.getByLabels(ls, hash);
    if (found) {
      this.byLabelsObject.set(ls, found);
      return { series: found, created: false };
    }
    if (ref === 0) ref = this.nextRef;
    if (ref >= this.nextRef) this.nextRef = ref + 1;
    if (ref > 0xffffffff) bug(`series ref ${ref} exceeds uint32`);
    // Exact length, as HeadSeries' chunk meta: push would leave 16+ free slots (~57 B per series).
    const syms = new Array<number>(ls.length * 2);
    for (let i = 0; i < ls.length; i++) {
      syms[2 * i] = this.intern(ls[i]!.name);
      syms[2 * i + 1] = this.intern(ls[i]!.value);
    }
    const s = new HeadSeries(ref, hash, syms);
    this.byRef.set(ref, s);
    this.byLabelsObject.set(ls, s);
    const e = this.byHash.get(hash);
    if (e === undefined) this.byHash.set(hash, s);
    else if (Array.isArray(e)) e.push(s);
    else this.byHash.set(hash, [e, s]);
    this.addPostings(s);
    this.numSeries++;
    return { series: s, created: true };
  }

  private addPostings(s: HeadSeries): void {
    const sy = this.symbols;
    for (let i = 0; i < s.syms.length; i += 2) {
      const name = sy[s.syms[i]!]!,
        value = sy[s.syms[i + 1]!]!;
      let m = this.postingsMap.get(name);
      if (!m) this.postingsMap.set(name, (m = new Map()));
      let p = m.get(value);
      if (!p) m.set(value, (p = { refs: new Uint32Array(2), n: 0 }));
      pushRef(p, s.ref);
    }
    pushRef(this.all, s.ref);
  }

  /**
   * The series' labels. Label objects are shared through a cache by value symbol (checked
   * against the symbols, so it is only ever a hint): a query over many series then allocates
   * one array per series instead of one object per label.
   */
  labelsOf(s: HeadSeries): Labels {
    const out: Label[] = new Array(s.syms.length / 2);
    const sy = this.symbols,
      cache = this.labelCache;
    while (cache.length < sy.length) cache.push(undefined);
    for (let i = 0; i < out.length; i++) {
      const name = sy[s.syms[2 * i]!]!,
        vi = s.syms[2 * i + 1]!,
        value = sy[vi]!;
      let l = cache[vi];
      if (l === undefined || l.name !== name || l.value !== value) cache[vi] = l = { name, value };
      out[i] = l;
    }
    return out;
  }

  private inBounds(tMs: number): boolean {
    if (!validTimestamp(tMs)) return false;
    return tMs >= this.minValidT || (this.backfillWhenEmpty && this.maxT === -Infinity);
  }

  /** Appends a float sample; see AppendCode. */
  appendFloat(s: HeadSeries, tMs: number, v: number): AppendCode {
    if (!this.inBounds(tMs)) return AppendCode.OutOfBounds;
    if (tMs > s.maxT) {
      if (s.appendInOrder(tMs, v, this.chunkRangeMs, this.samplesPerChunk)) this.chunksCreated++;
    } else {
      if (tMs === s.maxT || tMs >= s.maxT - this.oooWindowMs) {
        const c = s.checkExisting(tMs, v);
        if (c !== AppendCode.Ok) return c;
      } else return AppendCode.OutOfOrder;
      s.insertOOO(tMs, v);
    }
    this.samplesAppended++;
    if (tMs < this.minT) this.minT = tMs;
    if (tMs > this.maxT) this.maxT = tMs;
    return AppendCode.Ok;
  }

  appendDistribution(s: HeadSeries, tMs: number, d: Distribution): AppendCode {
    if (!this.inBounds(tMs)) return AppendCode.OutOfBounds;
    // Checked before touching the series: a chunk append that throws would leave an empty chunk.
    if (
      !d ||
      !(d.means instanceof Float64Array) ||
      !(d.weights instanceof Float64Array) ||
      d.means.length !== d.weights.length ||
      d.means.length > 65536
    ) {
      return AppendCode.Invalid;
    }
    const before = s.chunkCount();
    const c = s.appendDistribution(tMs, d, this.chunkRangeMs, this.samplesPerChunk);
    if (c !== AppendCode.Ok) return c;
    if (s.chunkCount() !== before) this.chunksCreated++;
    this.samplesAppended++;
    if (tMs < this.minT) this.minT = tMs;
    if (tMs > this.maxT) this.maxT = tMs;
    return AppendCode.Ok;
  }

  seriesCount(): number {
    return this.numSeries;
  }

  /** Highest ref handed out so far. */
  lastRef(): number {
    return this.nextRef - 1;
  }

  *allSeries(): IterableIterator<HeadSeries> {
    for (let i = 0; i < this.all.n; i++) yield this.byRef.get(this.all.refs[i]!)!;
  }

  /**
   * Drops data before beforeMs (it now lives in a block) and deletes series left empty,
   * rebuilding the symbols and postings. Returns the number of series deleted.
   */
  truncate(beforeMs: number): number {
    const steps = this.truncateSteps(beforeMs);
    for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
  }

  /**
   * truncate() in slices of about sliceMs of work, yielding to the event loop between them,
   * so a large head is truncated without holding the request thread (queries and appends run
   * in between; they see a consistent head, since the tables are swapped in one step at the end).
   */
  async truncateAsync(beforeMs: number, sliceMs = 1): Promise<number> {
    const steps = this.truncateSteps(beforeMs);
    let t0 = performance.now();
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) return r.value;
      if (performance.now() - t0 >= sliceMs) {
        await new Promise((res) => setImmediate(res));
        t0 = performance.now();
      }
    }
  }

  /**
   * The truncation as steps (a yield every TRUNCATE_STEP series). Appends may run between steps:
   * they land at or after minValidT (raised first), so no truncated series gains data before
   * beforeMs. 1) Each series of a snapshot drops its old chunks; the empty ones are candidates.
   * 2) New symbols and postings are built for the kept series, aside. 3) In one synchronous step:
   * candidates that got samples meanwhile are kept, series created meanwhile are added, the rest
   * are deleted, and the kept series' symbol ids and the tables are swapped.
   */
  private *truncateSteps(beforeMs: number): Generator<void, number> {
    if (beforeMs > this.minValidT) this.minValidT = beforeMs;
    const snapshotRefs = this.all.refs.slice(0, this.all.n);
    const maxRef = this.nextRef - 1;
    const keep: HeadSeries[] = [];
    const empty: HeadSeries[] = [];
    for (let i = 0; i < snapshotRefs.length; i++) {
      const s = this.byRef.get(snapshotRefs[i]!)!;
      s.truncate(beforeMs);
      (s.isEmpty() ? empty : keep).push(s);
      if (i % TRUNCATE_STEP === TRUNCATE_STEP - 1) yield;
    }
    if (empty.length === 0) {
      let minT = Infinity;
      for (const s of this.byRef.values()) {
        const m = s.minT();
        if (m < minT) minT = m;
      }
      this.minT = minT;
      if (this.numSeries === 0) this.maxT = -Infinity;
      return 0;
    }
    // 2) New tables for the kept series (the old ones keep serving meanwhile).
    const t = new SymbolTable();
    const newSyms: number[][] = new Array(keep.length);
    const postings = new Map<string, Map<string, PostingsList>>();
    const all: PostingsList = { refs: new Uint32Array(Math.max(64, keep.length)), n: 0 };
    for (let i = 0; i < keep.length; i++) {
      newSyms[i] = t.remap(this.symbols, keep[i]!, postings, all);
      if (i % TRUNCATE_STEP === TRUNCATE_STEP - 1) yield;
    }
    // 3) One step: late candidates and new series, deletions, the swap.
    let deleted = 0,
      late = false;
    for (const s of empty) {
      if (!s.isEmpty()) {
        keep.push(s);
        newSyms.push(t.remap(this.symbols, s, postings, all));
        late = true;
        continue;
      }
      deleted++;
      this.byRef.delete(s.ref);
      const e = this.byHash.get(s.hash);
      if (Array.isArray(e)) {
        const rest = e.filter((x) => x !== s);
        this.byHash.set(s.hash, rest.length === 1 ? rest[0]! : rest);
      } else this.byHash.delete(s.hash);
    }
    for (let i = 0; i < this.all.n; i++) {
      const ref = this.all.refs[i]!;
      if (ref <= maxRef) continue;
      const s = this.byRef.get(ref)!;
      keep.push(s);
      newSyms.push(t.remap(this.symbols, s, postings, all));
    }
    if (late) {
      // Candidates kept at the end were added out of ref order: postings must be ascending.
      for (const m of postings.values()) for (const p of m.values()) p.refs.subarray(0, p.n).sort();
      all.refs.subarray(0, all.n).sort();
    }
    let minT = Infinity;
    for (let i = 0; i < keep.length; i++) {
      const s = keep[i]!;
      s.syms = newSyms[i]!;
      const m = s.minT();
      if (m < minT) minT = m;
    }
    this.symbols = t.symbols;
    this.symbolIds = t.ids;
    this.labelCache = [];
    this.postingsMap = postings;
    this.all = all;
    this.numSeries = keep.length;
    this.gcRuns++;
    this.minT = minT;
    if (keep.length === 0) this.maxT = -Infinity;
    return deleted;
  }

  /** Symbols held (live label names and values). */
  symbolCount(): number {
    return this.symbols.length;
  }

  // PostingsIndex
  postings(name: string, value: string): Uint32Array {
    const p = this.postingsMap.get(name)?.get(value);
    return p ? p.refs.subarray(0, p.n) : EMPTY_POSTINGS;
  }
  allPostings(): Uint32Array {
    return this.all.refs.subarray(0, this.all.n);
  }
  valuesOf(name: string): Iterable<string> {
    return this.postingsMap.get(name)?.keys() ?? [];
  }

  /** Series matching ms, sorted by labels. */
  select(ms: readonly Matcher[]): { series: HeadSeries; labels: Labels }[] {
    const refs = postingsForMatchers(this, ms);
    const out: { series: HeadSeries; labels: Labels }[] = new Array(refs.length);
    for (let i = 0; i < refs.length; i++) {
      const s = this.byRef.get(refs[i]!) ?? bug(`postings hold deleted series ${refs[i]}`);
      out[i] = { series: s, labels: this.labelsOf(s) };
    }
    return out.sort((a, b) => compareLabels(a.labels, b.labels));
  }

  labelNames(ms?: readonly Matcher[]): string[] {
    if (!ms || ms.length === 0) return [...this.postingsMap.keys()];
    const names = new Set<string>();
    const refs = postingsForMatchers(this, ms);
    for (let i = 0; i < refs.length; i++) {
      const s = this.byRef.get(refs[i]!)!;
      for (let j = 0; j < s.syms.length; j += 2) names.add(this.symbols[s.syms[j]!]!);
    }
    return [...names];
  }

  labelValues(name: string, ms?: readonly Matcher[]): string[] {
    if (!ms || ms.length === 0) return [...this.valuesOf(name)];
    const vals = new Set<string>();
    const refs = postingsForMatchers(this, ms);
    for (let i = 0; i < refs.length; i++) {
      const s = this.byRef.get(refs[i]!)!;
      for (let j = 0; j < s.syms.length; j += 2)
        if (this.symbols[s.syms[j]!] === name) vals.add(this.symbols[s.syms[j + 1]!]!);
    }
    return [...vals];
  }

  /**
   * Rough bytes held by the head, for stats: per series a fixed ~800 B of objects (series,
   * open chunk state, map and postings entries; calibrated with a heap measurement of 20k
   * series holding one sample, ~1 KB in all) plus its typed arrays' sizes.
   */
  memoryEstimateBytes(): number {
    let b = 0;
    for (const s of this.allSeries()) {
      b +=
        800 +
        8 * s.syms.length +
        s.sealedBytes() +
        8 * (s.meta.length + s.slabs.length) +
        (s.open ? s.open.capacityBytes() : 0);
      if (s.oooT) b += s.oooT.byteLength * 2;
    }
    return b;
  }
}
