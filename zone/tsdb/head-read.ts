// The head as a querier source (SeriesSource): postings → series filtered by time overlap.
import type { Matcher } from '../../shared/matchers.ts';
import type { SeriesSource, SourceSeries } from './querier.ts';
import type { Head } from './head.ts';

export function headSource(head: Head): SeriesSource {
  return {
    minT: head.minT,
    maxT: head.maxT,
    select(ms: readonly Matcher[], mintMs: number, maxtMs: number): SourceSeries[] {
      const out: SourceSeries[] = [];
      for (const { series, labels } of head.select(ms)) {
        if (series.maxT < mintMs || series.minT() > maxtMs) continue;
        out.push({ labels, cursor: (lo, hi) => series.cursor(lo, hi) });
      }
      return out;
    },
    labelNames: (ms) => head.labelNames(ms),
    labelValues: (name, ms) => head.labelValues(name, ms),
  };
}
