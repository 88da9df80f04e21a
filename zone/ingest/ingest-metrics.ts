// IngestMetrics: the Prometheus counters every ingest path updates. One instance per
// prom-client Registry (IngestMetrics.on caches it), so the zone's /metrics serves them:
//   canopy_zone_samples_ingested_total{path}        samples the storage accepted
//   canopy_zone_samples_dropped_total{reason}       samples rejected, by DropReason (+ unsupported)
//   canopy_zone_ingest_requests_total{path,code}    requests by HTTP status
import { Counter, Registry } from 'prom-client';
import type { DropReason } from '../../shared/storage.ts';

/** DropReason plus 'unsupported' (remote-write native histograms, which Canopy does not store). */
export type IngestDropReason = DropReason | 'unsupported';

export type IngestPath = 'remote_write' | 'push' | 'otlp';

const byRegistry = new WeakMap<Registry, IngestMetrics>();

export class IngestMetrics {
  readonly samplesIngested: Counter<'path'>;
  readonly samplesDropped: Counter<'reason'>;
  readonly requests: Counter<'path' | 'code'>;

  private constructor(registry: Registry) {
    const registers = [registry];
    this.samplesIngested = new Counter({
      name: 'canopy_zone_samples_ingested_total',
      help: 'Samples accepted into the zone storage, by ingest path.',
      labelNames: ['path'],
      registers,
    });
    this.samplesDropped = new Counter({
      name: 'canopy_zone_samples_dropped_total',
      help: 'Samples rejected at zone ingest (admission or storage), by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.requests = new Counter({
      name: 'canopy_zone_ingest_requests_total',
      help: 'Ingest requests by path and HTTP status code.',
      labelNames: ['path', 'code'],
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

  dropped(reason: IngestDropReason, n: number): void {
    if (n > 0) this.samplesDropped.inc({ reason }, n);
  }

  ingested(path: IngestPath, n: number): void {
    if (n > 0) this.samplesIngested.inc({ path }, n);
  }

  request(path: IngestPath, code: number): void {
    this.requests.inc({ path, code: String(code) });
  }
}
