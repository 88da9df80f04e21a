// hash64: a 64-bit non-cryptographic hash of a JS string, returned as two 32-bit halves.
// Construction: a two-lane multiply-rotate mix over the string's UTF-16 code units, two units
// per 32-bit word (murmur3-x86-128 style rounds), with a final avalanche (fmix32) on each lane
// and cross-lane additions so every input bit affects all 64 output bits.
// Invariant: deterministic across processes and versions (sketches serialized with it are
// merged across tiers) — never change the constants without bumping the HLL version byte.
//
// Hot path: no allocation; the result is left in `hashHi`/`hashLo` module slots via hash64()
// (one call per sample) or returned as a bigint-free pair by hash64Pair() for tests.

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

/** High and low 32 bits (unsigned) of the last hash64() result. */
export let hashHi = 0;
export let hashLo = 0;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Hashes `s` with `seed`; read the result from hashHi / hashLo. */
export function hash64(s: string, seed = 0): void {
  let h1 = seed ^ 0x9747b28c;
  let h2 = seed ^ 0x5bd1e995;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    let k1 = Math.imul(k, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, C2);
    h1 ^= k1;
    h1 = (h1 << 19) | (h1 >>> 13);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    let k2 = Math.imul(k, C3);
    k2 = (k2 << 17) | (k2 >>> 15);
    k2 = Math.imul(k2, C4);
    h2 ^= k2;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = (h2 + h1) | 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
  }
  if (i < n) {
    const k = s.charCodeAt(i);
    let k1 = Math.imul(k, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, C2);
    let k2 = Math.imul(k, C3);
    k2 = (k2 << 17) | (k2 >>> 15);
    h2 ^= Math.imul(k2, C4);
  }
  h1 ^= n;
  h2 ^= n;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  hashHi = h1 >>> 0;
  hashLo = h2 >>> 0;
}

/** Convenience for tests and cold paths: [hi, lo]. */
export function hash64Pair(s: string, seed = 0): [number, number] {
  hash64(s, seed);
  return [hashHi, hashLo];
}
