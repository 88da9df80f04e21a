// MemoryQueue: a bounded in-memory BatchQueue (oldest batches dropped first when full, and
// counted). Used when the leaf runs without a data directory; the disk buffer is the default.
// In-flight accounting as in the DiskBuffer: a batch dropped while being sent is counted only
// if its send then fails.
import type { BatchQueue } from './shipper.ts';
import type { BatchSink } from './pipeline.ts';

export class MemoryQueue implements BatchQueue, BatchSink {
  private readonly items: { id: string; bytes: Uint8Array; samples: number }[] = [];
  private bytes = 0;
  private waiter: (() => void) | undefined;
  private inFlight: { id: string; samples: number } | undefined;
  private droppedInFlight: { id: string; samples: number } | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly onDrop: (samples: number) => void,
  ) {}

  append(id: string, bytes: Uint8Array, samples: number): void {
    this.items.push({ id, bytes, samples });
    this.bytes += bytes.length;
    while (this.bytes > this.maxBytes && this.items.length > 1) {
      const old = this.items.shift()!;
      this.bytes -= old.bytes.length;
      if (this.inFlight?.id === old.id) this.droppedInFlight = this.inFlight;
      else this.onDrop(old.samples);
    }
    this.waiter?.();
  }

  peek(): { id: string; bytes: Uint8Array; samples: number } | undefined {
    return this.items[0];
  }

  sending(id: string): void {
    const b = this.items[0];
    this.inFlight = b && b.id === id ? { id, samples: b.samples } : undefined;
  }

  sendFailed(id: string): void {
    if (this.inFlight?.id === id) this.inFlight = undefined;
    if (this.droppedInFlight?.id === id) {
      this.onDrop(this.droppedInFlight.samples);
      this.droppedInFlight = undefined;
    }
  }

  ack(id: string): void {
    if (this.inFlight?.id === id) this.inFlight = undefined;
    if (this.droppedInFlight?.id === id) this.droppedInFlight = undefined;
    else if (this.items[0]?.id === id) this.bytes -= this.items.shift()!.bytes.length;
  }

  waitForBatch(signal: AbortSignal): Promise<void> {
    if (this.items.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiter = undefined;
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiter = done;
      signal.addEventListener('abort', done);
    });
  }

  sizeBytes(): number {
    return this.bytes;
  }

  length(): number {
    return this.items.length;
  }
}
