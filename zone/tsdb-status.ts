// GET /api/v1/status/tsdb at the zone: Prometheus's TSDB statistics (the body Prometheus 2.42
// answers, docs/web-ui.md "Cardinality"), for the asking tenant only — computed through the
// tenant's view (zone/tenant-view.ts), so a tenant sees its own series, pairs and names and
// nothing of another tenant's.
//
// - headStats: numSeries and numLabelPairs count the tenant's series with samples in the
//   head's time range and their distinct label pairs; minTime/maxTime are the head's range
//   (the zone's: a tenant's own first and last sample would need its chunks read); as in
//   Prometheus an empty head says minTime = int64 max, maxTime = int64 min. No chunkCount:
//   chunks are counted per head, not per tenant.
// - seriesCountByMetricName, labelValueCountByLabelName, memoryInBytesByLabelName (the bytes
//   of a label's distinct values), seriesCountByLabelValuePair ("name=value", as Prometheus
//   writes them, __name__ included): each the top `limit` entries {name, value}, most first.
// - limit: default 10, a positive integer. Prometheus 2.42 ignores the parameter (always 10);
//   later versions take it and refuse anything but a positive integer, as this does.
// One synchronous walk over the tenant's series in range, counting into maps (one entry per
// distinct label pair): the cost Prometheus pays in its postings stats.
import { CanopyError } from '../shared/errors.ts';
import { METRIC_NAME } from '../shared/labels.ts';
import { Matcher } from '../shared/matchers.ts';
import type { Queryable } from '../shared/storage.ts';

export const TSDB_STATUS_DEFAULT_LIMIT = 10;
/** Prometheus's sentinels for an empty head: int64 max / min (JSON numbers). */
const EMPTY_MIN_TIME = 9223372036854775807;
const EMPTY_MAX_TIME = -9223372036854775808;

export interface TsdbStat {
  name: string;
  value: number;
}

export interface TsdbStatus {
  headStats: { numSeries: number; numLabelPairs: number; minTime: number; maxTime: number };
  seriesCountByMetricName: TsdbStat[];
  labelValueCountByLabelName: TsdbStat[];
  memoryInBytesByLabelName: TsdbStat[];
  seriesCountByLabelValuePair: TsdbStat[];
}

/** The `limit` parameter: absent → 10; otherwise a positive integer or bad_data. */
export function parseTsdbStatusLimit(raw: string | null | undefined): number {
  if (raw === null || raw === undefined || raw === '') return TSDB_STATUS_DEFAULT_LIMIT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1)
    throw new CanopyError('bad_data', `invalid parameter "limit": must be a positive integer, got "${raw}"`);
  return n;
}

/**
 * Statistics of `view`'s series with samples in the head's range [minT, maxT] (undefined: the
 * storage has no head, e.g. the in-memory store: every series, times unknown → empty sentinels).
 */
export async function tsdbStatus(
  view: Queryable,
  head: { minT: number; maxT: number } | undefined,
  limit: number,
): Promise<TsdbStatus> {
  const empty = head !== undefined && head.maxT < head.minT;
  const range =
    head && !empty ? { startMs: head.minT, endMs: head.maxT } : { startMs: -8.64e15, endMs: 8.64e15 };
  const byMetric = new Map<string, number>();
  // "name=value" → series (label names never hold '=')
  const byPair = new Map<string, number>();
  let numSeries = 0;
  if (!empty) {
    const q = await view.querier(range.startMs, range.endMs, { selects: [] });
    try {
      const ss = q.select([new Matcher('=~', METRIC_NAME, '.+')], { ...range, func: 'series' });
      while (ss.next()) {
        numSeries++;
        for (const { name, value } of ss.at().labels) {
          if (name === METRIC_NAME) byMetric.set(value, (byMetric.get(value) ?? 0) + 1);
          const k = `${name}=${value}`;
          byPair.set(k, (byPair.get(k) ?? 0) + 1);
        }
      }
      const err = ss.err();
      if (err) throw err;
    } finally {
      q.close();
    }
  }
  const values = new Map<string, number>();
  const bytes = new Map<string, number>();
  for (const k of byPair.keys()) {
    const i = k.indexOf('=');
    const name = k.slice(0, i);
    values.set(name, (values.get(name) ?? 0) + 1);
    bytes.set(name, (bytes.get(name) ?? 0) + Buffer.byteLength(k.slice(i + 1), 'utf8'));
  }
  return {
    headStats: {
      numSeries,
      numLabelPairs: byPair.size,
      minTime: head && !empty ? head.minT : EMPTY_MIN_TIME,
      maxTime: head && !empty ? head.maxT : EMPTY_MAX_TIME,
    },
    seriesCountByMetricName: top(byMetric, limit),
    labelValueCountByLabelName: top(values, limit),
    memoryInBytesByLabelName: top(bytes, limit),
    seriesCountByLabelValuePair: top(byPair, limit),
  };
}

/** The `limit` largest entries, largest first, ties by name. */
function top(m: ReadonlyMap<string, number>, limit: number): TsdbStat[] {
  return [...m]
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit);
}
