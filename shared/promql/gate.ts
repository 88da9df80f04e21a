// The query gate: at most `max` queries evaluate at once; the others wait in a FIFO queue
// until a slot frees, their deadline passes or they are canceled (Prometheus's
// --query.max-concurrency and its "query timed out in query queue" error). The evaluator
// yields every time slice, so queries in flight interleave on the event loop; the gate bounds
// how many of them hold memory at the same time.
import { CanopyError } from '../errors.ts';

interface Waiter {
  grant: () => void;
  fail: (e: CanopyError) => void;
}

export class QueryGate {
  private active = 0;
  private readonly queue: Waiter[] = [];

  /** max 0 = unlimited. */
  constructor(private readonly max: number) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Resolves with a release function once the query may run. */
  async enter(deadlineMs: number, signal: AbortSignal | undefined): Promise<() => void> {
    if (Date.now() >= deadlineMs) throw new CanopyError('timeout', 'query timed out in query queue');
    if (signal?.aborted) throw new CanopyError('canceled', 'query was canceled in query queue');
    if (this.max === 0 || this.active < this.max) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.queue.indexOf(w);
        if (i >= 0) this.queue.splice(i, 1);
      };
      const w: Waiter = {
        grant: () => {
          done();
          resolve();
        },
        fail: (e) => {
          done();
          reject(e);
        },
      };
      const onAbort = (): void => w.fail(new CanopyError('canceled', 'query was canceled in query queue'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(
        () => w.fail(new CanopyError('timeout', 'query timed out in query queue')),
        Math.max(0, deadlineMs - Date.now()),
      );
      this.queue.push(w);
    });
    // The slot was handed over by the releasing query (active stays counted).
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue[0];
      if (next) next.grant();
      else this.active--;
    };
  }
}
