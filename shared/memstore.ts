// MemoryStorage: a simple, unoptimised Storage held in plain arrays. It is the reference
// implementation of the shared/storage.ts contract, the fixture PromQL tests load data into,
// and the zone's store until the TSDB replaces it. Not for production volumes.
import { compareLabels, labelsKey, type Labels } from './labels.ts';
import { matchLabels, type Matcher } from './matchers.ts';
import type { Distribution } from './distribution.ts';
import {
  ValueKind,
  type AppendResult,
  type Appender,
  type LabelHints,
  type Querier,
  type SampleCursor,
  type SelectHints,
  type Series,
  type SeriesSet,
  type Storage,
} from './storage.ts';

interface MemSeries {
  labels: Labels;
  ts: number[];
  fs: number[];
  ds: (Distribution | undefined)[];
}

class ArrayCursor implements SampleCursor {
  private i = -1;
  constructor(
    private readonly s: MemSeries,
    private readonly lo: number,
    private readonly hi: number,
  ) {
    this.i = lo - 1;
  }
  private kind(): ValueKind {
    if (this.i >= this.hi) return ValueKind.None;
    return this.s.ds[this.i] ? ValueKind.Distribution : ValueKind.Float;
  }
  next(): ValueKind {
    if (this.i < this.hi) this.i++;
    return this.kind();
  }
  seek(tMs: number): ValueKind {
    if (this.i < this.lo) this.i = this.lo;
    while (this.i < this.hi && this.s.ts[this.i]! < tMs) this.i++;
    return this.kind();
  }
  atT(): number {
    return this.s.ts[this.i]!;
  }
  atF(): number {
    return this.s.fs[this.i]!;
  }
  atDistribution(): Distribution {
    return this.s.ds[this.i]!;
  }
  err(): Error | null {
    return null;
  }
}

function lowerBound(ts: number[], t: number): number {
  let lo = 0,
    hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class MemoryStorage implements Storage {
  private readonly series = new Map<string, MemSeries>();

  appender(): Appender {
    const pending: { labels: Labels; t: number; f: number; d?: Distribution }[] = [];
    return {
      append: (labels, t, f) => void pending.push({ labels, t, f }),
      appendDistribution: (labels, t, d) => void pending.push({ labels, t, f: d.sum, d }),
      commit: async (): Promise<AppendResult> => {
        const res: AppendResult = { accepted: 0, rejected: {}, errors: [] };
        for (const p of pending) {
          if (this.add(p.labels, p.t, p.f, p.d)) res.accepted++;
          else res.rejected.out_of_order = (res.rejected.out_of_order ?? 0) + 1;
        }
        pending.length = 0;
        return res;
      },
      rollback: () => void (pending.length = 0),
    };
  }

  /** Inserts in time order; a sample at an existing timestamp replaces nothing and is rejected. */
  add(labels: Labels, t: number, f: number, d?: Distribution): boolean {
    const key = labelsKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, ts: [], fs: [], ds: [] };
      this.series.set(key, s);
    }
    const i = lowerBound(s.ts, t);
    if (s.ts[i] === t) return false;
    s.ts.splice(i, 0, t);
    s.fs.splice(i, 0, f);
    s.ds.splice(i, 0, d);
    return true;
  }

  seriesCount(): number {
    return this.series.size;
  }

  async querier(mintMs: number, maxtMs: number): Promise<Querier> {
    const all = [...this.series.values()];
    const matching = (ms: readonly Matcher[] | undefined): MemSeries[] =>
      all.filter((s) => (!ms || matchLabels(ms, s.labels)) && overlaps(s, mintMs, maxtMs));
    return {
      select(ms: readonly Matcher[], hints: SelectHints): SeriesSet {
        const lo = Math.max(hints.startMs, mintMs),
          hi = Math.min(hints.endMs, maxtMs);
        const out: Series[] = matching(ms)
          .filter((s) => overlaps(s, lo, hi))
          .sort((a, b) => compareLabels(a.labels, b.labels))
          .map((s) => ({
            labels: s.labels,
            cursor: () => new ArrayCursor(s, lowerBound(s.ts, lo), lowerBound(s.ts, hi + 1)),
          }));
        let i = -1;
        return {
          next: () => ++i < out.length,
          at: () => out[i]!,
          err: () => null,
          warnings: () => [],
        };
      },
      labelNames(h: LabelHints): string[] {
        const names = new Set<string>();
        for (const s of matching(h.matchers)) for (const l of s.labels) names.add(l.name);
        return [...names].sort();
      },
      labelValues(name: string, h: LabelHints): string[] {
        const vals = new Set<string>();
        for (const s of matching(h.matchers))
          for (const l of s.labels) if (l.name === name) vals.add(l.value);
        return [...vals].sort();
      },
      close() {},
    };
  }

  async close(): Promise<void> {}
}

function overlaps(s: MemSeries, lo: number, hi: number): boolean {
  const i = lowerBound(s.ts, lo);
  return i < s.ts.length && s.ts[i]! <= hi;
}
