// Small immutable byte strings (sealed head chunks, query copies of open chunks) packed into
// shared slabs by bump allocation. A typed array with its own backing store costs a malloc, a
// C++ BackingStore, an ArrayBuffer and a view (a few hundred bytes beyond its bytes) plus GC
// finalization; packed, a string costs its bytes and an offset. Nothing is freed inside a slab:
// a slab is garbage once nothing references it, so strings that die together (chunks sealed
// in the same chunk range and dropped by the same head truncation) should share one.
// Strings larger than a sixteenth of a slab get a buffer of their own.

export class Slabs {
  /** The slab the last put() wrote to. */
  slab: Uint8Array;
  private used = 0;

  constructor(private readonly slabBytes: number) {
    this.slab = new Uint8Array(slabBytes);
  }

  /** Copies src[0, len) into a slab and returns its offset in `this.slab`. */
  put(src: Uint8Array, len: number): number {
    if (len > this.slabBytes >>> 4) {
      this.slab = src.slice(0, len);
      this.used = this.slabBytes; // the next small string starts a fresh slab
      return 0;
    }
    if (this.used + len > this.slabBytes) {
      this.slab = new Uint8Array(this.slabBytes);
      this.used = 0;
    }
    const s = this.slab,
      o = this.used;
    for (let i = 0; i < len; i++) s[o + i] = src[i]!;
    this.used = o + len;
    return o;
  }
}
