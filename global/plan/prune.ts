// Zone pruning: can a zone hold series a selector matches? Decided from the zone's external
// labels (a matcher on zone/region) and, when the root can prove them complete (global/
// hints.ts: a snapshot and every delta since, within the lease, after the query's barrier),
// its field hints (metric names; label names; label values when the zone listed them
// completely). The answer is true or the reason the zone cannot match, which the plan reports
// for every zone it skips. Only a proof skips: hints that may be stale are passed as undefined.
import type { VectorSelector } from '../../shared/promql/index.ts';
import { METRIC_NAME } from '../../shared/labels.ts';

export interface HintsView {
  metricNames: ReadonlySet<string>;
  /** Label name → values; complete=false when the zone listed only some. */
  labels: ReadonlyMap<string, { values: readonly string[]; complete: boolean }>;
  /** metricNames may lack some names (too long or too many to list): cannot prune by name. */
  metricNamesIncomplete?: boolean;
  /** labels may lack some label names: a name missing from it proves nothing. */
  labelNamesIncomplete?: boolean;
}

export function canMatch(
  vs: VectorSelector,
  external: Readonly<Record<string, string>>,
  hints: HintsView | undefined,
): true | string {
  for (const m of vs.matchers) {
    const ext = external[m.name];
    if (ext !== undefined && ext !== '') {
      if (!m.matches(ext)) return `its external label ${m.name}="${ext}" does not match ${m.toString()}`;
      continue;
    }
    if (!hints || m.matchesEmpty()) continue;
    if (m.name === METRIC_NAME) {
      if (hints.metricNamesIncomplete) continue;
      const any =
        m.type === '=' ? hints.metricNames.has(m.value) : [...hints.metricNames].some((n) => m.matches(n));
      if (!any) return `its field hints list no metric matching ${m.toString()}`;
      continue;
    }
    const sum = hints.labels.get(m.name);
    if (!sum) {
      if (hints.labelNamesIncomplete) continue;
      return `its field hints list no label ${m.name}`;
    }
    if (sum.complete && !sum.values.some((v) => m.matches(v)))
      return `its field hints list no ${m.name} value matching ${m.toString()}`;
  }
  return true;
}

/** True when any selector can match; else the first reason. No selectors: true. */
export function canMatchAny(
  sels: readonly VectorSelector[],
  external: Readonly<Record<string, string>>,
  hints: HintsView | undefined,
): true | string {
  let reason = '';
  for (const s of sels) {
    const r = canMatch(s, external, hints);
    if (r === true) return true;
    reason ||= r;
  }
  return sels.length === 0 ? true : reason;
}
