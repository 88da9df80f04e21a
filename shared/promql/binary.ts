// Binary operators: arithmetic and comparisons between scalars and vectors, vector matching
// (one-to-one, many-to-one, one-to-many with cardinality errors) and the set operators.
import { CanopyError } from '../errors.ts';
import { labelsKey, METRIC_NAME, type Label, type Labels } from '../labels.ts';
import type { Distribution } from '../distribution.ts';
import { type BinaryExpr, type BinaryOp, type VectorMatching } from './ast.ts';
import type { EvalContext } from './context.ts';
import { mergeDistributions } from './distribution-merge.ts';
import { goPow } from './functions/gomath.ts';
import { dropMetricName, mergeByLabels } from './merge.ts';
import { allocU8, newStepSeries, type EvalValue, type StepGrid, type StepSeries } from './types.ts';

type Arith = (l: number, r: number) => number;
type Compare = (l: number, r: number) => boolean;

function arithmetic(op: BinaryOp): Arith | null {
  switch (op) {
    case '+':
      return (l, r) => l + r;
    case '-':
      return (l, r) => l - r;
    case '*':
      return (l, r) => l * r;
    case '/':
      return (l, r) => l / r;
    case '%':
      return (l, r) => l % r;
    case '^':
      return goPow;
    case 'atan2':
      return Math.atan2;
    default:
      return null;
  }
}

/**
 * Prometheus 2.42's shouldDropMetricName: only + - * / % ^ drop the metric name; atan2 keeps it
 * (changed in later versions), comparisons keep it unless `bool`.
 */
function dropsMetricName(e: BinaryExpr): boolean {
  switch (e.op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '^':
      return true;
    default:
      return e.returnBool;
  }
}

function comparison(op: BinaryOp): Compare | null {
  switch (op) {
    case '==':
      return (l, r) => l === r;
    case '!=':
      return (l, r) => l !== r;
    case '>':
      return (l, r) => l > r;
    case '<':
      return (l, r) => l < r;
    case '>=':
      return (l, r) => l >= r;
    case '<=':
      return (l, r) => l <= r;
    default:
      return null;
  }
}

/** Prometheus's Labels.String(): {a="1", b="2"} including __name__. */
export function labelsString(ls: Labels): string {
  return `{${ls.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

export function scalarBinop(op: BinaryOp, l: Float64Array, r: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const a = arithmetic(op);
  const c = comparison(op);
  for (let i = 0; i < n; i++) out[i] = a ? a(l[i]!, r[i]!) : c!(l[i]!, r[i]!) ? 1 : 0;
  return out;
}

const DIST_WARNING = 'binary operation on distribution samples is not supported: such samples were dropped';

/** vector op scalar (or scalar op vector when `scalarLeft`). */
export function vectorScalarBinop(
  ctx: EvalContext,
  e: BinaryExpr,
  vec: StepSeries[],
  sc: Float64Array,
  scalarLeft: boolean,
  grid: StepGrid,
): StepSeries[] {
  const n = grid.n;
  const a = arithmetic(e.op);
  const c = comparison(e.op);
  const dropName = dropsMetricName(e);
  const out: StepSeries[] = [];
  for (const s of vec) {
    ctx.check();
    const o = newStepSeries(dropName ? dropMetricName(s.labels) : s.labels, n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      if (s.d?.[i]) {
        ctx.warn(DIST_WARNING);
        continue;
      }
      const v = s.f[i]!,
        k = sc[i]!;
      const lv = scalarLeft ? k : v,
        rv = scalarLeft ? v : k;
      let value: number;
      if (a) value = a(lv, rv);
      else {
        const keep = c!(lv, rv);
        // Prometheus 2.42 keeps the vector element's value, also when the scalar is on the left.
        if (e.returnBool) value = keep ? 1 : 0;
        else if (!keep) continue;
        else value = v;
      }
      o.f[i] = value;
      o.has[i] = 1;
      any = true;
    }
    if (any) out.push(o);
  }
  return dropName ? mergeByLabels(out, n) : out;
}

/** Signature key of the labels a vector match compares. */
function signature(ls: Labels, m: VectorMatching | null): string {
  let s = '';
  if (m && m.on) {
    for (const l of ls) if (m.labels.includes(l.name)) s += l.name + '\xff' + l.value + '\xfe';
  } else {
    for (const l of ls) {
      if (l.name === METRIC_NAME || (m && m.labels.includes(l.name))) continue;
      s += l.name + '\xff' + l.value + '\xfe';
    }
  }
  return s;
}

function matchedLabels(ls: Labels, m: VectorMatching): Labels {
  return m.on
    ? ls.filter((l) => m.labels.includes(l.name))
    : ls.filter((l) => l.name !== METRIC_NAME && !m.labels.includes(l.name));
}

function resultLabels(lhs: Labels, rhs: Labels, e: BinaryExpr, m: VectorMatching): Labels {
  let ls: Label[] = lhs.slice();
  if (dropsMetricName(e)) ls = ls.filter((l) => l.name !== METRIC_NAME);
  if (m.card === 'one-to-one') {
    ls = m.on ? ls.filter((l) => m.labels.includes(l.name)) : ls.filter((l) => !m.labels.includes(l.name));
  }
  for (const name of m.include) {
    ls = ls.filter((l) => l.name !== name);
    const v = rhs.find((l) => l.name === name)?.value;
    if (v) ls.push({ name, value: v });
  }
  return ls.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

class SigTable {
  private readonly ids = new Map<string, number>();
  id(key: string): number {
    let v = this.ids.get(key);
    if (v === undefined) {
      v = this.ids.size;
      this.ids.set(key, v);
    }
    return v;
  }
  get size(): number {
    return this.ids.size;
  }
}

/** The matching a vector–vector operation uses; trees built without the parser may omit it. */
function matchingOf(e: BinaryExpr): VectorMatching {
  return (
    e.matching ?? {
      card: e.op === 'and' || e.op === 'or' || e.op === 'unless' ? 'many-to-many' : 'one-to-one',
      labels: [],
      on: false,
      include: [],
    }
  );
}

export function vectorBinop(
  ctx: EvalContext,
  e: BinaryExpr,
  lhs: StepSeries[],
  rhs: StepSeries[],
  grid: StepGrid,
): StepSeries[] {
  const m = matchingOf(e);
  const n = grid.n;
  const swapped = m.card === 'one-to-many';
  const L = swapped ? rhs : lhs; // the "many" side (or lhs for one-to-one)
  const R = swapped ? lhs : rhs; // the "one" side
  const sigs = new SigTable();
  const lSig = Int32Array.from(L, (s) => sigs.id(signature(s.labels, m)));
  const rSig = Int32Array.from(R, (s) => sigs.id(signature(s.labels, m)));
  const rAt = new Int32Array(sigs.size);
  const matchedStamp = new Int32Array(sigs.size);
  const a = arithmetic(e.op);
  const c = comparison(e.op);
  const pairs = new Map<number, StepSeries>();
  const byLabels = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (let i = 0; i < n; i++) {
    ctx.check();
    // Prometheus short-circuits a step where either side is empty: nothing can match, so no
    // duplicate on the "one" side is reported either.
    if (!anyAt(L, i) || !anyAt(R, i)) continue;
    rAt.fill(-1);
    for (let ri = 0; ri < R.length; ri++) {
      if (!R[ri]!.has[i]) continue;
      const sig = rSig[ri]!;
      const dup = rAt[sig]!;
      if (dup >= 0) {
        throw new CanopyError(
          'execution',
          `found duplicate series for the match group ${labelsString(matchedLabels(R[ri]!.labels, m))} on the ${swapped ? 'left' : 'right'} hand-side of the operation: [${labelsString(R[ri]!.labels)}, ${labelsString(R[dup]!.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      rAt[sig] = ri;
    }
    for (let li = 0; li < L.length; li++) {
      const ls = L[li]!;
      if (!ls.has[i]) continue;
      const sig = lSig[li]!;
      const ri = rAt[sig]!;
      if (ri < 0) continue;
      const rs = R[ri]!;
      let vl = ls.f[i]!,
        vr = rs.f[i]!;
      let dl: Distribution | undefined = ls.d?.[i],
        dr: Distribution | undefined = rs.d?.[i];
      if (swapped) {
        [vl, vr] = [vr, vl];
        [dl, dr] = [dr, dl];
      }
      let value: number;
      let dist: Distribution | undefined;
      if (dl || dr) {
        if (e.op === '+' && dl && dr) {
          dist = mergeDistributions([dl, dr]);
          value = dist.sum;
        } else {
          ctx.warn(DIST_WARNING);
          continue;
        }
      } else if (a) value = a(vl, vr);
      else {
        const keep = c!(vl, vr);
        if (e.returnBool) value = keep ? 1 : 0;
        else if (!keep) continue;
        else value = vl;
      }
      if (m.card === 'one-to-one') {
        if (matchedStamp[sig] === i + 1) {
          throw new CanopyError(
            'execution',
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
        matchedStamp[sig] = i + 1;
      }
      const pairKey = li * R.length + ri;
      let o = pairs.get(pairKey);
      if (!o) {
        const labels = resultLabels(ls.labels, rs.labels, e, m);
        const key = labelsKey(labels);
        o = byLabels.get(key);
        if (!o) {
          o = newStepSeries(labels, n);
          byLabels.set(key, o);
          out.push(o);
        }
        pairs.set(pairKey, o);
      }
      if (o.has[i]) {
        throw new CanopyError(
          'execution',
          m.card === 'one-to-one'
            ? 'vector cannot contain metrics with the same labelset'
            : 'multiple matches for labels: grouping labels must ensure unique matches',
        );
      }
      o.has[i] = 1;
      o.f[i] = value;
      if (dist) {
        if (!o.d) o.d = new Array(n);
        o.d[i] = dist;
      }
    }
  }
  return out;
}

function anyAt(series: StepSeries[], i: number): boolean {
  for (const s of series) if (s.has[i]) return true;
  return false;
}

/** and / or / unless: filters by matching signatures per step; labels are kept as they are. */
export function setBinop(
  ctx: EvalContext,
  e: BinaryExpr,
  lhs: StepSeries[],
  rhs: StepSeries[],
  grid: StepGrid,
): StepSeries[] {
  const n = grid.n;
  const m = matchingOf(e);
  const sigs = new SigTable();
  const lSig = Int32Array.from(lhs, (s) => sigs.id(signature(s.labels, m)));
  const rSig = Int32Array.from(rhs, (s) => sigs.id(signature(s.labels, m)));
  const stamp = new Int32Array(sigs.size);
  const copy = (s: StepSeries): StepSeries => ({ labels: s.labels, f: s.f, has: allocU8(n), d: s.d });
  const lOut = lhs.map(copy);
  if (e.op === 'or') {
    const rOut = rhs.map(copy);
    for (let i = 0; i < n; i++) {
      ctx.check();
      for (let li = 0; li < lhs.length; li++) {
        if (!lhs[li]!.has[i]) continue;
        lOut[li]!.has[i] = 1;
        stamp[lSig[li]!] = i + 1;
      }
      for (let ri = 0; ri < rhs.length; ri++) {
        if (rhs[ri]!.has[i] && stamp[rSig[ri]!] !== i + 1) rOut[ri]!.has[i] = 1;
      }
    }
    return mergeByLabels(nonEmpty([...lOut, ...rOut]), n);
  }
  const keepMatched = e.op === 'and';
  for (let i = 0; i < n; i++) {
    ctx.check();
    for (let ri = 0; ri < rhs.length; ri++) if (rhs[ri]!.has[i]) stamp[rSig[ri]!] = i + 1;
    for (let li = 0; li < lhs.length; li++) {
      if (!lhs[li]!.has[i]) continue;
      if ((stamp[lSig[li]!] === i + 1) === keepMatched) lOut[li]!.has[i] = 1;
    }
  }
  return nonEmpty(lOut);
}

function nonEmpty(series: StepSeries[]): StepSeries[] {
  return series.filter((s) => s.has.includes(1));
}

export function evalBinary(
  ctx: EvalContext,
  e: BinaryExpr,
  l: EvalValue,
  r: EvalValue,
  grid: StepGrid,
): EvalValue {
  if (l.kind === 'scalar' && r.kind === 'scalar')
    return { kind: 'scalar', f: scalarBinop(e.op, l.f, r.f, grid.n) };
  if (l.kind === 'vector' && r.kind === 'scalar')
    return { kind: 'vector', series: vectorScalarBinop(ctx, e, l.series, r.f, false, grid) };
  if (l.kind === 'scalar' && r.kind === 'vector')
    return { kind: 'vector', series: vectorScalarBinop(ctx, e, r.series, l.f, true, grid) };
  if (l.kind === 'vector' && r.kind === 'vector') {
    if (e.op === 'and' || e.op === 'or' || e.op === 'unless')
      return { kind: 'vector', series: setBinop(ctx, e, l.series, r.series, grid) };
    return { kind: 'vector', series: vectorBinop(ctx, e, l.series, r.series, grid) };
  }
  throw new CanopyError('execution', `binary expression must contain only scalar and instant vector types`);
}
