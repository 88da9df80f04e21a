import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  appendFileSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskBuffer } from '../../../leaf/buffer/disk-buffer.ts';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'canopy-buf-'));
}
function payload(i: number, n = 100): Uint8Array {
  const b = new Uint8Array(n);
  for (let j = 0; j < n; j++) b[j] = (i * 31 + j) & 0xff;
  return b;
}
function drain(b: DiskBuffer): string[] {
  const ids: string[] = [];
  for (let x = b.peek(); x; x = b.peek()) {
    ids.push(x.id);
    assert.ok(b.ack(x.id));
  }
  return ids;
}

test('FIFO order, payload integrity, ack only the oldest', () => {
  const dir = tmp();
  try {
    const b = DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 4096 });
    for (let i = 0; i < 100; i++) b.append(`b-${i}`, payload(i, 50 + i), i);
    assert.equal(b.length(), 100);
    assert.equal(b.samples(), 4950);
    assert.equal(b.ack('b-5'), false);
    const first = b.peek()!;
    assert.equal(first.id, 'b-0');
    assert.deepEqual(first.bytes, payload(0, 50));
    for (let i = 0; i < 100; i++) {
      const x = b.peek()!;
      assert.equal(x.id, `b-${i}`);
      assert.equal(x.samples, i);
      assert.deepEqual(x.bytes, payload(i, 50 + i));
      b.ack(x.id);
    }
    assert.equal(b.peek(), undefined);
    // fully-acked segments are deleted; only the write segment remains
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.seg')).length, 1);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('restart resumes at the first unacked batch', () => {
  const dir = tmp();
  try {
    let b = DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 2048 });
    for (let i = 0; i < 60; i++) b.append(`b-${i}`, payload(i), 1);
    for (let i = 0; i < 25; i++) b.ack(b.peek()!.id);
    b.close();
    b = DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 2048 });
    assert.equal(b.length(), 35);
    assert.equal(b.peek()!.id, 'b-25');
    b.append('b-60', payload(60), 1);
    b.close();
    b = DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 2048 });
    const ids = drain(b);
    assert.deepEqual(
      ids,
      Array.from({ length: 36 }, (_, i) => `b-${i + 25}`),
    );
    b.close();
    // after a full drain and restart: empty, and appends continue
    b = DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 2048 });
    assert.equal(b.length(), 0);
    b.append('z', payload(1), 1);
    assert.equal(b.peek()!.id, 'z');
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('size bound: oldest batches dropped first, exact sample counts reported', () => {
  const dir = tmp();
  try {
    const drops: [number, number, string][] = [];
    const maxBytes = 64 * 1024;
    const b = DiskBuffer.open({
      dir,
      maxBytes,
      segmentBytes: 8 * 1024,
      onDrop: (s, n, r) => drops.push([s, n, r]),
    });
    const N = 500;
    for (let i = 0; i < N; i++) {
      b.append(`b-${i}`, payload(i, 1000), 7 + (i % 3));
      assert.ok(b.sizeBytes() <= maxBytes, `size ${b.sizeBytes()} > ${maxBytes}`);
    }
    const onDisk = readdirSync(dir)
      .filter((n) => n.endsWith('.seg'))
      .reduce((a, n) => a + statSync(join(dir, n)).size, 0);
    assert.equal(onDisk, b.sizeBytes());
    const droppedBatches = drops.reduce((a, d) => a + d[1], 0);
    const droppedSamples = drops.reduce((a, d) => a + d[0], 0);
    assert.ok(drops.every((d) => d[2] === 'buffer_full'));
    // what is left is a contiguous suffix; dropped + kept == appended, exactly
    const kept = drain(b);
    assert.equal(kept.length + droppedBatches, N);
    assert.equal(kept[0], `b-${droppedBatches}`);
    let expectDropped = 0;
    for (let i = 0; i < droppedBatches; i++) expectDropped += 7 + (i % 3);
    assert.equal(droppedSamples, expectDropped);
    assert.equal(b.dropped.buffer_full.samples, expectDropped);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('torn tail cut off and counted; garbage after the last record cut; a damaged record skipped, the rest survive', () => {
  const dir = tmp();
  try {
    let b = DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    for (let i = 0; i < 10; i++) b.append(`b-${i}`, payload(i), 1);
    b.close();
    const seg = join(
      dir,
      readdirSync(dir).find((n) => n.endsWith('.seg'))!,
    );
    const recSize = (statSync(seg).size - 8) / 10;
    // torn write: the last record loses its last 30 bytes (its header is intact: 1 sample lost)
    truncateSync(seg, statSync(seg).size - 30);
    b = DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    assert.equal(b.length(), 9);
    assert.deepEqual(b.corrupt, { records: 1, unknownRecords: 0, samples: 1, bytes: recSize - 30 });
    assert.deepEqual(b.dropped.corrupt, { samples: 1, batches: 1 });
    b.append('after', payload(99), 1);
    b.close();
    // garbage appended after a valid record: cut, counted as one record of unknown size
    appendFileSync(seg, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    b = DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    assert.equal(b.length(), 10);
    assert.deepEqual(b.corrupt, { records: 1, unknownRecords: 1, samples: 0, bytes: 12 });
    b.close();
    // flip a byte inside record 5: only record 5 is lost
    const data = readFileSync(seg);
    data[8 + 5 * recSize + 40]! ^= 0xff;
    writeFileSync(seg, data);
    b = DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    assert.deepEqual(b.corrupt, { records: 1, unknownRecords: 0, samples: 1, bytes: recSize });
    b.close();
    // counted once: the region is marked lost on disk, a second open counts nothing
    b = DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    assert.deepEqual(b.corrupt, { records: 0, unknownRecords: 0, samples: 0, bytes: 0 });
    assert.deepEqual(drain(b), ['b-0', 'b-1', 'b-2', 'b-3', 'b-4', 'b-6', 'b-7', 'b-8', 'after']);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('waitForBatch resolves on append and on abort', async () => {
  const dir = tmp();
  try {
    const b = DiskBuffer.open({ dir });
    const ac = new AbortController();
    const p = b.waitForBatch(ac.signal);
    setTimeout(() => b.append('x', payload(1), 1), 5);
    await p;
    assert.equal(b.length(), 1);
    b.ack('x');
    const ac2 = new AbortController();
    const p2 = b.waitForBatch(ac2.signal);
    ac2.abort();
    await p2;
    ac.abort();
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('crash without close: unacked batches never lost; acks since the last persist are re-sent', () => {
  for (const [interval, firstAfter] of [
    [0, 'b-5'],
    [1e9, 'b-1'], // the first ack is persisted immediately, later ones wait for the interval
  ] as const) {
    const dir = tmp();
    try {
      const b = DiskBuffer.open({ dir, maxBytes: 1 << 20, ackPersistIntervalMs: interval });
      for (let i = 0; i < 10; i++) b.append(`b-${i}`, payload(i), 1);
      for (let i = 0; i < 5; i++) b.ack(b.peek()!.id);
      // no close(): simulate a crash
      const again = DiskBuffer.open({ dir, maxBytes: 1 << 20 });
      assert.equal(again.peek()!.id, firstAfter);
      assert.equal(drain(again).at(-1), 'b-9');
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
