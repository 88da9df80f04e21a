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

/**
 * The head as a source. A class: a querier makes one per query, and a closure's loop would
 * start every query unoptimized (V8 optimizes each new closure afresh).
 */
class HeadSource implements SeriesSource {
  readonly minT: number;
  readonly maxT: number;

  constructor(private readonly head: Head) {
    this.minT = head.minT;
    this.maxT = head.maxT;
  }

  select(ms: readonly Matcher[], mintMs: number, maxtMs: number): SourceSeries[] {
    const out: SourceSeries[] = [];
    for (const { series, labels } of this.head.select(ms)) {
      if (series.maxT < mintMs || series.minT() > maxtMs) continue;
      out.push(new HeadSourceSeries(labels, series, mintMs, maxtMs));
    }
    return out;
  }

  labelNames(ms?: readonly Matcher[]): string[] {
    return this.head.labelNames(ms);
  }

  labelValues(name: string, ms?: readonly Matcher[]): string[] {
    return this.head.labelValues(name, ms);
  }
}

export function headSource(head: Head): SeriesSource {
  return new HeadSource(head);
}
