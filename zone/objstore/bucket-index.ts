// The zone's view of the bucket's blocks, rebuilt from one full listing (every page) per
// refresh: blocks are the top-level "<ulid>/" prefixes; a block is complete when its
// meta.json exists (meta.json is uploaded last). Metas of complete blocks are fetched once and
// kept in memory. Shared by the shipper (what is uploaded) and the store (what to query).
import type { Logger } from '../../shared/log.ts';
import type { Bucket, ObjectInfo } from './bucket.ts';
import { parseBucketMeta, ULID_RE, type BucketBlockMeta } from './bucket-meta.ts';

export interface BucketBlockEntry {
  ulid: string;
  files: ObjectInfo[];
  /** Set when meta.json exists and parsed. */
  meta?: BucketBlockMeta;
}

export class BucketIndex {
  private entries = new Map<string, BucketBlockEntry>();
  private readonly metas = new Map<string, BucketBlockMeta>();
  private refreshing: Promise<void> | null = null;
  /** Number of completed refreshes. */
  refreshes = 0;

  constructor(
    private readonly bucket: Bucket,
    private readonly log: Logger,
  ) {}

  /** Re-lists the bucket; concurrent calls share one listing. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const objs = await this.bucket.list('');
    const next = new Map<string, BucketBlockEntry>();
    for (const o of objs) {
      const slash = o.name.indexOf('/');
      const ulid = slash > 0 ? o.name.slice(0, slash) : '';
      if (!ULID_RE.test(ulid)) continue;
      let e = next.get(ulid);
      if (!e) next.set(ulid, (e = { ulid, files: [] }));
      e.files.push(o);
    }
    for (const e of next.values()) {
      if (!e.files.some((f) => f.name === `${e.ulid}/meta.json`)) continue;
      let m = this.metas.get(e.ulid);
      if (!m) {
        const raw = await this.bucket.get(`${e.ulid}/meta.json`);
        if (raw === null) continue; // deleted since the listing
        const parsed = parseBucketMeta(raw);
        if (!parsed || parsed.ulid !== e.ulid) {
          this.log.warn({ block: e.ulid }, 'cannot read bucket block meta.json; ignoring the block');
          continue;
        }
        this.metas.set(e.ulid, (m = parsed));
      }
      e.meta = m;
    }
    for (const u of this.metas.keys()) if (!next.get(u)?.meta) this.metas.delete(u);
    this.entries = next;
    this.refreshes++;
  }

  /** Records a block this process just completed (its meta.json is in the bucket). */
  added(meta: BucketBlockMeta, files: ObjectInfo[]): void {
    this.metas.set(meta.ulid, meta);
    this.entries.set(meta.ulid, { ulid: meta.ulid, files, meta });
  }

  removed(ulid: string): void {
    this.metas.delete(ulid);
    this.entries.delete(ulid);
  }

  complete(ulid: string): boolean {
    return this.entries.get(ulid)?.meta !== undefined;
  }

  all(): BucketBlockEntry[] {
    return [...this.entries.values()];
  }

  completeMetas(): BucketBlockMeta[] {
    const out: BucketBlockMeta[] = [];
    for (const e of this.entries.values()) if (e.meta) out.push(e.meta);
    return out;
  }
}
