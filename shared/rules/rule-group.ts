// RuleGroup: a group of rules evaluated in order at its interval, on ticks aligned to multiples
// of the interval. The evaluation time is the tick (the schedule), never the wall clock at the
// moment the evaluation happens to run, so a slow evaluation does not shift timestamps. A tick
// that arrives while an evaluation is still running is skipped and counted (no overlap).
// One runner for both places rules run:
// - a zone (zone/rules): expressions over its own storage; recording-rule results and
//   ALERTS/ALERTS_FOR_STATE go into its TSDB through one appender per rule (`storage`), so
//   later rules of the same tick read them, and series that disappear get a stale marker.
//   Alert state is saved after every evaluation (`store`) and restored on creation.
// - the root (global/rules): expressions through the fan-out; recording-rule results of the
//   whole evaluation go to the store zone once (`output`); no state store.
import type { Engine } from '../promql/index.ts';
import { STALE_NAN } from '../promql/index.ts';
import { errorMessage } from '../errors.ts';
import { labelsKey, type Labels } from '../labels.ts';
import type { Logger } from '../log.ts';
import type { Queryable, Storage } from '../storage.ts';
import type { QueryResult } from '../value.ts';
import {
  AlertingRule,
  RecordingRule,
  type EvalSample,
  type OutgoingAlert,
  type RuleAlert,
  type RuleGroupSpec,
} from '../rulefmt/index.ts';

export type Rule = AlertingRule | RecordingRule;

/** The prometheus_rule_*-like counters a group updates (a zone binds them to a tenant). */
export interface RuleGroupMetrics {
  evaluations: { inc(labels: { rule_group: string }, value?: number): void };
  failures: { inc(labels: { rule_group: string }, value?: number): void };
  missed: { inc(labels: { rule_group: string }, value?: number): void };
  lastDuration: { set(labels: { rule_group: string }, value: number): void };
  samplesRejected: { inc(labels: { rule_group: string }, value?: number): void };
}

/** Where alert state survives a restart (zone/rules/alert-state-store.ts). */
export interface RuleStateStore {
  load(groupKey: string): Map<string, RuleAlert[]>;
  save(groupKey: string, rules: readonly AlertingRule[]): void;
  /** Drops groups that no longer exist (after a reload). */
  retain(groupKeys: ReadonlySet<string>): void;
}

export interface RuleGroupDeps {
  /** Runs a rule's expression at the tick: a zone's engine over its storage, the root's fan-out. */
  query(rule: Rule, tMs: number): Promise<QueryResult>;
  /**
   * Where every rule's results (recording results and ALERTS) are written, per rule as it is
   * evaluated, with stale markers for series that disappeared: a zone's storage.
   */
  storage?: Pick<Storage, 'appender'>;
  /** Where the recording-rule results of a whole evaluation go, once, after it: the root's store zone. */
  output?(samples: EvalSample[]): Promise<void>;
  store?: RuleStateStore;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  defaultIntervalMs: number;
  resendDelayMs: number;
  metrics?: RuleGroupMetrics;
  logger: Logger;
  /** Alerts to send after an evaluation (awaited). */
  onAlerts(alerts: OutgoingAlert[]): void | Promise<void>;
  now?: () => number;
}

/** A zone's rule query: its engine over a queryable (without external labels, as in Prometheus). */
export function engineRuleQuery(engine: Engine, queryable: Queryable): RuleGroupDeps['query'] {
  return (rule, tMs) => engine.instantQuery(queryable, rule.spec.parsed, tMs);
}

export class RuleGroup {
  readonly key: string;
  readonly intervalMs: number;
  readonly rules: Rule[];
  lastEvalMs = 0;
  evalDurationMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private lastTickMs = 0;
  /** Per rule key: the series written at the last evaluation (for stale markers). */
  private written = new Map<string, Map<string, Labels>>();

  constructor(
    readonly spec: RuleGroupSpec,
    private readonly deps: RuleGroupDeps,
  ) {
    this.key = `${spec.file};${spec.name}`;
    this.intervalMs = spec.intervalMs || deps.defaultIntervalMs;
    const seen = new Map<string, number>();
    this.rules = spec.rules.map((r) => {
      const n = seen.get(r.name) ?? 0;
      seen.set(r.name, n + 1);
      const key = `${r.kind}:${r.name}#${n}`;
      return r.kind === 'alerting' ? new AlertingRule(r, key) : new RecordingRule(r, key);
    });
    if (deps.store) {
      const saved = deps.store.load(this.key);
      // Restored alerts are re-sent at the first evaluation: the notifier's alerts are in memory.
      for (const r of this.rules)
        if (r instanceof AlertingRule)
          for (const a of saved.get(r.key) ?? [])
            r.active.set(labelsKey(a.labels), { ...a, lastSentAtMs: 0 });
    }
  }

  get name(): string {
    return this.spec.name;
  }

  /** Carries alert state over from the group this one replaces (reload). */
  adopt(old: RuleGroup): void {
    const byKey = new Map(old.rules.map((r) => [r.key, r]));
    for (const r of this.rules) {
      const o = byKey.get(r.key);
      if (r instanceof AlertingRule && o instanceof AlertingRule && o.spec.expr === r.spec.expr) {
        for (const [k, a] of o.active) r.active.set(k, a);
      }
    }
    this.written = old.written;
    this.lastTickMs = old.lastTickMs;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops the loop; resolves once an in-flight evaluation finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = (this.deps.now ?? Date.now)();
    const next = Math.floor(now / this.intervalMs) * this.intervalMs + this.intervalMs;
    if (this.lastTickMs > 0 && next - this.lastTickMs > this.intervalMs) {
      this.deps.metrics?.missed.inc(
        { rule_group: this.key },
        Math.round((next - this.lastTickMs) / this.intervalMs) - 1,
      );
    }
    this.timer = setTimeout(() => {
      this.lastTickMs = next;
      this.running = this.evalAt(next).finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, next - now);
    this.timer.unref();
  }

  /** Evaluates every rule at tMs (the tick), writes the results, saves state, sends alerts. */
  async evalAt(tMs: number): Promise<void> {
    const started = performance.now();
    const { deps } = this;
    const toSend: OutgoingAlert[] = [];
    const recorded: EvalSample[] = [];
    for (const rule of this.rules) {
      const t0 = performance.now();
      const samples: EvalSample[] = [];
      deps.metrics?.evaluations.inc({ rule_group: this.key });
      try {
        const res = await deps.query(rule, tMs);
        if (rule instanceof AlertingRule) {
          const vec =
            res.value.type === 'vector'
              ? res.value.vector
              : res.value.type === 'scalar'
                ? [{ labels: [], t: tMs, f: res.value.f }]
                : [];
          samples.push(...rule.apply(vec, tMs, deps.externalLabels, deps.externalURL, this.spec.limit));
          toSend.push(
            ...rule.toSend(
              tMs,
              deps.resendDelayMs,
              4 * Math.max(deps.resendDelayMs, this.intervalMs),
              deps.externalLabels,
              this.generatorURL(rule),
            ),
          );
        } else {
          const got = rule.apply(res.value, tMs, this.spec.limit);
          samples.push(...got);
          if (deps.output) recorded.push(...got);
        }
        rule.health = 'ok';
        rule.lastError = '';
      } catch (e) {
        rule.health = 'err';
        rule.lastError = errorMessage(e);
        deps.metrics?.failures.inc({ rule_group: this.key });
        deps.logger.warn(
          { group: this.spec.name, rule: rule.name, err: rule.lastError },
          'rule evaluation failed',
        );
      }
      // Written per rule, so later rules of the same tick read this rule's results.
      if (deps.storage) await this.write(deps.storage, rule.key, samples, tMs);
      rule.lastEvalMs = tMs;
      rule.evalDurationMs = performance.now() - t0;
    }
    try {
      deps.store?.save(
        this.key,
        this.rules.filter((r): r is AlertingRule => r instanceof AlertingRule),
      );
    } catch (e) {
      deps.logger.error({ group: this.spec.name, err: errorMessage(e) }, 'cannot save alert state');
    }
    this.lastEvalMs = tMs;
    this.evalDurationMs = performance.now() - started;
    deps.metrics?.lastDuration.set({ rule_group: this.key }, this.evalDurationMs / 1000);
    if (toSend.length > 0) await deps.onAlerts(toSend);
    if (recorded.length > 0 && deps.output) await deps.output(recorded);
  }

  private async write(
    storage: Pick<Storage, 'appender'>,
    ruleKey: string,
    samples: readonly EvalSample[],
    tMs: number,
  ): Promise<void> {
    const before = this.written.get(ruleKey);
    if (samples.length === 0 && !before?.size) return;
    const app = storage.appender();
    const now = new Map<string, Labels>();
    for (const s of samples) {
      now.set(labelsKey(s.labels), s.labels);
      app.append(s.labels, s.tMs, s.f);
    }
    if (before) for (const [k, ls] of before) if (!now.has(k)) app.append(ls, tMs, STALE_NAN);
    this.written.set(ruleKey, now);
    try {
      const r = await app.commit();
      const rejected = Object.values(r.rejected).reduce((a, b) => a + (b ?? 0), 0);
      if (rejected > 0) this.deps.metrics?.samplesRejected.inc({ rule_group: this.key }, rejected);
    } catch (e) {
      this.deps.logger.error({ group: this.spec.name, err: errorMessage(e) }, 'cannot write rule results');
    }
  }

  private generatorURL(rule: Rule): string {
    return `${this.deps.externalURL}/graph?g0.expr=${encodeURIComponent(rule.spec.expr)}&g0.tab=1`;
  }

  /** Every active alert of the group's alerting rules. */
  alerts(): { rule: AlertingRule; alert: RuleAlert }[] {
    const out: { rule: AlertingRule; alert: RuleAlert }[] = [];
    for (const r of this.rules)
      if (r instanceof AlertingRule) for (const a of r.active.values()) out.push({ rule: r, alert: a });
    return out;
  }
}
