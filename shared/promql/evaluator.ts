// The evaluator: one exhaustive switch over node kinds. Every node is evaluated once for the
// whole step grid (see types.ts); subqueries evaluate their body on their own, aligned grid.
import { CanopyError, bug } from '../errors.ts';
import type { RollupAggregate } from '../storage.ts';
import { unwrapParens, type Expr, type SubqueryExpr } from './ast.ts';
import { POINT_BYTES, STEP_BYTES, type EvalContext } from './context.ts';
import { Aggregation, evalAggregate, STREAMABLE_AGGREGATIONS } from './aggregate.ts';
import { evalBinary } from './binary.ts';
import { evalCall, streamableRangeCall, type Evaluator } from './functions/call.ts';
import type { RangeArg } from './functions/range-call.ts';
import { dropMetricName, mergeByLabels } from './merge.ts';
import {
  evalAt,
  evalVectorSelector,
  loadMatrixSelector,
  refTimes,
  resolveAt,
  stepSeriesToPoints,
  streamMatrixSelector,
  type PointVisitor,
} from './selector.ts';
import {
  allocF64,
  allocU8,
  makeGrid,
  type EvalValue,
  type PointSeries,
  type StepGrid,
  type StepSeries,
} from './types.ts';

/**
 * The inner grid of a subquery: steps aligned to multiples of the step, covering every window.
 * `at`: the subquery's @ as evaluated (evalAt), by default as written.
 */
export function subqueryGrid(
  span: { queryStartMs: number; queryEndMs: number },
  defaultIntervalMs: number,
  sq: SubqueryExpr,
  grid: StepGrid,
  at: number | null = resolveAt(span, sq),
): StepGrid {
  const interval = sq.stepMs > 0 ? sq.stepMs : defaultIntervalMs;
  const { first, last } = refTimes(grid, at, sq.offsetMs);
  const lowest = first - sq.rangeMs;
  // Go's integer division truncates toward zero; Prometheus aligns with it.
  let start = interval * Math.trunc(lowest / interval);
  if (start < lowest) start += interval;
  return makeGrid(start, last, interval);
}

export class QueryEvaluator implements Evaluator {
  constructor(readonly ctx: EvalContext) {}

  async eval(e: Expr, grid: StepGrid): Promise<EvalValue> {
    const mark = this.ctx.heldBytes;
    const v = await this.evalNode(e, grid);
    this.ctx.settle(mark, valueBytes(v));
    return v;
  }

  private async evalNode(e: Expr, grid: StepGrid): Promise<EvalValue> {
    if (this.ctx.due()) await this.ctx.yield();
    this.ctx.checkNow();
    const n = grid.n;
    switch (e.kind) {
      case 'NumberLiteral':
        return { kind: 'scalar', f: new Float64Array(n).fill(e.val) };
      case 'StringLiteral':
        return { kind: 'string', s: e.val };
      case 'VectorSelector':
        return { kind: 'vector', series: await evalVectorSelector(this.ctx, e, grid) };
      case 'MatrixSelector':
        return { kind: 'matrix', series: await loadMatrixSelector(this.ctx, e, grid) };
      case 'SubqueryExpr': {
        const inner = subqueryGrid(
          this.ctx,
          this.ctx.limits.defaultEvalIntervalMs,
          e,
          grid,
          evalAt(this.ctx, e),
        );
        const v = await this.evalSubqueryInner(e, inner, grid);
        if (v.kind !== 'vector') bug('subquery over a non-vector');
        return { kind: 'matrix', series: this.toPoints(v.series, inner) };
      }
      case 'ParenExpr':
        return await this.eval(e.expr, grid);
      case 'UnaryExpr': {
        const v = await this.eval(e.expr, grid);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', f: v.f.map((x) => -x) };
        if (v.kind !== 'vector')
          throw new CanopyError(
            'execution',
            'unary expression only allowed on expressions of type scalar or instant vector',
          );
        const out: StepSeries[] = v.series.map((s) => {
          const f = allocF64(n);
          const has = allocU8(n);
          has.set(s.has);
          for (let i = 0; i < n; i++) {
            if (s.d?.[i]) {
              has[i] = 0;
              this.ctx.warn(
                'unary minus on distribution samples is not supported: such samples were dropped',
              );
            } else f[i] = -s.f[i]!;
          }
          return { labels: dropMetricName(s.labels), f, has, d: null };
        });
        return {
          kind: 'vector',
          series: mergeByLabels(
            out.filter((s) => s.has.includes(1)),
            n,
          ),
        };
      }
      case 'BinaryExpr': {
        const l = await this.eval(e.lhs, grid);
        const r = await this.eval(e.rhs, grid);
        return evalBinary(this.ctx, e, l, r, grid);
      }
      case 'Call':
        return await evalCall(this, e, grid);
      case 'AggregateExpr': {
        let param: Float64Array | string | null = null;
        if (e.param) {
          const p = await this.eval(e.param, grid);
          param = p.kind === 'scalar' ? p.f : p.kind === 'string' ? p.s : bug('aggregation parameter type');
        }
        const inner = unwrapParens(e.expr);
        if (STREAMABLE_AGGREGATIONS.has(e.op) && streamableRangeCall(inner)) {
          // e.g. sum by (mode) (rate(x[5m])): each rate series is aggregated as it is computed.
          const agg = new Aggregation(this.ctx, e, n, true);
          await evalCall(this, inner, grid, (labels, s) => agg.add(s, labels));
          return { kind: 'vector', series: agg.finish() };
        }
        const input = await this.eval(e.expr, grid);
        if (input.kind !== 'vector') bug('aggregation over a non-vector');
        return { kind: 'vector', series: evalAggregate(this.ctx, e, input.series, param, grid) };
      }
      default: {
        const never: never = e;
        return bug(`unknown node ${(never as Expr).kind}`);
      }
    }
  }

  /** A subquery's result as points, its memory reserved before the arrays are allocated. */
  private toPoints(series: StepSeries[], inner: StepGrid): PointSeries[] {
    let points = 0;
    for (const s of series) for (let i = 0; i < inner.n; i++) points += s.has[i]!;
    this.ctx.reserveBytes(points * POINT_BYTES);
    this.ctx.addSamples(points);
    const out = stepSeriesToPoints(series, inner);
    this.ctx.releaseSamples(points);
    return out;
  }

  /**
   * A subquery's inner expression, evaluated on `inner` inside an evaluation on `outer`. 2.42
   * turns every `@` into an offset from the query start, and re-bases the offsets inside a
   * subquery on its first step (setOffsetForAtModifier(newEv.startTimestamp, …)), kept in
   * ctx.atRefMs — but only when that first step differs from the parent's. The offsets it
   * computed before for nodes below a subquery with `@` assume that re-base: without it, each
   * `@` below is read at written @ + (ref − subquery's @ + subquery offsets down to it), an
   * earlier time (subqueryTimes), kept in ctx.atDriftMs. E.g. at an instant t on the minute,
   * `(last_over_time((max_over_time(x[1m] @ t))[10m:] @ t))[10m:1m]`: both subqueries start at
   * t − 10m, and x[1m] is read at t − 10m, outside the samples 2.42 selected for it
   * ([t − 1m, t]): 2.42 answers nothing.
   */
  private async evalSubqueryInner(e: SubqueryExpr, inner: StepGrid, outer: StepGrid): Promise<EvalValue> {
    const ctx = this.ctx;
    const savedRef = ctx.atRefMs;
    const savedDrift = ctx.atDriftMs;
    if (inner.startMs !== outer.startMs) {
      ctx.atRefMs = inner.startMs;
      ctx.atDriftMs = null;
    } else {
      const at = resolveAt(ctx, e);
      if (at !== null) ctx.atDriftMs = ctx.atRefMs - at + e.offsetMs;
      else if (ctx.atDriftMs !== null) ctx.atDriftMs += e.offsetMs;
    }
    try {
      return await this.eval(e.expr, inner);
    } finally {
      ctx.atRefMs = savedRef;
      ctx.atDriftMs = savedDrift;
    }
  }

  async rangeArg(arg: Expr, grid: StepGrid, func: string, aggregate?: RollupAggregate): Promise<RangeArg> {
    const e = unwrapParens(arg);
    if (e.kind === 'MatrixSelector') {
      return {
        forEach: (visit) => streamMatrixSelector(this.ctx, e, grid, visit, { func, aggregate }),
        rangeMs: e.rangeMs,
        offsetMs: e.vs.offsetMs,
        atMs: evalAt(this.ctx, e.vs),
      };
    }
    if (e.kind === 'SubqueryExpr') {
      const inner = subqueryGrid(
        this.ctx,
        this.ctx.limits.defaultEvalIntervalMs,
        e,
        grid,
        evalAt(this.ctx, e),
      );
      const v = await this.evalSubqueryInner(e, inner, grid);
      if (v.kind !== 'vector') bug('subquery over a non-vector');
      const series: PointSeries[] = this.toPoints(v.series, inner);
      const ctx = this.ctx;
      const forEach = async (visit: PointVisitor): Promise<void> => {
        for (const s of series) {
          if (ctx.due()) await ctx.yield();
          ctx.check();
          visit(s.labels, s.ts, s.fs, s.ds, s.ts.length);
        }
      };
      return { forEach, rangeMs: e.rangeMs, offsetMs: e.offsetMs, atMs: resolveAt(this.ctx, e) };
    }
    return bug(`range argument of kind ${e.kind}`);
  }
}

/** Estimated bytes a value's arrays hold (see STEP_BYTES, POINT_BYTES). */
export function valueBytes(v: EvalValue): number {
  switch (v.kind) {
    case 'scalar':
      return v.f.length * 8;
    case 'string':
      return 0;
    case 'vector': {
      let b = 0;
      for (const s of v.series) b += s.f.length * STEP_BYTES;
      return b;
    }
    case 'matrix': {
      let b = 0;
      for (const s of v.series) b += s.ts.length * POINT_BYTES;
      return b;
    }
  }
}
