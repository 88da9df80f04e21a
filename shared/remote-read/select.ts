// RawSelect over a Queryable (the zone's storage with its external labels): reads the cursors
// of every matching series, counting samples against the request's budget as it goes so an
// oversized read stops before it is materialised.
import { compareLabels } from '../labels.ts';
import type { Queryable } from '../storage.ts';
import { seriesPoints } from '../series-points.ts';
import type { RawSelect } from './read-handler.ts';

/** `source`: one Queryable, or each tenant's view of the storage (zone/tenant-view.ts). */
export function selectFromQueryable(source: Queryable | ((tenant: string) => Queryable)): RawSelect {
  return async (matchers, startMs, endMs, budget, signal, tenant) => {
    const queryable = typeof source === 'function' ? source(tenant) : source;
    const q = await queryable.querier(startMs, endMs, { selects: [matchers] });
    try {
      const out = [];
      const set = q.select(matchers, { startMs, endMs, func: 'series' });
      while (set.next()) {
        signal.throwIfAborted();
        const s = set.at();
        const points = seriesPoints(s, startMs, endMs);
        budget.take(points.length);
        if (points.length > 0) out.push({ labels: s.labels, points });
      }
      if (set.err()) throw set.err();
      return out.sort((a, b) => compareLabels(a.labels, b.labels));
    } finally {
      q.close();
    }
  };
}
