// Disk buffer damage: flip bytes at every kind of position (segment header, record magic,
// length, samples, CRCs, id, payload, trailer) and check that every intact batch is still
// delivered, in order, and that the loss is counted exactly (records, bytes, samples), once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { DiskBuffer } from '../../../leaf/buffer/disk-buffer.ts';
import { V2_HEADER_BYTES, V2_TRAILER_BYTES } from '../../../leaf/buffer/segment-record.ts';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'canopy-bufcor-'));
}
function payload(i: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let j = 0; j < n; j++) b[j] = (i * 31 + j * 7) & 0xff;
  return b;
}
let seed = 12345;
const rnd = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), seed / 2 ** 32);

interface Rec {
  id: string;
  samples: number;
  seg: string;
  off: number;
  size: number;
}

/** Writes `n` batches (varied sizes and sample counts) and returns where each record landed. */
function writeBatches(dir: string, n: number, segmentBytes: number): Rec[] {
  const b = DiskBuffer.open({ dir, maxBytes: 1 << 22, segmentBytes });
  const recs: Rec[] = [];
  for (let i = 0; i < n; i++) {
    const before = readdirSync(dir)
      .filter((f) => f.endsWith('.seg'))
      .sort();
    const id = `batch-${i}`;
    const len = 20 + ((i * 37) % 200);
    b.append(id, payload(i, len), 1 + ((i * 13) % 97));
    const segs = readdirSync(dir)
      .filter((f) => f.endsWith('.seg'))
      .sort();
    const seg = segs[segs.length - 1]!;
    const size = V2_HEADER_BYTES + 3 + Buffer.byteLength(id) + len + V2_TRAILER_BYTES;
    const prev = recs[recs.length - 1];
    const off = prev && prev.seg === seg && segs.length === before.length ? prev.off + prev.size : 8;
    recs.push({ id, samples: 1 + ((i * 13) % 97), seg, off, size });
  }
  b.close();
  return recs;
}

/** Opens the buffer, drains it, and returns ids, payload check and damage counts. */
function openAndDrain(dir: string): {
  ids: string[];
  corrupt: DiskBuffer['corrupt'];
  dropped: { samples: number; batches: number };
} {
  const drops = { samples: 0, batches: 0 };
  const b = DiskBuffer.open({
    dir,
    maxBytes: 1 << 22,
    onDrop: (s, n, why) => (why === 'corrupt' ? ((drops.samples += s), (drops.batches += n)) : undefined),
  });
  const corrupt = { ...b.corrupt };
  const ids: string[] = [];
  for (let x = b.peek(); x; x = b.peek()) {
    const i = Number(x.id.slice(6));
    assert.deepEqual(x.bytes, payload(i, 20 + ((i * 37) % 200)), `payload of ${x.id}`);
    ids.push(x.id);
    b.ack(x.id);
  }
  b.close();
  return { ids, corrupt, dropped: drops };
}

test('fuzz: one flipped byte at every position of two records and sampled elsewhere costs exactly the record it hit', (tc) => {
  const pristine = tmp();
  const work = tmp();
  try {
    const recs = writeBatches(pristine, 15, 1 << 20);
    const all = recs.map((r) => r.id);
    const seg = recs[0]!.seg;
    const data = readFileSync(join(pristine, seg));
    // every byte of the segment header and of records 0 and 7; every 11th byte elsewhere
    const positions: number[] = [];
    for (let p = 0; p < data.length; p++) {
      const inFull =
        p < 8 ||
        (p >= recs[0]!.off && p < recs[0]!.off + recs[0]!.size) ||
        (p >= recs[7]!.off && p < recs[7]!.off + recs[7]!.size);
      if (inFull || p % 11 === 0) positions.push(p);
    }
    const tally = { positions: 0, lostOne: 0, lostNone: 0 };
    for (const p of positions) {
      rmSync(work, { recursive: true, force: true });
      cpSync(pristine, work, { recursive: true });
      const bad = Buffer.from(data);
      bad[p]! ^= 1 + Math.floor(rnd() * 255);
      writeFileSync(join(work, seg), bad);
      const hit = recs.find((r) => p >= r.off && p < r.off + r.size);
      // a flip in a trailer leaves the batch intact (the trailer only serves recovery)
      const lost = hit !== undefined && p < hit.off + hit.size - V2_TRAILER_BYTES ? hit : undefined;
      const got = openAndDrain(work);
      tally.positions++;
      if (lost) tally.lostOne++;
      else tally.lostNone++;
      const where = `flip at ${p} (${hit ? `${hit.id} +${p - hit.off}` : 'segment header'})`;
      assert.deepEqual(
        got.ids,
        all.filter((id) => id !== lost?.id),
        where,
      );
      const headerBytes = p < 5 ? 8 : 0; // magic or version (bytes 5..7 are reserved, not checked)
      assert.deepEqual(
        got.corrupt,
        {
          records: lost ? 1 : 0,
          unknownRecords: 0,
          samples: lost?.samples ?? 0,
          bytes: (lost?.size ?? 0) + headerBytes,
        },
        where,
      );
      assert.deepEqual(got.dropped, { samples: lost?.samples ?? 0, batches: lost ? 1 : 0 }, where);
    }
    tc.diagnostic(
      `flipped positions ${tally.positions}: ${tally.lostOne} cost exactly their record, ${tally.lostNone} (segment header, trailers) cost no batch`,
    );
    assert.ok(tally.positions > 350 && tally.lostOne > 300 && tally.lostNone > 40, JSON.stringify(tally));
  } finally {
    rmSync(pristine, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});

test('fuzz: several damaged records across segments — each lost one counted with its samples, counted once across restarts', () => {
  const pristine = tmp();
  const work = tmp();
  try {
    const recs = writeBatches(pristine, 60, 2048);
    assert.ok(new Set(recs.map((r) => r.seg)).size >= 4, 'spans several segments');
    for (let round = 0; round < 60; round++) {
      rmSync(work, { recursive: true, force: true });
      cpSync(pristine, work, { recursive: true });
      // damage 1–4 distinct records at random positions (header, body; never the trailer alone)
      const victims = new Map<string, Rec>();
      const k = 1 + Math.floor(rnd() * 4);
      while (victims.size < k) {
        const r = recs[Math.floor(rnd() * recs.length)]!;
        victims.set(r.id, r);
      }
      const files = new Map<string, Buffer>();
      for (const r of victims.values()) {
        const f = files.get(r.seg) ?? readFileSync(join(work, r.seg));
        files.set(r.seg, f);
        const at = r.off + Math.floor(rnd() * (r.size - V2_TRAILER_BYTES));
        f[at]! ^= 1 + Math.floor(rnd() * 255);
      }
      for (const [name, f] of files) writeFileSync(join(work, name), f);
      const lost = [...victims.values()];
      // first open: counted exactly; close without draining, reopen: nothing counted again
      const b = DiskBuffer.open({ dir: work, maxBytes: 1 << 22, segmentBytes: 2048 });
      const where = `round ${round}: ${lost.map((r) => r.id).join(',')}`;
      assert.deepEqual(
        { ...b.corrupt },
        {
          records: lost.length,
          unknownRecords: 0,
          samples: lost.reduce((a, r) => a + r.samples, 0),
          bytes: lost.reduce((a, r) => a + r.size, 0),
        },
        where,
      );
      b.close();
      const again = openAndDrain(work);
      assert.deepEqual(again.corrupt, { records: 0, unknownRecords: 0, samples: 0, bytes: 0 }, where);
      assert.deepEqual(
        again.ids,
        recs.map((r) => r.id).filter((id) => !victims.has(id)),
        where,
      );
    }
  } finally {
    rmSync(pristine, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});

test('a record whose header and trailer are both damaged: skipped to the next record, counted with unknown samples', () => {
  const dir = tmp();
  try {
    const recs = writeBatches(dir, 10, 1 << 20);
    const f = readFileSync(join(dir, recs[0]!.seg));
    const r = recs[4]!;
    f[r.off + 5]! ^= 0x10; // body_len
    f[r.off + r.size - 3]! ^= 0x10; // trailer CRC
    writeFileSync(join(dir, r.seg), f);
    const got = openAndDrain(dir);
    assert.deepEqual(
      got.ids,
      recs.map((x) => x.id).filter((id) => id !== r.id),
    );
    assert.deepEqual(got.corrupt, { records: 1, unknownRecords: 1, samples: 0, bytes: r.size });
    // a damaged run of three records, the middle one's trailer intact: all three counted
    const dir2 = tmp();
    try {
      const rs = writeBatches(dir2, 10, 1 << 20);
      const g = readFileSync(join(dir2, rs[0]!.seg));
      for (const i of [2, 3, 4]) g[rs[i]!.off + 1]! ^= 0xff; // every header's magic
      writeFileSync(join(dir2, rs[0]!.seg), g);
      const got2 = openAndDrain(dir2);
      assert.deepEqual(
        got2.ids,
        rs.map((x) => x.id).filter((_, i) => i < 2 || i > 4),
      );
      assert.deepEqual(got2.corrupt, {
        records: 3,
        unknownRecords: 0,
        samples: rs[2]!.samples + rs[3]!.samples + rs[4]!.samples,
        bytes: rs[2]!.size + rs[3]!.size + rs[4]!.size,
      });
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('damage while running: peek() re-checks the CRC, skips and counts the record', () => {
  const dir = tmp();
  try {
    const drops: number[] = [];
    const b = DiskBuffer.open({
      dir,
      maxBytes: 1 << 20,
      onDrop: (s, _n, why) => why === 'corrupt' && drops.push(s),
    });
    for (let i = 0; i < 5; i++) b.append(`batch-${i}`, payload(i, 20 + ((i * 37) % 200)), 10 + i);
    const seg = readdirSync(dir).find((n) => n.endsWith('.seg'))!;
    const f = readFileSync(join(dir, seg));
    f[8 + V2_HEADER_BYTES + 10]! ^= 0xff; // inside batch-0's body
    writeFileSync(join(dir, seg), f);
    assert.equal(b.peek()!.id, 'batch-1');
    assert.deepEqual(drops, [10]);
    assert.deepEqual(
      { ...b.corrupt },
      {
        records: 1,
        unknownRecords: 0,
        samples: 10,
        bytes: V2_HEADER_BYTES + 3 + 'batch-0'.length + 20 + V2_TRAILER_BYTES,
      },
    );
    b.close();
    // marked lost on disk: a restart does not count it again
    const again = openAndDrain(dir);
    assert.deepEqual(again.ids, ['batch-1', 'batch-2', 'batch-3', 'batch-4']);
    assert.equal(again.corrupt.records, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A version 1 segment, as the previous release wrote it. */
function v1Segment(batches: { id: string; samples: number; payload: Uint8Array }[]): Buffer {
  const parts = [Buffer.from([0x43, 0x42, 0x55, 0x46, 1, 0, 0, 0])];
  for (const x of batches) {
    const id = Buffer.from(x.id);
    const body = Buffer.alloc(7 + id.length + x.payload.length);
    body[0] = 1;
    body.writeUInt32LE(x.samples, 1);
    body.writeUInt16LE(id.length, 5);
    id.copy(body, 7);
    body.set(x.payload, 7 + id.length);
    const h = Buffer.alloc(8);
    h.writeUInt32LE(body.length, 0);
    h.writeUInt32LE(crc32(body), 4);
    parts.push(h, body);
  }
  return Buffer.concat(parts);
}

test('version 1 segments are still read (and resynced past damage); appends go to a new version 2 segment', () => {
  const dir = tmp();
  try {
    const batches = Array.from({ length: 8 }, (_, i) => ({
      id: `batch-${i}`,
      samples: i + 1,
      payload: payload(i, 20 + ((i * 37) % 200)),
    }));
    const seg = v1Segment(batches);
    writeFileSync(join(dir, '0000000000000001.seg'), seg);
    let b = DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    assert.equal(b.length(), 8);
    b.append('batch-8', payload(8, 20 + ((8 * 37) % 200)), 9);
    b.close();
    assert.deepEqual(
      readdirSync(dir)
        .filter((n) => n.endsWith('.seg'))
        .sort(),
      ['0000000000000001.seg', '0000000000000002.seg'],
    );
    // damage v1 record 3: records 4.. still read; the loss is one record of unknown samples
    const f = readFileSync(join(dir, '0000000000000001.seg'));
    let off = 8;
    for (let i = 0; i < 3; i++) off += f.readUInt32LE(off) + 8;
    const size3 = f.readUInt32LE(off) + 8;
    f[off + 20]! ^= 0xff;
    writeFileSync(join(dir, '0000000000000001.seg'), f);
    b = DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    assert.deepEqual({ ...b.corrupt }, { records: 1, unknownRecords: 1, samples: 0, bytes: size3 });
    b.close();
    const got = openAndDrain(dir);
    assert.deepEqual(got.ids, [
      'batch-0',
      'batch-1',
      'batch-2',
      'batch-4',
      'batch-5',
      'batch-6',
      'batch-7',
      'batch-8',
    ]);
    assert.equal(got.corrupt.records, 0, 'counted once (a v1 lost record marks the region)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
