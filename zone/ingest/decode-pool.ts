// DecodePool: remote_write bodies decoded on every core. A fixed set of worker threads (one
// per core by default, started with the zone so their fixed memory is not charged to the
// series) each take a snappy-compressed WriteRequest, uncompress it and scan it into flat
// columns (write-request-scan.ts: label-field runs with their hash, per-series sample ranges,
// Float64Array timestamps and values), whose buffers are transferred back without copying.
// The main thread is left with what must be serial: one LabelSetCache lookup per series
// (WriteRequestReader.adopt), the tenant's limits and admission, the hints gate, head append
// and the WAL commit. No per-sample object is built on either side.
//
// Semantics kept from the inline path (remote-write.ts): the same 400 texts for bad snappy or
// protobuf (the scan repeats the reader's checks in its order; Label contents are checked by
// the main thread where it decodes them, so a body with a damaged Label and another
// malformation after it may name the other one), the rate limit charged before
// any label is resolved, and a write acknowledged only after its commit (durable, readable).
// Back-pressure: at most maxPending bodies are with the workers (queued or being decoded);
// past that decode() rejects with CanopyError('unavailable'), which the handler answers 503
// as it answers a WAL that cannot keep up. Bodies smaller than inlineBelowBytes are decoded on
// the main thread: for them a round trip to a worker costs more than the decode. And a body
// goes to a worker only while the main thread is the bottleneck (its event-loop utilisation
// over the last interval is at least minLoopUtilization): otherwise the two thread handoffs
// only add latency and CPU (postMessage, wake-ups), which on an oversubscribed machine cost
// more than the decode itself (measured with bench:tsdb:prom at load 15 on 2 cores: always
// offloading halved the samples/s a 4-in-flight sender reached).
// The workers run the scan's and the hash's source text (self-contained functions), so the
// same code runs from the sources (tsx) and from the esbuild bundle.
// A worker that dies fails its pending bodies with 'unavailable' (the sender retries) and is
// replaced on the next decode.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { CanopyError } from '../../shared/errors.ts';
import { hashBytes } from './label-set-cache.ts';
import { scanWriteRequest, type ScannedWriteRequest } from './write-request-scan.ts';

/** The worker's program: the scan and the hash are shipped as source text (self-contained functions). */
const WORKER = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { isUtf8 } = require('node:buffer');
const snappy = require(workerData.snappy);
// esbuild (tsx, the bundle) may wrap functions in __name(); in a stringified function it is a no-op.
var __name = (f) => f;
const hashBytes = (${hashBytes.toString()});
const scanWriteRequest = (${scanWriteRequest.toString()});
parentPort.on('message', ({ id, body }) => {
  let raw;
  try {
    raw = snappy.uncompressSync(Buffer.from(body), { asBuffer: true });
  } catch (e) {
    parentPort.postMessage({ id, snappyError: e instanceof Error ? e.message : String(e) });
    return;
  }
  const cols = scanWriteRequest(raw, hashBytes, isUtf8);
  const transfer = new Set();
  if (cols.error === '') for (const a of [cols.hash, cols.labelStart, cols.labels, cols.sampleStart, cols.histograms, cols.bias, cols.tsMs, cols.values]) transfer.add(a.buffer);
  parentPort.postMessage({ id, cols }, [...transfer]);
});
`;

export type DecodeOutcome = { cols: ScannedWriteRequest; snappyError?: undefined } | { cols?: undefined; snappyError: string };

export interface DecodePoolOptions {
  /** Worker threads. Default: the cores available (os.availableParallelism()). */
  size?: number;
  /** Bodies with the workers (queued or in decode) before decode() refuses. Default 8 per worker. */
  maxPending?: number;
  /** Compressed bodies smaller than this are decoded inline by the caller. Default 4 KiB. */
  inlineBelowBytes?: number;
  /**
   * Offload only while the main thread's event-loop utilisation (0..1, over the last
   * UTILIZATION_INTERVAL_MS) is at least this. Default 0.9 (at 0.75, bench:tsdb:prom at 10k
   * series offloaded 40% of bodies for no gain in samples/s and +22% CPU per sample: the
   * sender, not the main thread, was the bottleneck); 0 offloads every large body.
   */
  minLoopUtilization?: number;
}

/** Young-generation cap of a decode worker, MB (see start()). */
const WORKER_YOUNG_GENERATION_MB = 4;

/** How often the main thread's event-loop utilisation is sampled for wantsBody(), ms. */
const UTILIZATION_INTERVAL_MS = 100;

interface Job {
  resolve: (o: DecodeOutcome) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker | undefined;
  jobs: Map<number, Job>;
}

export class DecodePool {
  readonly size: number;
  readonly maxPending: number;
  readonly inlineBelowBytes: number;
  readonly minLoopUtilization: number;
  private utilization = 0;
  private elu = performance.eventLoopUtilization();
  private readonly sampler: NodeJS.Timeout | undefined;
  private readonly slots: Slot[] = [];
  private readonly snappyPath = createRequire(import.meta.url).resolve('snappy');
  private nextId = 0;
  private pendingCount = 0;
  private closed = false;

  constructor(o: DecodePoolOptions = {}) {
    this.size = Math.max(1, Math.floor(o.size ?? availableParallelism()));
    this.maxPending = o.maxPending ?? 8 * this.size;
    this.inlineBelowBytes = o.inlineBelowBytes ?? 4096;
    this.minLoopUtilization = o.minLoopUtilization ?? 0.9;
    if (this.minLoopUtilization > 0) {
      this.sampler = setInterval(() => {
        const now = performance.eventLoopUtilization();
        this.utilization = performance.eventLoopUtilization(now, this.elu).utilization;
        this.elu = now;
      }, UTILIZATION_INTERVAL_MS);
      this.sampler.unref();
    }
    for (let i = 0; i < this.size; i++) {
      const slot: Slot = { worker: undefined, jobs: new Map() };
      this.slots.push(slot);
      this.start(slot);
    }
  }

  /** Whether a compressed body of this size should be decoded by a worker (else inline, see the header). */
  wantsBody(sizeBytes: number): boolean {
    return sizeBytes >= this.inlineBelowBytes && this.utilization >= this.minLoopUtilization && !this.closed;
  }

  /** Bodies with the workers now. */
  pending(): number {
    return this.pendingCount;
  }

  /**
   * Uncompresses and scans one remote_write body in a worker. Resolves with the columns (their
   * `error`/`counted` say whether the protobuf was well-formed) or the snappy error; rejects
   * with CanopyError('unavailable') when the pool is full, closed, or the worker died.
   */
  decode(body: Uint8Array): Promise<DecodeOutcome> {
    if (this.closed) return Promise.reject(new CanopyError('unavailable', 'cannot decode remote_write body: the decode pool is closed'));
    if (this.pendingCount >= this.maxPending) {
      return Promise.reject(new CanopyError('unavailable', `cannot decode remote_write body: ${this.pendingCount} bodies already queued for ${this.size} decode workers`));
    }
    // The least busy worker; ties go to the first.
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.jobs.size < slot.jobs.size) slot = s;
    const w = slot.worker ?? this.start(slot);
    const id = this.nextId++;
    // A copy the worker owns: the request's Buffer may be a slice of a shared pool slab.
    const copy = new Uint8Array(body.byteLength);
    copy.set(body);
    return new Promise<DecodeOutcome>((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      if (this.pendingCount++ === 0) for (const s of this.slots) s.worker?.ref();
      w.postMessage({ id, body: copy.buffer }, [copy.buffer]);
    });
  }

  private start(slot: Slot): Worker {
    // A small young generation: everything a scan allocates is transferred out or dies with the
    // request, so a large nursery only holds garbage (it grew each worker's RSS by ~15 MB).
    const w = new Worker(WORKER, { eval: true, workerData: { snappy: this.snappyPath }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    slot.worker = w;
    if (this.pendingCount === 0) w.unref();
    w.on('message', (m: { id: number; cols?: ScannedWriteRequest; snappyError?: string }) => {
      const job = slot.jobs.get(m.id);
      if (job === undefined) return;
      slot.jobs.delete(m.id);
      this.settled();
      if (m.cols !== undefined) job.resolve({ cols: m.cols });
      else job.resolve({ snappyError: m.snappyError ?? 'unknown error' });
    });
    const fail = (why: string): void => {
      if (slot.worker !== w) return;
      slot.worker = undefined;
      const err = new CanopyError('unavailable', `cannot decode remote_write body: decode worker ${why}`);
      for (const job of slot.jobs.values()) {
        this.settled();
        job.reject(err);
      }
      slot.jobs.clear();
    };
    w.on('error', (e) => fail(`failed: ${e.message}`));
    w.on('exit', (code) => fail(`exited with code ${code}`));
    return w;
  }

  private settled(): void {
    if (--this.pendingCount === 0) for (const s of this.slots) s.worker?.unref();
  }

  /** Stops the workers; pending decodes reject with 'unavailable'. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sampler);
    const ws = this.slots.map((s) => s.worker);
    await Promise.all(ws.map((w) => w?.terminate()));
  }
}
