// FetchedQueryable: the storage the root's engine reads — the merged answers of plan fragments
// (served under their placeholder names, carrying the fragment's own labels) and raw series
// fetched from the zones when the engine opens its querier (it then knows the time range the
// expression needs, offsets, @, ranges and lookback included).
//
// A fragment answer holds values only at the query's steps. Served as samples, a step where a
// series has no value would be filled by lookback from an earlier step; so after every present
// step followed by an absent one the series gets a stale marker, which ends lookback exactly
// as an absent value should.
import { compareLabels, labelsEqual } from '../shared/labels.ts';
import { matchLabels, type Matcher } from '../shared/matchers.ts';
import { STALE_NAN } from '../shared/promql/index.ts';
import {
  ValueKind,
  type LabelHints,
  type Querier,
  type Queryable,
  type SampleCursor,
  type Series,
  type SeriesSet,
} from '../shared/storage.ts';
import type { Distribution } from '../shared/distribution.ts';
import type { MatrixSeries, Point } from '../shared/value.ts';
import { METRIC_NAME } from '../shared/labels.ts';
import { isPlaceholderName } from './plan/index.ts';

class PointCursor implements SampleCursor {
  private i = -1;
  constructor(private readonly pts: readonly Point[]) {}
  private kind(): ValueKind {
    const p = this.pts[this.i];
    return p === undefined ? ValueKind.None : p.d ? ValueKind.Distribution : ValueKind.Float;
  }
  next(): ValueKind {
    if (this.i < this.pts.length) this.i++;
    return this.kind();
  }
  seek(tMs: number): ValueKind {
    if (this.i < 0) this.i = 0;
    while (this.i < this.pts.length && this.pts[this.i]!.t < tMs) this.i++;
    return this.kind();
  }
  atT(): number {
    return this.pts[this.i]!.t;
  }
  atF(): number {
    return this.pts[this.i]!.f;
  }
  atDistribution(): Distribution {
    return this.pts[this.i]!.d!;
  }
  err(): Error | null {
    return null;
  }
}

function seriesSet(
  list: readonly MatrixSeries[],
  warnings: readonly string[] = [],
  failure?: Error,
): SeriesSet {
  let i = -1;
  let cur: Series | undefined;
  return {
    next() {
      if (failure) return false;
      i++;
      if (i >= list.length) return false;
      const s = list[i]!;
      cur = { labels: s.labels, cursor: () => new PointCursor(s.points) };
      return true;
    },
    at: () => cur!,
    err: () => failure ?? null,
    warnings: () => warnings,
  };
}

/** Adds a stale marker at the first grid step after each present step that has no value. */
export function withStaleGaps(points: Point[], startMs: number, endMs: number, stepMs: number): Point[] {
  if (points.length === 0 || stepMs <= 0) return points;
  const out: Point[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    out.push(p);
    const nextT = p.t + stepMs;
    if (
      stepMs > 0 &&
      nextT <= endMs &&
      nextT >= startMs &&
      (i + 1 >= points.length || points[i + 1]!.t > nextT)
    )
      out.push({ t: nextT, f: STALE_NAN });
  }
  return out;
}

export type RawFetch = (mintMs: number, maxtMs: number) => Promise<MatrixSeries[]>;

export class FetchedQueryable implements Queryable {
  private readonly fragments = new Map<string, MatrixSeries[]>();
  private readonly failed = new Map<string, Error>();
  private raw: MatrixSeries[] = [];

  constructor(private readonly fetchRaw: RawFetch | undefined) {}

  /** Sets a fragment's merged series (points already on the step grid, with stale gaps). */
  setFragment(id: string, series: MatrixSeries[]): void {
    this.fragments.set(
      id,
      [...series].sort((a, b) => compareLabels(a.labels, b.labels)),
    );
  }

  /**
   * A fragment whose evaluation failed: selecting it fails with `err`, so the root's engine
   * raises it where one engine would have, after errors of what it evaluates first.
   */
  failFragment(id: string, err: Error): void {
    this.failed.set(id, err);
  }

  /** A fragment's error (failFragment), or undefined. */
  failure(id: string): Error | undefined {
    return this.failed.get(id);
  }

  /** The first failed fragment's error, or undefined. */
  firstFailure(): Error | undefined {
    return this.failed.values().next().value;
  }

  async querier(mintMs: number, maxtMs: number): Promise<Querier> {
    if (this.fetchRaw)
      this.raw = (await this.fetchRaw(mintMs, maxtMs)).sort((a, b) => compareLabels(a.labels, b.labels));
    return {
      select: (ms: readonly Matcher[]): SeriesSet => {
        const name = ms.find((m) => m.name === METRIC_NAME && m.type === '=');
        if (name && isPlaceholderName(name.value))
          return seriesSet(this.fragments.get(name.value) ?? [], [], this.failed.get(name.value));
        return seriesSet(this.raw.filter((s) => matchLabels(ms, s.labels)));
      },
      labelNames: (h: LabelHints) => {
        const names = new Set<string>();
        for (const s of this.raw)
          if (!h.matchers || matchLabels(h.matchers, s.labels)) for (const l of s.labels) names.add(l.name);
        return [...names].sort();
      },
      labelValues: (n: string, h: LabelHints) => {
        const vs = new Set<string>();
        for (const s of this.raw)
          if (!h.matchers || matchLabels(h.matchers, s.labels))
            for (const l of s.labels) if (l.name === n) vs.add(l.value);
        return [...vs].sort();
      },
      close: () => {},
    };
  }
}

/**
 * Joins series pieces with the same label set. A zone splits a series too large for one
 * message into consecutive pieces (shared/wire/partial.ts), so only neighbours are compared:
 * no per-series key strings on the root's hot path.
 */
export function joinSeries(list: readonly MatrixSeries[]): MatrixSeries[] {
  const out: MatrixSeries[] = [];
  let prev: MatrixSeries | undefined;
  for (const s of list) {
    if (prev && labelsEqual(prev.labels, s.labels)) {
      for (const p of s.points) prev.points.push(p);
      prev.points.sort((a, b) => a.t - b.t);
      continue;
    }
    prev = { labels: s.labels, points: s.points };
    out.push(prev);
  }
  return out;
}
