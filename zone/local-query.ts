// LocalQuery: the zone's answers over its own data — PromQL through the shared engine,
// metadata through the querier — with the zone's external labels attached. Serves both the
// zone's HTTP API and the NATS responder (the root's plan fragments).
import type { Engine } from '../shared/promql/index.ts';
import { parseMetricSelector } from '../shared/promql/index.ts';
import type { Labels } from '../shared/labels.ts';
import { compareLabels, labelsKey } from '../shared/labels.ts';
import type { Matcher } from '../shared/matchers.ts';
import type { Queryable } from '../shared/storage.ts';
import type { MatrixSeries, Point, QueryResult } from '../shared/value.ts';
import { ValueKind } from '../shared/storage.ts';
import { CanopyError, isCanopyError } from '../shared/errors.ts';
import type { Listing, MetricMetadata, PromApiBackend, QueryOptions } from '../shared/api/index.ts';
import type { MetadataStore } from './metadata.ts';

export class LocalQuery implements PromApiBackend {
  constructor(
    private readonly queryable: Queryable,
    private readonly engine: Engine,
    private readonly meta: MetadataStore,
  ) {}

  query(expr: string, tMs: number, opts: QueryOptions): Promise<QueryResult> {
    return withTimeout(opts, (signal) => this.engine.instantQuery(this.queryable, expr, tMs, { signal, maxSourceResolution: opts.maxSourceResolution }));
  }

  queryRange(expr: string, startMs: number, endMs: number, stepMs: number, opts: QueryOptions): Promise<QueryResult> {
    return withTimeout(opts, (signal) => this.engine.rangeQuery(this.queryable, expr, startMs, endMs, stepMs, { signal, maxSourceResolution: opts.maxSourceResolution ?? 'auto' }));
  }

  async series(selectors: string[], startMs: number, endMs: number, limit: number | undefined): Promise<Listing<Labels[]>> {
    const sets = selectors.map(parseMetricSelector);
    const q = await this.queryable.querier(startMs, endMs);
    try {
      const seen = new Map<string, Labels>();
      for (const ms of sets) {
        const ss = q.select(ms, { startMs, endMs, func: 'series' });
        while (ss.next()) {
          const ls = ss.at().labels;
          seen.set(labelsKey(ls), ls);
        }
        if (ss.err()) throw ss.err();
      }
      return truncated([...seen.values()].sort(compareLabels), limit);
    } finally {
      q.close();
    }
  }

  /**
   * Raw samples (stale markers included) of every series matching any selector, with
   * timestamps in [startMs, endMs]: the root's naive plan evaluates over these.
   */
  async selectRaw(selectors: readonly string[], startMs: number, endMs: number): Promise<MatrixSeries[]> {
    const sets = selectors.map(parseMetricSelector);
    const q = await this.queryable.querier(startMs, endMs);
    try {
      const seen = new Map<string, MatrixSeries>();
      for (const ms of sets) {
        const ss = q.select(ms, { startMs, endMs, func: 'series' });
        while (ss.next()) {
          const s = ss.at();
          const k = labelsKey(s.labels);
          if (seen.has(k)) continue;
          const points: Point[] = [];
          const c = s.cursor();
          for (let kind = c.seek(startMs); kind !== ValueKind.None; kind = c.next()) {
            const t = c.atT();
            if (t > endMs) break;
            points.push(kind === ValueKind.Distribution ? { t, f: 0, d: c.atDistribution() } : { t, f: c.atF() });
          }
          if (c.err()) throw c.err();
          if (points.length > 0) seen.set(k, { labels: s.labels, points });
        }
        if (ss.err()) throw ss.err();
      }
      return [...seen.values()].sort((a, b) => compareLabels(a.labels, b.labels));
    } finally {
      q.close();
    }
  }

  async labelNames(selectors: string[], startMs: number, endMs: number, limit: number | undefined): Promise<Listing<string[]>> {
    return this.listing(selectors, startMs, endMs, limit, (q, ms) => q.labelNames({ startMs, endMs, matchers: ms }));
  }

  async labelValues(name: string, selectors: string[], startMs: number, endMs: number, limit: number | undefined): Promise<Listing<string[]>> {
    return this.listing(selectors, startMs, endMs, limit, (q, ms) => q.labelValues(name, { startMs, endMs, matchers: ms }));
  }

  async metadata(metric: string | undefined, limit: number | undefined): Promise<Listing<Record<string, MetricMetadata[]>>> {
    return { data: this.meta.lookup(metric, limit), warnings: [] };
  }

  private async listing(
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    fn: (q: Awaited<ReturnType<Queryable['querier']>>, ms: Matcher[] | undefined) => string[],
  ): Promise<Listing<string[]>> {
    const sets: (Matcher[] | undefined)[] = selectors.length > 0 ? selectors.map(parseMetricSelector) : [undefined];
    const q = await this.queryable.querier(startMs, endMs);
    try {
      const all = new Set<string>();
      for (const ms of sets) for (const v of fn(q, ms)) all.add(v);
      return truncated([...all].sort(), limit);
    } finally {
      q.close();
    }
  }
}

/** Runs fn under the caller's signal and the query timeout; a timeout becomes errorType timeout. */
async function withTimeout<T>(opts: QueryOptions, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  try {
    return await fn(AbortSignal.any([opts.signal, deadline]));
  } catch (e) {
    if (deadline.aborted && !isCanopyError(e, 'timeout')) throw new CanopyError('timeout', 'query timed out in expression evaluation', { cause: e });
    throw e;
  }
}

/** At most `limit` items, with Prometheus's warning when some were cut. */
function truncated<T>(items: T[], limit: number | undefined): Listing<T[]> {
  if (limit === undefined || items.length <= limit) return { data: items, warnings: [] };
  return { data: items.slice(0, limit), warnings: ['results truncated due to limit'] };
}
