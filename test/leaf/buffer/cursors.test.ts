// Fan-out cursors (ship_to: all): every record once per cursor, each cursor's position
// surviving a restart, segments kept until every cursor passed them, drops counted per cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskBuffer } from '../../../leaf/buffer/disk-buffer.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'canopy-cur-'));
const payload = (i: number): Uint8Array => new Uint8Array(200).fill(i & 0xff);

function drain(c: ReturnType<DiskBuffer['cursor']>, max = Infinity): string[] {
  const ids: string[] = [];
  for (let x = c.peek(); x && ids.length < max; x = c.peek()) {
    ids.push(x.id);
    assert.ok(c.ack(x.id));
  }
  return ids;
}

test('each cursor delivers every batch once, in order, independently', () => {
  const dir = tmp();
  try {
    const b = DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 4096, cursors: ['a', 'b'] });
    for (let i = 0; i < 50; i++) b.append(`x-${i}`, payload(i), 1);
    const a = b.cursor('a'),
      bb = b.cursor('b');
    assert.deepEqual(
      drain(a),
      Array.from({ length: 50 }, (_, i) => `x-${i}`),
    );
    assert.equal(a.length(), 0);
    assert.equal(bb.length(), 50);
    // b not yet read: the segments stay
    assert.ok(readdirSync(dir).filter((n) => n.endsWith('.seg')).length > 2);
    assert.deepEqual(
      drain(bb, 10),
      Array.from({ length: 10 }, (_, i) => `x-${i}`),
    );
    b.close();
    // restart: a resumes at the end, b at x-10
    const r = DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 4096, cursors: ['a', 'b'] });
    assert.equal(r.cursor('a').length(), 0);
    assert.deepEqual(
      drain(r.cursor('b')),
      Array.from({ length: 40 }, (_, i) => `x-${i + 10}`),
    );
    // both passed everything: only the segment being written is left
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.seg')).length, 1);
    assert.ok(existsSync(join(dir, 'ack-a.pos')) && existsSync(join(dir, 'ack-b.pos')));
    r.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bound drops the oldest segment and counts it for each cursor that had not sent it', () => {
  const dir = tmp();
  try {
    const drops: Record<string, number> = {};
    const b = DiskBuffer.open({
      dir,
      maxBytes: 8192,
      segmentBytes: 2048,
      cursors: ['a', 'b'],
      onDrop: (s, _n, reason, cur) => void (drops[`${cur}:${reason}`] = (drops[`${cur}:${reason}`] ?? 0) + s),
    });
    const a = b.cursor('a'),
      bb = b.cursor('b');
    let appended = 0;
    for (let i = 0; i < 100; i++) {
      b.append(`x-${i}`, payload(i), 1);
      appended++;
      drain(a); // a keeps up, b is down
    }
    assert.ok(b.sizeBytes() <= 8192);
    assert.equal(drops['a:buffer_full'] ?? 0, 0);
    const left = drain(bb).length;
    // b: every batch either delivered or counted as dropped, exactly once
    assert.equal(left + (drops['b:buffer_full'] ?? 0), appended);
    assert.ok((drops['b:buffer_full'] ?? 0) > 0);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a new named cursor starts at ack.pos (switching a leaf to fan-out re-sends nothing acked)', () => {
  const dir = tmp();
  try {
    const b = DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 4096, ackPersistIntervalMs: 0 });
    for (let i = 0; i < 20; i++) b.append(`x-${i}`, payload(i), 1);
    for (let i = 0; i < 5; i++) assert.ok(b.ack(b.peek()!.id));
    b.close();
    const r = DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 4096, cursors: ['a', 'b'] });
    assert.equal(r.cursor('a').peek()!.id, 'x-5');
    assert.equal(r.cursor('b').length(), 15);
    assert.throws(() => r.cursor('c'), /no cursor "c"/);
    r.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
