// DropTally: one request's rejected samples by reason, the first few messages for the
// response body, and the HTTP status the mix of reasons implies:
//   503 if anything was refused for back-pressure (buffer_full): a retry will succeed;
//   else 429 if anything hit a series/cardinality limit;
//   else 400 for bad data (malformed, invalid labels, out of order/bounds, too far in future,
//   duplicates, unsupported types): senders do not retry 4xx other than 429;
//   else 204. Good samples in the same request are written regardless (Prometheus semantics).
import type { AppendResult } from '../../shared/storage.ts';
import type { IngestDropReason, IngestMetrics } from './ingest-metrics.ts';
import type { Tenants } from './tenants.ts';

const MAX_ERRORS = 5;

export function statusForReason(r: IngestDropReason): number {
  switch (r) {
    case 'buffer_full':
      return 503;
    case 'series_limit':
    case 'per_user_series_limit':
    case 'metric_series_limit':
    case 'rate_limited':
    case 'cardinality_limit':
      return 429;
    default:
      return 400;
  }
}

export class DropTally {
  readonly counts = new Map<IngestDropReason, number>();
  readonly errors: string[] = [];
  total = 0;
  private status = 204;

  /** Whether another message would be kept (build messages only then). */
  wantsMessage(): boolean {
    return this.errors.length < MAX_ERRORS;
  }

  add(reason: IngestDropReason, n: number, message: string): void {
    if (n <= 0) return;
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
    this.total += n;
    if (this.errors.length < MAX_ERRORS && message !== '' && !this.errors.includes(message))
      this.errors.push(message);
    const s = statusForReason(reason);
    if (this.status === 204 || s > this.status) this.status = s;
  }

  addResult(res: AppendResult): void {
    let i = 0;
    for (const [reason, n] of Object.entries(res.rejected) as [IngestDropReason, number][]) {
      this.add(reason, n ?? 0, '');
      i++;
    }
    for (const e of res.errors) if (this.errors.length < MAX_ERRORS) this.errors.push(e);
    if (i > 0 && res.errors.length === 0 && this.errors.length < MAX_ERRORS) {
      this.errors.push(
        `storage rejected samples: ${Object.entries(res.rejected)
          .map(([r, n]) => `${n} ${r}`)
          .join(', ')}`,
      );
    }
  }

  httpStatus(): number {
    return this.status;
  }

  countInto(metrics: IngestMetrics, tenant: string, tenants?: Tenants): void {
    for (const [reason, n] of this.counts) {
      metrics.dropped(reason, n, tenant);
      tenants?.recordDropped(tenant, reason, n);
    }
  }

  summary(totalSamples: number): string {
    return `rejected ${this.total} of ${totalSamples} samples: ${this.errors.join('; ')}`;
  }
}
