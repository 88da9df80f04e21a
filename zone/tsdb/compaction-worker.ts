// The compaction worker's entry (a worker_threads thread, one per TSDB, started by compactor.ts):
// writes head blocks from series batches (sorted into label order here), merges blocks, writes
// rollup blocks and runs post-compaction tasks (uploads), so the zone's request thread does none of that CPU or file I/O. Requests are handled one at a time,
// in arrival order (a head block's begin/series/finish messages stay in sequence); each gets a
// reply { id, ok, result } or { id, ok: false, error: { code, message } }.
import { parentPort } from 'node:worker_threads';
import { getPriority, setPriority } from 'node:os';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import { BlockWriter, type ChunkData } from './block-writer.ts';
import { compareLabels, type Labels } from '../../shared/labels.ts';
import { Block } from './block-reader.ts';
import { compactBlocks } from './compact.ts';
import { writeRollupBlock } from './rollup.ts';
import { forEachBatchSeries } from './series-batch.ts';
import type { WorkerReply, WorkerRequest } from './compactor.ts';

const port = parentPort ?? process.exit(1);
/**
 * This thread runs this much nicer than the process (capped at 19): compaction yields the CPU
 * to the request thread on a busy machine, also when the whole process was started niced.
 */
const WORKER_NICE = 10;
try {
  // On Linux, get/setpriority(PRIO_PROCESS, 0) apply to the calling thread only: this worker.
  setPriority(0, Math.min(19, getPriority(0) + WORKER_NICE));
} catch {
  // not permitted or not supported: run at the process's priority
}
/** A head block being received: series arrive in any order and are written sorted at finish. */
interface PendingBlock {
  blocksDir: string;
  minT: number;
  maxT: number;
  series: { labels: Labels; chunks: ChunkData[] }[];
}
const writers = new Map<number, PendingBlock>();

async function handle(m: WorkerRequest): Promise<unknown> {
  switch (m.op) {
    case 'begin':
      writers.set(m.writer, { blocksDir: m.blocksDir, minT: m.minT, maxT: m.maxT, series: [] });
      return null;
    case 'series': {
      const p = pending(m.writer);
      forEachBatchSeries(m.batch, (labels, chunks) => p.series.push({ labels, chunks }));
      return null;
    }
    case 'finish': {
      const p = pending(m.writer);
      writers.delete(m.writer);
      p.series.sort((a, b) => compareLabels(a.labels, b.labels));
      const w = new BlockWriter(p.blocksDir, p.minT, p.maxT, 1);
      try {
        for (const s of p.series) w.addSeries(s.labels, s.chunks);
        const meta = w.finish();
        const rawIndex = w.rawIndex!;
        transfer = [rawIndex.buffer as ArrayBuffer];
        return { meta, rawIndex };
      } catch (e) {
        w.abort();
        throw e;
      }
    }
    case 'abort':
      writers.delete(m.writer);
      return null;
    case 'compact': {
      const blocks: Block[] = [];
      try {
        for (const d of m.dirs) blocks.push(Block.open(d));
        return await compactBlocks(blocks, m.blocksDir);
      } finally {
        for (const b of blocks) b.close();
      }
    }
    case 'rollup': {
      const src = Block.open(m.dir);
      try {
        return await writeRollupBlock(src, m.resMs, m.blocksDir);
      } finally {
        src.close();
      }
    }
    case 'task': {
      const mod = (await import(m.module)) as Record<string, unknown>;
      const fn = mod[m.fn];
      if (typeof fn !== 'function')
        throw new CanopyError(
          'internal',
          `cannot run post-compaction task: ${m.module} exports no function ${m.fn}`,
        );
      return await (fn as (a: unknown) => unknown)(m.args);
    }
  }
}

function pending(id: number): PendingBlock {
  const w = writers.get(id);
  if (!w) throw new CanopyError('internal', `cannot write block: no writer ${id} in the compaction worker`);
  return w;
}

/** Buffers the current reply moves to the request thread instead of copying (set by handle()). */
let transfer: ArrayBuffer[] = [];
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: WorkerRequest) => {
  chain = chain.then(async () => {
    let reply: WorkerReply;
    try {
      reply = { id: m.id, ok: true, result: await handle(m) };
    } catch (e) {
      reply = {
        id: m.id,
        ok: false,
        error: { code: e instanceof CanopyError ? e.code : 'internal', message: errorMessage(e) },
      };
    }
    port.postMessage(reply, transfer);
    transfer = [];
  });
});
