// RootQuery: the root's Prometheus API backend. The walking skeleton's plan: every zone
// evaluates the whole expression on its own data (correct for per-series expressions such as
// selectors, which is what the skeleton promises) and the root concatenates the results.
// The planner (pushdown of partial aggregates) replaces query() and queryRange().
import { MetadataKind, type IPartialResult } from '../proto/index.ts';
import { labelsFromWire, matrixSeriesFromWire } from '../shared/wire/index.ts';
import { compareLabels, labelsKey, type Labels } from '../shared/labels.ts';
import type { MatrixSeries, QueryResult, QueryValue, VectorSample } from '../shared/value.ts';
import type { Listing, MetricMetadata, PromApiBackend, QueryOptions } from '../shared/api/index.ts';
import type { Fanout, Gathered } from './fanout.ts';

let querySeq = 0;
function newQueryId(): string {
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${(++querySeq).toString(36)}`;
}

export class RootQuery implements PromApiBackend {
  constructor(
    private readonly fanout: Fanout,
    private readonly zoneTimeoutMs: number,
  ) {}

  private fanOpts(opts: QueryOptions) {
    return { timeoutMs: Math.min(this.zoneTimeoutMs, opts.timeoutMs), partialResponse: opts.partialResponse, signal: opts.signal };
  }

  async query(expr: string, tMs: number, opts: QueryOptions): Promise<QueryResult> {
    const g = await this.fanout.query({ queryId: newQueryId(), expr, range: false, timeMs: tMs }, this.fanOpts(opts));
    return mergeResults(g, tMs);
  }

  async queryRange(expr: string, startMs: number, endMs: number, stepMs: number, opts: QueryOptions): Promise<QueryResult> {
    const g = await this.fanout.query({ queryId: newQueryId(), expr, range: true, startMs, endMs, stepMs }, this.fanOpts(opts));
    return mergeResults(g, startMs);
  }

  async series(selectors: string[], startMs: number, endMs: number, limit: number | undefined, opts: QueryOptions): Promise<Listing<Labels[]>> {
    const g = await this.fanout.metadata({ queryId: newQueryId(), kind: MetadataKind.SERIES, matchers: selectors, startMs, endMs, limit: limit ?? 0 }, this.fanOpts(opts));
    const seen = new Map<string, Labels>();
    for (const a of g.answers) for (const s of a.result.series ?? []) {
      const ls = labelsFromWire(s.labels);
      seen.set(labelsKey(ls), ls);
    }
    return truncate([...seen.values()].sort(compareLabels), limit, collectWarnings(g));
  }

  async labelNames(selectors: string[], startMs: number, endMs: number, limit: number | undefined, opts: QueryOptions): Promise<Listing<string[]>> {
    return this.values(MetadataKind.LABEL_NAMES, '', selectors, startMs, endMs, limit, opts);
  }

  async labelValues(name: string, selectors: string[], startMs: number, endMs: number, limit: number | undefined, opts: QueryOptions): Promise<Listing<string[]>> {
    return this.values(MetadataKind.LABEL_VALUES, name, selectors, startMs, endMs, limit, opts);
  }

  async metadata(metric: string | undefined, limit: number | undefined, opts: QueryOptions): Promise<Listing<Record<string, MetricMetadata[]>>> {
    const g = await this.fanout.metadata({ queryId: newQueryId(), kind: MetadataKind.METADATA, matchers: metric ? [metric] : [], limit: limit ?? 0 }, this.fanOpts(opts));
    const out: Record<string, MetricMetadata[]> = {};
    for (const a of g.answers) for (const m of a.result.metadata ?? []) {
      const list = (out[m.metric ?? ''] ??= []);
      const item = { type: m.type ?? '', help: m.help ?? '', unit: m.unit ?? '' };
      if (!list.some((x) => x.type === item.type && x.help === item.help && x.unit === item.unit)) list.push(item);
    }
    return { data: out, warnings: collectWarnings(g) };
  }

  private async values(kind: number, name: string, selectors: string[], startMs: number, endMs: number, limit: number | undefined, opts: QueryOptions): Promise<Listing<string[]>> {
    const g = await this.fanout.metadata({ queryId: newQueryId(), kind, labelName: name, matchers: selectors, startMs, endMs, limit: limit ?? 0 }, this.fanOpts(opts));
    const all = new Set<string>();
    for (const a of g.answers) for (const v of a.result.values ?? []) all.add(v);
    return truncate([...all].sort(), limit, collectWarnings(g));
  }
}

function collectWarnings(g: Gathered<{ warnings?: string[] | null }>): string[] {
  const w = [...g.warnings];
  for (const a of g.answers) for (const x of a.result.warnings ?? []) if (!w.includes(x)) w.push(x);
  return w;
}

function truncate<T>(items: T[], limit: number | undefined, warnings: string[]): Listing<T[]> {
  if (limit !== undefined && items.length > limit) return { data: items.slice(0, limit), warnings: [...warnings, 'results truncated due to limit'] };
  return { data: items, warnings };
}

/** Concatenates the zones' results; series split across chunks are joined by label set. */
export function mergeResults(g: Gathered<IPartialResult>, tMs: number): QueryResult {
  const warnings = collectWarnings(g);
  const type = g.answers.find((a) => a.result.resultType)?.result.resultType ?? 'vector';
  let value: QueryValue;
  if (type === 'scalar' || type === 'string') {
    const r = g.answers[0]?.result;
    const t = Number(r?.series?.[0]?.timestampsMs?.[0] ?? tMs);
    value = type === 'scalar' ? { type, t, f: r?.scalar ?? NaN } : { type, t, s: r?.stringValue ?? '' };
    return { value, warnings };
  }
  const byKey = new Map<string, MatrixSeries>();
  for (const a of g.answers) {
    for (const ws of a.result.series ?? []) {
      const s = matrixSeriesFromWire(ws);
      const k = labelsKey(s.labels);
      const prev = byKey.get(k);
      if (prev) {
        prev.points.push(...s.points);
        prev.points.sort((x, y) => x.t - y.t);
      } else byKey.set(k, s);
    }
  }
  const series = [...byKey.values()];
  if (type === 'vector') {
    const vector: VectorSample[] = series.map((s) => ({ labels: s.labels, t: s.points[0]?.t ?? tMs, f: s.points[0]?.f ?? NaN, d: s.points[0]?.d }));
    value = { type: 'vector', vector };
  } else {
    value = { type: 'matrix', matrix: series.sort((a, b) => compareLabels(a.labels, b.labels)) };
  }
  return { value, warnings };
}
