// The one chunked-stream implementation of the bus messages (shared/wire/chunk.ts): greedy
// packing, reassembly in any order, a corrupt chunk as CanopyError('corrupt'); and the three
// encoders built on it produce the same bytes as their former hand-written loops (digests
// taken from the previous implementation, commit 6361b62).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { pb } from '../../../proto/index.ts';
import { isCanopyError } from '../../../shared/errors.ts';
import {
  ChunkStream,
  encodeHintChunks,
  encodeMetadataChunks,
  encodePartialChunks,
  HintChunks,
  packChunks,
} from '../../../shared/wire/index.ts';

function digest(chunks: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  return `${chunks.length}:${h.digest('hex').slice(0, 16)}`;
}

function partialInput() {
  const series = [];
  for (let i = 0; i < 200; i++) {
    const ts: number[] = [],
      vs: number[] = [];
    for (let j = 0; j < 50 + (i % 7) * 40; j++) {
      ts.push(1_700_000_000_000 + j * 15_000);
      vs.push(i * 1000 + j + 0.25);
    }
    series.push({
      labels: [
        { name: '__name__', value: 'm' },
        { name: 'i', value: String(i) },
      ],
      timestampsMs: ts,
      values: vs,
    });
  }
  const ts: number[] = [],
    vs: number[] = [];
  for (let j = 0; j < 12_000; j++) {
    ts.push(j);
    vs.push(j);
  }
  series.push({ labels: [{ name: '__name__', value: 'big' }], timestampsMs: ts, values: vs });
  return series;
}

function metadataInput() {
  const series = Array.from({ length: 3000 }, (_, i) => ({
    labels: [
      { name: '__name__', value: 'm' },
      { name: 'instance', value: `host-${i}` },
    ],
  }));
  const hints = {
    zone: 'z',
    metricNames: Array.from({ length: 500 }, (_, i) => `metric_${i}`),
    labels: Array.from({ length: 40 }, (_, i) => ({
      name: `l${i}`,
      values: Array.from({ length: 30 }, (_, j) => `v${j}`),
      complete: true,
    })),
    cardinality: Array.from({ length: 20 }, (_, i) => ({
      metric: `metric_${i}`,
      sketch: new Uint8Array(4096).fill(i),
      series: i,
    })),
  };
  return { queryId: 'q', zone: 'z', series, warnings: ['w'], values: ['a'], hints };
}

function hintsInput() {
  return {
    zone: 'z',
    region: 'r',
    incarnation: 'inc',
    seq: 7,
    kind: pb.ZoneHints.Kind.SNAPSHOT,
    timestampMs: 1_700_000_000_000,
    metricNames: Array.from({ length: 3000 }, (_, i) => `metric_name_${i}`),
    labels: Array.from({ length: 200 }, (_, i) => ({
      name: `label_${i}`,
      values: Array.from({ length: 20 }, (_, j) => `value_${j}`),
      complete: i % 2 === 0,
    })),
  };
}

test('packChunks: greedy in order, an oversized item alone, never zero chunks', () => {
  assert.deepEqual(
    packChunks([3, 3, 3, 5, 1, 20, 2], (n) => n, 10),
    [[3, 3, 3], [5, 1], [20], [2]],
  );
  assert.deepEqual(
    packChunks([], (n: number) => n, 10),
    [[]],
  );
  assert.deepEqual(
    packChunks([20], (n) => n, 10),
    [[20]],
  );
});

test('ChunkStream: complete once the last chunk and all before it arrived, in any order; corrupt bytes are a typed error', () => {
  const enc = (i: number, last: boolean) =>
    pb.PartialResult.encode({ queryId: 'q', chunkIndex: i, last }).finish();
  const s = new ChunkStream((b) => pb.PartialResult.decode(b), 'a partial result');
  assert.equal(s.add(enc(2, true)), false);
  assert.equal(s.add(enc(0, false)), false);
  assert.equal(s.add(enc(1, false)), true);
  assert.deepEqual(
    s.chunks().map((c) => c.chunkIndex),
    [0, 1, 2],
  );
  assert.throws(
    () => s.add(new Uint8Array([0xff, 0xff, 0xff])),
    (e) => isCanopyError(e, 'corrupt') && /cannot decode a partial result/.test(e.message),
  );
});

test('partial, metadata and hint chunks: the same bytes as before the shared implementation', () => {
  assert.equal(
    digest(encodePartialChunks({ queryId: 'q', zone: 'z', resultType: 'matrix' }, partialInput(), 64 * 1024)),
    '12:a66bee425b9f060d',
  );
  assert.equal(digest(encodePartialChunks({ queryId: 'q', zone: 'z' }, [], 64 * 1024)), '1:af26549eae63c419');
  assert.equal(digest(encodeMetadataChunks(metadataInput(), 32 * 1024)), '9:53da579dee787db6');
  assert.equal(digest(encodeHintChunks(hintsInput(), 16 * 1024)), '9:385a034aee419b1f');
});

test('a label summary larger than the budget is split into pieces that join back to the whole', () => {
  const values = Array.from({ length: 400 }, (_, j) => `value_${j}_${'x'.repeat(20)}`);
  const h = {
    zone: 'z',
    incarnation: 'i',
    seq: 1,
    kind: pb.ZoneHints.Kind.SNAPSHOT,
    metricNames: ['a', 'b'],
    labels: [
      { name: 'big', values, complete: true },
      { name: 'small', values: ['s'] },
    ],
  };
  const max = 4096;
  const chunks = encodeHintChunks(h, max);
  assert.equal(digest(chunks), '6:1fe52d398a0142e0', 'the same bytes as before');
  for (const c of chunks) assert.ok(c.length <= max, `chunk of ${c.length} bytes`);
  const j = new HintChunks();
  let whole: unknown;
  for (const c of chunks) whole = j.add(pb.ZoneHints.decode(c));
  const w = whole as { metricNames: string[]; labels: { name: string; values: string[] }[] };
  assert.deepEqual(w.metricNames, ['a', 'b']);
  assert.deepEqual(
    w.labels.filter((l) => l.name === 'big').flatMap((l) => l.values),
    values,
  );
  assert.deepEqual(
    w.labels.filter((l) => l.name === 'small').flatMap((l) => l.values),
    ['s'],
  );
});
