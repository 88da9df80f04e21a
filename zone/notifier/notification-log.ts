// NotificationLog (Alertmanager nflog): per receiver integration and aggregation group, the
// fingerprints of the firing and resolved alerts last notified and when. Deduplication reads
// it (needsUpdate); entries expire after `retentionMs` (120 h). Persisted in SQLite so a
// restart does not resend everything.
import type { NotifierDb } from './notifier-db.ts';

export interface LogEntry {
  firing: Set<string>;
  resolved: Set<string>;
  tsMs: number;
}

export class NotificationLog {
  private readonly mem = new Map<string, LogEntry>();
  /** Called after a local log() (HA replication, zone/notifier/cluster.ts). */
  onLog: ((key: string, e: LogEntry) => void) | undefined;

  constructor(
    private readonly db: NotifierDb | undefined,
    private readonly now: () => number = Date.now,
    private readonly retentionMs = 120 * 3_600_000,
  ) {
    if (db) {
      for (const r of db.prepare('SELECT key, firing, resolved, ts_ms, expires_ms FROM nflog').all() as {
        key: string;
        firing: string;
        resolved: string;
        ts_ms: number;
        expires_ms: number;
      }[]) {
        if (r.expires_ms < this.now()) continue;
        this.mem.set(r.key, {
          firing: new Set(JSON.parse(r.firing) as string[]),
          resolved: new Set(JSON.parse(r.resolved) as string[]),
          tsMs: r.ts_ms,
        });
      }
    }
  }

  static key(receiver: string, integration: string, groupKey: string): string {
    return `${receiver}/${integration}/${groupKey}`;
  }

  get(key: string): LogEntry | undefined {
    return this.mem.get(key);
  }

  log(key: string, firing: readonly string[], resolved: readonly string[]): void {
    const e = { firing: new Set(firing), resolved: new Set(resolved), tsMs: this.now() };
    this.store(key, e);
    this.onLog?.(key, e);
  }

  private store(key: string, e: LogEntry): void {
    this.mem.set(key, e);
    this.db
      ?.prepare(
        'INSERT OR REPLACE INTO nflog (key, firing, resolved, ts_ms, expires_ms) VALUES (?, ?, ?, ?, ?)',
      )
      .run(
        key,
        JSON.stringify([...e.firing]),
        JSON.stringify([...e.resolved]),
        e.tsMs,
        e.tsMs + this.retentionMs,
      );
  }

  /** Takes a peer replica's entry when it is newer than ours (Alertmanager's nflog merge). */
  merge(key: string, e: LogEntry): boolean {
    const cur = this.mem.get(key);
    if ((cur && cur.tsMs >= e.tsMs) || e.tsMs < this.now() - this.retentionMs) return false;
    this.store(key, e);
    return true;
  }

  entries(): [string, LogEntry][] {
    return [...this.mem];
  }

  gc(): void {
    const cut = this.now() - this.retentionMs;
    for (const [k, e] of this.mem) if (e.tsMs < cut) this.mem.delete(k);
    this.db?.prepare('DELETE FROM nflog WHERE expires_ms < ?').run(this.now());
  }

  get size(): number {
    return this.mem.size;
  }
}

/** Alertmanager's DedupStage.needsUpdate. */
export function needsUpdate(
  entry: LogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  sendResolved: boolean,
  repeatIntervalMs: number,
  nowMs: number,
): boolean {
  if (!entry) return firing.size > 0;
  for (const f of firing) if (!entry.firing.has(f)) return true;
  if (firing.size === 0) return entry.firing.size > 0;
  if (sendResolved) for (const r of resolved) if (!entry.resolved.has(r)) return true;
  return entry.tsMs <= nowMs - repeatIntervalMs;
}
