// Index file version 2 (zone/tsdb/ranged-index.ts): round trip, answers identical to version 1
// for random matcher sets (differential, incl. regex and negative matchers), the postings lists
// labelPairsForMatchers names are all a select reads (what the bucket store prefetches), fixed
// layout facts (TOC at the end, header locatable from the tail alone), and damaged bytes —
// truncations, bit flips, a damaged entry read alone — always give CanopyError('corrupt').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeIndex,
  encodeIndexFile,
  encodeIndexFileV1,
  IndexReader,
  readIndexFile,
  type IndexSeries,
} from '../../../zone/tsdb/block-index.ts';
import {
  decodePostingsList,
  decodeSeriesEntry,
  IndexHeader,
  parseRangedToc,
  RANGED_TOC_BYTES,
  RangedIndexReader,
  readRangedHeader,
} from '../../../zone/tsdb/ranged-index.ts';
import { labelPairsForMatchers } from '../../../zone/tsdb/postings.ts';
import { compareLabels, labelsFromRecord } from '../../../shared/labels.ts';
import { Matcher, type MatchType } from '../../../shared/matchers.ts';
import { isCanopyError } from '../../../shared/errors.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
}

const NAMES = ['__name__', 'job', 'instance', 'mode', 'cpu', 'le'];
const VALUES: Record<string, string[]> = {
  __name__: ['up', 'node_cpu_seconds_total', 'node_load1', 'http_requests_total', 'x'],
  job: ['node', 'prom', 'api'],
  instance: Array.from({ length: 30 }, (_, i) => `h${i}:9100`),
  mode: ['idle', 'user', 'system', 'iowait'],
  cpu: ['0', '1', '2', '3'],
  le: ['0.1', '1', '+Inf'],
};

export function randomSeries(n: number, seed: number): IndexSeries[] {
  const rand = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const seen = new Set<string>();
  const out: IndexSeries[] = [];
  while (out.length < n) {
    const rec: Record<string, string> = {
      __name__: pick(VALUES.__name__!),
      instance: pick(VALUES.instance!),
    };
    for (const name of ['job', 'mode', 'cpu', 'le']) if (rand() < 0.6) rec[name] = pick(VALUES[name]!);
    const key = JSON.stringify(Object.entries(rec).sort());
    if (seen.has(key)) continue;
    seen.add(key);
    const chunks = [];
    let t = Math.floor(rand() * 1e6),
      off = 8 + out.length * 1000,
      seg = 1 + Math.floor(rand() * 2);
    for (let c = 0, nc = Math.floor(rand() * 5); c < nc; c++) {
      const len = 1 + Math.floor(rand() * 400);
      chunks.push({
        minT: t,
        maxT: t + Math.floor(rand() * 1e6),
        encoding: 1 + Math.floor(rand() * 3),
        seg,
        off,
        len,
      });
      t = chunks[c]!.maxT + 1 + Math.floor(rand() * 20_000);
      off += len + 6 + (rand() < 0.1 ? -len * 2 : 0); // mostly contiguous, sometimes not
      if (off < 8) off = 8;
      if (rand() < 0.1) seg++;
    }
    out.push({ labels: labelsFromRecord(rec), chunks });
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

export function randomMatchers(rand: () => number): Matcher[] {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const out: Matcher[] = [];
  for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) {
    const name = rand() < 0.1 ? 'absent' : pick(NAMES);
    const vals = VALUES[name] ?? ['v'];
    const type = pick<MatchType>(['=', '!=', '=~', '!~']);
    let value: string;
    if (type === '=' || type === '!=') value = rand() < 0.15 ? '' : rand() < 0.1 ? 'nope' : pick(vals);
    else
      value = pick([
        '.*',
        '.+',
        '',
        `${pick(vals)}|${pick(vals)}`.replace(/\+/g, '\\+'),
        'h1.*',
        'node.*',
        '(idle|user)',
        '[0-2]',
        'n.*_total',
        'h2[0-9]:9100',
      ]);
    out.push(new Matcher(type, name, value));
  }
  return out;
}

test('version 2 round-trips and answers like version 1 for random matchers', () => {
  for (const seed of [1, 2, 3]) {
    const series = randomSeries(300, seed);
    const v1 = new IndexReader(encodeIndex(series));
    const v1file = readIndexFile(encodeIndexFileV1(series));
    const file = encodeIndexFile(series);
    const v2 = readIndexFile(file);
    assert.ok(v2 instanceof RangedIndexReader, 'blocks are written as version 2');
    assert.equal(v2.numSeries(), series.length);
    for (let i = 0; i < series.length; i++) assert.deepEqual(v2.series(i), series[i]);
    assert.deepEqual(v2.labelNames().sort(), v1.labelNames().sort());
    for (const n of NAMES) assert.deepEqual(v2.labelValues(n).sort(), v1.labelValues(n).sort());
    const rand = rng(seed * 7);
    for (let k = 0; k < 400; k++) {
      const ms = randomMatchers(rand);
      const what = ms.map(String).join(',');
      const want = [...v1.select(ms)];
      assert.deepEqual([...v2.select(ms)], want, what);
      assert.deepEqual([...v1file.select(ms)], want, what);
      assert.deepEqual(v2.labelValues('mode', ms).sort(), v1.labelValues('mode', ms).sort(), what);
      // A reader that only has the postings lists labelPairsForMatchers names answers the same.
      const h: IndexHeader = (v2 as RangedIndexReader).header;
      const allowed = new Set(labelPairsForMatchers(h, ms).map(([n, v]) => h.pair(n, v)));
      const strict: RangedIndexReader = new RangedIndexReader(
        h,
        (kind, i, off, len) => {
          if (kind === 'p' && !allowed.has(i))
            throw new Error(`postings list ${i} read but not announced (${what})`);
          return file.subarray(off, off + len);
        },
        0,
      );
      assert.deepEqual([...strict.select(ms)], want, what);
    }
  }
});

test('version 2 layout: the TOC ends the file and locates the header from the tail alone', () => {
  const series = randomSeries(500, 9);
  const file = encodeIndexFile(series);
  assert.deepEqual([...file.subarray(0, 5)], [0x43, 0x4e, 0x49, 0x5a, 2], '"CNIZ" version 2');
  assert.deepEqual(
    [...file.subarray(file.length - 8, file.length - 4)],
    [0x43, 0x4e, 0x49, 0x54],
    'TOC magic "CNIT"',
  );
  const tail = file.subarray(file.length - RANGED_TOC_BYTES);
  const toc = parseRangedToc(tail, file.length)!;
  assert.ok(toc !== null);
  assert.equal(toc.nSeries, 500);
  const h = new IndexHeader(toc, file.subarray(toc.headerOff, toc.headerOff + toc.headerBytes));
  // The header is what a bucket reader keeps: much smaller than the file.
  assert.ok(toc.headerBytes * 3 < file.length, `header ${toc.headerBytes} of ${file.length}`);
  const [off, len] = h.seriesRange(17);
  assert.deepEqual(decodeSeriesEntry(file.subarray(off, off + len), h, 's17'), series[17]);
  const p = h.pair('job', 'node');
  const [po, pl] = h.postingsRange(p);
  const ids = decodePostingsList(file.subarray(po, po + pl), h.numSeries, 'p');
  assert.deepEqual(
    [...ids],
    series.flatMap((s, i) => (s.labels.some((l) => l.name === 'job' && l.value === 'node') ? [i] : [])),
  );
  // A version 1 file has no version 2 TOC.
  const v1 = encodeIndexFileV1(series);
  assert.equal(parseRangedToc(v1.subarray(v1.length - RANGED_TOC_BYTES), v1.length), null);
  assert.equal(readRangedHeader(v1), null);
});

test('version 2: damaged or truncated bytes give corrupt, never a crash or a wrong answer', () => {
  const series = randomSeries(120, 4);
  const file = encodeIndexFile(series);
  const rand = rng(11);
  let corrupt = 0;
  for (let k = 0; k < 600; k++) {
    const m = k % 3 === 0 ? file.slice(0, Math.floor(rand() * file.length)) : file.slice();
    if (k % 3 !== 0) {
      const at = Math.floor(rand() * m.length);
      m[at] = m[at]! ^ (1 << Math.floor(rand() * 8));
    }
    try {
      const ix = readIndexFile(m);
      for (let i = 0; i < ix.numSeries(); i++) assert.deepEqual(ix.series(i), series[i]);
      for (const n of NAMES) for (const v of ix.labelValues(n)) ix.postings(n, v);
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.ok(isCanopyError(e, 'corrupt'), String(e));
      corrupt++;
    }
  }
  assert.ok(corrupt > 550, `${corrupt} of 600 damaged files detected`);
  // One entry read alone (as the bucket store reads it): a flipped bit or a short range is corrupt.
  const h = readRangedHeader(file)!;
  const [off, len] = h.seriesRange(5);
  const e = file.slice(off, off + len);
  e[1] = e[1]! ^ 4;
  assert.throws(
    () => decodeSeriesEntry(e, h, 'series 5'),
    (x) => isCanopyError(x, 'corrupt') && /series 5: crc/.test((x as Error).message),
  );
  assert.throws(
    () => decodeSeriesEntry(file.subarray(off, off + len - 3), h, 'series 5'),
    (x) => isCanopyError(x, 'corrupt'),
  );
  const [po, pl] = h.postingsRange(0);
  assert.throws(
    () => decodePostingsList(file.subarray(po, po + pl - 1), h.numSeries, 'p0'),
    (x) => isCanopyError(x, 'corrupt'),
  );
  assert.throws(
    () => decodePostingsList(new Uint8Array(0), h.numSeries, 'p0'),
    (x) => isCanopyError(x, 'corrupt'),
  );
});
