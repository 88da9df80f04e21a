// Planner: rewrites a PromQL syntax tree into fragments the zones evaluate and the expression
// the root evaluates over the fragments' merged answers (placeholders) and, where nothing can
// be pushed, over raw series fetched from the zones (the naive plan, always correct).
// A subquery the root evaluates (its inside is not local) has its inside planned on the
// subquery's own step grid: its fragments are range queries on that grid, e.g.
//   max_over_time(sum(x)[10m:1m])  (instant, t)
//   → zones: sum(x), range query from the first 1m-aligned step after t-10m to t, step 1m
//   → root:  max_over_time(sum(__canopy_fragment_0__)[10m:1m])
// Top-down: the largest local subtree wins; an aggregation over a local argument is split into
// partial (zone) and final (root) phases by the first split-*.ts rewrite that applies; what
// remains is evaluated at the root. Subtrees under absent()/absent_over_time() (whose output
// labels come from the selector's text) and root-level subqueries (evaluated on their own step
// grid) are left whole, reading raw series.
import { walkExpr, type AggregateExpr, type Expr, type VectorSelector } from '../../shared/promql/index.ts';
import { Analysis } from './analysis.ts';
import { FragmentSet, isPlaceholderName, type Fragment, type MergeStep } from './fragment.ts';
import { splitAvg } from './split-avg.ts';
import { splitCount } from './split-count.ts';
import { splitCountValues } from './split-count-values.ts';
import { splitSameOp } from './split-same-op.ts';
import { splitTopk } from './split-topk.ts';
import { splitStdvar } from './split-stdvar.ts';
import { splitQuantile } from './split-quantile.ts';
import { worthPushing } from './worth.ts';

export type PlanMode = 'pushdown' | 'naive';

export interface Plan {
  mode: PlanMode;
  /** What the root evaluates (placeholders stand for fragments). */
  root: Expr;
  fragments: Fragment[];
  /** Merges the root computes from fragments' per-zone answers. */
  merges: MergeStep[];
  /** Selectors the root reads raw series for (the naive part of the plan). */
  raw: VectorSelector[];
}

type Split = (a: AggregateExpr, frags: FragmentSet) => Expr | undefined;
const SPLITS: readonly Split[] = [
  splitSameOp,
  splitCount,
  splitAvg,
  splitTopk,
  splitCountValues,
  splitStdvar,
  splitQuantile,
];

/** The query's time parameters (instant: startMs = endMs, stepMs = 0). */
export interface PlanTime {
  startMs: number;
  endMs: number;
  stepMs: number;
  /** Subquery step when omitted (the engines' default evaluation interval). */
  defaultEvalIntervalMs?: number;
}

/** Zones answer range queries of at most this many steps (the engines' maxPointsPerSeries). */
const MAX_FRAGMENT_STEPS = 11_000;

export function planQuery(
  ast: Expr,
  zoneLabels: ReadonlySet<string>,
  mode: PlanMode = 'pushdown',
  time?: PlanTime,
): Plan {
  const frags = new FragmentSet();
  const root = mode === 'naive' ? ast : rewrite(ast, new Analysis(zoneLabels), frags, time);
  return { mode, root, fragments: frags.list, merges: frags.merges, raw: rawSelectors(root) };
}

/**
 * Aggregations whose split (zone partials combined at the root) changes the last bits of the
 * result: fine for values compared to rounding, not under count_values, which makes the bits
 * label text. Under count_values they are evaluated at the root from raw series in one
 * engine's order, as Prometheus 2.42 folds them.
 */
const FLOAT_SPLIT_OPS: ReadonlySet<string> = new Set(['sum', 'avg', 'stddev', 'stdvar']);

function rewrite(e: Expr, an: Analysis, frags: FragmentSet, time: PlanTime | undefined, exact = false): Expr {
  const f = an.facts(e);
  if (worthPushing(e, f)) return frags.add(e, "concatenate the zones' series");
  switch (e.kind) {
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
    case 'MatrixSelector':
      return e;
    case 'SubqueryExpr': {
      // Only subqueries on the query's own grid, without @ (their grid depends on nothing else),
      // and nothing inside using start()/end(): a zone would resolve those against the
      // subquery grid its range query runs on, not against the query's.
      if (!time || frags.grid || e.atMs !== null || e.atPre !== null || usesAtPreprocessor(e.expr)) return e;
      const interval = e.stepMs > 0 ? e.stepMs : (time.defaultEvalIntervalMs ?? 60_000);
      const last = time.endMs - e.offsetMs;
      const lowest = time.startMs - e.offsetMs - e.rangeMs;
      let start = interval * Math.trunc(lowest / interval);
      if (start < lowest) start += interval;
      if (start > last || (last - start) / interval + 1 > MAX_FRAGMENT_STEPS) return e;
      frags.grid = { startMs: start, endMs: last, stepMs: interval };
      try {
        return { ...e, expr: rewrite(e.expr, an, frags, time, exact) };
      } finally {
        frags.grid = undefined;
      }
    }
    case 'ParenExpr':
    case 'UnaryExpr':
      return { ...e, expr: rewrite(e.expr, an, frags, time, exact) };
    case 'BinaryExpr':
      return {
        ...e,
        lhs: rewrite(e.lhs, an, frags, time, exact),
        rhs: rewrite(e.rhs, an, frags, time, exact),
      };
    case 'Call':
      if (e.func === 'absent' || e.func === 'absent_over_time') return e;
      return { ...e, args: e.args.map((a) => rewrite(a, an, frags, time, exact)) };
    case 'AggregateExpr': {
      const arg = an.facts(e.expr);
      const p = e.param ? an.facts(e.param) : undefined;
      if (
        arg.local &&
        arg.hasSelector &&
        (!p || (p.local && !p.hasSelector)) &&
        !(exact && FLOAT_SPLIT_OPS.has(e.op))
      ) {
        for (const s of SPLITS) {
          const out = s(e, frags);
          if (out) return out;
        }
      }
      const exactInside = exact || e.op === 'count_values';
      return {
        ...e,
        expr: rewrite(e.expr, an, frags, time, exactInside),
        param: e.param ? rewrite(e.param, an, frags, time, exact) : null,
      };
    }
  }
}

/**
 * Every selector in a subtree, in the order plans list them: an aggregation's argument before
 * its parameter (walkExpr itself visits the parameter first, in evaluation order).
 */
function eachSelector(e: Expr, visit: (vs: VectorSelector) => void): void {
  walkExpr(e, (n) => {
    if (n.kind === 'AggregateExpr' && n.param) {
      eachSelector(n.expr, visit);
      eachSelector(n.param, visit);
      return false;
    }
    if (n.kind === 'VectorSelector') visit(n);
  });
}

/** Placeholder names the root's expression reads. */
export function placeholdersIn(e: Expr): Set<string> {
  const out = new Set<string>();
  eachSelector(e, (vs) => {
    if (isPlaceholderName(vs.name)) out.add(vs.name);
  });
  return out;
}

/** True when a subtree has `@ start()` or `@ end()`. */
function usesAtPreprocessor(e: Expr): boolean {
  let found = false;
  walkExpr(e, (n) => {
    if ((n.kind === 'VectorSelector' || n.kind === 'SubqueryExpr') && n.atPre !== null) found = true;
    return !found;
  });
  return found;
}

/** Real selectors left in the root's expression (placeholders excluded). */
export function rawSelectors(e: Expr, out: VectorSelector[] = []): VectorSelector[] {
  eachSelector(e, (vs) => {
    if (!isPlaceholderName(vs.name)) out.push(vs);
  });
  return out;
}

/** A selector's matchers as series-selector text (offset and @ dropped: the range covers them). */
export function selectorText(vs: VectorSelector): string {
  return `{${vs.matchers.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(', ')}}`;
}
