// MetadataStore: the latest TYPE/HELP/UNIT seen per tenant and metric name (from leaf
// batches), served by /api/v1/metadata to that tenant only. In memory; rebuilt as leaves resend.
import type { MetricMetadata } from '../shared/api/index.ts';

export class MetadataStore {
  private readonly byTenant = new Map<string, Map<string, MetricMetadata>>();

  set(tenant: string, metric: string, m: MetricMetadata): void {
    let t = this.byTenant.get(tenant);
    if (t === undefined) this.byTenant.set(tenant, (t = new Map()));
    t.set(metric, m);
  }

  lookup(
    tenant: string,
    metric: string | undefined,
    limit: number | undefined,
  ): Record<string, MetricMetadata[]> {
    const out: Record<string, MetricMetadata[]> = {};
    const byMetric = this.byTenant.get(tenant);
    if (byMetric === undefined) return out;
    let n = 0;
    const names = metric !== undefined ? [metric] : [...byMetric.keys()].sort();
    for (const name of names) {
      const m = byMetric.get(name);
      if (!m) continue;
      if (limit !== undefined && n >= limit) break;
      out[name] = [m];
      n++;
    }
    return out;
  }

  /** The tenant's entries. */
  all(tenant: string): [string, MetricMetadata][] {
    return [...(this.byTenant.get(tenant)?.entries() ?? [])];
  }
}
