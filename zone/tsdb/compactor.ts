// The request thread's side of the compaction worker (compaction-worker.ts): head block cuts,
// block merges and post-compaction tasks run there, so the zone's one JS thread keeps serving
// queries and ingest while blocks are written (brotli index, chunk files, fsyncs) and merged.
//
// A head cut: the caller closes [mintMs, maxtMs) to appends first (head.minValidT), so nothing
// lands in the range while this copies its chunks — in batches of BATCH_SERIES in head order,
// yielding to the event loop between batches — and posts them to the worker (which sorts them
// into label order and writes the block); the head keeps the data (queries
// read it) until the caller truncates it after opening the written block. The worker starts on
// first use, stops after IDLE_MS without requests (its heap is not kept between cuts), is
// unref'd (never holds the process open) and is restarted after a crash (the request in flight
// fails; its tmp directory is removed at the next open).
import { Worker } from 'node:worker_threads';
import { CanopyError, type ErrorCode } from '../../shared/errors.ts';
import type { BlockMeta } from './block-writer.ts';
import { rechunk } from './compact.ts';
import type { Head } from './head.ts';
import { SeriesBatchBuilder, batchTransfer, type SeriesBatch } from './series-batch.ts';

export type WorkerRequest = { id: number } & (
  | { op: 'begin'; writer: number; blocksDir: string; minT: number; maxT: number }
  | { op: 'series'; writer: number; batch: SeriesBatch }
  | { op: 'finish'; writer: number }
  | { op: 'abort'; writer: number }
  | { op: 'compact'; dirs: string[]; blocksDir: string }
  | { op: 'rollup'; dir: string; resMs: number; blocksDir: string }
  | { op: 'task'; module: string; fn: string; args: unknown }
);
type Body<R> = R extends unknown ? Omit<R, 'id'> : never;
export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: ErrorCode; message: string } };

/** Series per batch posted to the worker. */
const BATCH_SERIES = 250;
/** Copying work between event-loop turns, ms (queries wait at most about this long). */
const SLICE_MS = 1;
const yieldLoop = (): Promise<void> => new Promise((r) => setImmediate(r));
/** Idle time after which the worker is stopped (a cut's merges follow within it). */
const IDLE_MS = 2000;

function spawnWorker(): Worker {
  // Sources (tsx): register the TypeScript loader in the worker first; the bundle ships
  // compaction-worker.js beside the chunk that holds this module (scripts/build.js).
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./compaction-worker.js', import.meta.url));
  const entry = new URL('./compaction-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, execArgv: [] });
}

export class CompactionWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private nextWriter = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private idleTimer: NodeJS.Timeout | null = null;
  /** Tasks (runTask) completed in the worker. */
  tasksRun = 0;

  /**
   * Stops the worker once idle: its isolate (heap grown by the last block, loader, compiled
   * code) would otherwise stay resident between cuts, which are a block range apart.
   */
  private idleSoon(): void {
    if (this.pending.size > 0 || !this.worker) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.pending.size > 0 || !this.worker) return;
      const w = this.worker;
      this.worker = null;
      void w.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private ensure(): Worker {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.worker) return this.worker;
    const w = spawnWorker();
    w.unref();
    w.on('message', (r: WorkerReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.result);
      else p.reject(new CanopyError(r.error.code, r.error.message));
      this.idleSoon();
    });
    const fail = (e: Error): void => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values())
        p.reject(new CanopyError('internal', `compaction worker stopped: ${e.message}`, { cause: e }));
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = w;
    return w;
  }

  private call<T>(req: Body<WorkerRequest>, transfer: ArrayBuffer[] = []): Promise<T> {
    const w = this.ensure();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ ...req, id }, transfer);
    });
  }

  /**
   * Writes head data in [mintMs, maxtMs) as a level-1 block under blocksDir; null when there is
   * none; else its meta and its index uncompressed (moved, not copied: Block.openAsync takes it).
   * The caller first raises head.minValidT to maxtMs.
   */
  async writeHeadBlock(
    head: Head,
    blocksDir: string,
    mintMs: number,
    maxtMs: number,
  ): Promise<{ meta: BlockMeta; rawIndex: Uint8Array } | null> {
    const writer = this.nextWriter++;
    await this.call({ op: 'begin', writer, blocksDir, minT: mintMs, maxT: maxtMs });
    const b = new SeriesBatchBuilder();
    let any = false;
    const sent: Promise<unknown>[] = [];
    try {
      // Head order, not label order: the worker sorts (a sort of every series' labels here
      // would hold the request thread for tens of ms at 100k series).
      let k = 0,
        t0 = performance.now();
      for (const s of head.allSeries()) {
        if (s.maxT >= mintMs && s.minT() < maxtMs) {
          const labels = head.labelsOf(s);
          const list = s.chunkList(mintMs, maxtMs - 1);
          let raw = !s.hasOOO(mintMs, maxtMs - 1);
          for (let i = 0; raw && i < list.length; i++) raw = list.minT(i) >= mintMs && list.maxT(i) < maxtMs;
          if (raw) {
            if (list.length > 0) b.addList(labels, list);
          } else {
            const chunks = rechunk(s.cursor(mintMs, maxtMs - 1), head.samplesPerChunk);
            if (chunks.length > 0) b.addChunks(labels, chunks);
          }
        }
        if (b.seriesCount >= BATCH_SERIES) {
          any = true;
          const batch = b.take();
          sent.push(this.call({ op: 'series', writer, batch }, batchTransfer(batch)));
        }
        if ((++k & 7) === 0 && performance.now() - t0 >= SLICE_MS) {
          await yieldLoop();
          t0 = performance.now();
        }
      }
      if (b.seriesCount > 0) {
        any = true;
        const batch = b.take();
        sent.push(this.call({ op: 'series', writer, batch }, batchTransfer(batch)));
      }
      await Promise.all(sent);
      if (!any) {
        await this.call({ op: 'abort', writer });
        return null;
      }
      return await this.call<{ meta: BlockMeta; rawIndex: Uint8Array }>({ op: 'finish', writer });
    } catch (e) {
      await Promise.allSettled(sent);
      await this.call({ op: 'abort', writer }).catch(() => {});
      throw e;
    }
  }

  /** Merges the blocks in dirs into one new block under blocksDir; returns its meta. */
  compact(dirs: string[], blocksDir: string): Promise<BlockMeta> {
    return this.call<BlockMeta>({ op: 'compact', dirs, blocksDir });
  }

  /** Writes the resMs rollup of the block in dir under blocksDir; returns its meta. */
  rollup(dir: string, resMs: number, blocksDir: string): Promise<BlockMeta> {
    return this.call<BlockMeta>({ op: 'rollup', dir, resMs, blocksDir });
  }

  /**
   * Runs `fn(args)` exported by the module at `moduleUrl` in the worker (a post-compaction task:
   * rollups, uploads) and returns its result (structured-cloned). The module must be loadable
   * there: a source URL under tsx, or a bundle entry in dist/ (scripts/build.js).
   */
  async runTask<T>(moduleUrl: string, fn: string, args: unknown): Promise<T> {
    const r = await this.call<T>({ op: 'task', module: moduleUrl, fn, args });
    this.tasksRun++;
    return r;
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
