// AlertStateStore: pending and firing alerts persisted in SQLite (better-sqlite3, WAL mode) so
// a zone restart does not reset `for`: each group's alerts are rewritten in one transaction
// after every evaluation and restored when the group is created.
//
// Schema (version 1):
//   alert_state(group_key TEXT, rule_key TEXT, labels_key TEXT, labels TEXT (JSON record),
//               annotations TEXT (JSON), state TEXT, value REAL, active_at_ms INT,
//               fired_at_ms INT, resolved_at_ms INT, last_sent_at_ms INT,
//               keep_firing_since_ms INT, PRIMARY KEY (group_key, rule_key, labels_key))
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { labelsFromRecord, labelsKey, labelsToRecord } from '../../shared/labels.ts';
import type { AlertState, RuleAlert } from '../../shared/rulefmt/index.ts';

interface Row {
  rule_key: string;
  labels: string;
  annotations: string;
  state: string;
  value: number;
  active_at_ms: number;
  fired_at_ms: number;
  resolved_at_ms: number;
  last_sent_at_ms: number;
  keep_firing_since_ms: number;
}

export class AlertStateStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly clear: Database.Statement;
  private readonly select: Database.Statement;

  /** path ':memory:' for tests. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS alert_state (
      group_key TEXT NOT NULL, rule_key TEXT NOT NULL, labels_key TEXT NOT NULL, labels TEXT NOT NULL,
      annotations TEXT NOT NULL, state TEXT NOT NULL, value REAL NOT NULL, active_at_ms INTEGER NOT NULL,
      fired_at_ms INTEGER NOT NULL, resolved_at_ms INTEGER NOT NULL, last_sent_at_ms INTEGER NOT NULL,
      keep_firing_since_ms INTEGER NOT NULL, PRIMARY KEY (group_key, rule_key, labels_key))`);
    this.insert = this.db.prepare(
      'INSERT OR REPLACE INTO alert_state VALUES (@group_key, @rule_key, @labels_key, @labels, @annotations, @state, @value, @active_at_ms, @fired_at_ms, @resolved_at_ms, @last_sent_at_ms, @keep_firing_since_ms)',
    );
    this.clear = this.db.prepare('DELETE FROM alert_state WHERE group_key = ?');
    this.select = this.db.prepare('SELECT * FROM alert_state WHERE group_key = ?');
  }

  /** Replaces the group's stored alerts with `rules`' active alerts. */
  save(groupKey: string, rules: readonly { key: string; active: ReadonlyMap<string, RuleAlert> }[]): void {
    this.db.transaction(() => {
      this.clear.run(groupKey);
      for (const r of rules) {
        for (const a of r.active.values()) {
          this.insert.run({
            group_key: groupKey,
            rule_key: r.key,
            labels_key: labelsKey(a.labels),
            labels: JSON.stringify(labelsToRecord(a.labels)),
            annotations: JSON.stringify(a.annotations),
            state: a.state,
            value: Number.isNaN(a.value) ? 0 : a.value,
            active_at_ms: a.activeAtMs,
            fired_at_ms: a.firedAtMs,
            resolved_at_ms: a.resolvedAtMs,
            last_sent_at_ms: a.lastSentAtMs,
            keep_firing_since_ms: a.keepFiringSinceMs,
          });
        }
      }
    })();
  }

  /** The group's stored alerts, by rule key. */
  load(groupKey: string): Map<string, RuleAlert[]> {
    const out = new Map<string, RuleAlert[]>();
    for (const r of this.select.all(groupKey) as Row[]) {
      const list = out.get(r.rule_key) ?? [];
      list.push({
        labels: labelsFromRecord(JSON.parse(r.labels) as Record<string, string>),
        annotations: JSON.parse(r.annotations) as Record<string, string>,
        state: r.state as AlertState,
        value: r.value,
        activeAtMs: r.active_at_ms,
        firedAtMs: r.fired_at_ms,
        resolvedAtMs: r.resolved_at_ms,
        lastSentAtMs: r.last_sent_at_ms,
        keepFiringSinceMs: r.keep_firing_since_ms,
        validUntilMs: 0,
      });
      out.set(r.rule_key, list);
    }
    return out;
  }

  /** Drops groups that no longer exist (after a reload). */
  retain(groupKeys: ReadonlySet<string>): void {
    const all = this.db.prepare('SELECT DISTINCT group_key AS k FROM alert_state').all() as { k: string }[];
    for (const { k } of all) if (!groupKeys.has(k)) this.clear.run(k);
  }

  close(): void {
    this.db.close();
  }
}
