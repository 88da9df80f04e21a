// The leaf's batch queue between the pipeline and the shipper: the DiskBuffer under the data
// directory (the default: batches survive a restart), or a bounded MemoryQueue when the leaf
// runs without one. Both drop the oldest batches first when full and report every dropped
// sample through onDrop with its reason, exactly once.
import type { Logger } from '../shared/log.ts';
import { DiskBuffer, type CorruptionStats } from './buffer/index.ts';
import { MemoryQueue } from './memory-queue.ts';
import type { BatchSink } from './pipeline.ts';
import type { BatchQueue } from './shipper.ts';

export interface LeafQueue extends BatchQueue, BatchSink {
  /** Bytes held (segment files for the disk buffer). */
  sizeBytes(): number;
  /** Unacknowledged batches. */
  length(): number;
  close(): void;
  readonly kind: 'disk' | 'memory';
  /** What damage to the disk buffer cost (absent for the memory queue). */
  readonly corrupt?: Readonly<CorruptionStats>;
  /** Fan-out (ship_to all): the queue view of one zone address's cursor. */
  cursor?(name: string): BatchQueue & { length(): number };
}

/** The disk-buffer cursor name of a zone address (ack-<name>.pos): HOST:PORT with ':' as '_'. */
export function cursorNameForZone(addr: string): string {
  return addr.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function openQueue(o: {
  dataDir: string;
  maxBytes: number;
  logger: Logger;
  onDrop: (samples: number, reason: string) => void;
  cursors?: string[];
}): LeafQueue {
  if (o.dataDir === '') {
    const q = new MemoryQueue(o.maxBytes, (n) => o.onDrop(n, 'buffer_full'));
    return Object.assign(q, { kind: 'memory' as const, close: () => {} });
  }
  // segments of maxBytes/8 (16 MiB at most) keep the drop granularity fine; tiny bounds (tests,
  // constrained hosts) still get the 1 KiB minimum segment the buffer allows
  const segmentBytes = Math.max(1024, Math.min(16 << 20, Math.floor(o.maxBytes / 8)));
  // ack position persisted at most every 10 s (and on close): each write is a file write +
  // rename (~6 ms of CPU here, the largest idle cost of a leaf); after a crash at most 10 s of
  // acknowledged batches are re-sent, which the zone deduplicates by batch id
  // fan-out: one cursor per zone address; a batch lost for two replicas is counted for each
  const b = DiskBuffer.open({
    dir: o.dataDir,
    maxBytes: o.maxBytes,
    segmentBytes,
    ackPersistIntervalMs: 10_000,
    cursors: o.cursors,
    onDrop: (samples, _batches, reason) => o.onDrop(samples, reason),
  });
  if (b.length() > 0)
    o.logger.info(
      { dir: o.dataDir, batches: b.length(), samples: b.samples(), bytes: b.sizeBytes() },
      'disk buffer reopened with unsent batches',
    );
  const c = b.corrupt;
  if (c.bytes > 0)
    o.logger.warn(
      {
        dir: o.dataDir,
        lostRecords: c.records,
        unknownSampleRecords: c.unknownRecords,
        lostSamples: c.samples,
        bytes: c.bytes,
      },
      'disk buffer damaged: skipped to the next intact records (reason="corrupt")',
    );
  return Object.assign(b, { kind: 'disk' as const });
}
