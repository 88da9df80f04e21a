// Inhibitor (Alertmanager inhibit/inhibit.go): an alert matching an inhibit rule's target side
// is muted while a firing alert matches the source side and both carry equal values for the
// rule's `equal` labels. An alert matching both sides is never muted by source alerts that also
// match the target side (so a rule cannot make a group of alerts mute each other).
import type { Matcher } from '../../shared/matchers.ts';
import { isResolved, type NotifierAlert } from './alert.ts';
import type { InhibitRuleConfig } from './config.ts';
import { matchesAll } from './label-matchers.ts';

interface SourceIndex {
  /** equal-label key → firing source alerts with those values. */
  byEqual: Map<string, NotifierAlert[]>;
}

function equalKey(names: readonly string[], labels: Readonly<Record<string, string>>): string {
  let k = '';
  for (const n of names) k += (labels[n] ?? '') + '\xff';
  return k;
}

export class Inhibitor {
  /** Source alerts indexed per rule; rebuilt when the alerts or the time changed. */
  private index: SourceIndex[] = [];
  private indexedAt = { nowMs: -1, version: -1 };

  constructor(
    private readonly rules: readonly InhibitRuleConfig[],
    /** The current alerts (the source side is looked up among them). */
    private readonly alerts: () => Iterable<NotifierAlert>,
    /** Bumped whenever the alerts change (cache key). */
    private readonly version: () => number = () => NaN,
  ) {}

  private sources(nowMs: number): SourceIndex[] {
    const v = this.version();
    if (this.indexedAt.nowMs === nowMs && this.indexedAt.version === v) return this.index;
    this.index = this.rules.map((r) => {
      const byEqual = new Map<string, NotifierAlert[]>();
      for (const a of this.alerts()) {
        if (isResolved(a, nowMs) || !matchesAll(r.source, a.labels)) continue;
        const k = equalKey(r.equal, a.labels);
        const list = byEqual.get(k);
        if (list) list.push(a);
        else byEqual.set(k, [a]);
      }
      return { byEqual };
    });
    this.indexedAt = { nowMs, version: v };
    return this.index;
  }

  /** Fingerprints of the source alerts that inhibit `labels` (empty: not inhibited). */
  inhibitedBy(labels: Readonly<Record<string, string>>, fp: string, nowMs: number): string[] {
    if (this.rules.length === 0) return [];
    const index = this.sources(nowMs);
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i]!;
      if (!matchesAll(r.target, labels)) continue;
      const twoSided = matchesAll(r.source, labels);
      for (const a of index[i]!.byEqual.get(equalKey(r.equal, labels)) ?? []) {
        if (a.fingerprint === fp) continue;
        if (twoSided && matchesAll(r.target as Matcher[], a.labels)) continue;
        return [a.fingerprint];
      }
    }
    return [];
  }
}
