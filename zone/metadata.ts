// MetadataStore: the latest TYPE/HELP/UNIT seen per metric name (from leaf batches and
// remote_write metadata), served by /api/v1/metadata. In memory; rebuilt as leaves resend.
import type { MetricMetadata } from '../shared/api/index.ts';

export class MetadataStore {
  private readonly byMetric = new Map<string, MetricMetadata>();

  set(metric: string, m: MetricMetadata): void {
    this.byMetric.set(metric, m);
  }

  lookup(metric: string | undefined, limit: number | undefined): Record<string, MetricMetadata[]> {
    const out: Record<string, MetricMetadata[]> = {};
    let n = 0;
    const names = metric !== undefined ? [metric] : [...this.byMetric.keys()].sort();
    for (const name of names) {
      const m = this.byMetric.get(name);
      if (!m) continue;
      if (limit !== undefined && n >= limit) break;
      out[name] = [m];
      n++;
    }
    return out;
  }

  all(): [string, MetricMetadata][] {
    return [...this.byMetric.entries()];
  }
}
