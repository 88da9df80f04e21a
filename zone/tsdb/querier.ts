// The TSDB querier: one consistent view over [mint, maxt] across blocks and the head. Each
// source returns its matching series sorted by labels; series present in several sources
// (a block and the head, or overlapping blocks) are merged into one with a deduplicating
// cursor. Cursors decode lazily. Everything here is synchronous.
import { compareLabels, type Labels } from '../../shared/labels.ts';
import type { Matcher } from '../../shared/matchers.ts';
import type {
  LabelHints,
  Querier,
  SampleCursor,
  SelectHints,
  Series,
  SeriesSet,
} from '../../shared/storage.ts';
import { ChainCursor, EMPTY_CURSOR, MergeCursor } from './cursors.ts';
import { AGGR_NAMES, type Aggr } from './chunk/rollup.ts';
import { blockResolution } from './block-writer.ts';
import type { Block } from './block-reader.ts';
import { AggregateSeries, RollupPart } from './rollup-read.ts';

/** A series of one source; its cursor reads the range it was selected for. */
export type SourceSeries = Series;

/** A block or the head, as the querier sees it. Times are inclusive, ms. */
export interface SeriesSource {
  readonly minT: number;
  readonly maxT: number;
  /** Series matching ms with data overlapping [mintMs, maxtMs], sorted by labels, read over that range. */
  select(ms: readonly Matcher[], mintMs: number, maxtMs: number): SourceSeries[];
  labelNames(ms?: readonly Matcher[]): string[];
  labelValues(name: string, ms?: readonly Matcher[]): string[];
}

/** A series found in several sources (in source order), merged (chained when the sources are disjoint in time). */
class MergedSeries implements Series {
  constructor(
    private readonly group: SourceSeries[],
    private readonly disjoint: boolean,
  ) {}
  get labels(): Labels {
    return this.group[0]!.labels;
  }
  cursor(): SampleCursor {
    if (this.disjoint) return new ChainCursor(this.group.map((s) => s.cursor()));
    let c: SampleCursor | null = null;
    // Later sources are newer (head last); the first cursor wins on equal timestamps.
    for (let i = this.group.length - 1; i >= 0; i--) {
      const gc = this.group[i]!.cursor();
      c = c === null ? gc : new MergeCursor(c, gc);
    }
    return c ?? EMPTY_CURSOR;
  }
}

class ListSeriesSet implements SeriesSet {
  private i = -1;
  constructor(
    private readonly items: Series[],
    private readonly warns: string[],
    private readonly res = 0,
  ) {}
  resolutionMs(): number {
    return this.res;
  }
  next(): boolean {
    return ++this.i < this.items.length;
  }
  at(): Series {
    return this.items[this.i]!;
  }
  err(): Error | null {
    return null;
  }
  warnings(): readonly string[] {
    return this.warns;
  }
}

export class TSDBQuerier implements Querier {
  private closed = false;

  constructor(
    private readonly sources: readonly SeriesSource[],
    private readonly mintMs: number,
    private readonly maxtMs: number,
    private readonly onClose: () => void,
    /** Rollup blocks overlapping the querier's range (any resolution > 0). */
    private readonly rollups: readonly Block[] = [],
  ) {}

  rollupResolutions(): readonly number[] {
    return [...new Set(this.rollups.map((b) => blockResolution(b.meta)))].sort((a, b) => a - b);
  }

  /** Raw sources and rollup blocks in the hints' range (rollups outlive raw retention). */
  private labelSources(h: LabelHints): SeriesSource[] {
    const lo = Math.max(h.startMs, this.mintMs),
      hi = Math.min(h.endMs, this.maxtMs);
    return [...this.overlapping(lo, hi), ...this.rollups.filter((b) => b.minT <= hi && b.maxT >= lo)];
  }

  private overlapping(lo: number, hi: number): SeriesSource[] {
    return this.sources.filter((s) => s.minT <= hi && s.maxT >= lo);
  }

  select(ms: readonly Matcher[], hints: SelectHints): SeriesSet {
    const lo = Math.max(hints.startMs, this.mintMs),
      hi = Math.min(hints.endMs, this.maxtMs);
    if (lo > hi) return new ListSeriesSet([], []);
    const res = hints.resolutionMs ?? 0;
    if (res > 0 && hints.aggregate)
      return this.selectAggregate(ms, hints, lo, hi, res, AGGR_NAMES.indexOf(hints.aggregate) as Aggr);
    return this.selectRaw(ms, hints, lo, hi);
  }

  /**
   * Rollup blocks of the coarsest resolution ≤ res first, finer ones where those leave gaps
   * (whole blocks, never overlapping), raw samples outside every chosen block.
   */
  private selectAggregate(
    ms: readonly Matcher[],
    hints: SelectHints,
    lo: number,
    hi: number,
    res: number,
    aggr: Aggr,
  ): SeriesSet {
    const levels = [...new Set(this.rollups.map((b) => blockResolution(b.meta)))]
      .filter((r) => r <= res)
      .sort((a, b) => b - a);
    const chosen: Block[] = [];
    for (const lvl of levels) {
      for (const b of this.rollups) {
        if (blockResolution(b.meta) !== lvl || b.minT > hi || b.maxT < lo) continue;
        if (chosen.some((c) => c.meta.minTime < b.meta.maxTime && c.meta.maxTime > b.meta.minTime)) continue;
        chosen.push(b);
      }
    }
    chosen.sort((a, b) => a.minT - b.minT);
    const ranges = chosen.map((b) => [b.meta.minTime, b.meta.maxTime] as const);
    // Raw sources whose whole range the chosen rollups cover are not read at all.
    const inside = (s: SeriesSource): boolean => ranges.some(([a, b]) => s.minT >= a && s.maxT < b);
    const raw = this.selectRaw(ms, { ...hints, limitSeries: undefined }, lo, hi, inside);
    const rawList: Series[] = [];
    while (raw.next()) rawList.push(raw.at());
    const lists: Series[][] = [rawList];
    let used = 0;
    for (const b of chosen) {
      const l: Series[] = [];
      for (const id of b.index.select(ms)) {
        const s = b.index.series(id);
        const cs = s.chunks;
        if (cs.length === 0 || cs[cs.length - 1]!.maxT < lo || cs[0]!.minT > hi) continue;
        l.push(new RollupPart(b, s.labels, cs));
      }
      if (l.length > 0) used = Math.max(used, blockResolution(b.meta));
      lists.push(l);
    }
    const out: Series[] = mergeSorted(lists).map((group) => {
      const parts = group.filter((s): s is RollupPart => s instanceof RollupPart);
      const rawSeries = group.find((s) => !(s instanceof RollupPart)) ?? null;
      return new AggregateSeries(group[0]!.labels, {
        parts,
        raw: rawSeries,
        ranges,
        aggr,
        mintMs: lo,
        maxtMs: hi,
        resMs: res,
      });
    });
    const warns: string[] = [...raw.warnings()];
    if (hints.limitSeries !== undefined && out.length > hints.limitSeries) {
      warns.push(`series limit ${hints.limitSeries} exceeded: ${out.length} series matched`);
    }
    return new ListSeriesSet(out, warns, used);
  }

  private selectRaw(
    ms: readonly Matcher[],
    hints: SelectHints,
    lo: number,
    hi: number,
    skip?: (s: SeriesSource) => boolean,
  ): SeriesSet {
    const sources = skip ? this.overlapping(lo, hi).filter((s) => !skip(s)) : this.overlapping(lo, hi);
    const lists = sources.map((s) => s.select(ms, lo, hi)).filter((l) => l.length > 0);
    // Sources come in time order (blocks by minT, the head last); disjoint ones need no merge.
    // An empty source (an empty head may still be backfilled with old samples) never counts
    // as disjoint; a non-empty head only accepts samples after the blocks.
    let disjoint = true;
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i]!;
      if (!Number.isFinite(s.minT) || !Number.isFinite(s.maxT) || (i > 0 && sources[i - 1]!.maxT >= s.minT))
        disjoint = false;
    }
    const out: Series[] =
      lists.length === 1 ? lists[0]! : mergeSorted(lists).map((group) => new MergedSeries(group, disjoint));
    const warns: string[] = [];
    if (hints.limitSeries !== undefined && out.length > hints.limitSeries) {
      warns.push(`series limit ${hints.limitSeries} exceeded: ${out.length} series matched`);
    }
    return new ListSeriesSet(out, warns);
  }

  labelNames(h: LabelHints): string[] {
    const set = new Set<string>();
    for (const s of this.labelSources(h)) {
      for (const n of s.labelNames(h.matchers)) set.add(n);
    }
    const out = [...set].sort();
    return h.limit !== undefined && h.limit > 0 ? out.slice(0, h.limit) : out;
  }

  labelValues(name: string, h: LabelHints): string[] {
    const set = new Set<string>();
    for (const s of this.labelSources(h)) {
      for (const v of s.labelValues(name, h.matchers)) set.add(v);
    }
    const out = [...set].sort();
    return h.limit !== undefined && h.limit > 0 ? out.slice(0, h.limit) : out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}

/** K-way merge of label-sorted lists; equal label sets are grouped (in source order). */
export function mergeSorted(lists: SourceSeries[][]): SourceSeries[][] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1) return nonEmpty[0]!.map((s) => [s]);
  const pos = new Array<number>(nonEmpty.length).fill(0);
  const out: SourceSeries[][] = [];
  for (;;) {
    let min: Labels | null = null;
    for (let i = 0; i < nonEmpty.length; i++) {
      const l = nonEmpty[i]!;
      if (pos[i]! < l.length && (min === null || compareLabels(l[pos[i]!]!.labels, min) < 0))
        min = l[pos[i]!]!.labels;
    }
    if (min === null) return out;
    const group: SourceSeries[] = [];
    for (let i = 0; i < nonEmpty.length; i++) {
      const l = nonEmpty[i]!;
      if (pos[i]! < l.length && compareLabels(l[pos[i]!]!.labels, min) === 0) group.push(l[pos[i]!++]!);
    }
    out.push(group);
  }
}
