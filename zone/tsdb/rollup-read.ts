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
import { Aggr, decodeAggregate } from './chunk/rollup.ts';
import { ArrayCursor } from './cursors.ts';
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


/** One series read as one aggregate over [mintMs, maxtMs]. */
export class AggregateSeries implements Series {
  constructor(
    readonly labels: Labels,
    /** Rollup parts in time order (disjoint ranges). */
    private readonly parts: readonly RollupPart[],
    /** The series' raw samples (blocks and head, merged), or null. */
    private readonly raw: Series | null,
    /** [minTime, maxTime) of every rollup block the query reads: raw samples there are skipped. */
    private readonly ranges: ReadonlyArray<readonly [number, number]>,
    private readonly aggr: Aggr,
    private readonly mintMs: number,
    private readonly maxtMs: number,
  ) {}

  cursor(): SampleCursor {
    try {
      const { ts, vs } = this.build();
      return new ArrayCursor(Float64Array.from(ts), Float64Array.from(vs), ts.length);
    } catch (e) {
      return new ErrCursor(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private rawSamples(): { ts: number[]; vs: number[] } {
    const ts: number[] = [], vs: number[] = [];
    if (!this.raw) return { ts, vs };
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
      ts.push(t);
      vs.push(v);
    }
    const e = c.err();
    if (e) throw e;
    return { ts, vs };
  }

  private build(): { ts: number[]; vs: number[] } {
    const raw = this.rawSamples();
    const ts: number[] = [], vs: number[] = [];
    const counter = this.aggr === Aggr.Counter;
    let prevG = NaN, prevR = NaN;
    let ri = 0;
    // One segment: samples (t, c, r) with c continuous inside it.
    const segment = (st: readonly number[], sc: readonly number[], sr: readonly number[] | null): void => {
      let base = NaN;
      for (let i = 0; i < st.length; i++) {
        const t = st[i]!;
        if (t < this.mintMs || t > this.maxtMs) continue;
        const c = sc[i]!;
        if (!counter) {
          ts.push(t);
          vs.push(c);
          continue;
        }
        const r = sr ? sr[i]! : c;
        if (base !== base) {
          // First sample of the segment: G = r + corrections so far.
          const g0 = prevR === prevR ? r + (prevG - prevR) + (r < prevR ? prevR : 0) : r;
          base = g0 - c;
        }
        const g = c + base;
        prevG = g;
        prevR = r;
        // A window stamped at its end may meet the next segment's first sample: keep one.
        if (ts.length > 0 && t <= ts[ts.length - 1]!) continue;
        ts.push(t);
        vs.push(g);
      }
    };
    const flushRaw = (beforeT: number): void => {
      while (ri < raw.ts.length && raw.ts[ri]! < beforeT) {
        segment([raw.ts[ri]!], [raw.vs[ri]!], null);
        ri++;
      }
    };
    for (const p of this.parts) {
      flushRaw(p.block.meta.minTime);
      const res = blockResolution(p.block.meta);
      const st: number[] = [], sc: number[] = [];
      let sr: number[] | null = null;
      if (counter) {
        sr = [];
        for (const ref of p.chunks) {
          if (ref.maxT < this.mintMs || ref.minT > this.maxtMs) continue;
          const bytes = p.block.readChunk(ref);
          const n0 = st.length;
          decodeAggregate(bytes, Aggr.Counter, st, sc);
          const lt: number[] = [], lv: number[] = [];
          decodeAggregate(bytes, Aggr.Last, lt, lv);
          // The lead sample (before the first window) is a raw value: r = c.
          const lead = st.length - n0 === lt.length + 1;
          if (lead) sr.push(sc[n0]!);
          sr.push(...lv);
          // Window values are stamped at the window's end (the counter's value there, up to
          // one raw interval early): a rate over [t - r, t] then spans the whole range, as on
          // raw samples, instead of losing the first window to the extrapolation.
          for (let i = lead ? n0 + 1 : n0; i < st.length; i++) st[i] = Math.floor(st[i]! / res) * res + res;
        }
      } else {
        for (const ref of p.chunks) {
          if (ref.maxT < this.mintMs || ref.minT > this.maxtMs) continue;
          decodeAggregate(p.block.readChunk(ref), this.aggr, st, sc);
        }
      }
      segment(st, sc, sr);
    }
    flushRaw(Infinity);
    return { ts, vs };
  }
}
