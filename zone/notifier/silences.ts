// Silences (Alertmanager silence semantics): a silence mutes the alerts all of its matchers
// match while it is active (startsAt <= now < endsAt). Created, updated and expired through the
// API, persisted in SQLite so they survive restarts; expired silences are kept for
// `retentionMs` (Alertmanager's --data.retention, 120 h) and then dropped.
import { randomUUID } from 'node:crypto';
import { CanopyError } from '../../shared/errors.ts';
import { Matcher } from '../../shared/matchers.ts';
import { compileUnanchored } from '../../shared/regex/index.ts';
import type { NotifierDb } from './notifier-db.ts';

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  startsAtMs: number;
  endsAtMs: number;
  updatedAtMs: number;
  createdBy: string;
  comment: string;
}

export type SilenceState = 'active' | 'pending' | 'expired';

export function silenceState(s: Silence, nowMs: number): SilenceState {
  if (nowMs >= s.endsAtMs) return 'expired';
  if (nowMs < s.startsAtMs) return 'pending';
  return 'active';
}

function compile(ms: readonly SilenceMatcher[]): Matcher[] {
  return ms.map(
    (m) =>
      new Matcher(
        m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=',
        m.name,
        m.value,
        'alertmanager',
      ),
  );
}

export class Silences {
  private readonly byId = new Map<string, { s: Silence; m: Matcher[] }>();
  /** Bumped on every change, so callers can cache mute decisions. */
  version = 0;
  /** Called after a local create/update/expire (HA replication, zone/notifier/cluster.ts). */
  onChange: ((s: Silence) => void) | undefined;

  constructor(
    private readonly db: NotifierDb | undefined,
    private readonly now: () => number = Date.now,
    private readonly retentionMs = 120 * 3_600_000,
  ) {
    if (db) {
      for (const r of db.prepare('SELECT body FROM silence').all() as { body: string }[]) {
        const s = JSON.parse(r.body) as Silence;
        this.byId.set(s.id, { s, m: compile(s.matchers) });
      }
    }
  }

  private persist(s: Silence, announce = true): void {
    this.db
      ?.prepare('INSERT OR REPLACE INTO silence (id, body, ends_at_ms) VALUES (?, ?, ?)')
      .run(s.id, JSON.stringify(s), s.endsAtMs);
    this.version++;
    if (announce) this.onChange?.(s);
  }

  /**
   * Takes a peer replica's copy of a silence when it is newer (updatedAtMs) than ours and not
   * past retention, as Alertmanager's gossip merges; returns whether it was taken.
   */
  merge(s: Silence): boolean {
    const cur = this.byId.get(s.id);
    if (cur && cur.s.updatedAtMs >= s.updatedAtMs) return false;
    if (s.endsAtMs < this.now() - this.retentionMs) return false;
    let m: Matcher[];
    try {
      m = compile(s.matchers);
    } catch {
      return false;
    }
    this.byId.set(s.id, { s, m });
    this.persist(s, false);
    return true;
  }

  /** Creates or updates (when input.id names a live silence with equal matchers) a silence; returns its id. */
  set(input: Omit<Silence, 'id' | 'updatedAtMs'> & { id?: string }): string {
    const now = this.now();
    if (input.matchers.length === 0)
      throw new CanopyError('bad_data', 'silence invalid: at least one matcher required');
    // Alertmanager's validateSilence: per matcher, the name, then a regex compiled as written
    // (unanchored, so "a)(b" is refused here although ^(?:a)(b)$ would compile).
    input.matchers.forEach((m, i) => {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(m.name))
        throw new CanopyError('bad_data', `silence invalid: invalid label name "${m.name}"`);
      if (!m.isRegex) return;
      try {
        compileUnanchored(m.value);
      } catch (e) {
        throw new CanopyError(
          'bad_data',
          `silence invalid: invalid label matcher ${i}: invalid regular expression ${JSON.stringify(m.value)}: ${(e as Error).message}`,
        );
      }
    });
    let ms: Matcher[];
    try {
      ms = compile(input.matchers);
    } catch (e) {
      throw new CanopyError('bad_data', `silence invalid: ${(e as Error).message}`);
    }
    if (ms.every((m) => m.matches('')))
      throw new CanopyError(
        'bad_data',
        'silence invalid: at least one matcher must not match the empty string',
      );
    if (!(input.endsAtMs > input.startsAtMs))
      throw new CanopyError('bad_data', 'silence invalid: end time must not be before start time');
    if (input.endsAtMs <= now)
      throw new CanopyError('bad_data', "silence invalid: end time can't be in the past");
    let id: string | undefined;
    let startsAtMs = Math.max(input.startsAtMs, now);
    if (input.id) {
      const cur = this.byId.get(input.id);
      if (!cur) throw new CanopyError('not_found', `silence ${input.id} not found`);
      const st = silenceState(cur.s, now);
      const same = JSON.stringify(cur.s.matchers) === JSON.stringify(input.matchers);
      if (st !== 'expired' && same) {
        // Updated in place: an active silence keeps its start.
        id = input.id;
        if (st === 'active') startsAtMs = cur.s.startsAtMs;
      } else if (st !== 'expired') this.expire(input.id);
    }
    const s: Silence = {
      id: id ?? randomUUID(),
      matchers: input.matchers,
      startsAtMs,
      endsAtMs: input.endsAtMs,
      updatedAtMs: now,
      createdBy: input.createdBy,
      comment: input.comment,
    };
    this.byId.set(s.id, { s, m: ms });
    this.persist(s);
    return s.id;
  }

  expire(id: string): void {
    const cur = this.byId.get(id);
    if (!cur) throw new CanopyError('not_found', `silence ${id} not found`);
    const now = this.now();
    const st = silenceState(cur.s, now);
    if (st === 'expired') throw new CanopyError('bad_data', `silence ${id} already expired`);
    const s = {
      ...cur.s,
      endsAtMs: now,
      updatedAtMs: now,
      startsAtMs: st === 'pending' ? now : cur.s.startsAtMs,
    };
    this.byId.set(id, { s, m: cur.m });
    this.persist(s);
  }

  get(id: string): Silence | undefined {
    return this.byId.get(id)?.s;
  }

  list(): Silence[] {
    return [...this.byId.values()].map((x) => x.s);
  }

  /** Ids of the active silences that mute `labels`. */
  mutes(labels: Readonly<Record<string, string>>): string[] {
    const now = this.now();
    const out: string[] = [];
    for (const { s, m } of this.byId.values()) {
      if (silenceState(s, now) !== 'active') continue;
      if (m.every((x) => x.matches(labels[x.name] ?? ''))) out.push(s.id);
    }
    return out;
  }

  /** Drops silences expired longer than the retention. */
  gc(): number {
    const cut = this.now() - this.retentionMs;
    let n = 0;
    for (const [id, { s }] of this.byId) {
      if (s.endsAtMs < cut) {
        this.byId.delete(id);
        this.db?.prepare('DELETE FROM silence WHERE id = ?').run(id);
        n++;
      }
    }
    if (n) this.version++;
    return n;
  }
}
