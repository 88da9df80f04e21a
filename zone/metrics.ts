// The zone's self-metrics, served at /metrics in Prometheus text format.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { IngestMetrics, type TenantUsage } from './ingest/index.ts';

export interface ZoneMetrics {
  registry: Registry;
  ingest: IngestMetrics;
  samplesIngested: Counter<'path' | 'tenant'>;
  samplesDropped: Counter<'reason' | 'tenant'>;
  activeSeries: Gauge;
  tenantActiveSeries: Gauge<'tenant'>;
  queries: Counter<'source' | 'outcome'>;
  queryDuration: Histogram<'source' | 'outcome'>;
  /** Writes acknowledged although NATS never confirmed their field hints (lease rule, zone/hints.ts). */
  hintsUnconfirmedAcks: Counter;
}

/** The engine's gate: queries evaluating, waiting, and the concurrency limit. */
export interface EngineLoad {
  inFlight: number;
  queued: number;
  max: number;
}

/** `tenants` lists each tenant's usage (canopy_zone_tenant_active_series). */
export function newZoneMetrics(
  seriesCount: () => number,
  engineLoad?: () => EngineLoad,
  tenants: () => readonly TenantUsage[] = () => [],
): ZoneMetrics {
  const registry = new Registry();
  if (engineLoad) {
    new Gauge({
      name: 'canopy_zone_queries_in_flight',
      help: 'Queries being evaluated (HTTP, NATS fragments, rules).',
      registers: [registry],
      collect() {
        this.set(engineLoad().inFlight);
      },
    });
    new Gauge({
      name: 'canopy_zone_queries_queued',
      help: 'Queries waiting for a slot (--query.max-concurrency).',
      registers: [registry],
      collect() {
        this.set(engineLoad().queued);
      },
    });
    new Gauge({
      name: 'canopy_zone_queries_concurrent_max',
      help: 'The --query.max-concurrency limit (0 = unlimited).',
      registers: [registry],
      collect() {
        this.set(engineLoad().max);
      },
    });
  }
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
    queries: new Counter({
      name: 'canopy_zone_queries_total',
      help: 'Queries answered, by source (http, nats) and outcome.',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    }),
    queryDuration: new Histogram({
      name: 'canopy_zone_query_duration_seconds',
      help: "Time to answer the root's query fragments over NATS, by outcome.",
      labelNames: ['source', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    hintsUnconfirmedAcks: new Counter({
      name: 'canopy_zone_hints_unconfirmed_acks_total',
      help: 'Writes acknowledged without NATS confirming their field hints, after the root stopped trusting older hints (2 x lease).',
      registers: [registry],
    }),
  };
}
