// The zone's cardinality sketches, computed on request (MetadataRequest CARDINALITY, through
// zone/hints.ts compute()): the root merges them across zones (global/cardinality.ts) into
// global top metrics and top label pairs without moving series lists.
//
// - Per metric name: a HyperLogLog (p = 12: 4 KiB, std error ≈ 1.6 %) of its series' keys.
// - Per label pair name="value": the zone counts every pair's series exactly (one walk over
//   its series; the map holds one entry per distinct pair, as Prometheus's postings stats do),
//   keeps the CARDINALITY_TOP_PAIRS pairs with the most series, and sends a HyperLogLog
//   (p = 10: 1 KiB, std error ≈ 3.3 %) of each one's series' keys, with its exact count and
//   the number of distinct pairs it holds. 200 pairs cost 200 KiB per zone on the bus.
//   Pairs of __name__ (metrics have their own sketches), of external labels (zone, region:
//   every series of the zone has them) and of the tenant label (tenant ids stay private) are
//   left out.
//
// A series' key is its label set with external labels (labelsKey), so the same series seen
// twice (two replicas of a zone) hashes the same and an HLL union counts it once; series of
// different zones differ by their zone label and are all counted.
import type { IZoneHints } from '../proto/index.ts';
import { labelsKey, METRIC_NAME } from '../shared/labels.ts';
import { Matcher } from '../shared/matchers.ts';
import { hash64, hashHi, hashLo, HyperLogLog } from '../shared/sketch/index.ts';
import { TENANT_LABEL } from '../shared/tenant.ts';
import type { Querier } from '../shared/storage.ts';

/** Sketch precision for per-metric cardinality: 2^12 registers = 4 KiB, std error ≈ 1.6 %. */
export const CARDINALITY_HLL_P = 12;
/** Sketch precision for per-label-pair cardinality: 2^10 registers = 1 KiB, std error ≈ 3.3 %. */
export const CARDINALITY_PAIR_HLL_P = 10;
/** Label pairs a zone sends sketches for: its top pairs by series. */
export const CARDINALITY_TOP_PAIRS = 200;

const ALL_TIME = { startMs: -8.64e15, endMs: 8.64e15 };

export type CardinalityFields = Required<Pick<IZoneHints, 'cardinality' | 'labelPairs' | 'labelPairsTotal'>>;

/**
 * Sketches of the querier's series (a view with external labels attached): one per metric,
 * one per top label pair. `externalLabelNames` are the labels the view attaches.
 */
export function cardinalitySketches(
  q: Querier,
  externalLabelNames: Iterable<string>,
  topPairs = CARDINALITY_TOP_PAIRS,
): CardinalityFields {
  const skip = new Set([METRIC_NAME, TENANT_LABEL, ...externalLabelNames]);
  const cardinality: CardinalityFields['cardinality'] = [];
  // name → value → exact series count
  const pairs = new Map<string, Map<string, number>>();
  let pairsTotal = 0;
  for (const m of q.labelValues(METRIC_NAME, ALL_TIME)) {
    const hll = new HyperLogLog(CARDINALITY_HLL_P);
    let n = 0;
    const ss = q.select([new Matcher('=', METRIC_NAME, m)], { ...ALL_TIME, func: 'series' });
    while (ss.next()) {
      const labels = ss.at().labels;
      hash64(labelsKey(labels));
      hll.addHash(hashHi, hashLo);
      n++;
      for (const { name, value } of labels) {
        if (skip.has(name)) continue;
        let vs = pairs.get(name);
        if (!vs) pairs.set(name, (vs = new Map()));
        const c = vs.get(value);
        if (c === undefined) pairsTotal++;
        vs.set(value, (c ?? 0) + 1);
      }
    }
    const err = ss.err();
    if (err) throw err;
    cardinality.push({ metric: m, sketch: hll.toBytes(), series: n });
  }
  const top = topPairsOf(pairs, topPairs);
  const labelPairs: CardinalityFields['labelPairs'] = [];
  // Second walk, over the top pairs' postings only: each pair's sketch.
  for (const p of top) {
    const hll = new HyperLogLog(CARDINALITY_PAIR_HLL_P);
    const ss = q.select([new Matcher('=', p.name, p.value)], { ...ALL_TIME, func: 'series' });
    while (ss.next()) {
      hash64(labelsKey(ss.at().labels));
      hll.addHash(hashHi, hashLo);
    }
    const err = ss.err();
    if (err) throw err;
    labelPairs.push({ name: p.name, value: p.value, sketch: hll.toBytes(), series: p.series });
  }
  return { cardinality, labelPairs, labelPairsTotal: pairsTotal };
}

/** The k pairs with the most series, most first (ties by name, then value). */
export function topPairsOf(
  pairs: ReadonlyMap<string, ReadonlyMap<string, number>>,
  k: number,
): { name: string; value: string; series: number }[] {
  const all: { name: string; value: string; series: number }[] = [];
  for (const [name, vs] of pairs) for (const [value, series] of vs) all.push({ name, value, series });
  all.sort((a, b) => b.series - a.series || cmp(a.name, b.name) || cmp(a.value, b.value));
  return all.slice(0, k);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
