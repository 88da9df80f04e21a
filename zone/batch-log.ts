// BatchLog: the acks of recently committed leaf batches by batch id, so a retried batch is
// acknowledged again (duplicate=true) without being applied twice. Bounded (oldest forgotten
// first). After a zone restart the log is empty; a batch retried then is re-applied, and its
// samples are identical (same series, timestamp and value), which the head ignores as
// duplicates — so retries stay idempotent across restarts too.
import type { IAck } from '../proto/index.ts';

export class BatchLog {
  private readonly acks = new Map<string, IAck>();
  private readonly inFlight = new Map<string, Promise<IAck>>();

  constructor(private readonly capacity = 100_000) {}

  get(id: string): IAck | undefined {
    return this.acks.get(id);
  }

  /** Runs apply once per id at a time; concurrent retries of the same id share the result. */
  async once(id: string, apply: () => Promise<IAck>): Promise<IAck> {
    const done = this.acks.get(id);
    if (done) return { ...done, duplicate: true };
    const running = this.inFlight.get(id);
    if (running) return { ...(await running), duplicate: true };
    const p = apply();
    this.inFlight.set(id, p);
    try {
      const ack = await p;
      if (ack.status !== 3 /* RETRY */) this.remember(id, ack);
      return ack;
    } finally {
      this.inFlight.delete(id);
    }
  }

  private remember(id: string, ack: IAck): void {
    this.acks.set(id, ack);
    if (this.acks.size > this.capacity) this.acks.delete(this.acks.keys().next().value!);
  }
}
