// Postings: sorted, duplicate-free Uint32Array lists of series refs, with set operations and
// the matcher → postings evaluation shared by the head and block indexes (Prometheus
// semantics: a matcher that matches "" also selects series without the label; regexes are
// fully anchored by shared/matchers.ts).
import type { Matcher } from '../../shared/matchers.ts';

export const EMPTY_POSTINGS = new Uint32Array(0);

export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length === 0) return EMPTY_POSTINGS;
  const out = new Uint32Array(a.length);
  let n = 0,
    j = 0;
  const galloping = b.length > a.length * 16; // skewed sizes: binary-search b instead of walking it
  for (let i = 0; i < a.length && j < b.length; i++) {
    const x = a[i]!;
    if (galloping) {
      let lo = j,
        hi = b.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (b[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      j = lo;
    } else while (j < b.length && b[j]! < x) j++;
    if (j < b.length && b[j] === x) out[n++] = x;
  }
  return out.subarray(0, n);
}

export function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length + b.length);
  let i = 0,
    j = 0,
    n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!,
      y = b[j]!;
    if (x < y) out[n++] = a[i++]!;
    else if (y < x) out[n++] = b[j++]!;
    else {
      out[n++] = x;
      i++;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.subarray(0, n);
}

/** a minus b. */
export function subtract(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0 || b.length === 0) return a;
  const out = new Uint32Array(a.length);
  let n = 0,
    j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j >= b.length || b[j] !== x) out[n++] = x;
  }
  return out.subarray(0, n);
}

/** Union of many lists: concatenate, sort, dedupe (typed-array sort is native and fast). */
export function unionMany(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 0) return EMPTY_POSTINGS;
  if (lists.length === 1) return lists[0]!;
  if (lists.length === 2) return union(lists[0]!, lists[1]!);
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Uint32Array(total);
  let o = 0;
  for (const l of lists) {
    all.set(l, o);
    o += l.length;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i]!;
  return all.subarray(0, n);
}

/** What an index exposes for matcher evaluation. */
export interface PostingsIndex {
  /** Postings for name=value (empty when absent). */
  postings(name: string, value: string): Uint32Array;
  /** Every series in the index. */
  allPostings(): Uint32Array;
  /** Values the label takes in the index (any order). */
  valuesOf(name: string): Iterable<string>;
}

function matchingValues(ix: PostingsIndex, m: Matcher, want: boolean): Uint32Array {
  if (m.type === '=' && want) return ix.postings(m.name, m.value);
  const lists: Uint32Array[] = [];
  // =~"a|b|c": look the few values up rather than run the regex over every value.
  const set = want ? m.setMatches() : null;
  if (set !== null) {
    for (const v of set) lists.push(ix.postings(m.name, v));
    return unionMany(lists);
  }
  for (const v of ix.valuesOf(m.name)) if (m.matches(v) === want) lists.push(ix.postings(m.name, v));
  return unionMany(lists);
}

export function postingsForMatchers(ix: PostingsIndex, ms: readonly Matcher[]): Uint32Array {
  let res: Uint32Array | null = null;
  const exclude: Matcher[] = [];
  // Matchers that cannot match "" select; cheapest ('=') first so later intersections shrink.
  const ordered = [...ms].sort((a, b) => (a.type === '=' ? 0 : 1) - (b.type === '=' ? 0 : 1));
  for (const m of ordered) {
    if (m.matchesEmpty()) {
      exclude.push(m);
      continue;
    }
    const p = matchingValues(ix, m, true);
    res = res === null ? p : intersect(res, p);
    if (res.length === 0) return EMPTY_POSTINGS;
  }
  if (res === null) res = ix.allPostings();
  for (const m of exclude) {
    // Series with a value the matcher rejects are removed; those without the label stay.
    res = subtract(res, matchingValues(ix, m, false));
    if (res.length === 0) return EMPTY_POSTINGS;
  }
  return res;
}

/**
 * Every label pair whose postings list postingsForMatchers may read for ms (a superset: it
 * ignores the early exits), so a ranged index can fetch them all before evaluating.
 */
export function labelPairsForMatchers(
  ix: Pick<PostingsIndex, 'valuesOf'>,
  ms: readonly Matcher[],
): [name: string, value: string][] {
  const out: [string, string][] = [];
  for (const m of ms) {
    const want = !m.matchesEmpty();
    if (m.type === '=' && want) {
      out.push([m.name, m.value]);
      continue;
    }
    const set = want ? m.setMatches() : null;
    if (set !== null) {
      for (const v of set) out.push([m.name, v]);
      continue;
    }
    for (const v of ix.valuesOf(m.name)) if (m.matches(v) === want) out.push([m.name, v]);
  }
  return out;
}
