// Inhibitor (Alertmanager inhibit/inhibit.go): an alert matching an inhibit rule's target side
// is muted while a firing alert matches the source side and both carry equal values for the
// rule's `equal` labels. An alert matching both sides is never muted by source alerts that also
// match the target side (so a rule cannot make a group of alerts mute each other).
import type { Matcher } from '../../shared/matchers.ts';
import { isResolved, type NotifierAlert } from './alert.ts';
import type { InhibitRuleConfig } from './config.ts';
import { matchesAll } from './label-matchers.ts';

export class Inhibitor {
  constructor(
    private readonly rules: readonly InhibitRuleConfig[],
    /** The current alerts (the source side is looked up among them). */
    private readonly alerts: () => Iterable<NotifierAlert>,
  ) {}

  /** Fingerprints of the source alerts that inhibit `labels` (empty: not inhibited). */
  inhibitedBy(labels: Readonly<Record<string, string>>, fp: string, nowMs: number): string[] {
    const out: string[] = [];
    for (const r of this.rules) {
      if (!matchesAll(r.target, labels)) continue;
      const twoSided = matchesAll(r.source, labels);
      for (const a of this.alerts()) {
        if (a.fingerprint === fp || isResolved(a, nowMs)) continue;
        if (!matchesAll(r.source, a.labels)) continue;
        if (twoSided && matchesAll(r.target as Matcher[], a.labels)) continue;
        if (r.equal.every((n) => (a.labels[n] ?? '') === (labels[n] ?? ''))) {
          out.push(a.fingerprint);
          break;
        }
      }
      if (out.length > 0) break;
    }
    return out;
  }
}
