// Sample cursors that compose chunk cursors: a sequence of chunks clipped to [mint, maxt], a
// cursor over sorted float arrays, and a two-way merge that dedupes equal timestamps. All follow
// the shared SampleCursor contract (shared/storage.ts); errors are held, never thrown.
import { CanopyError } from '../../shared/errors.ts';
import { ValueKind, type SampleCursor } from '../../shared/storage.ts';
import type { Distribution } from '../../shared/distribution.ts';
import { openChunkCursor, type ChunkCursor } from './chunk/index.ts';

/** An ordered list of non-overlapping chunks of one series. */
export interface ChunkList {
  readonly length: number;
  minT(i: number): number;
  maxT(i: number): number;
  encoding(i: number): number;
  /** May throw CanopyError (e.g. corrupt block data); the cursor holds it in err(). */
  bytes(i: number): Uint8Array;
}

export class ChunkSeqCursor implements SampleCursor {
  private idx = -1;
  private cur: ChunkCursor | null = null;
  private kind = ValueKind.None;
  private done = false;
  private e: Error | null = null;
  /** The last chunk cursor opened, reused for the next chunk of the same encoding. */
  private last: ChunkCursor | null = null;
  private lastEnc = -1;

  constructor(
    private list: ChunkList,
    private mintMs: number,
    private maxtMs: number,
  ) {}

  /** The chunk list being read (a caller may refill it for reset once done with this cursor). */
  chunks(): ChunkList {
    return this.list;
  }

  /** Restarts on another chunk list (keeping the chunk decoder for reuse). */
  reset(list: ChunkList, mintMs: number, maxtMs: number): void {
    this.list = list;
    this.mintMs = mintMs;
    this.maxtMs = maxtMs;
    this.idx = -1;
    this.cur = null;
    this.kind = ValueKind.None;
    this.done = false;
    this.e = null;
  }

  /** Opens chunk idx+1.. whose range reaches tMs; false at the end. */
  private advanceChunk(tMs: number): boolean {
    const l = this.list;
    for (;;) {
      this.idx++;
      if (this.idx >= l.length || l.minT(this.idx) > this.maxtMs) return this.end();
      if (l.maxT(this.idx) < tMs) continue;
      try {
        const enc = l.encoding(this.idx);
        const b = l.bytes(this.idx);
        let c = this.last;
        if (c !== null && this.lastEnc === enc) c.reset(b);
        else {
          this.last = c = openChunkCursor(enc, b);
          this.lastEnc = enc;
        }
        this.cur = c;
        return true;
      } catch (err) {
        this.e =
          err instanceof CanopyError
            ? err
            : new CanopyError('io', `cannot read chunk: ${String(err)}`, { cause: err });
        return this.end();
      }
    }
  }

  private end(): false {
    this.done = true;
    this.kind = ValueKind.None;
    this.cur = null;
    return false;
  }

  /** Advances to the first sample ≥ tMs across chunks (or just the next one when next). */
  private step(tMs: number, seek: boolean): ValueKind {
    if (this.done) return ValueKind.None;
    if (tMs < this.mintMs) tMs = this.mintMs;
    for (;;) {
      if (this.cur === null || (seek && this.list.maxT(this.idx) < tMs)) {
        if (!this.advanceChunk(tMs)) return ValueKind.None;
      }
      const c = this.cur!;
      const k = seek || this.idx < 0 ? c.seek(tMs) : c.next();
      if (k === ValueKind.None) {
        const ce = c.err();
        if (ce) {
          this.e = ce;
          this.end();
          return ValueKind.None;
        }
        this.cur = null;
        continue;
      }
      const t = c.atT();
      if (t < tMs) continue; // before mint in the first chunk
      if (t > this.maxtMs) {
        this.end();
        return ValueKind.None;
      }
      this.kind = k;
      return k;
    }
  }

  next(): ValueKind {
    return this.step(this.mintMs, this.kind === ValueKind.None && this.idx < 0);
  }

  seek(tMs: number): ValueKind {
    if (this.kind !== ValueKind.None && this.cur !== null && this.cur.atT() >= tMs) return this.kind;
    return this.step(tMs, true);
  }

  atT(): number {
    return this.cur!.atT();
  }
  atF(): number {
    return this.cur!.atF();
  }
  atDistribution(): Distribution {
    return this.cur!.atDistribution();
  }
  err(): Error | null {
    return this.e;
  }
}

/** Float samples held in sorted arrays (the head's out-of-order buffer). */
export class ArrayCursor implements SampleCursor {
  private i = -1;
  constructor(
    private readonly ts: Float64Array,
    private readonly vs: Float64Array,
    private readonly n: number,
  ) {}
  next(): ValueKind {
    if (this.i < this.n) this.i++;
    return this.i < this.n ? ValueKind.Float : ValueKind.None;
  }
  seek(tMs: number): ValueKind {
    if (this.i < 0) this.i = 0;
    while (this.i < this.n && this.ts[this.i]! < tMs) this.i++;
    return this.i < this.n ? ValueKind.Float : ValueKind.None;
  }
  atT(): number {
    return this.ts[this.i]!;
  }
  atF(): number {
    return this.vs[this.i]!;
  }
  atDistribution(): Distribution {
    throw new CanopyError('execution', 'float cursor has no distributions');
  }
  err(): Error | null {
    return null;
  }
}

export const EMPTY_CURSOR: SampleCursor = new ArrayCursor(new Float64Array(0), new Float64Array(0), 0);

/**
 * Cursors over disjoint, ascending time ranges (a series in consecutive blocks and the head),
 * read one after the other: no per-sample comparison as in a merge.
 */
export class ChainCursor implements SampleCursor {
  private i = 0;

  constructor(private readonly cs: readonly SampleCursor[]) {}

  private advance(k: ValueKind): boolean {
    if (k !== ValueKind.None || this.cs[this.i]!.err() !== null) return false;
    this.i++;
    return this.i < this.cs.length;
  }

  next(): ValueKind {
    if (this.i >= this.cs.length) return ValueKind.None;
    let k: ValueKind;
    do k = this.cs[this.i]!.next();
    while (this.advance(k));
    return k;
  }

  seek(tMs: number): ValueKind {
    if (this.i >= this.cs.length) return ValueKind.None;
    let k: ValueKind;
    do k = this.cs[this.i]!.seek(tMs);
    while (this.advance(k));
    return k;
  }

  atT(): number {
    return this.cs[this.i]!.atT();
  }
  atF(): number {
    return this.cs[this.i]!.atF();
  }
  atDistribution(): Distribution {
    return this.cs[this.i]!.atDistribution();
  }
  err(): Error | null {
    for (const c of this.cs) {
      const e = c.err();
      if (e) return e;
    }
    return null;
  }
}

/** Merges two cursors by time; on equal timestamps the first one's sample wins. */
export class MergeCursor implements SampleCursor {
  private ka = ValueKind.None;
  private kb = ValueKind.None;
  private started = false;
  private advA = false;
  private advB = false;
  /** 0: a is current, 1: b is current, -1: none. */
  private which = -1;
  private kind = ValueKind.None;

  constructor(
    private readonly a: SampleCursor,
    private readonly b: SampleCursor,
  ) {}

  private pick(): ValueKind {
    const { ka, kb } = this;
    if (ka === ValueKind.None && kb === ValueKind.None) {
      this.which = -1;
      return (this.kind = ValueKind.None);
    }
    if (kb === ValueKind.None || (ka !== ValueKind.None && this.a.atT() <= this.b.atT())) {
      this.which = 0;
      this.advA = true;
      this.advB = kb !== ValueKind.None && this.b.atT() === this.a.atT();
      return (this.kind = ka);
    }
    this.which = 1;
    this.advB = true;
    this.advA = false;
    return (this.kind = kb);
  }

  next(): ValueKind {
    if (!this.started) {
      this.started = true;
      this.ka = this.a.next();
      this.kb = this.b.next();
    } else {
      if (this.advA && this.ka !== ValueKind.None) this.ka = this.a.next();
      if (this.advB && this.kb !== ValueKind.None) this.kb = this.b.next();
    }
    return this.pick();
  }

  seek(tMs: number): ValueKind {
    if (this.which >= 0 && this.atT() >= tMs) return this.kind;
    if (!this.started || this.ka !== ValueKind.None) this.ka = this.a.seek(tMs);
    if (!this.started || this.kb !== ValueKind.None) this.kb = this.b.seek(tMs);
    this.started = true;
    return this.pick();
  }

  atT(): number {
    return this.which === 0 ? this.a.atT() : this.b.atT();
  }
  atF(): number {
    return this.which === 0 ? this.a.atF() : this.b.atF();
  }
  atDistribution(): Distribution {
    return this.which === 0 ? this.a.atDistribution() : this.b.atDistribution();
  }
  err(): Error | null {
    return this.a.err() ?? this.b.err();
  }
}
