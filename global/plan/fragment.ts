// Fragment: a subtree the zones evaluate (with the query's own time parameters), and the
// placeholder selector that stands for its merged answer in the expression the root evaluates.
// The root's Queryable (fetched-queryable.ts) serves a placeholder's series from the zones'
// answers; the placeholder name cannot clash with a real metric (reserved __ prefix).
import { formatExpr, type Expr, type VectorSelector } from '../../shared/promql/index.ts';
import { Matcher } from '../../shared/matchers.ts';
import { METRIC_NAME } from '../../shared/labels.ts';

export const PLACEHOLDER_PREFIX = '__canopy_fragment_';

/** Evaluation steps of a fragment inside a root-level subquery (else the query's own). */
export interface FragmentGrid {
  startMs: number;
  endMs: number;
  stepMs: number;
}

export interface Fragment {
  /** Placeholder metric name, e.g. __canopy_fragment_0__. */
  id: string;
  /** Set for fragments under a subquery evaluated at the root: a range query on its grid. */
  grid?: FragmentGrid;
  /** The PromQL each zone evaluates. */
  expr: string;
  ast: Expr;
  /** What the root does with the zones' answers. */
  merge: string;
  /** Set when zones return group values (shared/wire/group-values.ts) instead of series. */
  groupValues?: { grouping: string[]; without: boolean };
  /**
   * Partial float sums (sum, avg's sum, stddev's mean and variance): the root combines them in
   * another order than one engine folds the series, which only matters when that order can
   * overflow (see exact-order.ts).
   */
  orderSensitive?: boolean;
}

/**
 * A merge the engine cannot express: the root combines several fragments' per-zone answers
 * (matched by label set and step) into the series its placeholder stands for.
 */
export interface MergeStep {
  id: string;
  kind: 'stdvar' | 'stddev' | 'quantile';
  /** φ for quantile. */
  param?: number;
  /** Fragment ids of the per-zone inputs, by role. */
  inputs: Record<string, string>;
  merge: string;
  grid?: FragmentGrid;
}

/** Collects a plan's fragments, one per distinct zone expression, and its merge steps. */
export class FragmentSet {
  readonly list: Fragment[] = [];
  readonly merges: MergeStep[] = [];
  private readonly byExpr = new Map<string, Fragment>();
  /** The grid fragments added now are evaluated on (set while rewriting a subquery's inside). */
  grid: FragmentGrid | undefined;

  /** The placeholder for a root-side merge of fragments (inputs: role → fragment placeholder). */
  addMerge(
    kind: MergeStep['kind'],
    inputs: Record<string, VectorSelector>,
    merge: string,
    param?: number,
  ): VectorSelector {
    const id = `${PLACEHOLDER_PREFIX}m${this.merges.length}__`;
    this.merges.push({
      id,
      kind,
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.name])),
      merge,
      ...(this.grid ? { grid: this.grid } : {}),
      ...(param !== undefined ? { param } : {}),
    });
    return placeholder(id);
  }

  /** The placeholder selector for `ast` evaluated in the zones. */
  add(
    ast: Expr,
    merge: string,
    groupValues?: Fragment['groupValues'],
    orderSensitive = false,
  ): VectorSelector {
    const expr = formatExpr(ast);
    let key = this.grid ? `${expr}\u0000${this.grid.startMs}:${this.grid.endMs}:${this.grid.stepMs}` : expr;
    if (groupValues)
      key += `\u0000values ${groupValues.without ? 'without' : 'by'} ${groupValues.grouping.join(',')}`;
    let f = this.byExpr.get(key);
    if (!f) {
      f = {
        id: `${PLACEHOLDER_PREFIX}${this.list.length}__`,
        expr,
        ast,
        merge,
        ...(this.grid ? { grid: this.grid } : {}),
        ...(groupValues ? { groupValues } : {}),
      };
      this.list.push(f);
      this.byExpr.set(key, f);
    }
    if (orderSensitive) f.orderSensitive = true;
    return placeholder(f.id);
  }
}

export function placeholder(id: string): VectorSelector {
  return {
    kind: 'VectorSelector',
    name: id,
    matchers: [new Matcher('=', METRIC_NAME, id)],
    offsetMs: 0,
    atMs: null,
    atPre: null,
    start: 0,
    end: 0,
  };
}

export function isPlaceholderName(name: string): boolean {
  return name.startsWith(PLACEHOLDER_PREFIX);
}
