// Global cardinality: every zone sends, on request, one HyperLogLog sketch of series per metric
// and one per label pair among its top pairs by series (zone/cardinality-sketches.ts); the
// root merges them register-wise per metric and per pair — the merge of two sketches estimates
// the union of their sets, so a series in several answers (identical label sets, e.g. two
// replicas of a zone) counts once, and series of different zones (different zone labels) all
// count — and ranks metrics and pairs by estimated series, globally and per zone, without
// moving series lists.
//
// Merge assumptions: sketches of one kind share their precision (p = 12 per metric, p = 10 per
// pair) and hash; a zone whose sketch differs is left out of that entry with a warning. A zone
// lists only its top pairs: a pair it did not list may still have series there, at most as
// many as the smallest count it listed; `unlistedUpTo` sums that bound over the zones that cut
// their list without this pair (0 = the estimate covers every answering zone).
// Never silently partial: the zones that did not answer are named in `missingZones` (and the
// response's warnings).
import { MetadataKind } from '../proto/index.ts';
import { HyperLogLog } from '../shared/sketch/index.ts';
import { errorMessage } from '../shared/errors.ts';
import type { QueryOptions } from '../shared/api/index.ts';
import type { Fanout, Gathered } from './fanout.ts';
import type { IMetadataResult } from '../proto/index.ts';

export interface CardinalityEntry {
  metric: string;
  /** Global estimate from the merged sketches. */
  series: number;
  /** Per zone: the zone's exact count of series it holds (and the sketch's estimate). */
  zones: Record<string, { series: number; estimate: number }>;
}

export interface LabelPairEntry {
  name: string;
  value: string;
  /** Global estimate from the merged sketches of the zones that listed the pair. */
  series: number;
  /** Per zone that listed it: the zone's exact count. */
  zones: Record<string, number>;
  /** Series the pair may have beyond `series` in zones that listed other pairs only (an upper bound). */
  unlistedUpTo: number;
}

export interface MissingZone {
  zone: string;
  reason: string;
}

export interface CardinalityReport {
  totalEstimate: number;
  metrics: CardinalityEntry[];
  labelPairs: LabelPairEntry[];
  /** The zones that answered. */
  zones: string[];
  /** Known zones without an answer, and why: the report leaves their series out. */
  missingZones: MissingZone[];
  warnings: string[];
}

export async function globalCardinality(
  fanout: Fanout,
  limit: number,
  opts: QueryOptions,
  zoneTimeoutMs: number,
  knownZones: readonly string[],
): Promise<CardinalityReport> {
  const g = await fanout.metadata(
    { queryId: `card-${Date.now().toString(36)}`, kind: MetadataKind.CARDINALITY },
    {
      timeoutMs: Math.min(zoneTimeoutMs, opts.timeoutMs),
      partialResponse: opts.partialResponse,
      signal: opts.signal,
    },
  );
  return mergeCardinality(g, limit, knownZones);
}

/** Merges the zones' answers (exported for tests). */
export function mergeCardinality(
  g: Pick<Gathered<IMetadataResult>, 'answers' | 'warnings' | 'skipped'>,
  limit: number,
  knownZones: readonly string[],
): CardinalityReport {
  const warnings = [...g.warnings];
  const metrics = new Map<string, { hll: HyperLogLog; zones: CardinalityEntry['zones'] }>();
  const pairs = new Map<
    string,
    { name: string; value: string; hll: HyperLogLog; zones: Record<string, number> }
  >();
  // zones that cut their pair list: the smallest count they listed
  const cut = new Map<string, number>();
  let total: HyperLogLog | undefined;
  const answered = new Set<string>();
  for (const a of g.answers) {
    const zone = a.zone.zone;
    answered.add(zone);
    const h = a.result.hints;
    try {
      for (const c of h?.cardinality ?? []) {
        const hll = HyperLogLog.fromBytes(c.sketch ?? new Uint8Array());
        const m = c.metric ?? '';
        let e = metrics.get(m);
        if (!e) metrics.set(m, (e = { hll: new HyperLogLog(hll.p), zones: {} }));
        e.hll.merge(hll);
        e.zones[zone] = { series: Number(c.series ?? 0), estimate: Math.round(hll.count()) };
        if (!total) total = new HyperLogLog(hll.p);
        total.merge(hll);
      }
      const listed = h?.labelPairs ?? [];
      for (const p of listed) {
        const hll = HyperLogLog.fromBytes(p.sketch ?? new Uint8Array());
        const name = p.name ?? '',
          value = p.value ?? '';
        const k = `${name}\u0000${value}`;
        let e = pairs.get(k);
        if (!e) pairs.set(k, (e = { name, value, hll: new HyperLogLog(hll.p), zones: {} }));
        e.hll.merge(hll);
        e.zones[zone] = Number(p.series ?? 0);
      }
      if (Number(h?.labelPairsTotal ?? 0) > listed.length)
        cut.set(zone, Math.min(...listed.map((p) => Number(p.series ?? 0))));
    } catch (e) {
      warnings.push(`zone ${zone}: cannot merge its cardinality sketches: ${errorMessage(e)}`);
    }
  }
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const missingZones: MissingZone[] = [];
  for (const z of [...new Set(knownZones)].sort(byName)) {
    if (answered.has(z)) continue;
    const skipped = g.skipped.find((s) => s.zone === z);
    const said = warnings.find((w) => w.includes(`zone ${z} `) || w.includes(`zone ${z}:`));
    missingZones.push({ zone: z, reason: said ?? skipped?.reason ?? 'no answer' });
  }
  return {
    totalEstimate: Math.round(total?.count() ?? 0),
    metrics: [...metrics.entries()]
      .map(([metric, e]) => ({ metric, series: Math.round(e.hll.count()), zones: e.zones }))
      .sort((a, b) => b.series - a.series || byName(a.metric, b.metric))
      .slice(0, limit),
    labelPairs: [...pairs.values()]
      .map((e) => {
        let unlistedUpTo = 0;
        for (const [z, min] of cut) if (!(z in e.zones)) unlistedUpTo += min;
        return {
          name: e.name,
          value: e.value,
          series: Math.round(e.hll.count()),
          zones: e.zones,
          unlistedUpTo,
        };
      })
      .sort((a, b) => b.series - a.series || byName(a.name, b.name) || byName(a.value, b.value))
      .slice(0, limit),
    zones: [...answered].sort(byName),
    missingZones,
    warnings,
  };
}
