// Compares two Prometheus HTTP API query answers: status and errorType (message reported apart;
// the duplicate pair a many-to-many error names is not compared, see normalizeError),
// result type, label sets, timestamps and values (exact string, or relative 1e-9; NaN == NaN).
// Order is compared only where Prometheus defines it: range results (sorted by labels) and the
// value sequence of an instant query whose outermost call is sort/sort_desc.

export interface Answer {
  httpStatus: number;
  body: any;
}

export interface Difference {
  /** 'message' when only the error message differs. */
  kind: 'result' | 'message';
  detail: string;
}

function labelsKey(m: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]]),
  );
}

export function valuesEqual(a: string, b: string, absTolerance = 0): boolean {
  if (a === b) return true;
  const x = Number(a),
    y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return false;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  const d = Math.abs(x - y);
  return d <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) || d <= absTolerance;
}

function pointsDiff(p: [number, string][], c: [number, string][], abs: number): string | null {
  if (p.length !== c.length)
    return `${p.length} points vs ${c.length}: prom ${JSON.stringify(p.slice(0, 4))}… canopy ${JSON.stringify(c.slice(0, 4))}…`;
  for (let i = 0; i < p.length; i++) {
    if (p[i]![0] !== c[i]![0]) return `point ${i}: timestamp ${p[i]![0]} vs ${c[i]![0]}`;
    if (!valuesEqual(p[i]![1], c[i]![1], abs)) return `point ${i} at ${p[i]![0]}: ${p[i]![1]} vs ${c[i]![1]}`;
  }
  return null;
}

export interface CompareOptions {
  /**
   * Absolute difference accepted besides the relative 1e-9 (default 0). Only for the root,
   * whose split sums add zone partials in another order than one engine (and divide a sum by a
   * count where 2.42 takes an incremental mean): a result that cancels to about 0 then differs
   * by rounding of the inputs' magnitude, e.g. -2.8e-17 vs 0, which no relative bound accepts.
   */
  absTolerance?: number;
}

/** Returns null when the answers agree. `prom` is the reference. */
export function compareAnswers(
  prom: Answer,
  canopy: Answer,
  ordered: boolean,
  opts: CompareOptions = {},
): Difference | null {
  const abs = opts.absTolerance ?? 0;
  const p = prom.body,
    c = canopy.body;
  if (prom.httpStatus !== canopy.httpStatus || p?.status !== c?.status) {
    return {
      kind: 'result',
      detail: `status ${prom.httpStatus}/${p?.status} (${p?.errorType}: ${p?.error}) vs ${canopy.httpStatus}/${c?.status} (${c?.errorType}: ${c?.error})`,
    };
  }
  if (p.status !== 'success') {
    if (p.errorType !== c.errorType)
      return {
        kind: 'result',
        detail: `errorType ${p.errorType} (${p.error}) vs ${c.errorType} (${c.error})`,
      };
    if (p.error !== c.error && normalizeError(p.error) !== normalizeError(c.error))
      return {
        kind: 'message',
        detail: `error message ${JSON.stringify(p.error)} vs ${JSON.stringify(c.error)}`,
      };
    return null;
  }
  const pd = p.data,
    cd = c.data;
  if (pd.resultType !== cd.resultType)
    return { kind: 'result', detail: `resultType ${pd.resultType} vs ${cd.resultType}` };
  const diff = (d: string): Difference => ({ kind: 'result', detail: d });
  if (pd.resultType === 'scalar' || pd.resultType === 'string') {
    const r = pointsDiff([pd.result], [cd.result], abs);
    return r ? diff(r) : null;
  }
  const pr = pd.result as any[],
    cr = cd.result as any[];
  const pk = new Map(pr.map((s) => [labelsKey(s.metric), s]));
  const ck = new Map(cr.map((s) => [labelsKey(s.metric), s]));
  if (pk.size !== pr.length) return diff('prometheus returned duplicate label sets');
  if (ck.size !== cr.length)
    return diff(`canopy returned duplicate label sets (${cr.length} series, ${ck.size} distinct)`);
  const missing = [...pk.keys()].filter((k) => !ck.has(k));
  const extra = [...ck.keys()].filter((k) => !pk.has(k));
  if (missing.length || extra.length) {
    return diff(
      `series: ${pr.length} vs ${cr.length}; missing in canopy ${missing.slice(0, 3).join(' ')}${missing.length > 3 ? '…' : ''}; extra in canopy ${extra.slice(0, 3).join(' ')}${extra.length > 3 ? '…' : ''}`,
    );
  }
  for (const [k, ps] of pk) {
    const cs = ck.get(k);
    const r =
      pd.resultType === 'vector'
        ? pointsDiff([ps.value], [cs.value], abs)
        : pointsDiff(ps.values, cs.values, abs);
    if (r) return diff(`${k}: ${r}`);
  }
  if (pd.resultType === 'matrix' && ordered) {
    for (let i = 0; i < pr.length; i++)
      if (labelsKey(pr[i].metric) !== labelsKey(cr[i].metric))
        return diff(`series order differs at ${i}: ${labelsKey(pr[i].metric)} vs ${labelsKey(cr[i].metric)}`);
  }
  if (pd.resultType === 'vector' && ordered) {
    for (let i = 0; i < pr.length; i++)
      if (!valuesEqual(pr[i].value[1], cr[i].value[1], abs))
        return diff(`sorted order differs at ${i}: ${pr[i].value[1]} vs ${cr[i].value[1]}`);
  }
  return null;
}

/** True when Prometheus defines the order of the instant-query result of `expr`. */
export function isSortedExpr(expr: string): boolean {
  return /^\s*sort(_desc)?\s*\(/.test(expr);
}

const DUPLICATE =
  /found duplicate series for the match group \{.*\} on the (left|right) hand-side of the operation: \[.*\];many-to-many matching not allowed/;

/**
 * Error text with the parts Prometheus 2.42 itself leaves to chance replaced: which duplicate
 * pair (and match group) the many-to-many error names depends on the order of the "one" side,
 * and 2.42 orders intermediate results of range evaluation (range queries, subqueries, and
 * histogram_quantile always) through Go maps, at random. The error, its side and its type must
 * still agree.
 */
function normalizeError(e: unknown): unknown {
  if (typeof e !== 'string') return e;
  const m = DUPLICATE.exec(e);
  return m
    ? e.replace(
        DUPLICATE,
        `found duplicate series for the match group … on the ${m[1]} hand-side of the operation: […];many-to-many matching not allowed`,
      )
    : e;
}
