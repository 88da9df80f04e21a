// Group values: the partial state of an exact quantile. A zone evaluates the aggregation's
// argument, groups the result like the aggregation would (by/without, metric name dropped) and
// ships per group only the values at each step — no per-series labels. On the wire (result_type
// "group_values") each group is one Series: its labels are the group's, and its samples carry
// repeated timestamps, one per value at that step. The root turns them back into series the
// engine's quantile reads (toGroupSeries), distinguished by a synthetic label.
import type { ISeries } from '../../proto/index.ts';
import { labelsKey, METRIC_NAME, normalizeLabels, type Label, type Labels } from '../labels.ts';
import type { MatrixSeries, QueryValue } from '../value.ts';
import { labelsToWire } from './convert.ts';

export const GROUP_VALUES_RESULT = 'group_values';
/** The synthetic label telling a group's values apart at the root (reserved __ prefix). */
export const GROUP_VALUE_LABEL = '__canopy_value__';

function groupLabels(ls: Labels, grouping: readonly string[], without: boolean): Labels {
  const out: Label[] = [];
  for (const l of ls) {
    if (without ? l.name === METRIC_NAME || grouping.includes(l.name) : !grouping.includes(l.name)) continue;
    out.push(l);
  }
  return normalizeLabels(out);
}

/** A vector or matrix grouped into one wire series per group (floats only). */
export function groupValuesToWire(v: QueryValue, grouping: readonly string[], without: boolean): ISeries[] {
  const groups = new Map<string, { labels: Labels; pts: { t: number; f: number }[] }>();
  const add = (ls: Labels, t: number, f: number): void => {
    const g = groupLabels(ls, grouping, without);
    const k = labelsKey(g);
    let e = groups.get(k);
    if (!e) groups.set(k, (e = { labels: g, pts: [] }));
    e.pts.push({ t, f });
  };
  if (v.type === 'vector') {
    for (const s of v.vector) if (!s.d) add(s.labels, s.t, s.f);
  } else if (v.type === 'matrix') {
    for (const s of v.matrix) for (const p of s.points) if (!p.d) add(s.labels, p.t, p.f);
  }
  const out: ISeries[] = [];
  for (const g of groups.values()) {
    g.pts.sort((a, b) => a.t - b.t);
    out.push({
      labels: labelsToWire(g.labels),
      timestampsMs: g.pts.map((p) => p.t),
      values: g.pts.map((p) => p.f),
    });
  }
  return out;
}

/**
 * Groups' values (from any number of zones) as series: value number k of a group at a step
 * goes to the series with the group's labels plus GROUP_VALUE_LABEL="k".
 */
export function toGroupSeries(groups: readonly MatrixSeries[]): MatrixSeries[] {
  const byKey = new Map<string, { labels: Labels; byIndex: MatrixSeries[]; seen: Map<number, number> }>();
  for (const g of groups) {
    const k = labelsKey(g.labels);
    let e = byKey.get(k);
    if (!e) byKey.set(k, (e = { labels: g.labels, byIndex: [], seen: new Map() }));
    for (const p of g.points) {
      const i = e.seen.get(p.t) ?? 0;
      e.seen.set(p.t, i + 1);
      let s = e.byIndex[i];
      if (!s)
        e.byIndex[i] = s = {
          labels: normalizeLabels([...e.labels, { name: GROUP_VALUE_LABEL, value: String(i) }]),
          points: [],
        };
      s.points.push({ t: p.t, f: p.f });
    }
  }
  const out: MatrixSeries[] = [];
  for (const e of byKey.values())
    for (const s of e.byIndex) {
      s.points.sort((a, b) => a.t - b.t);
      out.push(s);
    }
  return out;
}
