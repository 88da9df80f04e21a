// Reading rollups: one series' values of one aggregate, from the rollup blocks a query chose
// and from raw samples (blocks and head) outside those blocks' ranges, as a float cursor. A
// raw sample reads as a window of one sample (count 1; sum, min, max, last and counter are
// its value), so a mapped function (engine: rate → counter, count_over_time → sum of count,
// …) gives the raw answer where no rollup exists. The counter aggregate is stitched into one
// monotonic sequence: within a block a series' counter values are continuous; between
// segments (blocks, raw samples) a reset is detected from raw values, as PromQL does.
import { CanopyError } from '../../shared/errors.ts';
import type { Labels } from '../../shared/labels.ts';
import { ValueKind, type SampleCursor, type Series } from '../../shared/storage.ts';
import type { Distribution } from '../../shared/distribution.ts';
import { Aggr, decodeSection, rollupSections, rollupWindowCount, type SampleSink } from './chunk/rollup.ts';
import { ArrayCursor, ChainCursor } from './cursors.ts';
import type { Block } from './block-reader.ts';
import { blockResolution } from './block-writer.ts';
import type { ChunkRef } from './block-index.ts';

/** A series' chunks in one rollup block. */
export class RollupPart implements Series {
  constructor(
    readonly block: Block,
    readonly labels: Labels,
    readonly chunks: readonly ChunkRef[],
  ) {}
  cursor(): SampleCursor {
    throw new CanopyError('internal', 'BUG: a rollup part is read through AggregateSeries');
  }
}

class ErrCursor extends ArrayCursor {
  constructor(private readonly e: Error) {
    super(new Float64Array(0), new Float64Array(0), 0);
  }
  override err(): Error | null {
    return this.e;
  }
}

/** What one aggregate series is read from, and over which range. */
export interface AggregateSource {
  /** Rollup parts in time order (disjoint ranges). */
  parts: readonly RollupPart[];
  /** The series' raw samples (blocks and head, merged), or null. */
  raw: Series | null;
  /** [minTime, maxTime) of every rollup block the query reads: raw samples there are skipped. */
  ranges: ReadonlyArray<readonly [number, number]>;
  aggr: Aggr;
  mintMs: number;
  maxtMs: number;
  /** The resolution the query reads, ms: the counter tail is thinned to one sample per window of it (default 0). */
  resMs?: number;
}

/** One series read as one aggregate over [mintMs, maxtMs]. */
export class AggregateSeries implements Series {
  private readonly parts: readonly RollupPart[];
  private readonly raw: Series | null;
  private readonly ranges: ReadonlyArray<readonly [number, number]>;
  private readonly aggr: Aggr;
  private readonly mintMs: number;
  private readonly maxtMs: number;
  private readonly resMs: number;

  constructor(
    readonly labels: Labels,
    src: AggregateSource,
  ) {
    // Kept as fields, not behind src: the sample loops read aggr and maxtMs per sample.
    ({
      parts: this.parts,
      raw: this.raw,
      ranges: this.ranges,
      aggr: this.aggr,
      mintMs: this.mintMs,
      maxtMs: this.maxtMs,
    } = src);
    this.resMs = src.resMs ?? 0;
  }

  cursor(): SampleCursor {
    try {
      // Raw samples after the last chosen rollup block (the recent tail) are mapped lazily, as
      // they are read; rollups and raw samples before them are built into arrays.
      const rs = this.ranges;
      const tailStart = rs.length > 0 ? rs[rs.length - 1]![1] : -Infinity;
      const { st, tail } = this.build(tailStart);
      const out = st.out;
      const head = new ArrayCursor(out.ts, out.vs, out.n);
      if (!tail) return head;
      const after = out.n > 0 ? out.ts[out.n - 1]! : -Infinity;
      const t = new TailCursor(
        tail.c,
        tail.k,
        this.aggr,
        st.prevG,
        st.prevR,
        after,
        this.maxtMs,
        this.aggr === Aggr.Counter ? this.resMs : 0,
      );
      return out.n === 0 ? t : new ChainCursor([head, t]);
    } catch (e) {
      return new ErrCursor(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Raw samples before tailStart into out; the raw cursor at the first one from tailStart, if any. */
  private rawSamples(out: SampleBuf, tailStart: number): { c: SampleCursor; k: ValueKind } | null {
    if (!this.raw) return null;
    const c = this.raw.cursor();
    const filter = this.parts.length > 0;
    const rs = this.ranges; // sorted, disjoint; samples come in time order
    let ri = 0;
    for (let k = c.seek(this.mintMs); k !== ValueKind.None; k = c.next()) {
      let t = c.atT();
      if (filter) {
        // Skip (by seeking) what the chosen rollup blocks hold.
        for (;;) {
          while (ri < rs.length && rs[ri]![1] <= t) ri++;
          if (ri === rs.length || t < rs[ri]![0]) break;
          k = c.seek(rs[ri]![1]);
          if (k === ValueKind.None) break;
          t = c.atT();
        }
        if (k === ValueKind.None) break;
      }
      if (t > this.maxtMs) break;
      if (t >= tailStart) return { c, k };
      let v: number;
      if (k === ValueKind.Distribution) {
        if (this.aggr !== Aggr.Count) continue; // mapped float functions ignore distributions
        v = 1;
      } else {
        v = c.atF();
        if (this.aggr === Aggr.Count) {
          if (v !== v) continue;
          v = 1;
        } else if (this.aggr !== Aggr.Last && v !== v) continue;
      }
      out.push(t, v);
    }
    const e = c.err();
    if (e) throw e;
    return null;
  }

  private build(tailStart: number): { st: Stitcher; tail: { c: SampleCursor; k: ValueKind } | null } {
    const raw = new SampleBuf(64);
    const tail = this.rawSamples(raw, tailStart);
    const st = new Stitcher(this.aggr === Aggr.Counter, this.mintMs, this.maxtMs);
    const vals = new SampleBuf(256),
      lasts = new SampleBuf(256);
    let ri = 0;
    const flushRaw = (beforeT: number): void => {
      for (; ri < raw.n && raw.ts[ri]! < beforeT; ri++) {
        st.startSegment();
        st.add(raw.ts[ri]!, raw.vs[ri]!, raw.vs[ri]!);
      }
    };
    for (const p of this.parts) {
      flushRaw(p.block.meta.minTime);
      const res = blockResolution(p.block.meta);
      st.startSegment();
      // Chunks in range; the raw value (`last`) is needed only at the part's final sample.
      let lastIdx = -1;
      for (let j = 0; j < p.chunks.length; j++)
        if (!(p.chunks[j]!.maxT < this.mintMs || p.chunks[j]!.minT > this.maxtMs)) lastIdx = j;
      for (let j = 0; j <= lastIdx; j++) {
        const ref = p.chunks[j]!;
        if (ref.maxT < this.mintMs || ref.minT > this.maxtMs) continue;
        const bytes = p.block.readChunk(ref);
        const secs = rollupSections(bytes);
        vals.n = 0;
        decodeSection(bytes, secs[this.aggr]!, vals);
        if (!st.counter) {
          for (let i = 0; i < vals.n; i++) st.add(vals.ts[i]!, vals.vs[i]!, 0);
          continue;
        }
        const windows = rollupWindowCount(bytes);
        // The lead sample (before the first window) is a raw value: r = c.
        const lead = vals.n === windows + 1 ? 1 : 0;
        if (vals.n !== windows + lead)
          throw new CanopyError(
            'corrupt',
            `cannot read rollup chunk in block ${p.block.id}: ${vals.n} counter samples for ${windows} windows`,
          );
        lasts.n = 0;
        if (j === lastIdx) decodeSection(bytes, secs[Aggr.Last]!, lasts);
        if (lead) st.add(vals.ts[0]!, vals.vs[0]!, vals.vs[0]!);
        // Window values are read stamped at the window's end (the counter's value there, up to
        // one raw interval early): a rate over [t - r, t] then spans the whole range, as on raw
        // samples, instead of losing the first window to the extrapolation. Inside a part only
        // the first sample's r (segment start) and the last one's (the next segment's reset
        // check) matter; NaN elsewhere.
        for (let i = lead; i < vals.n; i++)
          st.add(
            Math.floor(vals.ts[i]! / res) * res + res,
            vals.vs[i]!,
            lasts.n > 0 ? lasts.vs[i - lead]! : NaN,
          );
      }
    }
    flushRaw(Infinity);
    return { st, tail };
  }
}

/** A growable pair of typed arrays. */
class SampleBuf implements SampleSink {
  ts: Float64Array;
  vs: Float64Array;
  n = 0;
  constructor(cap: number) {
    this.ts = new Float64Array(cap);
    this.vs = new Float64Array(cap);
  }
  push(t: number, v: number): void {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2),
        vs = new Float64Array(this.n * 2);
      ts.set(this.ts);
      vs.set(this.vs);
      this.ts = ts;
      this.vs = vs;
    }
    this.ts[this.n] = t;
    this.vs[this.n++] = v;
  }
}

/**
 * Joins segments (a rollup block's series, a raw sample) into one series in [mint, maxt]. For
 * the counter aggregate: samples (t, c, r) with c continuous inside a segment and r the raw
 * value there; at a segment's first sample G = r + (prevG - prevR) + (r < prevR ? prevR : 0).
 */
class Stitcher {
  readonly out = new SampleBuf(256);
  prevG = NaN;
  prevR = NaN;
  private base = NaN;
  constructor(
    readonly counter: boolean,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}
  startSegment(): void {
    this.base = NaN;
  }
  add(t: number, c: number, r: number): void {
    if (t < this.mint || t > this.maxt) return;
    const out = this.out;
    if (!this.counter) {
      out.push(t, c);
      return;
    }
    if (this.base !== this.base) {
      // A segment clipped by the query start begins without its raw value: take c.
      if (r !== r) r = c;
      const pr = this.prevR;
      const g0 = pr === pr ? r + (this.prevG - pr) + (r < pr ? pr : 0) : r;
      this.base = g0 - c;
    }
    const g = c + this.base;
    this.prevG = g;
    this.prevR = r;
    // A window stamped at its end may meet the next segment's first sample: keep one.
    if (out.n > 0 && t <= out.ts[out.n - 1]!) return;
    out.push(t, g);
  }
}

/**
 * Raw samples read as one-sample windows of an aggregate, as they are read (the recent tail,
 * not rolled up yet). For the counter aggregate at a resolution (thinMs > 0) the tail is
 * downsampled as it is read, as the compactor would: its first sample, then the last sample of
 * each window [w, w + thinMs) stamped at the window's end, as rollup counter windows are read
 * (reset-corrected, so the counter stays exact at every kept sample; rate/increase read one
 * point per window instead of every scrape).
 */
class TailCursor implements SampleCursor {
  private pending = true;
  private started = false;
  private cur = ValueKind.None;
  private t = 0;
  private v = 0;
  /** Counter: corrections added to raw values (NaN until the first sample). */
  private k = NaN;
  /** Thinning: the sample read ahead (mapped), and whether the first one was returned. */
  private aheadT = NaN;
  private aheadV = 0;
  private firstOut = false;
  private mt = 0;
  private mv = 0;

  constructor(
    private readonly c: SampleCursor,
    private readonly first: ValueKind,
    private readonly aggr: Aggr,
    private readonly prevG: number,
    private prevR: number,
    /** Samples at or before this were already returned (a rollup window stamped at its end). */
    private readonly afterT: number,
    private readonly maxtMs: number,
    private readonly thinMs = 0,
  ) {}

  next(): ValueKind {
    this.started = true;
    if (this.thinMs <= 0) {
      if (!this.nextMapped()) return (this.cur = ValueKind.None);
      this.t = this.mt;
      this.v = this.mv;
      return (this.cur = ValueKind.Float);
    }
    if (this.aheadT !== this.aheadT) {
      if (!this.nextMapped()) return (this.cur = ValueKind.None);
      this.aheadT = this.mt;
      this.aheadV = this.mv;
    }
    const res = this.thinMs;
    for (;;) {
      const bt = this.aheadT,
        bv = this.aheadV;
      if (bt === Infinity) return (this.cur = ValueKind.None);
      const more = this.nextMapped();
      if (!more) this.aheadT = Infinity;
      else {
        this.aheadT = this.mt;
        this.aheadV = this.mv;
      }
      // Keep the first sample, the last one, and the last of each window.
      const w = Math.floor(bt / res);
      if (!this.firstOut || !more || Math.floor(this.mt / res) !== w) {
        // A window's last sample is stamped at the window's end, as rollup counter windows are
        // (so a rate over [t - r, t] spans the whole range); the first and the final sample
        // keep their own time.
        this.t = this.firstOut && more ? Math.min(w * res + res, this.mt) : bt;
        this.firstOut = true;
        this.v = bv;
        return (this.cur = ValueKind.Float);
      }
    }
  }

  /** The next mapped raw sample into (mt, mv); false at the end. */
  private nextMapped(): boolean {
    for (;;) {
      let k: ValueKind;
      if (this.pending) {
        this.pending = false;
        k = this.first;
      } else k = this.c.next();
      if (k === ValueKind.None) return false;
      const t = this.c.atT();
      if (t > this.maxtMs) return false;
      if (this.map(k, t)) return true;
    }
  }

  /** Reads every sample up to tMs (a counter's corrections need each of them). */
  seek(tMs: number): ValueKind {
    if (this.started && (this.cur === ValueKind.None || this.t >= tMs)) return this.cur;
    let k: ValueKind;
    do k = this.next();
    while (k !== ValueKind.None && this.t < tMs);
    return k;
  }

  private map(kind: ValueKind, t: number): boolean {
    let v: number;
    const a = this.aggr;
    if (kind === ValueKind.Distribution) {
      if (a !== Aggr.Count) return false;
      v = 1;
    } else {
      v = this.c.atF();
      if (a === Aggr.Last) {
        // as stored
      } else if (v !== v) return false;
      else if (a === Aggr.Count) v = 1;
      else if (a === Aggr.Counter) {
        const pr = this.prevR;
        if (this.k !== this.k) this.k = pr === pr ? this.prevG - pr + (v < pr ? pr : 0) : 0;
        else if (v < pr) this.k += pr;
        this.prevR = v;
        v += this.k;
      }
    }
    if (t <= this.afterT) return false;
    this.mt = t;
    this.mv = v;
    return true;
  }

  atT(): number {
    return this.t;
  }
  atF(): number {
    return this.v;
  }
  atDistribution(): Distribution {
    throw new CanopyError('execution', 'aggregate cursor has no distributions');
  }
  err(): Error | null {
    return this.c.err();
  }
}
