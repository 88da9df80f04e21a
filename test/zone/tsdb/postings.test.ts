import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  intersect,
  union,
  subtract,
  unionMany,
  postingsForMatchers,
  type PostingsIndex,
} from '../../../zone/tsdb/postings.ts';
import { Matcher, matchLabels } from '../../../shared/matchers.ts';
import { labelsFromRecord, type Labels } from '../../../shared/labels.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
}
function randomSet(r: () => number, max: number, density: number): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < max; i++) if (r() < density) out.push(i);
  return Uint32Array.from(out);
}

test('set operations agree with a naive reference', () => {
  const r = rng(1);
  for (let k = 0; k < 300; k++) {
    const a = randomSet(r, 200, r()),
      b = randomSet(r, 200, r() * (r() < 0.3 ? 0.02 : 1)),
      c = randomSet(r, 200, r());
    const sa = new Set(a),
      sb = new Set(b);
    assert.deepEqual(
      [...intersect(a, b)],
      [...a].filter((x) => sb.has(x)),
    );
    assert.deepEqual(
      [...union(a, b)],
      [...new Set([...a, ...b])].sort((x, y) => x - y),
    );
    assert.deepEqual(
      [...subtract(a, b)],
      [...a].filter((x) => !sb.has(x)),
    );
    assert.deepEqual(
      [...unionMany([a, b, c])],
      [...new Set([...a, ...b, ...c])].sort((x, y) => x - y),
    );
    assert.deepEqual(
      [...intersect(b, a)],
      [...b].filter((x) => sa.has(x)),
    );
  }
});

test('postingsForMatchers matches matchLabels for every matcher type', () => {
  const series: Labels[] = [];
  const r = rng(5);
  for (let i = 0; i < 300; i++) {
    const rec: Record<string, string> = {
      __name__: ['up', 'cpu', 'mem'][i % 3]!,
      job: `j${Math.floor(r() * 4)}`,
    };
    if (r() < 0.5) rec.instance = `i${Math.floor(r() * 5)}`;
    if (r() < 0.2) rec.mode = r() < 0.5 ? 'idle' : 'user';
    series.push(labelsFromRecord(rec));
  }
  const idx = new Map<string, Map<string, number[]>>();
  series.forEach((ls, ref) => {
    for (const l of ls) {
      let m = idx.get(l.name);
      if (!m) idx.set(l.name, (m = new Map()));
      let p = m.get(l.value);
      if (!p) m.set(l.value, (p = []));
      p.push(ref);
    }
  });
  const ix: PostingsIndex = {
    postings: (n, v) => Uint32Array.from(idx.get(n)?.get(v) ?? []),
    allPostings: () => Uint32Array.from(series.keys()),
    valuesOf: (n) => idx.get(n)?.keys() ?? [],
  };
  const cases: Matcher[][] = [
    [new Matcher('=', '__name__', 'up')],
    [new Matcher('=', '__name__', 'cpu'), new Matcher('!=', 'job', 'j1')],
    [new Matcher('=~', 'instance', 'i[12]')],
    [new Matcher('=~', 'instance', 'i.*|')],
    [new Matcher('!~', 'instance', 'i1')],
    [new Matcher('=', 'instance', '')],
    [new Matcher('!=', 'instance', '')],
    [new Matcher('=', 'mode', ''), new Matcher('=~', 'job', 'j[02]')],
    [new Matcher('=~', 'job', 'j')], // anchored: matches nothing
    [new Matcher('!~', 'nope', '.+')],
    [new Matcher('=', 'nope', 'x')],
  ];
  for (const ms of cases) {
    const want = series.map((ls, i) => (matchLabels(ms, ls) ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual([...postingsForMatchers(ix, ms)], want, ms.join(','));
  }
});
