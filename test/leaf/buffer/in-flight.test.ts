// A batch dropped by the size bound while the shipper is sending it: lost (and counted) only if
// the send fails; delivered (not counted) if the zone acknowledges it. Both queues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskBuffer } from '../../../leaf/buffer/index.ts';
import { MemoryQueue } from '../../../leaf/memory-queue.ts';

function fill(q: { append(id: string, b: Uint8Array, n: number): void }, from: number, to: number): void {
  for (let i = from; i < to; i++) q.append(`b-${i}`, new Uint8Array(200).fill(i & 0xff), 5);
}

for (const outcome of ['acked', 'failed'] as const) {
  test(`disk buffer: in-flight batch dropped by the bound, then ${outcome}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-inflight-'));
    try {
      let dropped = 0;
      const b = DiskBuffer.open({ dir, maxBytes: 4096, segmentBytes: 1024, onDrop: (n) => (dropped += n) });
      fill(b, 0, 3);
      const head = b.peek()!;
      b.sending(head.id);
      fill(b, 3, 40); // overflows: the head's segment goes while it is in flight
      const droppedWhileSending = dropped;
      assert.ok(b.peek()!.id !== head.id, 'the head was dropped');
      assert.equal(droppedWhileSending % 5, 0);
      if (outcome === 'acked') {
        assert.equal(b.ack(head.id), true);
        assert.equal(dropped, droppedWhileSending, 'a delivered batch is not a loss');
      } else {
        b.sendFailed(head.id);
        assert.equal(dropped, droppedWhileSending + 5);
      }
      // every batch is either still buffered, delivered, or counted — exactly once
      const delivered = outcome === 'acked' ? 1 : 0;
      assert.equal(dropped / 5 + b.length() + delivered, 40);
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`memory queue: in-flight batch dropped by the bound, then ${outcome}`, () => {
    let dropped = 0;
    const q = new MemoryQueue(2000, (n) => (dropped += n));
    fill(q, 0, 3);
    const head = q.peek()!;
    q.sending(head.id);
    fill(q, 3, 40);
    const before = dropped;
    if (outcome === 'acked') q.ack(head.id);
    else q.sendFailed(head.id);
    assert.equal(dropped, before + (outcome === 'acked' ? 0 : 5));
    assert.equal(dropped / 5 + q.length() + (outcome === 'acked' ? 1 : 0), 40);
  });
}

test('disk buffer: closing with a dropped in-flight batch counts it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-inflight-'));
  try {
    let dropped = 0;
    const b = DiskBuffer.open({ dir, maxBytes: 4096, segmentBytes: 1024, onDrop: (n) => (dropped += n) });
    fill(b, 0, 3);
    b.sending(b.peek()!.id);
    fill(b, 3, 40);
    b.close();
    assert.equal(dropped / 5 + b.length(), 40);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
