// Function calls: evaluates arguments and routes to the function families.
import { CanopyError } from '../../errors.ts';
import { labelsKey, METRIC_NAME, withLabel, type Labels } from '../../labels.ts';
import type { RollupAggregate } from '../../storage.ts';
import { unwrapParens, type Call, type Expr } from '../ast.ts';
import type { EvalContext } from '../context.ts';
import { assertUniqueLabels, dropMetricName, mergeByLabels } from '../merge.ts';
import { evalVectorSelector, resolveAt, selectorMatchers, selectorResolution } from '../selector.ts';
import { newStepSeries, stepTime, type EvalValue, type StepGrid, type StepSeries } from '../types.ts';
import { checkLabelJoin, compileLabelReplace, labelJoin, labelReplace } from './label.ts';
import { DATE_FUNCTIONS, ELEMENT_FUNCTIONS, roundTo, type ElementFunction } from './math.ts';
import { digestFraction, histogramQuantile, readDistributions } from './histogram.ts';
import {
  absentOverTime,
  evalRangeFunction,
  RANGE_FUNCTIONS,
  STREAMABLE_RANGE_FUNCTIONS,
  type RangeArg,
  type RangeSink,
} from './range-call.ts';

export interface Evaluator {
  readonly ctx: EvalContext;
  eval(e: Expr, grid: StepGrid): Promise<EvalValue>;
  rangeArg(e: Expr, grid: StepGrid, func: string, aggregate?: RollupAggregate): Promise<RangeArg>;
}

/** Range functions answerable from rollups: the aggregate read and the function run over it. */
const ROLLUP_FUNCTIONS: Readonly<Record<string, { aggregate: RollupAggregate; fn: string }>> = {
  rate: { aggregate: 'counter', fn: 'rate' },
  increase: { aggregate: 'counter', fn: 'increase' },
  max_over_time: { aggregate: 'max', fn: 'max_over_time' },
  min_over_time: { aggregate: 'min', fn: 'min_over_time' },
  sum_over_time: { aggregate: 'sum', fn: 'sum_over_time' },
  count_over_time: { aggregate: 'count', fn: 'sum_over_time' },
};

/**
 * avg_over_time over rollups: sum_over_time of the window sums divided by sum_over_time of
 * the window counts, per series (two passes over the selector).
 */
async function avgOverRollups(
  ev: Evaluator,
  arg: Expr,
  grid: StepGrid,
  sink?: RangeSink,
): Promise<StepSeries[]> {
  const ctx = ev.ctx;
  const n = grid.n;
  const sums = new Map<string, { labels: Labels; f: Float64Array; has: Uint8Array }>();
  await evalRangeFunction(
    ctx,
    'sum_over_time',
    await ev.rangeArg(arg, grid, 'avg_over_time', 'sum'),
    null,
    null,
    grid,
    (labels, o) => {
      sums.set(labelsKey(labels), { labels, f: o.f.slice(), has: o.has.slice() });
    },
  );
  const out: StepSeries[] = [];
  const o = newStepSeries([], n);
  await evalRangeFunction(
    ctx,
    'sum_over_time',
    await ev.rangeArg(arg, grid, 'avg_over_time', 'count'),
    null,
    null,
    grid,
    (labels, c) => {
      const s = sums.get(labelsKey(labels));
      if (!s) return;
      const r = sink ? o : newStepSeries(dropMetricName(labels), n);
      r.has.fill(0);
      let any = false;
      for (let i = 0; i < n; i++) {
        if (!s.has[i] || !c.has[i] || !(c.f[i]! > 0)) continue;
        r.has[i] = 1;
        r.f[i] = s.f[i]! / c.f[i]!;
        any = true;
      }
      if (!any) return;
      if (sink) sink(labels, r);
      else out.push(r);
    },
  );
  if (!sink) assertUniqueLabels(out);
  return out;
}

function vec(v: EvalValue): StepSeries[] {
  if (v.kind !== 'vector') throw new CanopyError('execution', `expected instant vector, got ${v.kind}`);
  return v.series;
}
function scalar(v: EvalValue): Float64Array {
  if (v.kind !== 'scalar') throw new CanopyError('execution', `expected scalar, got ${v.kind}`);
  return v.f;
}
function str(v: EvalValue): string {
  if (v.kind !== 'string') throw new CanopyError('execution', `expected string, got ${v.kind}`);
  return v.s;
}

/** Applies fn element-wise (floats only), dropping the metric name. */
function mapSeries(
  input: StepSeries[],
  n: number,
  fn: (v: number, i: number) => number,
  keepName = false,
): StepSeries[] {
  const out: StepSeries[] = [];
  for (const s of input) {
    const o = newStepSeries(keepName ? s.labels : dropMetricName(s.labels), n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!s.has[i] || s.d?.[i]) continue;
      o.has[i] = 1;
      o.f[i] = fn(s.f[i]!, i);
      any = true;
    }
    if (any) out.push(o);
  }
  return mergeByLabels(out, n);
}

/**
 * Labels absent()/absent_over_time() report, built as 2.42 does, matcher by matcher: the first
 * equality matcher of a name sets it (an empty value deletes it, as labels.Builder.Set does),
 * any other matcher of that name deletes it.
 */
export function absentLabels(arg: Expr): Labels {
  const e = unwrapParens(arg);
  const vs = e.kind === 'VectorSelector' ? e : e.kind === 'MatrixSelector' ? e.vs : null;
  if (!vs) return [];
  const out = new Map<string, string>();
  const has = new Set<string>();
  for (const m of vs.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === '=' && !has.has(m.name)) {
      if (m.value === '') out.delete(m.name);
      else out.set(m.name, m.value);
      has.add(m.name);
    } else out.delete(m.name);
  }
  let ls: Labels = [];
  for (const [name, value] of out) ls = withLabel(ls, name, value);
  return ls;
}

function sortByValue(series: StepSeries[], n: number, desc: boolean): StepSeries[] {
  if (n !== 1) return series;
  // NaN sorts last in both directions.
  return [...series].sort((a, b) => {
    const x = a.f[0]!,
      y = b.f[0]!;
    if (x !== x) return y !== y ? 0 : 1;
    if (y !== y) return -1;
    return desc ? y - x : x - y;
  });
}

/**
 * Whether evalCall can stream e's output series to a RangeSink: a range function of
 * STREAMABLE_RANGE_FUNCTIONS over a selector that pins one metric name.
 */
export function streamableRangeCall(e: Expr): e is Call {
  if (e.kind !== 'Call' || !STREAMABLE_RANGE_FUNCTIONS.has(e.func)) return false;
  const m = unwrapParens(e.args[e.func === 'quantile_over_time' ? 1 : 0]!);
  return (
    m.kind === 'MatrixSelector' &&
    selectorMatchers(m.vs).some((x) => x.type === '=' && x.name === METRIC_NAME)
  );
}

/** Functions 2.42 never treats as step-invariant (AtModifierUnsafeFunctions). */
const AT_UNSAFE = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'time',
  'timestamp',
]);

/**
 * Whether 2.42's preprocessExpr marks `e` step-invariant (evaluated once and repeated). A range
 * function call with an `@` matrix argument that is NOT step-invariant (predict_linear, or a
 * non-constant parameter) is evaluated per step by 2.42 with `@` turned into a fixed offset from
 * the query start (or a subquery's first step): its window slides with the step, and it sees
 * only the samples the query's querier covers. Canopy follows it there, Prometheus 2.42 being
 * the reference.
 */
export function stepInvariant242(e: Expr): boolean {
  switch (e.kind) {
    case 'VectorSelector':
      return e.atMs !== null || e.atPre !== null;
    case 'MatrixSelector':
      return e.vs.atMs !== null || e.vs.atPre !== null;
    case 'SubqueryExpr':
      return e.atMs !== null || e.atPre !== null;
    case 'AggregateExpr':
      return stepInvariant242(e.expr);
    case 'BinaryExpr':
      return stepInvariant242(e.lhs) && stepInvariant242(e.rhs);
    case 'Call':
      return !AT_UNSAFE.has(e.func) && e.args.every((a) => stepInvariant242(a));
    case 'ParenExpr':
    case 'UnaryExpr':
      return stepInvariant242(e.expr);
    case 'NumberLiteral':
    case 'StringLiteral':
      return true;
  }
}

/** Evaluates a call; with a sink (only when streamableRangeCall(e)), output series go to it instead. */
export async function evalCall(ev: Evaluator, e: Call, grid: StepGrid, sink?: RangeSink): Promise<EvalValue> {
  const n = grid.n;
  const ctx = ev.ctx;
  const name = e.func;
  const args = e.args;
  if (name in RANGE_FUNCTIONS) {
    const matrixIdx = name === 'quantile_over_time' ? 1 : 0;
    const params: Float64Array[] = [];
    for (const [i, a] of args.entries()) if (i !== matrixIdx) params.push(scalar(await ev.eval(a, grid)));
    const m = unwrapParens(args[matrixIdx]!);
    // Rollups answer plain selectors; an `@` keeps the raw path (its 2.42 step shifting below).
    if (
      m.kind === 'MatrixSelector' &&
      m.vs.atMs === null &&
      m.vs.atPre === null &&
      selectorResolution(ctx, m.rangeMs) > 0
    ) {
      if (name === 'avg_over_time')
        return { kind: 'vector', series: await avgOverRollups(ev, m, grid, sink) };
      const r = ROLLUP_FUNCTIONS[name];
      if (r)
        return {
          kind: 'vector',
          series: await evalRangeFunction(
            ctx,
            r.fn,
            await ev.rangeArg(m, grid, name, r.aggregate),
            null,
            null,
            grid,
            sink,
          ),
        };
    }
    const arg = await ev.rangeArg(args[matrixIdx]!, grid, name);
    if (arg.atMs !== null && m.kind === 'MatrixSelector' && !stepInvariant242(e)) {
      arg.slide = { refMs: ctx.atRefMs, clipMinMs: ctx.visibleMinMs, clipMaxMs: ctx.visibleMaxMs };
    }
    return {
      kind: 'vector',
      series: await evalRangeFunction(ctx, name, arg, params[0] ?? null, params[1] ?? null, grid, sink),
    };
  }
  if (sink) throw new CanopyError('internal', `BUG: ${name} cannot stream its output`);
  const fn: ElementFunction | undefined = ELEMENT_FUNCTIONS[name];
  if (fn) return { kind: 'vector', series: mapSeries(vec(await ev.eval(args[0]!, grid)), n, fn) };
  const dateFn: ElementFunction | undefined = DATE_FUNCTIONS[name];
  if (dateFn) {
    if (args.length === 0) {
      const o = newStepSeries([], n);
      for (let i = 0; i < n; i++) {
        o.has[i] = 1;
        o.f[i] = dateFn(stepTime(grid, i) / 1000);
      }
      return { kind: 'vector', series: [o] };
    }
    return { kind: 'vector', series: mapSeries(vec(await ev.eval(args[0]!, grid)), n, dateFn) };
  }
  switch (name) {
    case 'time': {
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) f[i] = stepTime(grid, i) / 1000;
      return { kind: 'scalar', f };
    }
    case 'pi':
      return { kind: 'scalar', f: new Float64Array(n).fill(Math.PI) };
    case 'vector': {
      const o = newStepSeries([], n);
      o.f.set(scalar(await ev.eval(args[0]!, grid)));
      o.has.fill(1);
      return { kind: 'vector', series: n > 0 ? [o] : [] };
    }
    case 'scalar': {
      const input = vec(await ev.eval(args[0]!, grid));
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let cnt = 0,
          v = NaN;
        for (const s of input) {
          if (s.has[i] && !s.d?.[i]) {
            cnt++;
            v = s.f[i]!;
          }
        }
        f[i] = cnt === 1 ? v : NaN;
      }
      return { kind: 'scalar', f };
    }
    case 'absent': {
      const input = vec(await ev.eval(args[0]!, grid));
      const o = newStepSeries(absentLabels(args[0]!), n);
      for (let i = 0; i < n; i++) {
        if (input.some((s) => s.has[i])) continue;
        o.has[i] = 1;
        o.f[i] = 1;
      }
      return { kind: 'vector', series: o.has.includes(1) ? [o] : [] };
    }
    case 'absent_over_time':
      return {
        kind: 'vector',
        series: await absentOverTime(await ev.rangeArg(args[0]!, grid, name), absentLabels(args[0]!), grid),
      };
    case 'timestamp': {
      const inner = unwrapParens(args[0]!);
      if (inner.kind === 'VectorSelector') {
        const tss: Float64Array[] = [];
        // 2.42 replaces the offset of a selector with @ by (step − @), dropping the written
        // offset, and reads through the query's querier: only [visibleMin, visibleMax] is seen.
        // That per-step offset is never stale (no ctx.atDriftMs).
        const at242 = resolveAt(ctx, inner) !== null && inner.offsetMs !== 0;
        const drift = ctx.atDriftMs;
        ctx.atDriftMs = null;
        let series: StepSeries[];
        try {
          series = at242
            ? await evalVectorSelector(ctx, { ...inner, offsetMs: 0 }, grid, tss, {
                minMs: ctx.visibleMinMs,
                maxMs: ctx.visibleMaxMs,
              })
            : await evalVectorSelector(ctx, inner, grid, tss);
        } finally {
          ctx.atDriftMs = drift;
        }
        return {
          kind: 'vector',
          series: mapSeries(
            series.map((s, k) => ({ ...s, f: tss[k]!, d: null })),
            n,
            (t) => t / 1000,
          ),
        };
      }
      return {
        kind: 'vector',
        series: mapSeries(vec(await ev.eval(inner, grid)), n, (_, i) => stepTime(grid, i) / 1000),
      };
    }
    case 'sort':
    case 'sort_desc':
      return {
        kind: 'vector',
        series: sortByValue(vec(await ev.eval(args[0]!, grid)), n, name === 'sort_desc'),
      };
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max':
    case 'round': {
      const input = vec(await ev.eval(args[0]!, grid));
      const a = args[1] ? scalar(await ev.eval(args[1], grid)) : null;
      const b = args[2] ? scalar(await ev.eval(args[2], grid)) : null;
      if (name === 'clamp') {
        // No output at steps where max < min.
        const out = mapSeries(input, n, (v, i) => Math.max(a![i]!, Math.min(b![i]!, v)));
        for (const s of out) for (let i = 0; i < n; i++) if (b![i]! < a![i]!) s.has[i] = 0;
        return { kind: 'vector', series: out.filter((s) => s.has.includes(1)) };
      }
      if (name === 'clamp_min')
        return { kind: 'vector', series: mapSeries(input, n, (v, i) => Math.max(a![i]!, v)) };
      if (name === 'clamp_max')
        return { kind: 'vector', series: mapSeries(input, n, (v, i) => Math.min(a![i]!, v)) };
      return { kind: 'vector', series: mapSeries(input, n, (v, i) => roundTo(v, a ? a[i]! : 1)) };
    }
    case 'label_replace': {
      const input = vec(await ev.eval(args[0]!, grid));
      const [dst, repl, src, regex] = (await Promise.all(args.slice(1).map((a) => ev.eval(a, grid)))).map(
        str,
      ) as [string, string, string, string];
      const re = compileLabelReplace(dst, regex);
      const out = input.map((s) => ({ ...s, labels: labelReplace(s.labels, dst, repl, src, re) }));
      return { kind: 'vector', series: mergeByLabels(out, n) };
    }
    case 'label_join': {
      const input = vec(await ev.eval(args[0]!, grid));
      const [dst, sep, ...srcs] = (await Promise.all(args.slice(1).map((a) => ev.eval(a, grid)))).map(
        str,
      ) as [string, string, ...string[]];
      checkLabelJoin(dst, srcs);
      const out = input.map((s) => ({ ...s, labels: labelJoin(s.labels, dst, sep, srcs) }));
      return { kind: 'vector', series: mergeByLabels(out, n) };
    }
    case 'histogram_quantile': {
      const q = scalar(await ev.eval(args[0]!, grid));
      return { kind: 'vector', series: histogramQuantile(ctx, q, vec(await ev.eval(args[1]!, grid)), n) };
    }
    case 'histogram_count':
      return {
        kind: 'vector',
        series: readDistributions(vec(await ev.eval(args[0]!, grid)), n, (d) => d.count),
      };
    case 'histogram_sum':
      return {
        kind: 'vector',
        series: readDistributions(vec(await ev.eval(args[0]!, grid)), n, (d) => d.sum),
      };
    case 'histogram_fraction': {
      const lower = scalar(await ev.eval(args[0]!, grid));
      const upper = scalar(await ev.eval(args[1]!, grid));
      const input = vec(await ev.eval(args[2]!, grid));
      return {
        kind: 'vector',
        series: readDistributions(input, n, (d, i) => digestFraction(lower[i]!, upper[i]!, d)),
      };
    }
    default:
      throw new CanopyError('execution', `function ${JSON.stringify(name)} is not implemented`);
  }
}
