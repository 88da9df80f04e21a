// Can push down: facts about each subtree of a PromQL expression, decided apart from whether
// pushing it is worth it (worth.ts). A subtree is *local* when every zone evaluating it on its
// own data, with the query's time parameters, and the root concatenating the answers gives what
// one server holding all the data would give. Because every series lives in exactly one zone:
// - selectors, and everything per series (functions, math with constants, offset, @,
//   subqueries over local expressions) are local;
// - an aggregation is local when its grouping keeps a zone-identity label (by (zone, …), or
//   without (…) not dropping it) and its argument keeps it;
// - a vector/vector binary operation is local when both sides are local and keep a
//   zone-identity label and the matching keeps it too (no on/ignoring, on(zone, …),
//   ignoring(…) not naming it) — then series only ever match within one zone; arithmetic and
//   comparisons are not when the "one" side may hold duplicates (explicit matching, or series
//   that differ only in their name): their many-to-many error depends on whether the other
//   side is empty over all zones;
// - absent, absent_over_time, scalar, sort and sort_desc look at the whole vector: never local.
// "keepsZone" says a subtree's output series still carry a zone-identity label.
import type { Expr } from '../../shared/promql/index.ts';
import { typeOf } from '../../shared/promql/index.ts';

export interface Facts {
  local: boolean;
  keepsZone: boolean;
  /** Reads data (contains a selector); a subtree without one is a constant. */
  hasSelector: boolean;
  /**
   * No two output series can share their labels once the metric name is dropped (one metric
   * name selected, or one series per group): default vector matching then finds no duplicate.
   */
  unique?: boolean;
}

/** Functions whose value depends on the whole vector, not on each series alone. */
export const WHOLE_VECTOR_FUNCS: ReadonlySet<string> = new Set([
  'absent',
  'absent_over_time',
  'scalar',
  'sort',
  'sort_desc',
]);
/** Functions that group series by their labels (minus `le`): local only if the argument keeps the zone. */
const GROUPING_FUNCS: ReadonlySet<string> = new Set(['histogram_quantile']);

export class Analysis {
  private readonly memo = new Map<Expr, Facts>();

  /** zoneLabels: label names whose values differ between every pair of zones. */
  constructor(readonly zoneLabels: ReadonlySet<string>) {}

  /** True when a grouping (by/on list, or without/ignoring list) keeps a zone-identity label. */
  groupingKeepsZone(labels: readonly string[], without: boolean): boolean {
    for (const z of this.zoneLabels) if (labels.includes(z) !== without) return true;
    return false;
  }

  facts(e: Expr): Facts {
    let f = this.memo.get(e);
    if (!f) {
      f = this.compute(e);
      this.memo.set(e, f);
    }
    return f;
  }

  private compute(e: Expr): Facts {
    switch (e.kind) {
      case 'NumberLiteral':
      case 'StringLiteral':
        return { local: true, keepsZone: false, hasSelector: false };
      case 'VectorSelector':
      case 'MatrixSelector': {
        const vs = e.kind === 'VectorSelector' ? e : e.vs;
        const unique = vs.matchers.some((m) => m.name === '__name__' && m.type === '=');
        return { local: true, keepsZone: this.zoneLabels.size > 0, hasSelector: true, unique };
      }
      case 'SubqueryExpr':
      case 'ParenExpr':
      case 'UnaryExpr':
        return { ...this.facts(e.expr) };
      case 'Call': {
        const args = e.args.map((a) => this.facts(a));
        const hasSelector = args.some((a) => a.hasSelector);
        let local = args.every((a) => a.local) && !WHOLE_VECTOR_FUNCS.has(e.func);
        const dataArg = e.args.findIndex((a) => typeOf(a) === 'vector' || typeOf(a) === 'matrix');
        let keepsZone = dataArg >= 0 ? args[dataArg]!.keepsZone : false;
        if (GROUPING_FUNCS.has(e.func) && !keepsZone) local = false;
        if (e.func === 'label_replace' || e.func === 'label_join') {
          const dst = e.args[1];
          if (dst?.kind !== 'StringLiteral' || this.zoneLabels.has(dst.val)) keepsZone = false;
        }
        if (e.func === 'vector') keepsZone = false;
        const unique =
          dataArg >= 0 &&
          args[dataArg]!.unique === true &&
          e.func !== 'label_replace' &&
          e.func !== 'label_join';
        return { local, keepsZone, hasSelector, unique };
      }
      case 'BinaryExpr': {
        const l = this.facts(e.lhs),
          r = this.facts(e.rhs);
        const hasSelector = l.hasSelector || r.hasSelector;
        const lt = typeOf(e.lhs),
          rt = typeOf(e.rhs);
        if (lt !== 'vector' || rt !== 'vector') {
          const v = lt === 'vector' ? l : rt === 'vector' ? r : undefined;
          return {
            local: l.local && r.local,
            keepsZone: v?.keepsZone ?? false,
            hasSelector,
            unique: v?.unique,
          };
        }
        const m = e.matching;
        const matchKeeps = m ? this.groupingKeepsZone(m.labels, !m.on) : this.zoneLabels.size > 0;
        // Arithmetic and comparisons raise the many-to-many error only when neither side is
        // empty at that step — over all zones: a zone whose "many" side is empty there would
        // skip a duplicate that another zone's data makes an error. Where the "one" side may
        // hold duplicates the root joins the sides itself (each pushed down on its own).
        // With default matching the "one" side has no duplicate when its series are unique
        // without their names.
        const setOp = e.op === 'and' || e.op === 'or' || e.op === 'unless';
        const explicit =
          m !== undefined && m !== null && (m.labels.length > 0 || m.on || m.card !== 'one-to-one');
        const local =
          l.local &&
          r.local &&
          l.keepsZone &&
          r.keepsZone &&
          matchKeeps &&
          (setOp || (!explicit && r.unique === true));
        return {
          local,
          keepsZone: local,
          hasSelector,
          unique: !setOp && l.unique === true && r.unique === true,
        };
      }
      case 'AggregateExpr': {
        const a = this.facts(e.expr);
        const p = e.param ? this.facts(e.param) : undefined;
        const paramOk = !p || (p.local && !p.hasSelector);
        let groupKeeps = this.groupingKeepsZone(e.grouping, e.without);
        if (
          e.op === 'count_values' &&
          (e.param?.kind !== 'StringLiteral' || this.zoneLabels.has(e.param.val))
        )
          groupKeeps = false;
        const local = a.local && a.keepsZone && paramOk && groupKeeps;
        const keepsZone = e.op === 'topk' || e.op === 'bottomk' ? a.keepsZone && local : groupKeeps && local;
        const unique = e.op === 'topk' || e.op === 'bottomk' ? a.unique : e.op !== 'count_values';
        return { local, keepsZone, hasSelector: a.hasSelector || (p?.hasSelector ?? false), unique };
      }
    }
  }
}
