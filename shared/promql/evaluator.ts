// The evaluator: one exhaustive switch over node kinds. Every node is evaluated once for the
// whole step grid (see types.ts); subqueries evaluate their body on their own, aligned grid.
import { CanopyError, bug } from '../errors.ts';
import type { RollupAggregate } from '../storage.ts';
import { unwrapParens, type Expr, type SubqueryExpr } from './ast.ts';
import type { EvalContext } from './context.ts';
import { Aggregation, evalAggregate, STREAMABLE_AGGREGATIONS } from './aggregate.ts';
import { evalBinary } from './binary.ts';
import { evalCall, streamableRangeCall, type Evaluator } from './functions/call.ts';
import type { RangeArg } from './functions/range-call.ts';
import { dropMetricName, mergeByLabels } from './merge.ts';
import {
  evalVectorSelector,
  loadMatrixSelector,
  refTimes,
  resolveAt,
  stepSeriesToPoints,
  streamMatrixSelector,
  type PointVisitor,
} from './selector.ts';
import { allocF64, allocU8, makeGrid, type EvalValue, type PointSeries, type StepGrid, type StepSeries } from './types.ts';

/** The inner grid of a subquery: steps aligned to multiples of the step, covering every window. */
export function subqueryGrid(
  span: { queryStartMs: number; queryEndMs: number },
  defaultIntervalMs: number,
  sq: SubqueryExpr,
  grid: StepGrid,
): StepGrid {
  const at = resolveAt(span, sq);
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
        const inner = subqueryGrid(this.ctx, this.ctx.limits.defaultEvalIntervalMs, e, grid);
        const v = await this.eval(e.expr, inner);
        if (v.kind !== 'vector') bug('subquery over a non-vector');
        return { kind: 'matrix', series: stepSeriesToPoints(v.series, inner) };
      }
      case 'ParenExpr':
        return await this.eval(e.expr, grid);
      case 'UnaryExpr': {
        const v = await this.eval(e.expr, grid);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', f: v.f.map((x) => -x) };
        if (v.kind !== 'vector') throw new CanopyError('execution', 'unary expression only allowed on expressions of type scalar or instant vector');
        const out: StepSeries[] = v.series.map((s) => {
          const f = allocF64(n);
          const has = allocU8(n);
          has.set(s.has);
          for (let i = 0; i < n; i++) {
            if (s.d?.[i]) {
              has[i] = 0;
              this.ctx.warn('unary minus on distribution samples is not supported: such samples were dropped');
            } else f[i] = -s.f[i]!;
          }
          return { labels: dropMetricName(s.labels), f, has, d: null };
        });
        return { kind: 'vector', series: mergeByLabels(out.filter((s) => s.has.includes(1)), n) };
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

  async rangeArg(arg: Expr, grid: StepGrid, func: string, aggregate?: RollupAggregate): Promise<RangeArg> {
    const e = unwrapParens(arg);
    if (e.kind === 'MatrixSelector') {
      return {
        forEach: (visit) => streamMatrixSelector(this.ctx, e, grid, func, visit, false, aggregate),
        rangeMs: e.rangeMs,
        offsetMs: e.vs.offsetMs,
        atMs: resolveAt(this.ctx, e.vs),
      };
    }
    if (e.kind === 'SubqueryExpr') {
      const inner = subqueryGrid(this.ctx, this.ctx.limits.defaultEvalIntervalMs, e, grid);
      const v = await this.eval(e.expr, inner);
      if (v.kind !== 'vector') bug('subquery over a non-vector');
      const series: PointSeries[] = stepSeriesToPoints(v.series, inner);
      const forEach = async (visit: PointVisitor): Promise<void> => {
        for (const s of series) visit(s.labels, s.ts, s.fs, s.ds, s.ts.length);
      };
      return { forEach, rangeMs: e.rangeMs, offsetMs: e.offsetMs, atMs: resolveAt(this.ctx, e) };
    }
    return bug(`range argument of kind ${e.kind}`);
  }
}
