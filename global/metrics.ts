// The root's self-metrics (served on /metrics): queries by plan and outcome, fragments sent,
// zone requests asked or skipped by pruning, bytes received from zones, query latency.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface RootMetrics {
  queries: Counter<'plan' | 'outcome'>;
  fragments: Counter<string>;
  zoneRequests: Counter<'result'>;
  receivedBytes: Counter<string>;
  queryDuration: Histogram<'plan'>;
}

export function newRootMetrics(registry: Registry): RootMetrics {
  return {
    queries: new Counter({
      name: 'canopy_root_queries_total',
      help: 'PromQL queries answered by the root, by plan and outcome.',
      labelNames: ['plan', 'outcome'],
      registers: [registry],
    }),
    fragments: new Counter({
      name: 'canopy_root_fragments_total',
      help: 'Plan fragments sent to zones.',
      registers: [registry],
    }),
    zoneRequests: new Counter({
      name: 'canopy_root_zone_requests_total',
      help: 'Per-zone fragment requests, asked or skipped (pruned or down).',
      labelNames: ['result'],
      registers: [registry],
    }),
    receivedBytes: new Counter({
      name: 'canopy_root_received_bytes_total',
      help: 'Bytes received from zones for queries.',
      registers: [registry],
    }),
    queryDuration: new Histogram({
      name: 'canopy_root_query_duration_seconds',
      help: 'Query latency at the root.',
      labelNames: ['plan'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

/** What the root refused to trust (global/zones.ts, global/fanout.ts). */
export interface TrustMetrics {
  heartbeatsIgnored: Counter<'reason'>;
  answersDropped: Counter<'reason'>;
}

export function newTrustMetrics(registry: Registry): TrustMetrics {
  return {
    heartbeatsIgnored: new Counter({
      name: 'canopy_root_heartbeats_ignored_total',
      help: "Heartbeats ignored: zone not in the topology, published on another zone's subject, region or external labels not the zone's.",
      labelNames: ['reason'],
      registers: [registry],
    }),
    answersDropped: new Counter({
      name: 'canopy_root_zone_answers_dropped_total',
      help: 'Zone answers dropped because they did not come from the zone asked (zone field or external labels).',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

/** Gauges of the root engine's gate: queries evaluating, waiting, and the concurrency limit. */
export function registerRootEngineLoad(
  registry: Registry,
  load: () => { inFlight: number; queued: number; max: number },
): void {
  new Gauge({
    name: 'canopy_root_queries_in_flight',
    help: 'Queries being evaluated at the root.',
    registers: [registry],
    collect() {
      this.set(load().inFlight);
    },
  });
  new Gauge({
    name: 'canopy_root_queries_queued',
    help: 'Queries waiting for a slot (--query.max-concurrency).',
    registers: [registry],
    collect() {
      this.set(load().queued);
    },
  });
  new Gauge({
    name: 'canopy_root_queries_concurrent_max',
    help: 'The --query.max-concurrency limit (0 = unlimited).',
    registers: [registry],
    collect() {
      this.set(load().max);
    },
  });
}
