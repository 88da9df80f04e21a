// The zone's self-metrics, served at /metrics in Prometheus text format.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { IngestMetrics } from './ingest/index.ts';

export interface ZoneMetrics {
  registry: Registry;
  ingest: IngestMetrics;
  samplesIngested: Counter<'path'>;
  samplesDropped: Counter<'reason'>;
  activeSeries: Gauge;
  queries: Counter<'source' | 'outcome'>;
}

export function newZoneMetrics(seriesCount: () => number): ZoneMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const ingest = IngestMetrics.on(registry);
  return {
    registry,
    ingest,
    samplesIngested: ingest.samplesIngested,
    samplesDropped: ingest.samplesDropped,
    activeSeries: new Gauge({
      name: 'canopy_zone_active_series',
      help: 'Series in the head.',
      registers: [registry],
      collect() {
        this.set(seriesCount());
      },
    }),
    queries: new Counter({ name: 'canopy_zone_queries_total', help: 'Queries answered, by source (http, nats) and outcome.', labelNames: ['source', 'outcome'], registers: [registry] }),
  };
}
