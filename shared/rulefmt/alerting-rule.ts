// AlertingRule: one `alert:` rule and its active alerts, with Prometheus's state machine
// (rules/alerting.go): a series in the result becomes a pending alert; after `for` it fires;
// when it leaves the result a pending alert is dropped and a firing one resolves (unless
// keep_firing_for holds it firing); resolved alerts are kept 15 min so the notifier hears
// about the resolution. Produces ALERTS{alertstate} and ALERTS_FOR_STATE samples.
//
// Invariants: `active` is keyed by the alert's label key (labelsKey of the final labels, which
// include alertname); an alert's labels never change while it is in the map.
import { CanopyError } from '../errors.ts';
import { labelsFromRecord, labelsKey, labelsToRecord, METRIC_NAME, type Labels } from '../labels.ts';
import type { RuleSpec } from './rule-file.ts';
import type { VectorSample } from '../value.ts';

export type AlertState = 'inactive' | 'pending' | 'firing';

export interface RuleAlert {
  labels: Labels;
  annotations: Record<string, string>;
  state: AlertState;
  value: number;
  activeAtMs: number;
  firedAtMs: number;
  resolvedAtMs: number;
  lastSentAtMs: number;
  keepFiringSinceMs: number;
  validUntilMs: number;
}

/** What the rule hands to the notifier (Prometheus's notifier.Alert, before external labels). */
export interface OutgoingAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAtMs: number;
  endsAtMs: number;
  generatorURL: string;
}

/** Prometheus keeps resolved alerts this long so the resolution reaches the notifier. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

export interface EvalSample {
  labels: Labels;
  tMs: number;
  f: number;
}

export class AlertingRule {
  readonly kind = 'alerting' as const;
  readonly active = new Map<string, RuleAlert>();
  health: 'unknown' | 'ok' | 'err' = 'unknown';
  lastError = '';
  lastEvalMs = 0;
  evalDurationMs = 0;

  constructor(
    readonly spec: RuleSpec,
    /** Identity within the group, stable across reloads: "<alertname>#<n-th of that name>". */
    readonly key: string,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** Applies one evaluation's result at tMs; returns the ALERTS / ALERTS_FOR_STATE samples. */
  apply(
    result: readonly VectorSample[],
    tMs: number,
    ext: Readonly<Record<string, string>>,
    externalURL: string,
    limit: number,
  ): EvalSample[] {
    const seen = new Map<string, RuleAlert>();
    for (const s of result) {
      const rec = labelsToRecord(s.labels);
      delete rec[METRIC_NAME];
      const data = { labels: rec, externalLabels: ext, value: s.f, externalURL };
      const out: Record<string, string> = { ...rec };
      for (const [k, t] of this.spec.labelTemplates) {
        const v = t.expand(data);
        if (v === '') delete out[k];
        else out[k] = v;
      }
      out.alertname = this.spec.name;
      const annotations: Record<string, string> = {};
      for (const [k, t] of this.spec.annotationTemplates) annotations[k] = t.expand(data);
      const labels = labelsFromRecord(out);
      const key = labelsKey(labels);
      if (seen.has(key))
        throw new CanopyError(
          'execution',
          'vector contains metrics with the same labelset after applying alert labels',
        );
      seen.set(key, {
        labels,
        annotations,
        state: 'pending',
        value: s.f,
        activeAtMs: tMs,
        firedAtMs: 0,
        resolvedAtMs: 0,
        lastSentAtMs: 0,
        keepFiringSinceMs: 0,
        validUntilMs: 0,
      });
    }
    for (const [key, a] of seen) {
      const cur = this.active.get(key);
      if (cur && cur.state !== 'inactive') {
        cur.value = a.value;
        cur.annotations = a.annotations;
        continue;
      }
      this.active.set(key, a);
    }
    let numActive = 0;
    for (const [key, a] of this.active) {
      if (!seen.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.spec.keepFiringForMs > 0) {
          if (a.keepFiringSinceMs === 0) a.keepFiringSinceMs = tMs;
          if (tMs - a.keepFiringSinceMs < this.spec.keepFiringForMs) keepFiring = true;
        }
        if (a.state === 'pending' || (a.resolvedAtMs !== 0 && tMs - a.resolvedAtMs > RESOLVED_RETENTION_MS)) {
          this.active.delete(key);
          continue;
        }
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAtMs = tMs;
        }
        if (!keepFiring) continue;
      } else {
        a.keepFiringSinceMs = 0;
      }
      numActive++;
      if (a.state === 'pending' && tMs - a.activeAtMs >= this.spec.forMs) {
        a.state = 'firing';
        a.firedAtMs = tMs;
      }
    }
    if (limit > 0 && numActive > limit) {
      this.active.clear();
      throw new CanopyError('execution', `exceeded limit of ${limit} with ${numActive} alerts`);
    }
    return this.samples(tMs);
  }

  /** ALERTS and ALERTS_FOR_STATE for every pending or firing alert. */
  samples(tMs: number): EvalSample[] {
    const out: EvalSample[] = [];
    for (const a of this.active.values()) {
      if (a.state === 'inactive') continue;
      const base = labelsToRecord(a.labels);
      out.push({ labels: labelsFromRecord({ ...base, __name__: 'ALERTS', alertstate: a.state }), tMs, f: 1 });
      out.push({
        labels: labelsFromRecord({ ...base, __name__: 'ALERTS_FOR_STATE' }),
        tMs,
        f: a.activeAtMs / 1000,
      });
    }
    return out;
  }

  /** Alerts due for the notifier (Prometheus's needsSending + resend delay). */
  toSend(
    tMs: number,
    resendDelayMs: number,
    validForMs: number,
    ext: Readonly<Record<string, string>>,
    generatorURL: string,
  ): OutgoingAlert[] {
    const out: OutgoingAlert[] = [];
    for (const a of this.active.values()) {
      if (a.state === 'pending') continue;
      const due =
        a.resolvedAtMs !== 0 ? a.lastSentAtMs < a.resolvedAtMs : a.lastSentAtMs + resendDelayMs <= tMs;
      if (!due) continue;
      a.lastSentAtMs = tMs;
      a.validUntilMs = tMs + validForMs;
      const labels = { ...ext, ...labelsToRecord(a.labels) };
      out.push({
        labels,
        annotations: { ...a.annotations },
        startsAtMs: a.firedAtMs,
        endsAtMs: a.resolvedAtMs !== 0 ? a.resolvedAtMs : a.validUntilMs,
        generatorURL,
      });
    }
    return out;
  }
}

/** RFC 3339 as the Prometheus and Alertmanager APIs print it; Go's zero time for 0. */
export function iso(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString() : '0001-01-01T00:00:00Z';
}
