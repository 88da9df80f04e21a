// Global cardinality: every zone keeps one HyperLogLog sketch of series per metric
// (zone/hints.ts, computed on request); the root merges them register-wise per metric — a
// series lives in one zone, and the merge of sketches of disjoint sets estimates their union —
// and ranks metrics by estimated series, per zone and globally, without moving series lists.
import { MetadataKind } from '../proto/index.ts';
import { HyperLogLog } from '../shared/sketch/index.ts';
import type { QueryOptions } from '../shared/api/index.ts';
import type { Fanout } from './fanout.ts';

export interface CardinalityEntry {
  metric: string;
  /** Global estimate from the merged sketches. */
  series: number;
  /** Per zone: the zone's exact count of series it holds (and the sketch's estimate). */
  zones: Record<string, { series: number; estimate: number }>;
}

export interface CardinalityReport {
  totalEstimate: number;
  metrics: CardinalityEntry[];
  warnings: string[];
}

export async function globalCardinality(fanout: Fanout, limit: number, opts: QueryOptions, zoneTimeoutMs: number): Promise<CardinalityReport> {
  const g = await fanout.metadata(
    { queryId: `card-${Date.now().toString(36)}`, kind: MetadataKind.CARDINALITY },
    { timeoutMs: Math.min(zoneTimeoutMs, opts.timeoutMs), partialResponse: opts.partialResponse, signal: opts.signal },
  );
  const merged = new Map<string, { hll: HyperLogLog; zones: CardinalityEntry['zones'] }>();
  let total: HyperLogLog | undefined;
  for (const a of g.answers) {
    for (const c of a.result.hints?.cardinality ?? []) {
      const hll = HyperLogLog.fromBytes(c.sketch ?? new Uint8Array());
      const m = c.metric ?? '';
      let e = merged.get(m);
      if (!e) merged.set(m, (e = { hll: new HyperLogLog(hll.p), zones: {} }));
      e.hll.merge(hll);
      e.zones[a.zone.zone] = { series: Number(c.series ?? 0), estimate: Math.round(hll.count()) };
      if (!total) total = new HyperLogLog(hll.p);
      total.merge(hll);
    }
  }
  const metrics = [...merged.entries()]
    .map(([metric, e]) => ({ metric, series: Math.round(e.hll.count()), zones: e.zones }))
    .sort((a, b) => b.series - a.series || (a.metric < b.metric ? -1 : 1))
    .slice(0, limit);
  return { totalEstimate: Math.round(total?.count() ?? 0), metrics, warnings: g.warnings };
}
