import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Wal } from '../../../zone/wal/index.ts';
import { lbls, recorder, tempDir } from './helpers.ts';

function samplesOf(
  refs: number[],
  ts: number[],
  vs: number[],
): [Uint32Array, Float64Array, Float64Array, number] {
  return [Uint32Array.from(refs), Float64Array.from(ts), Float64Array.from(vs), refs.length];
}

test('round trip: series, float samples and distributions across segments and reopen', async (t) => {
  const dir = tempDir(t);
  const wal = await Wal.open({ dir, segmentSizeBytes: 4096, fsync: 'none' });
  const want: [number, number, number][] = [];
  for (let r = 0; r < 50; r++) wal.logSeries(r, lbls('m', { i: String(r), unicode: 'ünï' }));
  for (let b = 0; b < 40; b++) {
    const refs: number[] = [],
      ts: number[] = [],
      vs: number[] = [];
    for (let i = 0; i < 25; i++) {
      const ref = (b * 7 + i * 13) % 50;
      const tMs = 1_700_000_000_000 + b * 15_000 - i * 3;
      const v = i === 3 ? NaN : i === 4 ? -Infinity : b * 1.5 - i / 7;
      refs.push(ref);
      ts.push(tMs);
      vs.push(v);
      want.push([ref, tMs, v]);
    }
    wal.logSamples(...samplesOf(refs, ts, vs));
    await wal.commit();
  }
  const d = {
    count: 3,
    sum: 6.5,
    min: 1,
    max: 4,
    means: Float64Array.from([1, 1.5, 4]),
    weights: Float64Array.from([1, 1, 1]),
  };
  wal.logDistribution(9, -5, d);
  wal.logSeries(0xffffffff, lbls('max_ref'));
  await wal.commit();
  const range = wal.segmentRange();
  assert.ok(range.last > range.first, `expected several segments, got ${JSON.stringify(range)}`);
  await wal.close();
  for (const f of readdirSync(dir))
    assert.ok(statSync(join(dir, f)).size <= 4096, `${f} exceeds segment size`);

  const wal2 = await Wal.open({ dir, segmentSizeBytes: 4096, fsync: 'none' });
  const h = recorder();
  const st = await wal2.replay(h);
  assert.equal(st.corruptRecords, 0);
  assert.equal(st.series, 51);
  assert.equal(st.samples, want.length + 1);
  assert.equal(h.got.series.length, 51);
  assert.deepEqual(h.got.series[7], [7, lbls('m', { i: '7', unicode: 'ünï' })]);
  assert.deepEqual(h.got.series[50], [0xffffffff, lbls('max_ref')]);
  assert.deepEqual(h.got.samples, want);
  assert.deepEqual(h.got.dists, [[9, -5, d]]);
  await wal2.close();
});

test('large logSamples calls are split into bounded records and replay in order', async (t) => {
  const dir = tempDir(t);
  const wal = await Wal.open({ dir, fsync: 'none' });
  const n = 10_000;
  const refs = new Uint32Array(n),
    ts = new Float64Array(n),
    vs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    refs[i] = i % 97;
    ts[i] = 1000 + i;
    vs[i] = i * 0.25;
  }
  wal.logSamples(refs, ts, vs, n);
  refs.fill(0); // the WAL copied what it needed
  await wal.commit();
  const h = recorder();
  const st = await wal.replay(h);
  assert.equal(st.records, 3);
  assert.equal(h.got.samples.length, n);
  assert.deepEqual(h.got.samples[9999], [9999 % 97, 10_999, 9999 * 0.25]);
  await wal.close();
});

test('group commit: concurrent commits share fsyncs and all resolve durable', async (t) => {
  const dir = tempDir(t);
  const wal = await Wal.open({ dir, fsync: 'batch', groupWindowMs: 5 });
  const commits: Promise<void>[] = [];
  for (let i = 0; i < 200; i++) {
    wal.logSamples(...samplesOf([i], [i], [i]));
    commits.push(wal.commit());
  }
  await Promise.all(commits);
  assert.ok(
    wal.stats.fsyncs >= 1 && wal.stats.fsyncs < 200 / 10,
    `fsyncs ${wal.stats.fsyncs} for 200 commits`,
  );
  const h = recorder();
  await wal.replay(h);
  assert.equal(h.got.samples.length, 200);
  await wal.close();
});

test("fsync 'always' gives each commit its own fsync; 'none' never fsyncs before close", async (t) => {
  const a = await Wal.open({ dir: tempDir(t), fsync: 'always' });
  const cs: Promise<void>[] = [];
  for (let i = 0; i < 5; i++) {
    a.logSamples(...samplesOf([i], [i], [i]));
    cs.push(a.commit());
  }
  await Promise.all(cs);
  assert.equal(a.stats.fsyncs, 5);
  await a.close();
  const n = await Wal.open({ dir: tempDir(t), fsync: 'none' });
  n.logSamples(...samplesOf([1], [1], [1]));
  await n.commit();
  assert.equal(n.stats.fsyncs, 0);
  assert.ok(n.stats.bytesWritten > 0);
  await n.close();
});

test('commit with nothing pending resolves at once; commit after close rejects; log after close is a bug', async (t) => {
  const wal = await Wal.open({ dir: tempDir(t), fsync: 'batch' });
  await wal.commit();
  assert.equal(wal.stats.fsyncs, 0);
  await wal.close();
  await assert.rejects(wal.commit(), { code: 'unavailable' });
  assert.throws(() => wal.logSeries(1, lbls('x')), /BUG/);
});

test('cutSegment returns the closed index and the next record starts a new file', async (t) => {
  const dir = tempDir(t);
  const wal = await Wal.open({ dir, fsync: 'none' });
  wal.logSeries(1, lbls('a'));
  assert.equal(await wal.cutSegment(), 1);
  wal.logSeries(2, lbls('b'));
  await wal.commit();
  assert.deepEqual(wal.segmentRange(), { first: 1, last: 2 });
  assert.ok(statSync(join(dir, '00000002')).size > 0);
  await wal.close();
});

async function writeFixture(dir: string): Promise<{ lastStart: number; size: number }> {
  const wal = await Wal.open({ dir, fsync: 'none' });
  for (let r = 0; r < 5; r++) wal.logSeries(r, lbls('m', { r: String(r) }));
  wal.logSamples(...samplesOf([0, 1, 2], [10, 10, 10], [1, 2, 3]));
  await wal.commit();
  const lastStart = statSync(join(dir, '00000001')).size;
  wal.logSamples(...samplesOf([3, 4, 0], [20, 21, 22], [4, 5, 6]));
  await wal.close();
  return { lastStart, size: statSync(join(dir, '00000001')).size };
}

test('torn tail: truncating the last record at every byte offset replays the records before it', async (t) => {
  const base = tempDir(t);
  const src = join(base, 'src');
  const { lastStart, size } = await writeFixture(src);
  const image = readFileSync(join(src, '00000001'));
  for (let cut = lastStart; cut < size; cut++) {
    const dir = join(base, `cut${cut}`);
    mkdirSync(dir);
    writeFileSync(join(dir, '00000001'), image.subarray(0, cut));
    const wal = await Wal.open({ dir, fsync: 'none' });
    const h = recorder();
    const st = await wal.replay(h);
    assert.equal(h.got.series.length, 5, `cut ${cut}`);
    assert.deepEqual(
      h.got.samples,
      [
        [0, 10, 1],
        [1, 10, 2],
        [2, 10, 3],
      ],
      `cut ${cut}`,
    );
    assert.equal(st.corruptRecords, cut === lastStart ? 0 : 1, `cut ${cut}`);
    assert.equal(st.truncatedBytes, cut - lastStart, `cut ${cut}`);
    assert.equal(statSync(join(dir, '00000001')).size, lastStart, `repaired file size, cut ${cut}`);
    // The repaired log accepts new records after the valid prefix.
    wal.logSamples(...samplesOf([4], [99], [9]));
    await wal.close();
    const h2 = recorder();
    const w2 = await Wal.open({ dir, fsync: 'none' });
    const st2 = await w2.replay(h2);
    assert.equal(st2.corruptRecords, 0);
    assert.deepEqual(h2.got.samples.at(-1), [4, 99, 9]);
    await w2.close();
  }
});

test('bit flips: last segment is repaired from the flipped record; an older segment stops there and replay continues', async (t) => {
  const dir = tempDir(t);
  const wal = await Wal.open({ dir, fsync: 'none' });
  for (let r = 0; r < 10; r++) wal.logSeries(r, lbls('m', { r: String(r) }));
  await wal.cutSegment();
  for (let r = 10; r < 20; r++) wal.logSeries(r, lbls('m', { r: String(r) }));
  await wal.close();
  const one = join(dir, '00000001'),
    two = join(dir, '00000002');
  const recBytes = statSync(one).size / 10; // equal-sized records ('m' + 1-digit r)
  // Flip a bit in record 5 of segment 1 (older) and record 7 of segment 2 (last).
  const b1 = readFileSync(one);
  b1[Math.floor(recBytes * 5 + recBytes / 2)]! ^= 0x10;
  writeFileSync(one, b1);
  const b2 = readFileSync(two);
  const rec2 = b2.length / 10;
  b2[Math.floor(rec2 * 7 + 3)]! ^= 0x01;
  writeFileSync(two, b2);

  const w = await Wal.open({ dir, fsync: 'none' });
  assert.equal(w.stats.corruptRecords, 1);
  assert.equal(w.stats.truncatedBytes, rec2 * 3);
  const h = recorder();
  const st = await w.replay(h);
  assert.deepEqual(
    h.got.series.map(([r]) => r),
    [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16],
  );
  assert.equal(st.corruptRecords, 2);
  assert.equal(st.truncatedBytes, rec2 * 3 + recBytes * 5);
  assert.equal(w.stats.corruptRecords, 2);
  await w.close();
});

test('checkpoint keeps only kept series and samples at or after minT, deletes folded segments, and folds the previous checkpoint', async (t) => {
  const dir = tempDir(t);
  const wal = await Wal.open({ dir, fsync: 'none' });
  for (let r = 0; r < 6; r++) wal.logSeries(r, lbls('m', { r: String(r) }));
  wal.logSamples(...samplesOf([0, 1, 2, 3, 4, 5], [100, 100, 100, 200, 200, 200], [0, 1, 2, 3, 4, 5]));
  wal.logDistribution(2, 150, {
    count: 1,
    sum: 1,
    min: 1,
    max: 1,
    means: Float64Array.of(1),
    weights: Float64Array.of(1),
  });
  wal.logDistribution(4, 250, {
    count: 2,
    sum: 4,
    min: 2,
    max: 2,
    means: Float64Array.of(2),
    weights: Float64Array.of(2),
  });
  await wal.cutSegment(); // 1 closed
  wal.logSamples(...samplesOf([0, 2, 4], [300, 300, 300], [10, 12, 14]));
  await wal.cutSegment(); // 2 closed
  wal.logSeries(6, lbls('after'));
  wal.logSamples(...samplesOf([6, 4], [400, 400], [16, 14]));
  await wal.commit();

  await wal.checkpoint(2, (ref) => ref % 2 === 0, 150);
  assert.deepEqual(wal.segmentRange(), { first: 3, last: 3 });
  assert.deepEqual(readdirSync(dir).sort(), ['00000003', 'checkpoint.00000002']);
  const h = recorder();
  await wal.replay(h);
  assert.deepEqual(
    h.got.series.map(([r]) => r),
    [0, 2, 4, 6],
  );
  assert.deepEqual(h.got.samples, [
    [4, 200, 4],
    [0, 300, 10],
    [2, 300, 12],
    [4, 300, 14],
    [6, 400, 16],
    [4, 400, 14],
  ]);
  assert.deepEqual(
    h.got.dists.map(([r, tMs]) => [r, tMs]),
    [
      [2, 150],
      [4, 250],
    ],
  );

  // A second checkpoint through the current segment cuts it first and folds checkpoint 2.
  await wal.checkpoint(3, (ref) => ref !== 0, 300);
  assert.deepEqual(wal.segmentRange(), { first: 4, last: 4 });
  assert.ok(existsSync(join(dir, 'checkpoint.00000003')) && !existsSync(join(dir, 'checkpoint.00000002')));
  await wal.close();
  const w2 = await Wal.open({ dir, fsync: 'none' });
  const h2 = recorder();
  await w2.replay(h2);
  assert.deepEqual(
    h2.got.series.map(([r]) => r),
    [2, 4, 6],
  );
  assert.deepEqual(h2.got.samples, [
    [2, 300, 12],
    [4, 300, 14],
    [6, 400, 16],
    [4, 400, 14],
  ]);
  assert.deepEqual(h2.got.dists, []);
  await w2.close();
});

test('open removes unfinished checkpoint dirs and segments a finished checkpoint covers', async (t) => {
  const dir = tempDir(t);
  const wal = await Wal.open({ dir, fsync: 'none' });
  wal.logSeries(1, lbls('a'));
  await wal.cutSegment();
  wal.logSeries(2, lbls('b'));
  await wal.checkpoint(1, () => true, 0);
  await wal.close();
  // Simulate a crash mid-checkpoint and one between rename and segment deletion.
  mkdirSync(join(dir, 'checkpoint.00000009.tmp'));
  writeFileSync(join(dir, '00000001'), 'stale');
  const w = await Wal.open({ dir, fsync: 'none' });
  assert.deepEqual(readdirSync(dir).sort(), ['00000002', 'checkpoint.00000001']);
  const h = recorder();
  const st = await w.replay(h);
  assert.equal(st.corruptRecords, 0);
  assert.deepEqual(
    h.got.series.map(([r]) => r),
    [1, 2],
  );
  await w.close();
});

test('fuzz: random and mutated segment bytes never crash open or replay', async (t) => {
  const base = tempDir(t);
  const src = join(base, 'src');
  await writeFixture(src);
  const image = readFileSync(join(src, '00000001'));
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 120; i++) {
    const dir = join(base, `f${i}`);
    mkdirSync(dir);
    let bytes: Buffer;
    if (i % 3 === 0) {
      bytes = Buffer.alloc(rnd(300));
      for (let k = 0; k < bytes.length; k++) bytes[k] = rnd(256);
      if (bytes.length > 0) bytes[0] = 0x11; // a plausible kind byte, to get past the first check
    } else {
      bytes = Buffer.from(image);
      const flips = 1 + rnd(4);
      for (let k = 0; k < flips; k++) bytes[rnd(bytes.length)] = rnd(256);
      if (i % 2 === 0) bytes = bytes.subarray(0, rnd(bytes.length));
    }
    // Older segment (stops replay) and last segment (repaired) both see the bytes.
    writeFileSync(join(dir, '00000001'), bytes);
    writeFileSync(join(dir, '00000002'), bytes);
    const wal = await Wal.open({ dir, fsync: 'none' });
    const h = recorder();
    const st = await wal.replay(h);
    assert.ok(st.records <= 14, `records ${st.records}`); // at most the 7 of the fixture per file
    await wal.close();
  }
});

test('replay logs progress at info and reports corruption with file and offset', async (t) => {
  const { pino } = await import('pino');
  const { Writable } = await import('node:stream');
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const dir = tempDir(t);
  const wal = await Wal.open({ dir, fsync: 'none', logger });
  for (let s = 0; s < 12; s++) {
    for (let i = 0; i < 200; i++) wal.logSamples(...samplesOf([i], [s * 1000 + i], [i]));
    await wal.cutSegment();
  }
  await wal.close();
  const b = readFileSync(join(dir, '00000003'));
  b[b.length - 20]! ^= 0xff;
  writeFileSync(join(dir, '00000003'), b);
  const w = await Wal.open({ dir, fsync: 'none', logger });
  await w.replay(recorder());
  await w.close();
  await new Promise((r) => setImmediate(r));
  const progress = lines.filter((l) => l.msg === 'WAL replay progress');
  assert.ok(progress.length >= 5, `progress lines: ${progress.length}`);
  assert.equal(progress.at(-1)!.progressPct, 100);
  const corrupt = lines.find((l) => String(l.msg).startsWith('WAL corruption'));
  assert.ok(corrupt, 'corruption logged');
  assert.match(String(corrupt.file), /00000003$/);
  assert.equal(typeof corrupt.offsetBytes, 'number');
});

test('a write failure rejects the waiting commits with code io, and every later commit', async (t) => {
  const wal = await Wal.open({ dir: tempDir(t), fsync: 'batch', groupWindowMs: 1 });
  (wal as unknown as { fh: { write: () => Promise<never> } }).fh.write = async () => {
    throw new Error('EIO: simulated disk failure');
  };
  wal.logSamples(...samplesOf([1], [1], [1]));
  const a = wal.commit(),
    b = wal.commit();
  await assert.rejects(a, { code: 'io', message: /simulated disk failure/ });
  await assert.rejects(b, { code: 'io' });
  wal.logSamples(...samplesOf([2], [2], [2]));
  await assert.rejects(wal.commit(), { code: 'io' });
  await assert.rejects(wal.close(), { code: 'io' });
});

test('a record larger than the segment size gets a segment of its own; a bad batch logs nothing', async (t) => {
  const dir = tempDir(t);
  const wal = await Wal.open({ dir, fsync: 'none', segmentSizeBytes: 4096 });
  wal.logSeries(1, lbls('small'));
  wal.logSeries(2, lbls('big', { pad: 'x'.repeat(10_000) }));
  wal.logSeries(3, lbls('after'));
  assert.throws(() => wal.logSamples(...samplesOf([1, 2], [5, 5.5], [1, 2])), /BUG/);
  await wal.commit();
  assert.deepEqual(wal.segmentRange(), { first: 1, last: 3 });
  const h = recorder();
  const st = await wal.replay(h);
  assert.deepEqual(
    h.got.series.map(([r]) => r),
    [1, 2, 3],
  );
  assert.equal(st.samples, 0);
  await wal.close();
});
