// Tenants at zone ingest: one Admission per tenant (its limits, active series, rate bucket and
// usage counts), created on the tenant's first write. Limits are the zone's `limits:` defaults
// with the tenant's entry of the runtime overrides file (runtime-config.ts) applied; a reload
// swaps the overrides and the live Admissions pick the new limits up at their next check.
// An idle tenant costs one Admission: 1.45 KB of heap with one active series (bench:tenants).
import type { Labels } from '../../shared/labels.ts';
import type { Storage } from '../../shared/storage.ts';
import { ANONYMOUS_TENANT } from '../../shared/tenant.ts';
import { Admission, type AdmissionLimits } from './admission.ts';
import type { IngestDropReason } from './ingest-metrics.ts';

export interface TenantUsage {
  tenant: string;
  activeSeries: number;
  samplesIngested: number;
  samplesDropped: Record<string, number>;
  limits: Readonly<AdmissionLimits>;
  overridden: boolean;
}

export interface TenantsOptions {
  /** The zone's `limits:` (every tenant without an override). */
  defaults: Readonly<AdmissionLimits>;
  storage: Pick<Storage, 'seriesCount'>;
  /** Samples older than now − retentionMs are refused; 0 = no bound. */
  retentionMs?: number;
  /** Labels set on every series (overriding the sender's). */
  zoneLabels?: Labels;
}

interface TenantState {
  admission: Admission;
  ingested: number;
  dropped: Map<IngestDropReason, number>;
}

export class Tenants {
  private readonly byId = new Map<string, TenantState>();
  private overrides: ReadonlyMap<string, Readonly<AdmissionLimits>> = new Map();

  constructor(private readonly opts: TenantsOptions) {}

  /** The tenant's Admission (created on first use). */
  admission(tenant: string = ANONYMOUS_TENANT): Admission {
    return this.state(tenant).admission;
  }

  private state(tenant: string): TenantState {
    let s = this.byId.get(tenant);
    if (s === undefined) {
      const admission = new Admission(this.limitsFor(tenant), this.opts.storage, {
        tenant,
        zoneLabels: this.opts.zoneLabels,
        retentionMs: this.opts.retentionMs,
      });
      s = { admission, ingested: 0, dropped: new Map() };
      this.byId.set(tenant, s);
    }
    return s;
  }

  limitsFor(tenant: string): Readonly<AdmissionLimits> {
    return this.overrides.get(tenant) ?? this.opts.defaults;
  }

  /** Replaces every override (a runtime-config reload); live tenants take the new limits. */
  setOverrides(next: ReadonlyMap<string, Readonly<AdmissionLimits>>): void {
    this.overrides = next;
    for (const [tenant, s] of this.byId) s.admission.limits = this.limitsFor(tenant);
  }

  /** Forgets every tenant's series not written within its active-series window (after a head truncation). */
  purgeInactive(nowMs: number): void {
    for (const s of this.byId.values()) s.admission.purge(nowMs);
  }

  /** Usage bookkeeping for /api/v1/status/tenants (the metrics count the same, by label). */
  recordIngested(tenant: string, n: number): void {
    if (n > 0) this.state(tenant).ingested += n;
  }

  recordDropped(tenant: string, reason: IngestDropReason, n: number): void {
    if (n <= 0) return;
    const d = this.state(tenant).dropped;
    d.set(reason, (d.get(reason) ?? 0) + n);
  }

  /** Tenants that wrote (or tried to) since start, sorted by id. */
  usage(): TenantUsage[] {
    return [...this.byId.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([tenant, s]) => ({
        tenant,
        activeSeries: s.admission.trackedSeries(),
        samplesIngested: s.ingested,
        samplesDropped: Object.fromEntries(s.dropped),
        limits: s.admission.limits,
        overridden: this.overrides.has(tenant),
      }));
  }
}
