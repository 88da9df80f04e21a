// Remote read and /federate at the root: the raw series of every zone that can match,
// fetched over NATS the way the root's engine fetches series it cannot push down (a select
// QueryRequest; zones answer with their external labels attached). Zones are pruned by
// external labels only. Remote read has no way to carry a warning, so partial response is off:
// a zone that is down or fails makes the read fail (a 500 naming the zone), never
// an answer silently missing a zone's series.
import { compareLabels } from '../shared/labels.ts';
import type { RawSelect } from '../shared/remote-read/index.ts';
import type { Fanout } from './fanout.ts';
import { joinSeries } from './fetched-queryable.ts';
import { rawSeriesOfAnswers } from './merge/replica-dedup.ts';
import { replicasMayDiffer } from './zones.ts';

export function rootRawSelect(fanout: Fanout, zoneTimeoutMs: number): RawSelect {
  let seq = 0;
  return async (matchers, startMs, endMs, budget, signal, tenant) => {
    const selector = `{${matchers.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(', ')}}`;
    const g = await fanout.query(
      {
        queryId: `rr-${process.pid.toString(36)}-${Date.now().toString(36)}-${(++seq).toString(36)}`,
        select: [selector],
        range: true,
        startMs,
        endMs,
      },
      {
        timeoutMs: zoneTimeoutMs,
        partialResponse: false,
        signal,
        tenant,
        mergeReplicas: (reps) => replicasMayDiffer(reps, startMs),
        select: (z) => {
          for (const m of matchers) {
            const v = z.externalLabels[m.name];
            if (v !== undefined && v !== '' && !m.matches(v))
              return `its external label ${m.name}="${v}" does not match ${m.toString()}`;
          }
          return true;
        },
      },
    );
    const series = joinSeries(rawSeriesOfAnswers(g.answers));
    for (const s of series) budget.take(s.points.length);
    return series.sort((a, b) => compareLabels(a.labels, b.labels));
  };
}
