// Cooperative time slicing for long synchronous work on the event loop (JSON pushes, raw
// selects): the worker calls due() now and then and awaits yield() when its slice is used up,
// so queries, ingest and timers run in between.

/** Default slice, ms: short enough that a probe query waits at most about this long. */
const DEFAULT_SLICE_MS = 10;

export class TimeSlice {
  private startMs = performance.now();
  constructor(private readonly budgetMs = DEFAULT_SLICE_MS) {}
  due(): boolean {
    return performance.now() - this.startMs >= this.budgetMs;
  }
  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.startMs = performance.now();
  }
}
