// LocalQuery: the zone's answers over its own data — PromQL through the shared engine,
// metadata through the querier — with the zone's external labels attached. Serves both the
// zone's HTTP API and the NATS responder (the root's plan fragments). Every answer reads one
// tenant's view (QueryOptions.tenant, anonymous when absent; zone/tenant-view.ts).
import type { Engine } from '../shared/promql/index.ts';
import { parseMetricSelector, tooManySamples, tooManySeries, tooMuchMemory } from '../shared/promql/index.ts';
import { TimeSlice } from '../shared/time-slice.ts';
import { seriesPoints } from '../shared/series-points.ts';
import type { Labels } from '../shared/labels.ts';
import { compareLabels, labelsKey } from '../shared/labels.ts';
import type { Matcher } from '../shared/matchers.ts';
import type { Queryable } from '../shared/storage.ts';
import type { MatrixSeries, QueryResult } from '../shared/value.ts';
import { CanopyError, isCanopyError } from '../shared/errors.ts';
import { ANONYMOUS_TENANT } from '../shared/tenant.ts';
import type { Listing, MetricMetadata, PromApiBackend, QueryOptions } from '../shared/api/index.ts';
import type { MetadataStore } from './metadata.ts';

/** What LocalQuery's listing methods read of QueryOptions. */
export type TenantOption = Pick<QueryOptions, 'tenant'>;

/** Estimated bytes of one raw point as a {t, f} object (for the memory budget). */
const RAW_POINT_BYTES = 48;

export class LocalQuery implements PromApiBackend {
  private readonly views = new Map<string, Queryable>();

  constructor(
    /** The tenant's view of the zone's storage (with external labels). */
    private readonly viewFor: (tenant: string) => Queryable,
    private readonly engine: Engine,
    private readonly meta: MetadataStore,
  ) {}

  private view(opts: TenantOption): Queryable {
    const tenant = opts.tenant ?? ANONYMOUS_TENANT;
    let v = this.views.get(tenant);
    if (v === undefined) {
      // Views are small closures; bound the cache anyway (tenant ids come from requests).
      if (this.views.size >= 10_000) this.views.clear();
      this.views.set(tenant, (v = this.viewFor(tenant)));
    }
    return v;
  }

  query(expr: string, tMs: number, opts: QueryOptions): Promise<QueryResult> {
    return withTimeout(opts, (signal) =>
      this.engine.instantQuery(this.view(opts), expr, tMs, {
        signal,
        timeoutMs: opts.timeoutMs,
        maxSourceResolution: opts.maxSourceResolution,
      }),
    );
  }

  queryRange(
    expr: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions,
  ): Promise<QueryResult> {
    return withTimeout(opts, (signal) =>
      this.engine.rangeQuery(this.view(opts), expr, startMs, endMs, stepMs, {
        signal,
        timeoutMs: opts.timeoutMs,
        maxSourceResolution: opts.maxSourceResolution ?? 'auto',
      }),
    );
  }

  async series(
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    opts: TenantOption = {},
  ): Promise<Listing<Labels[]>> {
    const sets = selectors.map(parseMetricSelector);
    const q = await this.view(opts).querier(startMs, endMs, { selects: [] }); // series only, no samples
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
  async selectRaw(
    selectors: readonly string[],
    startMs: number,
    endMs: number,
    opts: TenantOption = {},
  ): Promise<MatrixSeries[]> {
    const sets = selectors.map(parseMetricSelector);
    // The engine's limits bound what one raw select may load too (the root evaluates over it);
    // the work yields to the event loop between series.
    const lim = this.engine.limits;
    const slice = new TimeSlice();
    let total = 0;
    const countSample = (): void => {
      if (++total > lim.maxSamples) throw tooManySamples(lim.maxSamples);
    };
    const q = await this.view(opts).querier(startMs, endMs, { selects: sets });
    try {
      const seen = new Map<string, MatrixSeries>();
      for (const ms of sets) {
        const ss = q.select(ms, { startMs, endMs, func: 'series' });
        while (ss.next()) {
          if (slice.due()) await slice.yield();
          const s = ss.at();
          const k = labelsKey(s.labels);
          if (seen.has(k)) continue;
          if (lim.maxSeries > 0 && seen.size >= lim.maxSeries) throw tooManySeries(lim.maxSeries, 'select');
          const points = seriesPoints(s, startMs, endMs, countSample);
          if (lim.maxMemoryBytes > 0 && total * RAW_POINT_BYTES > lim.maxMemoryBytes)
            throw tooMuchMemory(total * RAW_POINT_BYTES, lim.maxMemoryBytes);
          if (points.length > 0) seen.set(k, { labels: s.labels, points });
        }
        if (ss.err()) throw ss.err();
      }
      return [...seen.values()].sort((a, b) => compareLabels(a.labels, b.labels));
    } finally {
      q.close();
    }
  }

  async labelNames(
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    opts: TenantOption = {},
  ): Promise<Listing<string[]>> {
    return this.listing(opts, selectors, startMs, endMs, limit, (q, ms) =>
      q.labelNames({ startMs, endMs, matchers: ms }),
    );
  }

  async labelValues(
    name: string,
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    opts: TenantOption = {},
  ): Promise<Listing<string[]>> {
    return this.listing(opts, selectors, startMs, endMs, limit, (q, ms) =>
      q.labelValues(name, { startMs, endMs, matchers: ms }),
    );
  }

  async metadata(
    metric: string | undefined,
    limit: number | undefined,
    opts: TenantOption = {},
  ): Promise<Listing<Record<string, MetricMetadata[]>>> {
    return { data: this.meta.lookup(opts.tenant ?? ANONYMOUS_TENANT, metric, limit), warnings: [] };
  }

  private async listing(
    opts: TenantOption,
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    fn: (q: Awaited<ReturnType<Queryable['querier']>>, ms: Matcher[] | undefined) => string[],
  ): Promise<Listing<string[]>> {
    const sets: (Matcher[] | undefined)[] =
      selectors.length > 0 ? selectors.map(parseMetricSelector) : [undefined];
    const q = await this.view(opts).querier(startMs, endMs, { selects: [] }); // labels only
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
    if (deadline.aborted && !isCanopyError(e, 'timeout'))
      throw new CanopyError('timeout', 'query timed out in expression evaluation', { cause: e });
    throw e;
  }
}

/** At most `limit` items, with Prometheus's warning when some were cut. */
function truncated<T>(items: T[], limit: number | undefined): Listing<T[]> {
  if (limit === undefined || items.length <= limit) return { data: items, warnings: [] };
  return { data: items.slice(0, limit), warnings: ['results truncated due to limit'] };
}
