// Aggregation operators: sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk,
// quantile, count_values, with by/without grouping and Prometheus's output labels. Groups are
// formed once per series; accumulators are per group and step.
import { CanopyError } from '../errors.ts';
import { getLabel, LABEL_NAME_RE, labelsKey, METRIC_NAME, withLabel, type Labels } from '../labels.ts';
import type { Distribution } from '../distribution.ts';
import type { AggregateExpr } from './ast.ts';
import { STEP_BYTES, type EvalContext } from './context.ts';
import { mergeDistributions } from './distribution-merge.ts';
import { formatFloat } from './format.ts';
import { mergeByLabels } from './merge.ts';
import { quantileOfValues } from './quantile.ts';
import { formatGoFloatV } from './functions/util.ts';
import { allocF64, allocU8, newStepSeries, type StepGrid, type StepSeries } from './types.ts';

/** The labels of the group a series with labels `ls` falls in; dropName: as if its metric name had been dropped. */
function groupLabels(ls: Labels, e: AggregateExpr, dropName = false): Labels {
  if (e.without) return ls.filter((l) => l.name !== METRIC_NAME && !e.grouping.includes(l.name));
  return ls.filter((l) => e.grouping.includes(l.name) && !(dropName && l.name === METRIC_NAME));
}

/** A map key identifying groupLabels(ls, e, dropName) without building them. */
function groupKey(ls: Labels, e: AggregateExpr, dropName: boolean): string {
  const g = e.grouping;
  if (!e.without && g.length === 1) {
    // One grouping label: its value ('' when absent; label values are never empty).
    return dropName && g[0] === METRIC_NAME ? '' : getLabel(ls, g[0]!);
  }
  let key = '';
  for (const l of ls) {
    if (
      e.without
        ? l.name === METRIC_NAME || g.includes(l.name)
        : !g.includes(l.name) || (dropName && l.name === METRIC_NAME)
    )
      continue;
    key += l.name + '\xff' + l.value + '\xfe';
  }
  return key;
}

interface Groups {
  /** Group index of each input series. */
  of: Int32Array;
  labels: Labels[];
  members: number[][];
}

function formGroups(series: StepSeries[], e: AggregateExpr): Groups {
  const of = new Int32Array(series.length);
  const labels: Labels[] = [];
  const members: number[][] = [];
  const ids = new Map<string, number>();
  series.forEach((s, i) => {
    const key = groupKey(s.labels, e, false);
    let g = ids.get(key);
    if (g === undefined) {
      g = labels.length;
      ids.set(key, g);
      labels.push(groupLabels(s.labels, e));
      members.push([]);
    }
    of[i] = g;
    members[g]!.push(i);
  });
  return { of, labels, members };
}

/** Aggregations computed series by series (Aggregation); the others need all input series at once. */
export const STREAMABLE_AGGREGATIONS: ReadonlySet<string> = new Set([
  'sum',
  'avg',
  'count',
  'group',
  'min',
  'max',
  'stddev',
  'stdvar',
]);

/**
 * Evaluates an aggregation. `param` is the per-step scalar (topk/bottomk/quantile) or the
 * label name (count_values). Returns series in first-seen group order; for topk/bottomk in a
 * one-step grid the members of each group are ordered as Prometheus orders them.
 */
export function evalAggregate(
  ctx: EvalContext,
  e: AggregateExpr,
  input: StepSeries[],
  param: Float64Array | string | null,
  grid: StepGrid,
): StepSeries[] {
  const n = grid.n;
  if (e.op === 'count_values') return countValues(ctx, e, input, param as string, grid);
  if (e.op === 'topk' || e.op === 'bottomk')
    return topBottomK(ctx, e, input, formGroups(input, e), param as Float64Array, n);
  if (e.op === 'quantile') return quantileAgg(ctx, input, formGroups(input, e), param as Float64Array, n);
  const agg = new Aggregation(ctx, e, n, false);
  for (const s of input) agg.add(s, s.labels);
  return agg.finish();
}

/**
 * sum, avg, count, group, min, max, stddev, stdvar, fed one input series at a time (the series
 * may be reused by the caller after add returns). Groups are formed as series arrive, so the
 * output is in first-seen group order. dropName: group the input as if its metric name had
 * been dropped (series streamed from a range function before it drops the name).
 */
export class Aggregation {
  private readonly ids = new Map<string, number>();
  private readonly out: StepSeries[] = [];
  private readonly count: Float64Array[] = [];
  private readonly mean: Float64Array[] | null;
  private readonly dists: (Distribution[] | undefined)[][] | null;
  private readonly mixed: Uint8Array[] | null;

  constructor(
    private readonly ctx: EvalContext,
    private readonly e: AggregateExpr,
    private readonly n: number,
    private readonly dropName: boolean,
  ) {
    this.mean = e.op === 'stddev' || e.op === 'stdvar' ? [] : null;
    this.dists = e.op === 'sum' ? [] : null;
    this.mixed = e.op === 'sum' ? [] : null;
  }

  private group(labels: Labels): number {
    const key = groupKey(labels, this.e, this.dropName);
    let g = this.ids.get(key);
    if (g !== undefined) return g;
    g = this.out.length;
    this.ids.set(key, g);
    this.out.push(newStepSeries(groupLabels(labels, this.e, this.dropName), this.n));
    this.count.push(allocF64(this.n));
    this.mean?.push(allocF64(this.n));
    this.dists?.push([]);
    this.mixed?.push(allocU8(this.n));
    return g;
  }

  add(s: StepSeries, labels: Labels): void {
    const { ctx, e, n } = this;
    ctx.check();
    const g = this.group(labels);
    const o = this.out[g]!,
      cnt = this.count[g]!;
    const f = o.f;
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      const d = s.d?.[i];
      if (d) {
        if (e.op === 'sum') {
          const per = this.dists![g]!;
          (per[i] ??= []).push(d);
          o.has[i] = 1;
          continue;
        }
        if (e.op !== 'count' && e.op !== 'group') {
          ctx.warn(`aggregation ${e.op} ignores distribution samples`);
          continue;
        }
      }
      const v = s.f[i]!;
      const c = ++cnt[i]!;
      o.has[i] = 1;
      switch (e.op) {
        case 'sum':
          if (c === 1) f[i] = v;
          else f[i] = f[i]! + v;
          this.mixed![g]![i] = 1;
          break;
        case 'avg': {
          if (c === 1) {
            f[i] = v;
            break;
          }
          const m = f[i]!;
          if (!Number.isFinite(m) && m === m) {
            if (!Number.isFinite(v) && v === v && m > 0 === v > 0) break;
            if (Number.isFinite(v)) break;
          }
          // Go: mean += v/c - mean/c (the difference first, then added: other rounding).
          f[i] = m + (v / c - m / c);
          break;
        }
        case 'count':
          f[i] = c;
          break;
        case 'group':
          f[i] = 1;
          break;
        case 'min':
          if (c === 1 || f[i]! > v || f[i] !== f[i]) f[i] = v;
          break;
        case 'max':
          if (c === 1 || f[i]! < v || f[i] !== f[i]) f[i] = v;
          break;
        case 'stddev':
        case 'stdvar': {
          const mu = this.mean![g]!;
          if (c === 1) {
            mu[i] = v;
            f[i] = 0;
            break;
          }
          const delta = v - mu[i]!;
          mu[i] = mu[i]! + delta / c;
          f[i] = f[i]! + delta * (v - mu[i]!);
          break;
        }
        default:
          throw new CanopyError('execution', `unsupported aggregation ${e.op}`);
      }
    }
  }

  finish(): StepSeries[] {
    const { ctx, e, n, out } = this;
    for (let g = 0; g < out.length; g++) {
      const o = out[g]!,
        cnt = this.count[g]!;
      if (e.op === 'stddev' || e.op === 'stdvar') {
        for (let i = 0; i < n; i++) {
          if (!o.has[i]) continue;
          const v = o.f[i]! / cnt[i]!;
          o.f[i] = e.op === 'stddev' ? Math.sqrt(v) : v;
        }
      }
      if (this.dists) {
        const per = this.dists[g]!;
        for (let i = 0; i < n; i++) {
          const ds = per[i];
          if (!ds) continue;
          if (this.mixed![g]![i]) {
            ctx.warn('sum ignores distribution samples mixed with float samples');
            continue;
          }
          const m = mergeDistributions(ds);
          if (!o.d) o.d = new Array(n);
          o.d[i] = m;
          o.f[i] = m.sum;
        }
      }
    }
    return out.filter((o) => o.has.includes(1));
  }
}

/**
 * Prometheus 2.42's selection heap (container/heap over vectorByValueHeap or
 * vectorByReverseValueHeap): heap[0] is the element to evict, NaN counts as the most evictable.
 * Replicated operation for operation so that ties and NaNs pick the same series as Prometheus.
 */
class SelectHeap {
  idx: number[] = [];
  vals: number[] = [];
  top = true;

  private less(i: number, j: number): boolean {
    const a = this.vals[i]!;
    if (a !== a) return true;
    return this.top ? a < this.vals[j]! : a > this.vals[j]!;
  }
  private swap(i: number, j: number): void {
    const a = this.idx[i]!,
      v = this.vals[i]!;
    this.idx[i] = this.idx[j]!;
    this.vals[i] = this.vals[j]!;
    this.idx[j] = a;
    this.vals[j] = v;
  }
  private up(j: number): void {
    for (;;) {
      const i = Math.floor((j - 1) / 2);
      if (j <= 0 || i === j || !this.less(j, i)) break;
      this.swap(i, j);
      j = i;
    }
  }
  private down(i0: number): boolean {
    const n = this.idx.length;
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      if (j1 + 1 < n && this.less(j1 + 1, j1)) j = j1 + 1;
      if (!this.less(j, i)) break;
      this.swap(i, j);
      i = j;
    }
    return i > i0;
  }
  push(si: number, v: number): void {
    this.idx.push(si);
    this.vals.push(v);
    this.up(this.idx.length - 1);
  }
  /** Replaces heap[0] and restores the heap (heap.Fix(h, 0)). */
  replaceTop(si: number, v: number): void {
    this.idx[0] = si;
    this.vals[0] = v;
    if (!this.down(0)) this.up(0);
  }
}

function topBottomK(
  ctx: EvalContext,
  e: AggregateExpr,
  input: StepSeries[],
  groups: Groups,
  ks: Float64Array,
  n: number,
): StepSeries[] {
  const top = e.op === 'topk';
  const outs = input.map((s) => newStepSeries(s.labels, n));
  // For one-step grids, the output order: groups in first-seen order, members by value.
  const order: number[] = [];
  const heap = new SelectHeap();
  heap.top = top;
  for (let i = 0; i < n; i++) {
    ctx.check();
    const kf = ks[i]!;
    if (kf !== kf || Math.abs(kf) >= 9.223372036854776e18)
      throw new CanopyError('execution', `Scalar value ${formatGoFloatV(kf)} overflows int64`);
    const k = Math.trunc(kf);
    if (k < 1) continue;
    for (const members of groups.members) {
      heap.idx.length = 0;
      heap.vals.length = 0;
      for (const si of members) {
        const s = input[si]!;
        if (!s.has[i] || s.d?.[i]) continue;
        const v = s.f[i]!;
        if (heap.idx.length < k) heap.push(si, v);
        else {
          // 2.42: an evictable NaN on top is replaced by anything, even another NaN.
          const t = heap.vals[0]!;
          if ((top ? t < v : t > v) || t !== t) {
            if (k > 1) heap.replaceTop(si, v);
            else {
              heap.idx[0] = si;
              heap.vals[0] = v;
            }
          }
        }
      }
      const picked = heap.idx.slice();
      // Output by rank: for topk larger first, for bottomk smaller first, NaN last.
      const val = (si: number): number => input[si]!.f[i]!;
      picked.sort((a, b) => {
        const x = val(a),
          y = val(b);
        if (x !== x) return y !== y ? a - b : 1;
        if (y !== y) return -1;
        return top ? y - x || a - b : x - y || a - b;
      });
      for (const si of picked) {
        outs[si]!.has[i] = 1;
        outs[si]!.f[i] = input[si]!.f[i]!;
        if (n === 1) order.push(si);
      }
    }
  }
  if (n === 1) return order.map((si) => outs[si]!);
  return outs.filter((o) => o.has.includes(1));
}

function quantileAgg(
  ctx: EvalContext,
  input: StepSeries[],
  groups: Groups,
  qs: Float64Array,
  n: number,
): StepSeries[] {
  const out = groups.labels.map((l) => newStepSeries(l, n));
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    ctx.check();
    for (let g = 0; g < out.length; g++) {
      vals.length = 0;
      for (const si of groups.members[g]!) {
        const s = input[si]!;
        if (s.has[i] && !s.d?.[i]) vals.push(s.f[i]!);
      }
      if (vals.length === 0) continue;
      out[g]!.has[i] = 1;
      out[g]!.f[i] = quantileOfValues(qs[i]!, Float64Array.from(vals));
    }
  }
  return out.filter((o) => o.has.includes(1));
}

function countValues(
  ctx: EvalContext,
  e: AggregateExpr,
  input: StepSeries[],
  label: string,
  grid: StepGrid,
): StepSeries[] {
  if (!LABEL_NAME_RE.test(label))
    throw new CanopyError('execution', `invalid label name ${JSON.stringify(label)}`);
  const n = grid.n;
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (const s of input) {
    ctx.check();
    const base = groupLabels(s.labels, e);
    for (let i = 0; i < n; i++) {
      if (!s.has[i] || s.d?.[i]) continue;
      // Prometheus adds the value label before grouping: `without (<it>)` removes it again.
      const labels =
        e.without && e.grouping.includes(label) ? base : withLabel(base, label, formatFloat(s.f[i]!));
      const key = labelsKey(labels);
      let o = byKey.get(key);
      if (!o) {
        // One distinct value per step could make series x steps output series of n steps each.
        ctx.reserveBytes(n * STEP_BYTES);
        o = newStepSeries(labels, n);
        byKey.set(key, o);
        out.push(o);
      }
      o.has[i] = 1;
      o.f[i] = o.f[i]! + 1;
    }
  }
  return mergeByLabels(out, n);
}
