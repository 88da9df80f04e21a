// RangeCache: the bucket store's bounded on-disk cache of byte ranges (docs/format/bucket.md,
// "Cache"). One file per entry under <dir>/<ulid>/: "index" (a block's whole index object) and
// "c<seg>-<page>" (page `page` of chunk file `seg`, PAGE_BYTES long, shorter at the end of the
// file), "p<n>" / "s<id>" (postings list n / series entry id of a ranged index) and "header" (a
// ranged index's header and TOC, in the store's separate index-header cache). Entries are written to "<name>.tmp-<n>" and renamed, so a crash leaves at most tmp files,
// deleted at start with anything else the cache does not recognise (such as the whole-block
// directories of the earlier format).
//
// Bound: the bytes of all entries stay ≤ limitBytes, evicting the least recently used (read,
// written or pinned) entries first — except pinned ones: a querier pins the pages it will read
// between its prefetch and close(), so the cache may exceed the bound while a query that needs
// more than the bound runs, and shrinks back when it ends. LRU order after a restart is the
// files' mtime order.
//
// Reads are synchronous (readSync of one small file): they happen inside select()/cursors,
// which the storage contract keeps synchronous; every file is at most PAGE_BYTES, except whole indexes and index headers.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/log.ts';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import { ULID_RE } from './bucket-meta.ts';

/**
 * Chunk page size. Thanos's caching bucket caches chunk objects in 16000-byte subranges: a
 * series' chunks of one block sit together, so one page often holds all of them, while a
 * page is small enough that a selective query fetches little it does not need.
 */
export const PAGE_BYTES = 16 << 10;

const ENTRY_RE = /^(index|header|c\d{1,6}-\d{1,9}|[ps]\d{1,10})$/;

export interface RangeCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export class RangeCache {
  /** key "<ulid>/<entry>" → size; Map order is LRU order (oldest first). */
  private readonly entries = new Map<string, number>();
  private readonly pins = new Map<string, number>();
  private total = 0;
  private writes = 0;
  readonly stats: RangeCacheStats = { entries: 0, bytes: 0, hits: 0, misses: 0, evictions: 0 };

  constructor(
    private readonly dir: string,
    readonly limitBytes: number,
    private readonly log: Logger,
  ) {
    mkdirSync(dir, { recursive: true });
    const found: { key: string; size: number; mtimeMs: number }[] = [];
    for (const ulid of readdirSync(dir)) {
      const p = join(dir, ulid);
      if (!ULID_RE.test(ulid)) {
        rmSync(p, { recursive: true, force: true });
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(p);
      } catch {
        rmSync(p, { recursive: true, force: true });
        continue;
      }
      for (const name of names) {
        const f = join(p, name);
        if (!ENTRY_RE.test(name)) {
          rmSync(f, { recursive: true, force: true });
          continue;
        }
        const st = statSync(f);
        found.push({ key: `${ulid}/${name}`, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const e of found) this.add(e.key, e.size);
    this.evict();
  }

  private path(key: string): string {
    return join(this.dir, key);
  }

  private add(key: string, size: number): void {
    const prev = this.entries.get(key);
    if (prev !== undefined) {
      this.total -= prev;
      this.entries.delete(key);
    }
    this.entries.set(key, size);
    this.total += size;
    this.updateStats();
  }

  private touch(key: string): void {
    const size = this.entries.get(key);
    if (size === undefined) return;
    this.entries.delete(key);
    this.entries.set(key, size);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Keeps key (present or not yet written) from eviction until unpin(). */
  pin(key: string): void {
    this.pins.set(key, (this.pins.get(key) ?? 0) + 1);
    this.touch(key);
  }

  unpin(key: string): void {
    const n = (this.pins.get(key) ?? 0) - 1;
    if (n > 0) this.pins.set(key, n);
    else this.pins.delete(key);
  }

  /** Writes an entry (tmp + rename), then evicts down to the bound. */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    const p = this.path(key);
    await mkdir(join(p, '..'), { recursive: true });
    // Unique per write: two queriers may write the same page at once (a gap page of one
    // request that another is fetching); each rename replaces the entry whole.
    const tmp = `${p}.tmp-${++this.writes}`;
    await writeFile(tmp, bytes);
    await rename(tmp, p);
    this.add(key, bytes.length);
    this.evict();
  }

  /** The entry's bytes, or null when it is not cached (counted as a hit or a miss). */
  readSync(key: string): Buffer | null {
    if (!this.entries.has(key)) {
      this.stats.misses++;
      return null;
    }
    try {
      const b = readFileSync(this.path(key));
      this.stats.hits++;
      this.touch(key);
      return b;
    } catch (e) {
      // Deleted behind our back (or unreadable): forget it, the caller fetches again.
      this.log.warn({ entry: key, err: errorMessage(e) }, 'cannot read a bucket cache entry; dropping it');
      this.drop(key);
      this.stats.misses++;
      return null;
    }
  }

  /** Like readSync, but a missing entry is an error naming it. */
  mustReadSync(key: string, why: string): Buffer {
    const b = this.readSync(key);
    if (b === null)
      throw new CanopyError('unavailable', `cannot read bucket cache entry ${key}: not fetched (${why})`);
    return b;
  }

  private drop(key: string): void {
    const size = this.entries.get(key);
    if (size === undefined) return;
    this.entries.delete(key);
    this.total -= size;
    this.updateStats();
  }

  /** Evicts least recently used unpinned entries while over the bound. */
  evict(): void {
    if (this.total <= this.limitBytes) return;
    for (const [key, size] of this.entries) {
      if (this.total <= this.limitBytes) break;
      if (this.pins.has(key)) continue;
      this.entries.delete(key);
      this.total -= size;
      this.stats.evictions++;
      try {
        unlinkSync(this.path(key));
      } catch {
        // already gone
      }
    }
    this.updateStats();
  }

  private updateStats(): void {
    this.stats.entries = this.entries.size;
    this.stats.bytes = this.total;
  }

  /** Test and bench hook: the bytes the files really take (sum of file sizes). */
  diskBytes(): number {
    let n = 0;
    for (const ulid of readdirSync(this.dir))
      for (const f of readdirSync(join(this.dir, ulid))) n += statSync(join(this.dir, ulid, f)).size;
    return n;
  }
}
