// bcrypt off the event loop. bcryptjs is pure JavaScript: one compare at cost 10 takes 70-900 ms
// of CPU on this machine and its async form still blocks the loop for up to ~300 ms at a time
// (measured), which a zone serving queries and ingest cannot afford. So compares run one at a
// time in a single worker thread, started on first use and unref'd — one at a time as upstream
// serialises bcrypt behind a mutex, so a flood of wrong passwords costs one core at most.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcrypt);
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});
`;

export class BcryptWorker {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, (ok: boolean) => void>();

  compare(password: string, hash: string): Promise<boolean> {
    const w = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      if (this.pending.size === 1) w.ref(); // keep the process up while a compare is pending
      w.postMessage({ id, password, hash });
    });
  }

  private start(): Worker {
    const bcrypt = createRequire(import.meta.url).resolve('bcryptjs');
    const w = new Worker(WORKER, { eval: true, workerData: { bcrypt } });
    w.unref();
    w.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      this.pending.get(id)?.(ok);
      this.pending.delete(id);
      if (this.pending.size === 0) w.unref();
    });
    w.on('error', () => this.fail());
    w.on('exit', () => this.fail());
    return w;
  }

  /** The worker died: refuse what is pending (a failed compare is a refusal) and start afresh next time. */
  private fail(): void {
    this.worker = undefined;
    for (const r of this.pending.values()) r(false);
    this.pending.clear();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
