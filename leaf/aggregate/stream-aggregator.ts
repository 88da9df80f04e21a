// Stream aggregation of scraped (or pushed) float series before they leave the leaf, in the
// style of vmagent's stream aggregation: aggregate a high-cardinality label away on the host.
//
// Rule (YAML/JSON):
//   match:      series selector, e.g. 'http_requests_total{job="api"}' (or a list: any matches)
//   interval:   Prometheus duration, output period (default 10s)
//   by | without: label names to group by / to aggregate away (at most one; neither = all away)
//   outputs:    any of sum, count, min, max, increase, quantiles(φ, …)
//   keep_input: also pass the matched input series through (default false: they are dropped)
// Outputs per group and interval, stamped at the end of the interval:
//   <metric>:<interval>[_by_<l1>_<l2>|_without_<l1>_<l2>]_<output>{<group labels>}
//   sum/count/min/max  over the samples received in the interval (staleness markers and NaN
//                      are ignored)
//   increase           Σ over input series of the counter increase in the interval (a drop in
//                      value is a reset: the new value counts as the increase); a series' first
//                      sample only sets its baseline
//   quantiles          one series per φ with label quantile="φ", from a t-digest of the samples
// Groups with no samples in an interval emit nothing. Input series idle for 5 intervals are
// forgotten (their increase baseline too).
import { CanopyError } from '../../shared/errors.ts';
import { METRIC_NAME, labelsKey, metricName, type Label, type Labels } from '../../shared/labels.ts';
import { matchLabels, type Matcher } from '../../shared/matchers.ts';
import { parseMetricSelector, parseDurationMs } from '../../shared/promql/index.ts';
import { TDigest } from '../../shared/sketch/index.ts';
import type { FlushBatch, FlushCallback, FloatSample } from './types.ts';

export type StreamOutput = 'sum' | 'count' | 'min' | 'max' | 'increase' | 'quantiles';

export interface StreamAggrRule {
  readonly match: readonly (readonly Matcher[])[];
  readonly intervalMs: number;
  readonly intervalText: string;
  readonly by: readonly string[] | undefined;
  readonly without: readonly string[] | undefined;
  readonly outputs: readonly StreamOutput[];
  readonly quantiles: readonly number[];
  readonly keepInput: boolean;
}

const RULE_KEYS = new Set(['match', 'interval', 'by', 'without', 'outputs', 'keep_input']);

export function parseStreamAggrConfigs(raw: unknown, where = 'stream_aggr'): readonly StreamAggrRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new CanopyError('config_invalid', `${where}: expected a list of rules`);
  return raw.map((r, i) => parseRule(r, `${where}[${i}]`));
}

function parseRule(raw: unknown, where: string): StreamAggrRule {
  const fail = (msg: string): never => {
    throw new CanopyError('config_invalid', `${where}${msg}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(': expected a mapping');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!RULE_KEYS.has(k))
      fail(`: unknown key ${JSON.stringify(k)} (expected one of ${[...RULE_KEYS].join(', ')})`);
  const sels =
    typeof o.match === 'string'
      ? [o.match]
      : Array.isArray(o.match)
        ? o.match
        : fail('.match: expected a selector string or a list of them');
  const match = sels.map((s, i) => {
    if (typeof s !== 'string') fail(`.match[${i}]: expected a string`);
    try {
      return parseMetricSelector(s as string);
    } catch (e) {
      return fail(`.match: invalid selector ${JSON.stringify(s)}: ${(e as Error).message}`);
    }
  });
  const intervalText =
    o.interval === undefined
      ? '10s'
      : typeof o.interval === 'string'
        ? o.interval
        : fail('.interval: expected a duration string like "1m"');
  let intervalMs = 0;
  try {
    intervalMs = parseDurationMs(intervalText);
  } catch (e) {
    fail(`.interval: ${(e as Error).message}`);
  }
  if (intervalMs < 1000) fail('.interval: must be at least 1s');
  const names = (k: 'by' | 'without'): string[] | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(x)))
      fail(`.${k}: expected a list of label names`);
    return [...(v as string[])].sort();
  };
  const by = names('by');
  const without = names('without');
  if (by && without) fail(': use either by or without, not both');
  if (!Array.isArray(o.outputs) || o.outputs.length === 0) fail('.outputs: expected a non-empty list');
  const outputs: StreamOutput[] = [];
  let quantiles: number[] = [];
  for (const out of o.outputs as unknown[]) {
    if (typeof out !== 'string') fail('.outputs: expected strings');
    const s = (out as string).replace(/\s+/g, '');
    const qm = /^quantiles\(([^)]*)\)$/.exec(s);
    if (qm) {
      quantiles = qm[1]!.split(',').map(Number);
      if (quantiles.length === 0 || quantiles.some((q) => !(q >= 0 && q <= 1)))
        fail(`.outputs: quantiles need φ values in [0, 1], got ${JSON.stringify(out)}`);
      outputs.push('quantiles');
    } else if (s === 'sum' || s === 'count' || s === 'min' || s === 'max' || s === 'increase')
      outputs.push(s);
    else
      fail(
        `.outputs: unknown output ${JSON.stringify(out)} (expected sum, count, min, max, increase, quantiles(φ, …))`,
      );
  }
  if (o.keep_input !== undefined && typeof o.keep_input !== 'boolean')
    fail('.keep_input: expected true or false');
  return {
    match,
    intervalMs,
    intervalText,
    by,
    without,
    outputs,
    quantiles,
    keepInput: o.keep_input === true,
  };
}

interface GroupState {
  labels: Labels; // group labels without __name__
  sum: number;
  count: number;
  min: number;
  max: number;
  increase: number;
  digest: TDigest | undefined;
}

interface SeriesState {
  group: GroupState;
  last: number;
  seenMs: number;
}

interface RuleState {
  rule: StreamAggrRule;
  prefix: string; // "<interval>[_by_…|_without_…]_"
  groups: Map<string, GroupState>;
  series: Map<string, SeriesState>;
  /** input metric name → output name prefix "<metric>:<prefix>" */
  names: Map<string, string>;
  timer: NodeJS.Timeout | undefined;
}

export interface StreamAggregatorOptions {
  onFlush: FlushCallback;
  now?: () => number;
}

export class StreamAggregator {
  private readonly rules: RuleState[];
  private readonly onFlush: FlushCallback;
  private readonly now: () => number;
  /** input series key → indexes of matching rules (cached; the same series repeats every scrape) */
  private readonly matchCache = new Map<string, number[]>();

  constructor(rules: readonly StreamAggrRule[], opts: StreamAggregatorOptions) {
    this.rules = rules.map((rule) => ({
      rule,
      prefix:
        rule.intervalText +
        (rule.by ? `_by_${rule.by.join('_')}` : rule.without ? `_without_${rule.without.join('_')}` : '') +
        '_',
      groups: new Map(),
      series: new Map(),
      names: new Map(),
      timer: undefined,
    }));
    this.onFlush = opts.onFlush;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Offers one input sample. Returns true when the caller should drop the input (it matched a
   * rule without keep_input), false when it should pass it on.
   */
  push(labels: Labels, _tMs: number, value: number): boolean {
    if (this.rules.length === 0) return false;
    const key = labelsKey(labels);
    let idx = this.matchCache.get(key);
    if (idx === undefined) {
      idx = [];
      for (let i = 0; i < this.rules.length; i++)
        if (this.rules[i]!.rule.match.some((ms) => matchLabels(ms, labels))) idx.push(i);
      if (this.matchCache.size >= 1_000_000) this.matchCache.clear(); // bound memory under series churn
      this.matchCache.set(key, idx);
    }
    if (idx.length === 0) return false;
    let drop = false;
    for (const i of idx) {
      const rs = this.rules[i]!;
      if (!rs.rule.keepInput) drop = true;
      if (Number.isNaN(value)) continue; // staleness markers and NaN carry no value
      let ss = rs.series.get(key);
      if (ss === undefined) {
        ss = { group: this.groupFor(rs, labels), last: NaN, seenMs: 0 };
        rs.series.set(key, ss);
      }
      const g = ss.group;
      g.sum += value;
      g.count++;
      if (value < g.min) g.min = value;
      if (value > g.max) g.max = value;
      if (!Number.isNaN(ss.last)) g.increase += value >= ss.last ? value - ss.last : value;
      ss.last = value;
      ss.seenMs = this.now();
      g.digest?.add(value);
    }
    return drop;
  }

  private groupFor(rs: RuleState, labels: Labels): GroupState {
    const r = rs.rule;
    const gl: Label[] = [];
    for (const l of labels) {
      if (l.name === METRIC_NAME) continue;
      if (r.by ? r.by.includes(l.name) : r.without ? !r.without.includes(l.name) : false) gl.push(l);
    }
    const name = metricName(labels);
    let outPrefix = rs.names.get(name);
    if (outPrefix === undefined) {
      outPrefix = `${name}:${rs.prefix}`;
      rs.names.set(name, outPrefix);
    }
    const gk = outPrefix + '\0' + labelsKey(gl);
    let g = rs.groups.get(gk);
    if (g === undefined) {
      g = {
        labels: [{ name: METRIC_NAME, value: outPrefix }, ...gl],
        sum: 0,
        count: 0,
        min: Infinity,
        max: -Infinity,
        increase: 0,
        digest: r.outputs.includes('quantiles') ? new TDigest(100) : undefined,
      };
      rs.groups.set(gk, g);
    }
    return g;
  }

  /** Collects every rule's outputs at tMs (tests and stop()); resets interval state. */
  collect(tMs = this.now()): FlushBatch {
    const floats: FloatSample[] = [];
    for (const rs of this.rules) this.collectRule(rs, tMs, floats);
    return { tMs, floats, distributions: [] };
  }

  private collectRule(rs: RuleState, tMs: number, out: FloatSample[]): void {
    const r = rs.rule;
    for (const g of rs.groups.values()) {
      if (g.count === 0) continue;
      const base = g.labels[0]!.value;
      const rest = g.labels.slice(1);
      for (const o of r.outputs) {
        if (o === 'quantiles') {
          for (const q of r.quantiles)
            out.push({
              labels: withName(rest, base + 'quantiles', { name: 'quantile', value: String(q) }),
              tMs,
              value: g.digest!.quantile(q),
            });
          continue;
        }
        const v =
          o === 'sum'
            ? g.sum
            : o === 'count'
              ? g.count
              : o === 'min'
                ? g.min
                : o === 'max'
                  ? g.max
                  : g.increase;
        out.push({ labels: withName(rest, base + o), tMs, value: v });
      }
      g.sum = 0;
      g.count = 0;
      g.min = Infinity;
      g.max = -Infinity;
      g.increase = 0;
      g.digest?.reset();
    }
    const idleBefore = this.now() - 5 * r.intervalMs;
    for (const [k, s] of rs.series) {
      if (s.seenMs < idleBefore) {
        rs.series.delete(k);
        this.matchCache.delete(k);
      }
    }
  }

  start(): void {
    for (const rs of this.rules) {
      if (rs.timer) continue;
      rs.timer = setInterval(() => {
        const floats: FloatSample[] = [];
        const tMs = this.now();
        this.collectRule(rs, tMs, floats);
        if (floats.length > 0) this.onFlush({ tMs, floats, distributions: [] });
      }, rs.rule.intervalMs);
      rs.timer.unref();
    }
  }

  stop(): void {
    for (const rs of this.rules) {
      if (rs.timer) clearInterval(rs.timer);
      rs.timer = undefined;
    }
    const b = this.collect();
    if (b.floats.length > 0) this.onFlush(b);
  }
}

function withName(rest: readonly Label[], name: string, extra?: Label): Labels {
  const out: Label[] = [{ name: METRIC_NAME, value: name }, ...rest];
  if (extra) out.push(extra);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
