// The zone's self-metrics, served at /metrics in Prometheus text format.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { IngestMetrics, type TenantUsage } from './ingest/index.ts';

export interface ZoneMetrics {
  registry: Registry;
  ingest: IngestMetrics;
  samplesIngested: Counter<'path' | 'tenant'>;
  samplesDropped: Counter<'reason' | 'tenant'>;
  activeSeries: Gauge;
  tenantActiveSeries: Gauge<'tenant'>;
  queries: Counter<'source' | 'outcome'>;
}

/** `tenants` lists each tenant's usage (canopy_zone_tenant_active_series). */
export function newZoneMetrics(seriesCount: () => number, tenants: () => readonly TenantUsage[] = () => []): ZoneMetrics {
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
    tenantActiveSeries: new Gauge({
      name: 'canopy_zone_tenant_active_series',
      help: 'Series a tenant wrote within the active-series window (what its series limit counts).',
      labelNames: ['tenant'],
      registers: [registry],
      collect() {
        this.reset();
        for (const u of tenants()) this.set({ tenant: u.tenant }, u.activeSeries);
      },
    }),
    queries: new Counter({ name: 'canopy_zone_queries_total', help: 'Queries answered, by source (http, nats) and outcome.', labelNames: ['source', 'outcome'], registers: [registry] }),
  };
}
