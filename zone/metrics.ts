// The zone's self-metrics, served at /metrics in Prometheus text format.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface ZoneMetrics {
  registry: Registry;
  samplesIngested: Counter<'path'>;
  samplesDropped: Counter<'reason'>;
  activeSeries: Gauge;
  queries: Counter<'source' | 'outcome'>;
}

export function newZoneMetrics(seriesCount: () => number): ZoneMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    samplesIngested: new Counter({ name: 'canopy_zone_samples_ingested_total', help: 'Samples accepted into the zone, by ingest path.', labelNames: ['path'], registers: [registry] }),
    samplesDropped: new Counter({ name: 'canopy_zone_samples_dropped_total', help: 'Samples rejected by the zone, by reason.', labelNames: ['reason'], registers: [registry] }),
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
