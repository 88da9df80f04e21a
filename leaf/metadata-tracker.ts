// MetadataTracker: decides which metric metadata (TYPE / HELP / UNIT) rides along with a
// batch. A metric's metadata is sent when first seen, when it changes, and again once
// `resendIntervalMs` has passed since it was last sent (so a zone that lost it — a dropped
// batch, a zone restart before a WAL checkpoint — gets it back) — never with every scrape.
// Invariant: `sent` holds, per metric name, what was last handed out and when.
import type { MetricMetadata } from './scrape/index.ts';
import type { MetadataEntry } from './pipeline.ts';

export class MetadataTracker {
  private readonly sent = new Map<string, { sig: string; atMs: number }>();

  constructor(
    private readonly resendIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The entries of `metadata` that are due; marks them as sent. */
  due(metadata: ReadonlyMap<string, MetricMetadata>): MetadataEntry[] {
    if (metadata.size === 0) return [];
    const nowMs = this.now();
    const out: MetadataEntry[] = [];
    for (const [metric, m] of metadata) {
      const sig = `${m.type}\0${m.unit}\0${m.help}`;
      const prev = this.sent.get(metric);
      if (prev !== undefined && prev.sig === sig && nowMs - prev.atMs < this.resendIntervalMs) continue;
      this.sent.set(metric, { sig, atMs: nowMs });
      out.push({ metric, type: m.type, help: m.help, unit: m.unit });
    }
    return out;
  }

  /** Metrics whose metadata is tracked. */
  size(): number {
    return this.sent.size;
  }
}
