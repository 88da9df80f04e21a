// The head as a querier source (SeriesSource): postings → series filtered by time overlap.
import type { Labels } from '../../shared/labels.ts';
import type { Matcher } from '../../shared/matchers.ts';
import type { SampleCursor } from '../../shared/storage.ts';
import type { SeriesSource, SourceSeries } from './querier.ts';
import type { Head } from './head.ts';
import type { HeadSeries } from './head-series.ts';

/** One selected head series (a class, not a closure: a query creates one per series). */
class HeadSourceSeries implements SourceSeries {
  constructor(
    readonly labels: Labels,
    private readonly series: HeadSeries,
    private readonly mintMs: number,
    private readonly maxtMs: number,
  ) {}
  cursor(reuse?: SampleCursor): SampleCursor {
    return this.series.cursor(this.mintMs, this.maxtMs, true, reuse);
  }
}

export function headSource(head: Head): SeriesSource {
  return {
    minT: head.minT,
    maxT: head.maxT,
    select(ms: readonly Matcher[], mintMs: number, maxtMs: number): SourceSeries[] {
      const out: SourceSeries[] = [];
      for (const { series, labels } of head.select(ms)) {
        if (series.maxT < mintMs || series.minT() > maxtMs) continue;
        out.push(new HeadSourceSeries(labels, series, mintMs, maxtMs));
      }
      return out;
    },
    labelNames: (ms) => head.labelNames(ms),
    labelValues: (name, ms) => head.labelValues(name, ms),
  };
}
