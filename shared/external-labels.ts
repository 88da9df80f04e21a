// External labels (Prometheus/Thanos semantics): labels that identify where data lives (a
// zone's `zone` and `region`), attached to what a zone returns rather than stored per series.
// withExternalLabels wraps a Queryable so that everything reading through it — the PromQL
// engine, metadata endpoints — sees every series carrying them:
// - a matcher on an external label name is decided against the external value (no match →
//   nothing selected), and dropped before the storage sees it;
// - every selected series gets the external labels added (the series' own labels win).
import { labelsFromRecord, withDefaults, type Labels } from './labels.ts';
import type { Matcher } from './matchers.ts';
import type { LabelHints, Querier, Queryable, SelectHints, Series, SeriesSet } from './storage.ts';

const EMPTY_SET: SeriesSet = {
  next: () => false,
  at: () => undefined as never,
  err: () => null,
  warnings: () => [],
};

/** Splits matchers into those the storage sees; undefined when an external matcher rejects. */
export function stripExternalMatchers(
  ms: readonly Matcher[],
  ext: ReadonlyMap<string, string>,
): Matcher[] | undefined {
  const out: Matcher[] = [];
  for (const m of ms) {
    const v = ext.get(m.name);
    if (v === undefined) out.push(m);
    else if (!m.matches(v)) return undefined;
  }
  return out;
}

/** The series of `set` with `fn` applied to their labels (cursors unchanged). */
export function mapSeriesLabels(set: SeriesSet, fn: (ls: Labels) => Labels): SeriesSet {
  let cur: Series | undefined;
  return {
    next: () => {
      if (!set.next()) return false;
      const s = set.at();
      cur = { labels: fn(s.labels), cursor: (reuse) => s.cursor(reuse) };
      return true;
    },
    at: () => cur!,
    err: () => set.err(),
    warnings: () => set.warnings(),
    resolutionMs: () => set.resolutionMs?.() ?? 0,
  };
}

export function withExternalLabels(q: Queryable, external: Readonly<Record<string, string>>): Queryable {
  const ext = new Map(Object.entries(external).filter(([, v]) => v !== ''));
  if (ext.size === 0) return q;
  const extLabels: Labels = labelsFromRecord(Object.fromEntries(ext));
  return {
    async querier(mint, maxt, hints): Promise<Querier> {
      // The inner querier sees the stripped matchers (as select() below passes them).
      const selects = hints?.selects
        ?.map((ms) => stripExternalMatchers(ms, ext))
        .filter((ms): ms is Matcher[] => ms !== undefined);
      const inner = await q.querier(mint, maxt, hints && { ...hints, selects });
      const hintsFor = (h: LabelHints): LabelHints | undefined => {
        if (!h.matchers) return h;
        const ms = stripExternalMatchers(h.matchers, ext);
        return ms ? { ...h, matchers: ms } : undefined;
      };
      return {
        select(ms: readonly Matcher[], hints: SelectHints): SeriesSet {
          const rest = stripExternalMatchers(ms, ext);
          if (!rest) return EMPTY_SET;
          // A selector needs a non-empty matcher; if only external ones were given, match all.
          return mapSeriesLabels(inner.select(rest, hints), (ls) => withDefaults(ls, extLabels));
        },
        labelNames(h: LabelHints): string[] {
          const hh = hintsFor(h);
          if (!hh) return [];
          const names = new Set(inner.labelNames(hh));
          for (const k of ext.keys()) names.add(k);
          return [...names].sort();
        },
        labelValues(name: string, h: LabelHints): string[] {
          const hh = hintsFor(h);
          if (!hh) return [];
          const own = inner.labelValues(name, hh);
          const v = ext.get(name);
          if (v === undefined) return own;
          return own.length > 0 || inner.labelNames(hh).length > 0 ? [...new Set([...own, v])].sort() : [];
        },
        close: () => inner.close(),
        rollupResolutions: () => inner.rollupResolutions?.() ?? [],
      };
    },
  };
}
