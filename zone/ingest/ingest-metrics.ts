// IngestMetrics: the Prometheus counters every ingest path updates. One instance per
// prom-client Registry (IngestMetrics.on caches it), so the zone's /metrics serves them:
//   canopy_zone_samples_ingested_total{path,tenant}   samples the storage accepted
//   canopy_zone_samples_dropped_total{reason,tenant}  samples rejected, by IngestDropReason
//   canopy_zone_ingest_requests_total{path,code}      requests by HTTP status
//   canopy_zone_remote_write_decodes_total{thread}    remote_write bodies decoded inline
//                                                     (main) or by a decode worker (worker)
import { Counter, Registry } from 'prom-client';
import type { DropReason } from '../../shared/storage.ts';

/**
 * DropReason plus what only zone ingest refuses: 'unsupported' (remote-write native
 * histograms, which Canopy does not store), samples older than retention, and the per-tenant
 * limits (reason names as Mimir's discarded-samples reasons).
 */
export type IngestDropReason =
  | DropReason
  | 'unsupported'
  | 'too_old'
  | 'rate_limited'
  | 'label_name_too_long'
  | 'label_value_too_long'
  | 'max_label_names_per_series'
  | 'per_user_series_limit';

export type IngestPath = 'remote_write' | 'push' | 'grpc' | 'otlp' | 'otlp_grpc';

const byRegistry = new WeakMap<Registry, IngestMetrics>();

export class IngestMetrics {
  readonly samplesIngested: Counter<'path' | 'tenant'>;
  readonly samplesDropped: Counter<'reason' | 'tenant'>;
  readonly requests: Counter<'path' | 'code'>;
  readonly decodes: Counter<'thread'>;

  private constructor(registry: Registry) {
    const registers = [registry];
    this.samplesIngested = new Counter({
      name: 'canopy_zone_samples_ingested_total',
      help: 'Samples accepted into the zone storage, by ingest path and tenant.',
      labelNames: ['path', 'tenant'],
      registers,
    });
    this.samplesDropped = new Counter({
      name: 'canopy_zone_samples_dropped_total',
      help: 'Samples rejected at zone ingest (admission or storage), by reason and tenant.',
      labelNames: ['reason', 'tenant'],
      registers,
    });
    this.requests = new Counter({
      name: 'canopy_zone_ingest_requests_total',
      help: 'Ingest requests by path and HTTP status code.',
      labelNames: ['path', 'code'],
      registers,
    });
    this.decodes = new Counter({
      name: 'canopy_zone_remote_write_decodes_total',
      help: 'remote_write bodies uncompressed and decoded, by thread: main (inline) or worker (zone/ingest/decode-pool.ts).',
      labelNames: ['thread'],
      registers,
    });
  }

  /** The metrics registered on `registry` (created on first use). */
  static on(registry: Registry): IngestMetrics {
    let m = byRegistry.get(registry);
    if (!m) {
      m = new IngestMetrics(registry);
      byRegistry.set(registry, m);
    }
    return m;
  }

  dropped(reason: IngestDropReason, n: number, tenant: string): void {
    if (n > 0) this.samplesDropped.inc({ reason, tenant }, n);
  }

  ingested(path: IngestPath, n: number, tenant: string): void {
    if (n > 0) this.samplesIngested.inc({ path, tenant }, n);
  }

  request(path: IngestPath, code: number): void {
    this.requests.inc({ path, code: String(code) });
  }
}
