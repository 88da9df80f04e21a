// RootQuery: the root's Prometheus API backend. A query is parsed, planned (plan/: pushdown as
// syntax-tree rewrites), its fragments scattered to the zones that can match (pruned by
// external labels and field hints, each skip with its reason), and the rest evaluated at the
// root by the shared engine over the fragments' merged answers and, where nothing could be
// pushed, raw series fetched from the zones (FetchedQueryable). The naive plan (mode 'naive')
// fetches raw series for every selector: always correct, used as the benchmark's baseline.
import { MetadataKind, type IQueryRequest } from '../proto/index.ts';
import {
  GROUP_VALUES_RESULT,
  labelsFromWire,
  matrixSeriesFromWire,
  toGroupSeries,
} from '../shared/wire/index.ts';
import { compareLabels, labelsKey, type Labels } from '../shared/labels.ts';
import type { MatrixSeries, QueryResult } from '../shared/value.ts';
import {
  maxSourceResolutionText,
  type Listing,
  type MetricMetadata,
  type PromApiBackend,
  type QueryOptions,
} from '../shared/api/index.ts';
import {
  Engine,
  formatExpr,
  parseExpr,
  queryTimeRange,
  type EngineOptions,
  type Expr,
  type VectorSelector,
} from '../shared/promql/index.ts';

const RESOLUTION_MS: Readonly<Record<string, number>> = { raw: 0, '5m': 300_000, '1h': 3_600_000 };
/** The coarser of two resolution names ("" = none). */
function coarser(a: string, b: string): string {
  if (a === '') return b;
  return (RESOLUTION_MS[b] ?? 0) > (RESOLUTION_MS[a] ?? 0) ? b : a;
}
import type { Fanout, FanoutOptions, Gathered } from './fanout.ts';
import { replicasMayDiffer, type ZoneDirectory, type ZoneState } from './zones.ts';
import { rawSeriesOfAnswers } from './merge/replica-dedup.ts';
import type { HintsDirectory } from './hints.ts';
import { FetchedQueryable, joinSeries, withStaleGaps } from './fetched-queryable.ts';
import { mergeStdvar } from './merge/stdvar.ts';
import { mergeQuantile } from './merge/quantile.ts';
import type { RootMetrics } from './metrics.ts';
import type { Logger } from '../shared/log.ts';
import { CanopyError, isCanopyError } from '../shared/errors.ts';
import {
  canMatchAny,
  orderMayMatter,
  placeholdersIn,
  planQuery,
  varianceIllConditioned,
  rawSelectors,
  selectorText,
  type FragmentGrid,
  type Plan,
  type PlanMode,
} from './plan/index.ts';

let querySeq = 0;
function newQueryId(): string {
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${(++querySeq).toString(36)}`;
}

/** The time parameters of a query; instant queries have startMs = endMs = t and stepMs = 0. */
export interface EvalParams {
  range: boolean;
  startMs: number;
  endMs: number;
  stepMs: number;
}

export interface ZoneChoice {
  asked: string[];
  skipped: { zone: string; reason: string }[];
}

export interface PlanReport {
  mode: PlanMode;
  query: string;
  /** What the root evaluates; __canopy_fragment_N__ stands for fragment N's merged answer. */
  root: string;
  fragments: { id: string; expr: string; merge: string; grid?: FragmentGrid; zones: ZoneChoice }[];
  /** Merges the root computes itself from fragments' per-zone answers. */
  merges: { id: string; kind: string; inputs: Record<string, string>; merge: string }[];
  raw: { selectors: string[]; zones: ZoneChoice } | null;
  /** Zone-identity labels the planner relied on (grouping/matching on them stays in a zone). */
  zoneLabels: string[];
  /** Zone requests avoided by pruning, summed over fragments. */
  skippedZones: number;
}

export interface QueryStats {
  /** Bytes the root received from zones for this query. */
  bytes: number;
  /** Per zone, the longest time it took to answer one of the query's requests. */
  zoneMs: Record<string, number>;
  totalMs: number;
}

export interface RootQueryOptions {
  fanout: Fanout;
  /** Bound on each zone's answer (a query's own timeout can only shorten it). */
  zoneTimeoutMs: number;
  /** Zone states, for pruning and replica choice; none: every zone is asked. */
  zones?: ZoneDirectory;
  /** Zones' field hints, for pruning; none: no zone is skipped by its hints. */
  hints?: HintsDirectory;
  /** The root engine's limits (it evaluates what is not pushed down). */
  engine?: EngineOptions;
  metrics?: RootMetrics;
  log?: Logger;
}

export class RootQuery implements PromApiBackend {
  private readonly engine: Engine;

  constructor(private readonly o: RootQueryOptions) {
    this.engine = new Engine(o.engine ?? {});
  }

  /** Queries evaluating at the root and waiting for a slot. */
  get engineLoad(): { inFlight: number; queued: number } {
    return this.engine.load;
  }

  private fanOpts(opts: QueryOptions): FanoutOptions {
    return {
      timeoutMs: Math.min(this.o.zoneTimeoutMs, opts.timeoutMs),
      partialResponse: opts.partialResponse,
      signal: opts.signal,
      tenant: opts.tenant,
    };
  }

  async query(expr: string, tMs: number, opts: QueryOptions): Promise<QueryResult> {
    return (await this.execute(expr, { range: false, startMs: tMs, endMs: tMs, stepMs: 0 }, opts)).result;
  }

  async queryRange(
    expr: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions,
  ): Promise<QueryResult> {
    return (await this.execute(expr, { range: true, startMs, endMs, stepMs }, opts)).result;
  }

  /** Label names whose values differ between every pair of zones that sent a heartbeat. */
  zoneLabels(): Set<string> {
    const zs = (this.o.zones?.list() ?? []).filter((z) => z.lastHeartbeatMs > 0);
    if (zs.length === 0) return new Set();
    const out = new Set<string>();
    for (const name of Object.keys(zs[0]!.externalLabels)) {
      const vals = zs.map((z) => z.externalLabels[name]);
      if (vals.every((v) => v !== undefined && v !== '') && new Set(vals).size === vals.length) out.add(name);
    }
    return out;
  }

  plan(expr: string | Expr, mode: PlanMode = 'pushdown', ep?: EvalParams): Plan {
    return planQuery(typeof expr === 'string' ? parseExpr(expr) : expr, this.zoneLabels(), mode, ep);
  }

  /**
   * Zone selection for requests reading these selectors. Field hints prune only when
   * `hinted` (the query passed the hints barrier) and the zone's hints are trusted
   * (global/hints.ts); otherwise only external labels do.
   */
  private selector(sels: readonly VectorSelector[], hinted: boolean): (z: ZoneState) => true | string {
    return (z) => canMatchAny(sels, z.externalLabels, hinted ? this.o.hints?.view(z.key) : undefined);
  }

  /** Whether some HA zone's live replicas may differ over the window this query reads. */
  private replicasToMerge(ast: Expr, ep: EvalParams): boolean {
    if (!this.o.zones) return false;
    const w = queryTimeRange(ast, ep.startMs, ep.endMs, ep.range ? ep.stepMs : 0);
    if (!w) return false;
    return this.o.zones.list().some((z) =>
      replicasMayDiffer(
        this.o.zones!.replicas(z.zone).filter((r) => this.o.zones!.isAlive(r)),
        w.mintMs,
      ),
    );
  }

  /** The field hints barrier (global/hints.ts): true when hints may prune this query. */
  private async hintsBarrier(): Promise<boolean> {
    return this.o.hints ? this.o.hints.barrier() : false;
  }

  private choice(sels: readonly VectorSelector[], hinted: boolean): ZoneChoice {
    const sel = this.selector(sels, hinted);
    const out: ZoneChoice = { asked: [], skipped: [] };
    for (const z of this.o.zones?.list() ?? []) {
      const r = sel(z);
      if (r !== true) out.skipped.push({ zone: z.zone, reason: r });
      else if (this.o.zones && !this.o.zones.isAlive(z))
        out.skipped.push({ zone: z.zone, reason: 'down (no recent heartbeat)' });
      else out.asked.push(z.zone);
    }
    return out;
  }

  /** The plan as JSON for GET /api/v1/query_plan (with the same hints barrier as a query). */
  async explain(expr: string, mode: PlanMode = 'pushdown', ep?: EvalParams): Promise<PlanReport> {
    const p = this.plan(expr, mode, ep);
    const hinted = await this.hintsBarrier();
    const fragments = p.fragments.map((f) => ({
      id: f.id,
      expr: f.expr,
      merge: f.merge,
      ...(f.grid ? { grid: f.grid } : {}),
      zones: this.choice(rawSelectors(f.ast), hinted),
    }));
    const raw =
      p.raw.length > 0
        ? { selectors: [...new Set(p.raw.map(selectorText))], zones: this.choice(p.raw, hinted) }
        : null;
    const skipped =
      fragments.reduce((a, f) => a + f.zones.skipped.length, 0) + (raw?.zones.skipped.length ?? 0);
    return {
      mode,
      query: expr,
      root: formatExpr(p.root),
      fragments,
      merges: p.merges,
      raw,
      zoneLabels: [...this.zoneLabels()],
      skippedZones: skipped,
    };
  }

  /** Plans and runs a query; stats say what it cost. */
  async execute(
    expr: string,
    ep: EvalParams,
    opts: QueryOptions,
    mode: PlanMode = 'pushdown',
  ): Promise<{ result: QueryResult; stats: QueryStats }> {
    try {
      const r = await this.run(expr, ep, opts, mode);
      this.o.metrics?.queries.inc({ plan: mode, outcome: 'ok' });
      this.o.metrics?.queryDuration.observe({ plan: mode }, r.stats.totalMs / 1000);
      this.o.metrics?.receivedBytes.inc(r.stats.bytes);
      this.o.log?.debug(
        {
          query: expr,
          plan: mode,
          bytes: r.stats.bytes,
          ms: Math.round(r.stats.totalMs),
          zoneMs: r.stats.zoneMs,
        },
        'query answered',
      );
      return r;
    } catch (e) {
      this.o.metrics?.queries.inc({ plan: mode, outcome: isCanopyError(e) ? e.code : 'internal' });
      throw e;
    }
  }

  private async run(
    expr: string,
    ep: EvalParams,
    opts: QueryOptions,
    mode: PlanMode,
  ): Promise<{ result: QueryResult; stats: QueryStats }> {
    const t0 = performance.now();
    const deadlineMs = Date.now() + opts.timeoutMs;
    if (opts.timeoutMs <= 0) throw new CanopyError('timeout', 'query timed out in query queue');
    const ast = parseExpr(expr);
    // Refuse what the engine would refuse (a subquery of billions of steps) before fanning out.
    this.engine.precheck(ast, ep.startMs, ep.endMs, ep.range ? ep.stepMs : 0);
    // An HA zone whose preferred replica restarted within the window is read from every replica
    // and deduplicated sample by sample, which only raw series allow: such a query runs naive.
    if (mode === 'pushdown' && this.replicasToMerge(ast, ep)) mode = 'naive';
    const plan = this.plan(ast, mode, ep);
    // Every hint change a zone published before acknowledging a write the client saw is
    // applied once this resolves: prune only after it.
    const hinted = await this.hintsBarrier();
    const stats: QueryStats = { bytes: 0, zoneMs: {}, totalMs: 0 };
    const warnings: string[] = [];
    const note = (g: Gathered<{ warnings?: string[] | null }>): void => {
      stats.bytes += g.bytes;
      this.o.metrics?.zoneRequests.inc({ result: 'asked' }, g.answers.length);
      this.o.metrics?.zoneRequests.inc({ result: 'skipped' }, g.skipped.length);
      for (const [z, ms] of Object.entries(g.zoneMs)) stats.zoneMs[z] = Math.max(stats.zoneMs[z] ?? 0, ms);
      for (const w of collectWarnings(g)) if (!warnings.includes(w)) warnings.push(w);
    };
    const fo = this.fanOpts(opts);
    const perZone = new Map<string, Map<string, MatrixSeries[]>>();
    const rawSels = plan.raw;
    const store = new FetchedQueryable(
      rawSels.length === 0
        ? undefined
        : async (mint, maxt) => {
            const g = await this.o.fanout.query(
              {
                queryId: newQueryId(),
                select: [...new Set(rawSels.map(selectorText))],
                range: true,
                startMs: mint,
                endMs: maxt,
              },
              {
                ...fo,
                select: this.selector(rawSels, hinted),
                mergeReplicas: (reps) => replicasMayDiffer(reps, mint),
              },
            );
            note(g);
            return joinSeries(rawSeriesOfAnswers(g.answers));
          },
    );
    this.o.metrics?.fragments.inc(plan.fragments.length);
    const read = placeholdersIn(plan.root);
    let exactOrder = false;
    let resolution = '';
    await Promise.all(
      plan.fragments.map(async (f) => {
        const grid = f.grid ?? ep;
        const req: IQueryRequest =
          f.grid || ep.range
            ? {
                queryId: newQueryId(),
                expr: f.expr,
                range: true,
                startMs: grid.startMs,
                endMs: grid.endMs,
                stepMs: grid.stepMs,
              }
            : { queryId: newQueryId(), expr: f.expr, range: false, timeMs: ep.startMs };
        req.maxSourceResolution = maxSourceResolutionText(opts.maxSourceResolution);
        if (f.groupValues)
          req.aggregate = {
            op: GROUP_VALUES_RESULT,
            grouping: f.groupValues.grouping,
            without: f.groupValues.without,
          };
        let g: Awaited<ReturnType<Fanout['query']>>;
        try {
          g = await this.o.fanout.query(req, { ...fo, select: this.selector(rawSelectors(f.ast), hinted) });
        } catch (e) {
          // An evaluation error (many-to-many, duplicate label sets…) is raised when the root's
          // engine reads the fragment, after the errors of what one engine evaluates before it.
          if (!isCanopyError(e, 'execution')) throw e;
          store.failFragment(f.id, e);
          return;
        }
        note(g);
        const series: MatrixSeries[] = [];
        const byZone = new Map<string, MatrixSeries[]>();
        for (const a of g.answers) {
          if (a.result.resolution) resolution = coarser(resolution, a.result.resolution);
          if (f.groupValues && a.result.resultType !== GROUP_VALUES_RESULT)
            throw new CanopyError(
              'internal',
              `zone ${a.zone.zone} answered group values with result type ${a.result.resultType}`,
            );
          const zs = joinSeries((a.result.series ?? []).map(matrixSeriesFromWire));
          byZone.set(a.zone.zone, zs);
          for (const s of zs) series.push(s);
        }
        perZone.set(f.id, byZone);
        if (orderMayMatter(f, series)) exactOrder = true;
        // Group values only a merge step reads need no per-value series.
        if (f.groupValues && !read.has(f.id)) return;
        const merged = f.groupValues ? toGroupSeries(series) : series;
        for (let i = 0; i < merged.length; i++)
          merged[i] = {
            labels: merged[i]!.labels,
            points: withStaleGaps(merged[i]!.points, grid.startMs, grid.endMs, grid.stepMs),
          };
        store.setFragment(f.id, merged);
      }),
    );
    // Partials near ±MaxFloat64: the order of additions decides the answer (plan/exact-order.ts).
    if (exactOrder && mode === 'pushdown') return this.run(expr, ep, opts, 'naive');
    for (const m of plan.merges) {
      const failure = Object.values(m.inputs)
        .map((id) => store.failure(id))
        .find((e) => e !== undefined);
      if (failure) {
        store.failFragment(m.id, failure);
        continue;
      }
      const inputs = (role: string): Map<string, MatrixSeries[]> => perZone.get(m.inputs[role]!) ?? new Map();
      let merged: MatrixSeries[];
      if (m.kind === 'quantile')
        merged = mergeQuantile([...inputs('values').values()].flat(), m.param ?? NaN);
      else {
        const counts = inputs('count');
        const zoneInputs = [...counts.keys()].map((z) => ({
          count: counts.get(z)!,
          mean: inputs('mean').get(z) ?? [],
          variance: inputs('variance').get(z) ?? [],
        }));
        merged = mergeStdvar(zoneInputs, m.kind === 'stddev');
        // Mean² far above the variance: merge and one pass round apart (plan/exact-order.ts).
        if (
          mode === 'pushdown' &&
          varianceIllConditioned([...inputs('mean').values()].flat(), merged, m.kind === 'stddev')
        )
          return this.run(expr, ep, opts, 'naive');
      }
      const grid = m.grid ?? ep;
      store.setFragment(
        m.id,
        merged.map((s) => ({
          labels: s.labels,
          points: withStaleGaps(s.points, grid.startMs, grid.endMs, grid.stepMs),
        })),
      );
    }
    const remainingMs = Math.max(1, deadlineMs - Date.now());
    const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(remainingMs)]);
    const res = ep.range
      ? await this.engine.rangeQuery(store, plan.root, ep.startMs, ep.endMs, ep.stepMs, {
          signal,
          timeoutMs: remainingMs,
        })
      : await this.engine.instantQuery(store, plan.root, ep.startMs, { signal, timeoutMs: remainingMs });
    // The engine reads every placeholder, so a failure left here was not read: never an answer without it.
    const unread = store.firstFailure();
    if (unread) throw unread;
    for (const w of res.warnings) if (!warnings.includes(w)) warnings.push(w);
    stats.totalMs = performance.now() - t0;
    const result: QueryResult = { value: res.value, warnings };
    // Zones that could read rollups said which resolution they read: the coarsest is reported.
    if (resolution !== '') result.resolution = { maxMs: 1, usedMs: RESOLUTION_MS[resolution] ?? 0 };
    return { result, stats };
  }

  async series(
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    opts: QueryOptions,
  ): Promise<Listing<Labels[]>> {
    const g = await this.o.fanout.metadata(
      {
        queryId: newQueryId(),
        kind: MetadataKind.SERIES,
        matchers: selectors,
        startMs,
        endMs,
        limit: limit ?? 0,
      },
      this.fanOpts(opts),
    );
    const seen = new Map<string, Labels>();
    for (const a of g.answers)
      for (const s of a.result.series ?? []) {
        const ls = labelsFromWire(s.labels);
        seen.set(labelsKey(ls), ls);
      }
    return truncate([...seen.values()].sort(compareLabels), limit, collectWarnings(g));
  }

  async labelNames(
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    opts: QueryOptions,
  ): Promise<Listing<string[]>> {
    return this.values(
      { kind: MetadataKind.LABEL_NAMES, labelName: '', matchers: selectors, startMs, endMs },
      limit,
      opts,
    );
  }

  async labelValues(
    name: string,
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    opts: QueryOptions,
  ): Promise<Listing<string[]>> {
    return this.values(
      { kind: MetadataKind.LABEL_VALUES, labelName: name, matchers: selectors, startMs, endMs },
      limit,
      opts,
    );
  }

  async metadata(
    metric: string | undefined,
    limit: number | undefined,
    opts: QueryOptions,
  ): Promise<Listing<Record<string, MetricMetadata[]>>> {
    const g = await this.o.fanout.metadata(
      {
        queryId: newQueryId(),
        kind: MetadataKind.METADATA,
        matchers: metric ? [metric] : [],
        limit: limit ?? 0,
      },
      this.fanOpts(opts),
    );
    const out: Record<string, MetricMetadata[]> = {};
    for (const a of g.answers)
      for (const m of a.result.metadata ?? []) {
        const list = (out[m.metric ?? ''] ??= []);
        const item = { type: m.type ?? '', help: m.help ?? '', unit: m.unit ?? '' };
        if (!list.some((x) => x.type === item.type && x.help === item.help && x.unit === item.unit))
          list.push(item);
      }
    return { data: out, warnings: collectWarnings(g) };
  }

  /** Label names or one label's values from every zone, merged and sorted. */
  private async values(
    ask: { kind: number; labelName: string; matchers: string[]; startMs: number; endMs: number },
    limit: number | undefined,
    opts: QueryOptions,
  ): Promise<Listing<string[]>> {
    const g = await this.o.fanout.metadata(
      { queryId: newQueryId(), ...ask, limit: limit ?? 0 },
      this.fanOpts(opts),
    );
    const all = new Set<string>();
    for (const a of g.answers) for (const v of a.result.values ?? []) all.add(v);
    return truncate([...all].sort(), limit, collectWarnings(g));
  }
}

function collectWarnings(g: Gathered<{ warnings?: string[] | null }>): string[] {
  const w = [...g.warnings];
  for (const a of g.answers) for (const x of a.result.warnings ?? []) if (!w.includes(x)) w.push(x);
  return w;
}

function truncate<T>(items: T[], limit: number | undefined, warnings: string[]): Listing<T[]> {
  const TRUNCATED = 'results truncated due to limit';
  if (limit !== undefined && items.length > limit)
    return {
      data: items.slice(0, limit),
      warnings: warnings.includes(TRUNCATED) ? warnings : [...warnings, TRUNCATED],
    };
  return { data: items, warnings };
}
