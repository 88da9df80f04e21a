// The query engine: validates a query, opens one querier over the whole time range the
// expression needs, evaluates it over the step grid and shapes the result like Prometheus.
import { CanopyError } from '../errors.ts';
import { compareLabels } from '../labels.ts';
import type { Querier, Queryable } from '../storage.ts';
import type { MatrixSeries, Point, QueryResult, QueryValue } from '../value.ts';
import { documentedType, type Expr } from './ast.ts';
import {
  EvalContext,
  POINT_BYTES,
  resolutionAtMost,
  STEP_BYTES,
  tooManySamples,
  tooManySeries,
  tooMuchMemory,
  type Limits,
} from './context.ts';
import { QueryGate } from './gate.ts';
import { QueryEvaluator, subqueryGrid } from './evaluator.ts';
import { parseExpr } from './parser.ts';
import { refTimes, resolveAt, selectorMatchers, storageError } from './selector.ts';
import { walkExpr } from './walk.ts';
import type { Matcher } from '../matchers.ts';
import { typeOf } from './typecheck.ts';
import { makeGrid, stepTime, type EvalValue, type StepGrid } from './types.ts';

export interface EngineOptions {
  /** Per-query deadline, ms (default 2 min). */
  timeoutMs?: number;
  /** Samples a query may hold in memory (default 50e6). */
  maxSamples?: number;
  /** Instant-vector lookback, ms (default 5 min). */
  lookbackDeltaMs?: number;
  /** Series one selector may match; 0 or unset = unlimited. */
  maxSeriesPerSelector?: number;
  /** Subquery step when omitted (Prometheus: the global evaluation interval, default 1 min). */
  defaultEvalIntervalMs?: number;
  /** Maximum points per series of a range query (Prometheus API: 11000). */
  maxPointsPerSeries?: number;
  /** Series one query may select (all selectors together) and return; 0 = unlimited (default 1,000,000). */
  maxSeries?: number;
  /** Estimated bytes of values one query may hold at once; 0 = unlimited (default 512 MiB). */
  maxMemoryBytes?: number;
  /** Queries evaluated at once; the others wait in a queue (default 20, 0 = unlimited). */
  maxConcurrency?: number;
  /** Steps of one subquery's inner grid (default 300,000, 0 = unlimited). */
  maxSubquerySteps?: number;
}

export interface QueryOptions {
  signal?: AbortSignal;
  /** This query's timeout (the API's `timeout` parameter), capped by the engine's. */
  timeoutMs?: number;
  /**
   * Coarsest rollup resolution selectors may read, ms (rounded down to 0, 5m or 1h), or 'auto':
   * a range query reads the coarsest resolution ≤ step / 5, an instant query raw. Default raw.
   */
  maxSourceResolution?: number | 'auto';
}

type Normalized = Required<EngineOptions>;

function normalizeOptions(o: EngineOptions = {}): Normalized {
  const n: Normalized = {
    timeoutMs: o.timeoutMs ?? 120_000,
    maxSamples: o.maxSamples ?? 50_000_000,
    lookbackDeltaMs: o.lookbackDeltaMs ?? 300_000,
    maxSeriesPerSelector: o.maxSeriesPerSelector ?? 0,
    defaultEvalIntervalMs: o.defaultEvalIntervalMs ?? 60_000,
    maxPointsPerSeries: o.maxPointsPerSeries ?? 11_000,
    maxSeries: o.maxSeries ?? 1_000_000,
    maxMemoryBytes: o.maxMemoryBytes ?? 512 * 1024 * 1024,
    maxConcurrency: o.maxConcurrency ?? 20,
    maxSubquerySteps: o.maxSubquerySteps ?? 300_000,
  };
  for (const [k, v] of Object.entries(n)) {
    if (!Number.isFinite(v) || v < 0)
      throw new CanopyError(
        'config_invalid',
        `cannot create PromQL engine: option ${k} must be a non-negative number, got ${v}`,
      );
  }
  if (n.defaultEvalIntervalMs <= 0)
    throw new CanopyError('config_invalid', 'cannot create PromQL engine: defaultEvalIntervalMs must be > 0');
  return n;
}

interface RangeAcc {
  min: number;
  max: number;
  /** Steps of the largest grid a node is evaluated on (a subquery's inner grid may be huge). */
  maxSteps: number;
  /** Steps of the largest subquery grid. */
  maxSubquerySteps: number;
}

/** The [mint, maxt] every selector of `e` reads when evaluated on `grid`, and the largest grid. */
function timeRange(
  e: Expr,
  grid: StepGrid,
  ctx: { queryStartMs: number; queryEndMs: number },
  lim: Pick<Limits, 'lookbackDeltaMs' | 'defaultEvalIntervalMs'>,
  acc: RangeAcc,
): void {
  if (grid.n > acc.maxSteps) acc.maxSteps = grid.n;
  switch (e.kind) {
    case 'VectorSelector': {
      const { first, last } = refTimes(grid, resolveAt(ctx, e), e.offsetMs);
      acc.min = Math.min(acc.min, first - lim.lookbackDeltaMs);
      acc.max = Math.max(acc.max, last);
      return;
    }
    case 'MatrixSelector': {
      const { first, last } = refTimes(grid, resolveAt(ctx, e.vs), e.vs.offsetMs);
      acc.min = Math.min(acc.min, first - e.rangeMs);
      acc.max = Math.max(acc.max, last);
      return;
    }
    case 'SubqueryExpr': {
      const inner = subqueryGrid(ctx, lim.defaultEvalIntervalMs, e, grid);
      if (inner.n > acc.maxSubquerySteps) acc.maxSubquerySteps = inner.n;
      timeRange(e.expr, inner, ctx, lim, acc);
      return;
    }
    case 'ParenExpr':
    case 'UnaryExpr':
      timeRange(e.expr, grid, ctx, lim, acc);
      return;
    case 'BinaryExpr':
      timeRange(e.lhs, grid, ctx, lim, acc);
      timeRange(e.rhs, grid, ctx, lim, acc);
      return;
    case 'Call':
      for (const a of e.args) timeRange(a, grid, ctx, lim, acc);
      return;
    case 'AggregateExpr':
      if (e.param) timeRange(e.param, grid, ctx, lim, acc);
      timeRange(e.expr, grid, ctx, lim, acc);
      return;
    case 'NumberLiteral':
    case 'StringLiteral':
      return;
  }
}

/**
 * The [mintMs, maxtMs] a query reads (offsets, @, ranges, subqueries and lookback applied), or
 * null when it reads no series. stepMs 0 = instant query. For planners deciding which zones
 * and storage tiers a query touches.
 */
export function queryTimeRange(
  e: Expr,
  startMs: number,
  endMs: number,
  stepMs: number,
  opts: Pick<EngineOptions, 'lookbackDeltaMs' | 'defaultEvalIntervalMs'> = {},
): { mintMs: number; maxtMs: number } | null {
  const lim = {
    lookbackDeltaMs: opts.lookbackDeltaMs ?? 300_000,
    defaultEvalIntervalMs: opts.defaultEvalIntervalMs ?? 60_000,
  };
  const acc = { min: Infinity, max: -Infinity, maxSteps: 0, maxSubquerySteps: 0 };
  timeRange(e, makeGrid(startMs, endMs, stepMs), { queryStartMs: startMs, queryEndMs: endMs }, lim, acc);
  return acc.min <= acc.max ? { mintMs: acc.min, maxtMs: acc.max } : null;
}

const NO_QUERIER: Querier = {
  select: () => {
    throw new CanopyError('internal', 'BUG: select without a querier');
  },
  labelNames: () => [],
  labelValues: () => [],
  close: () => {},
};

export class Engine {
  private readonly opts: Normalized;
  private readonly gate: QueryGate;

  constructor(opts?: EngineOptions) {
    this.opts = normalizeOptions(opts);
    this.gate = new QueryGate(this.opts.maxConcurrency);
  }

  /** The sample, series and memory limits, for code that reads series outside the engine (raw selects). */
  get limits(): { maxSamples: number; maxSeries: number; maxMemoryBytes: number } {
    return {
      maxSamples: this.opts.maxSamples,
      maxSeries: this.opts.maxSeries,
      maxMemoryBytes: this.opts.maxMemoryBytes,
    };
  }

  /** Queries evaluating now and waiting in the queue (for metrics). */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.gate.inFlight, queued: this.gate.queued };
  }

  /**
   * The checks made before anything is read or allocated: the largest step grid of the
   * expression (a subquery's inner grid) against the sample and memory budgets. Public so a
   * caller that plans before evaluating (the root) refuses a bomb before fanning out.
   * stepMs 0 = an instant query.
   */
  precheck(e: Expr, startMs: number, endMs: number, stepMs: number): RangeAcc {
    const grid = makeGrid(startMs, endMs, stepMs);
    const acc: RangeAcc = { min: Infinity, max: -Infinity, maxSteps: 0, maxSubquerySteps: 0 };
    timeRange(e, grid, { queryStartMs: grid.startMs, queryEndMs: grid.endMs }, this.opts, acc);
    // One series on the largest grid holds maxSteps samples: Prometheus would fail on it
    // after evaluating them all; refusing it first keeps the process alive.
    if (acc.maxSteps > this.opts.maxSamples) throw tooManySamples(this.opts.maxSamples);
    // A series' steps are computed in one synchronous loop: bounding them bounds how long a
    // query holds the event loop between yields (about 60 ms per 300,000 steps).
    const maxSub = this.opts.maxSubquerySteps;
    if (maxSub > 0 && acc.maxSubquerySteps > maxSub) {
      throw new CanopyError(
        'bad_data',
        `exceeded maximum resolution of ${maxSub.toLocaleString('en-US')} points per timeseries in a subquery (--query.max-subquery-steps). Try a larger subquery step ([range:step]) or a shorter range`,
        { fields: { steps: acc.maxSubquerySteps, maxSubquerySteps: maxSub } },
      );
    }
    const bytes = acc.maxSteps * (STEP_BYTES + POINT_BYTES);
    if (this.opts.maxMemoryBytes > 0 && bytes > this.opts.maxMemoryBytes)
      throw tooMuchMemory(bytes, this.opts.maxMemoryBytes);
    return acc;
  }

  async instantQuery(
    q: Queryable,
    expr: string | Expr,
    tMs: number,
    opts: QueryOptions = {},
  ): Promise<QueryResult> {
    if (!Number.isFinite(tMs)) throw new CanopyError('bad_data', `invalid time ${tMs}`);
    const e = typeof expr === 'string' ? parseExpr(expr) : expr;
    return this.exec(q, e, makeGrid(tMs, tMs, 0), true, opts);
  }

  async rangeQuery(
    q: Queryable,
    expr: string | Expr,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions = {},
  ): Promise<QueryResult> {
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs))
      throw new CanopyError('bad_data', 'invalid start or end time');
    if (endMs < startMs) throw new CanopyError('bad_data', 'end timestamp must not be before start time');
    if (!(stepMs > 0))
      throw new CanopyError(
        'bad_data',
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    if ((endMs - startMs) / stepMs > this.opts.maxPointsPerSeries) {
      const max = this.opts.maxPointsPerSeries.toLocaleString('en-US');
      throw new CanopyError(
        'bad_data',
        `exceeded maximum resolution of ${max} points per timeseries. Try decreasing the query resolution (?step=XX)`,
      );
    }
    const e = typeof expr === 'string' ? parseExpr(expr) : expr;
    const t = typeOf(e);
    if (t !== 'scalar' && t !== 'vector') {
      throw new CanopyError(
        'bad_data',
        `invalid expression type ${JSON.stringify(documentedType(t))} for range query, must be Scalar or instant Vector`,
      );
    }
    return this.exec(q, e, makeGrid(startMs, endMs, stepMs), false, opts);
  }

  private async exec(
    q: Queryable,
    e: Expr,
    grid: StepGrid,
    instant: boolean,
    opts: QueryOptions,
  ): Promise<QueryResult> {
    // As Prometheus: the query's own timeout (the API's `timeout=`) only shortens the engine's; 0 times out at once.
    const timeoutMs =
      opts.timeoutMs !== undefined
        ? Math.max(0, Math.min(opts.timeoutMs, this.opts.timeoutMs))
        : this.opts.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const limits: Limits = {
      lookbackDeltaMs: this.opts.lookbackDeltaMs,
      maxSamples: this.opts.maxSamples,
      maxSeriesPerSelector: this.opts.maxSeriesPerSelector,
      defaultEvalIntervalMs: this.opts.defaultEvalIntervalMs,
      maxSeries: this.opts.maxSeries,
      maxMemoryBytes: this.opts.maxMemoryBytes,
    };
    const acc = this.precheck(e, grid.startMs, grid.endMs, grid.intervalMs);
    const release = await this.gate.enter(deadline, opts.signal);
    try {
      return await this.run({
        queryable: q,
        expr: e,
        grid,
        instant,
        opts,
        limits,
        acc,
        deadlineMs: deadline,
      });
    } catch (err) {
      // A safety net for limits raised past what V8 can allocate: a 422, not a 500.
      if (
        err instanceof RangeError &&
        /typed array length|allocation failed|Invalid array length/i.test(err.message)
      ) {
        throw new CanopyError(
          'limit_exceeded',
          `query processing would use too much memory: ${err.message}`,
          { cause: err },
        );
      }
      throw err;
    } finally {
      release();
    }
  }

  private async run({
    queryable: q,
    expr: e,
    grid,
    instant,
    opts,
    limits,
    acc,
    deadlineMs,
  }: QueryRun): Promise<QueryResult> {
    let querier = NO_QUERIER;
    if (acc.min <= acc.max) {
      try {
        querier = await q.querier(acc.min, acc.max, { selects: querySelects(e) });
      } catch (e) {
        throw storageError('cannot open querier', e instanceof Error ? e : new Error(String(e)));
      }
    }
    try {
      const ctx = new EvalContext({
        querier,
        limits,
        queryStartMs: grid.startMs,
        queryEndMs: grid.endMs,
        deadlineMs,
        signal: opts.signal,
      });
      ctx.visibleMinMs = acc.min;
      ctx.visibleMaxMs = acc.max;
      const msr = opts.maxSourceResolution ?? 0;
      // Only a querier holding rollups is read through aggregates (otherwise the answer is
      // Prometheus' own, computed from raw samples).
      const avail = querier.rollupResolutions?.() ?? [];
      const want = resolutionAtMost(msr === 'auto' ? (instant ? 0 : grid.intervalMs / 5) : msr);
      ctx.resolutionMs = avail.length > 0 ? Math.min(want, resolutionAtMost(Math.max(...avail))) : 0;
      ctx.checkNow();
      const v = await new QueryEvaluator(ctx).eval(e, grid);
      if (
        limits.maxSeries > 0 &&
        (v.kind === 'vector' || v.kind === 'matrix') &&
        v.series.length > limits.maxSeries
      ) {
        throw tooManySeries(limits.maxSeries, 'return');
      }
      const value = instant ? instantValue(v, grid) : rangeValue(v, grid);
      const res: QueryResult = { value, warnings: ctx.warnings };
      if (ctx.resolutionMs > 0) res.resolution = { maxMs: ctx.resolutionMs, usedMs: ctx.usedResolutionMs };
      return res;
    } finally {
      querier.close();
    }
  }
}

/** One query, admitted by the gate: what Engine.run evaluates. */
interface QueryRun {
  queryable: Queryable;
  expr: Expr;
  grid: StepGrid;
  instant: boolean;
  opts: QueryOptions;
  limits: Limits;
  /** The time range the query reads (precheck). */
  acc: RangeAcc;
  deadlineMs: number;
}

/** Every selector's matchers, as select() will get them: a cold tier fetches only their chunks. */
function querySelects(e: Expr): (readonly Matcher[])[] {
  const out: (readonly Matcher[])[] = [];
  walkExpr(e, (n) => {
    if (n.kind === 'VectorSelector') out.push(selectorMatchers(n));
  });
  return out;
}

function instantValue(v: EvalValue, grid: StepGrid): QueryValue {
  const t = grid.startMs;
  switch (v.kind) {
    case 'scalar':
      return { type: 'scalar', t, f: v.f[0]! };
    case 'string':
      return { type: 'string', t, s: v.s };
    case 'vector':
      return {
        type: 'vector',
        vector: v.series
          .filter((s) => s.has[0])
          .map((s) =>
            s.d?.[0] ? { labels: s.labels, t, f: s.f[0]!, d: s.d[0] } : { labels: s.labels, t, f: s.f[0]! },
          ),
      };
    case 'matrix':
      return {
        type: 'matrix',
        matrix: v.series.map((s) => {
          const points: Point[] = [];
          for (let i = 0; i < s.ts.length; i++) {
            const d = s.ds?.[i];
            points.push(d ? { t: s.ts[i]!, f: s.fs[i]!, d } : { t: s.ts[i]!, f: s.fs[i]! });
          }
          return { labels: s.labels, points };
        }),
      };
  }
}

function rangeValue(v: EvalValue, grid: StepGrid): QueryValue {
  const matrix: MatrixSeries[] = [];
  if (v.kind === 'scalar') {
    const points: Point[] = [];
    for (let i = 0; i < grid.n; i++) points.push({ t: stepTime(grid, i), f: v.f[i]! });
    if (points.length > 0) matrix.push({ labels: [], points });
  } else if (v.kind === 'vector') {
    for (const s of v.series) {
      const points: Point[] = [];
      for (let i = 0; i < grid.n; i++) {
        if (!s.has[i]) continue;
        const d = s.d?.[i];
        points.push(d ? { t: stepTime(grid, i), f: s.f[i]!, d } : { t: stepTime(grid, i), f: s.f[i]! });
      }
      if (points.length > 0) matrix.push({ labels: s.labels, points });
    }
    matrix.sort((a, b) => compareLabels(a.labels, b.labels));
  } else {
    throw new CanopyError(
      'bad_data',
      `invalid expression type ${JSON.stringify(v.kind)} for range query, must be Scalar or instant Vector`,
    );
  }
  return { type: 'matrix', matrix };
}
