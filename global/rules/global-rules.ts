// GlobalRules: rule groups named "global:…" evaluated at the root, over the whole hierarchy.
// Where the groups come from: zones load the same rule files as always and skip "global:"
// groups; each zone serves them at GET /api/v1/rules/global (rule-file form). The root polls
// the live zones every syncIntervalMs, takes each group name once (the first zone in name
// order wins; a differing copy elsewhere is logged), and (re)creates groups whose spec changed.
// Evaluation: aligned ticks per group (evaluation time = the tick), each rule's expression run
// through the root's Prometheus API backend (NATS fan-out + merge), the shared alert state
// machine (shared/rulefmt AlertingRule). Recording-rule results are stored in the store zone
// (--rules.store-zone, rule-output.ts) when one is configured. Alerts are POSTed to one zone's notifier
// (POST /api/v2/alerts on the first live zone in name order that accepts them), so they get
// that zone's routing, silences and inhibition and are notified once. Limits, documented in
// docs/alerting.md: state is in memory (a root restart restarts `for`), recording-rule
// results are not stored without a store zone (the root has no TSDB), and a zone that
// does not answer makes the evaluation partial (warning logged).
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { HttpClient, requestErrorMessage } from '../../shared/http/index.ts';
import {
  AlertingRule,
  formatValue,
  iso,
  parseRuleFile,
  RecordingRule,
  type OutgoingAlert,
  type RuleAlert,
  type RuleGroupSpec,
} from '../../shared/rulefmt/index.ts';
import { labelsToRecord } from '../../shared/labels.ts';
import type { QueryResult } from '../../shared/value.ts';
import type { RuleOutput, RuleOutputSample } from './rule-output.ts';

export interface GlobalZone {
  zone: string;
  httpUrl: string;
}

export interface GlobalRulesOptions {
  zones: () => GlobalZone[];
  query: (expr: string, tMs: number) => Promise<QueryResult>;
  logger: Logger;
  externalURL: string;
  defaultIntervalMs?: number;
  syncIntervalMs?: number;
  /** How to reach zones behind a web config (--zone.http-config.file); default plain fetch. */
  http?: HttpClient;
  /** Where recording-rule results are stored (--rules.store-zone); absent: evaluated only. */
  output?: RuleOutput;
}

class GlobalGroup {
  readonly rules: (AlertingRule | RecordingRule)[];
  readonly intervalMs: number;
  lastEvalMs = 0;
  evalDurationMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    readonly spec: RuleGroupSpec,
    readonly json: string,
    private readonly owner: GlobalRules,
    defaultIntervalMs: number,
  ) {
    this.intervalMs = spec.intervalMs || defaultIntervalMs;
    this.rules = spec.rules.map((r, i) =>
      r.kind === 'alerting'
        ? new AlertingRule(r, `alerting:${r.name}#${i}`)
        : new RecordingRule(r, `recording:${r.name}#${i}`),
    );
  }

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = Date.now();
    const next = Math.floor(now / this.intervalMs) * this.intervalMs + this.intervalMs;
    this.timer = setTimeout(() => {
      this.running = this.evalAt(next).finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, next - now);
    this.timer.unref();
  }

  async evalAt(tMs: number): Promise<void> {
    const t0 = performance.now();
    const toSend: OutgoingAlert[] = [];
    const recorded: RuleOutputSample[] = [];
    for (const rule of this.rules) {
      const r0 = performance.now();
      try {
        const res = await this.owner.opts.query(rule.spec.expr, tMs);
        if (res.warnings.length > 0)
          this.owner.opts.logger.warn(
            { group: this.spec.name, rule: rule.name, warnings: res.warnings },
            'global rule evaluated on partial data',
          );
        if (rule instanceof AlertingRule) {
          const vec =
            res.value.type === 'vector'
              ? res.value.vector
              : res.value.type === 'scalar'
                ? [{ labels: [], t: tMs, f: res.value.f }]
                : [];
          rule.apply(vec, tMs, {}, this.owner.opts.externalURL, this.spec.limit);
          toSend.push(
            ...rule.toSend(
              tMs,
              60_000,
              4 * Math.max(60_000, this.intervalMs),
              {},
              `${this.owner.opts.externalURL}/graph?g0.expr=${encodeURIComponent(rule.spec.expr)}&g0.tab=1`,
            ),
          );
        } else {
          recorded.push(...rule.apply(res.value, tMs, this.spec.limit));
        }
        rule.health = 'ok';
        rule.lastError = '';
      } catch (e) {
        rule.health = 'err';
        rule.lastError = errorMessage(e);
      }
      rule.lastEvalMs = tMs;
      rule.evalDurationMs = performance.now() - r0;
    }
    this.lastEvalMs = tMs;
    this.evalDurationMs = performance.now() - t0;
    if (toSend.length > 0) await this.owner.deliver(toSend);
    if (recorded.length > 0 && this.owner.opts.output) await this.owner.opts.output.write(recorded, this.spec.name);
  }
}

export class GlobalRules {
  private readonly groups = new Map<string, GlobalGroup>();
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;

  private readonly http: HttpClient;

  constructor(readonly opts: GlobalRulesOptions) {
    this.http = opts.http ?? new HttpClient();
  }

  start(): void {
    const tick = (): void => {
      if (!this.syncing) this.syncing = this.sync().finally(() => (this.syncing = undefined));
    };
    tick();
    this.syncTimer = setInterval(tick, this.opts.syncIntervalMs ?? 5_000);
    this.syncTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.syncTimer) clearInterval(this.syncTimer);
    await this.syncing;
    await Promise.all([...this.groups.values()].map((g) => g.stop()));
  }

  /** Fetches the global groups from the live zones and (re)creates changed groups. */
  async sync(): Promise<void> {
    const found = new Map<string, { spec: RuleGroupSpec; json: string; zone: string }>();
    const zones = this.opts
      .zones()
      .filter((z) => z.httpUrl)
      .sort((a, b) => (a.zone < b.zone ? -1 : 1));
    for (const z of zones) {
      try {
        const r = await this.http.fetch(`${z.httpUrl}/api/v1/rules/global`, { signal: AbortSignal.timeout(5000) });
        if (!r.ok) throw new Error(`status ${r.status}`);
        const body = (await r.json()) as { data: { file: string; content: unknown }[] };
        for (const f of body.data) {
          const text = JSON.stringify(f.content);
          for (const spec of parseRuleFile(`${z.zone}:${f.file}`, text)) {
            if (!spec.global) continue;
            const json = JSON.stringify(
              spec.rules
                .map((x) => [x.kind, x.name, x.expr, x.forMs, x.keepFiringForMs, x.labels, x.annotations])
                .concat([spec.intervalMs, spec.limit]),
            );
            const prev = found.get(spec.name);
            if (!prev) found.set(spec.name, { spec, json, zone: z.zone });
            else if (prev.json !== json)
              this.opts.logger.warn(
                { group: spec.name, zones: [prev.zone, z.zone] },
                `global rule group differs between zones; using zone ${prev.zone}'s`,
              );
          }
        }
      } catch (e) {
        this.opts.logger.warn(
          { zone: z.zone, err: requestErrorMessage(e) },
          'cannot fetch global rule groups from a zone',
        );
      }
    }
    if (zones.length === 0) return;
    for (const [name, g] of this.groups) {
      const f = found.get(name);
      if (f && f.json === g.json) continue;
      await g.stop();
      this.groups.delete(name);
    }
    for (const [name, f] of found) {
      if (this.groups.has(name)) continue;
      const g = new GlobalGroup(f.spec, f.json, this, this.opts.defaultIntervalMs ?? 60_000);
      this.groups.set(name, g);
      g.start();
      this.opts.logger.info(
        { group: name, from: f.zone, rules: f.spec.rules.length },
        'global rule group started',
      );
    }
  }

  /** Hands alerts to the first live zone (name order) whose notifier accepts them. */
  async deliver(alerts: OutgoingAlert[]): Promise<void> {
    const body = JSON.stringify(
      alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: iso(a.startsAtMs),
        endsAt: iso(a.endsAtMs),
        generatorURL: a.generatorURL,
      })),
    );
    for (const z of this.opts
      .zones()
      .filter((x) => x.httpUrl)
      .sort((a, b) => (a.zone < b.zone ? -1 : 1))) {
      try {
        const r = await this.http.fetch(`${z.httpUrl}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(5000),
        });
        if (r.ok) return;
        throw new Error(`status ${r.status}: ${await r.text()}`);
      } catch (e) {
        this.opts.logger.warn(
          { zone: z.zone, err: requestErrorMessage(e) },
          'cannot hand global alerts to a zone notifier; trying the next zone',
        );
      }
    }
    this.opts.logger.error({ alerts: alerts.length }, 'no zone accepted the global alerts');
  }

  /** Prometheus /api/v1/rules groups for the global groups (file "root:<zone>:<file>"). */
  rulesData(): unknown[] {
    return [...this.groups.values()].map((g) => ({
      name: g.spec.name,
      file: `root:${g.spec.file}`,
      interval: g.intervalMs / 1000,
      limit: g.spec.limit,
      evaluationTime: g.evalDurationMs / 1000,
      lastEvaluation: iso(g.lastEvalMs),
      rules: g.rules.map((r) => {
        const common = {
          name: r.name,
          query: r.spec.expr,
          labels: r.spec.labels,
          health: r.health,
          ...(r.lastError ? { lastError: r.lastError } : {}),
          evaluationTime: r.evalDurationMs / 1000,
          lastEvaluation: iso(r.lastEvalMs),
        };
        if (!(r instanceof AlertingRule)) return { ...common, type: 'recording' };
        const alerts = [...r.active.values()].filter((a) => a.state !== 'inactive');
        return {
          state: alerts.some((a) => a.state === 'firing') ? 'firing' : alerts.length ? 'pending' : 'inactive',
          ...common,
          duration: r.spec.forMs / 1000,
          keepFiringFor: r.spec.keepFiringForMs / 1000,
          annotations: r.spec.annotations,
          alerts: alerts.map(alertData),
          type: 'alerting',
        };
      }),
    }));
  }

  alertsData(): unknown[] {
    return [...this.groups.values()].flatMap((g) =>
      g.rules.flatMap((r) =>
        r instanceof AlertingRule
          ? [...r.active.values()].filter((a) => a.state !== 'inactive').map(alertData)
          : [],
      ),
    );
  }
}

function alertData(a: RuleAlert): Record<string, unknown> {
  return {
    labels: labelsToRecord(a.labels),
    annotations: a.annotations,
    state: a.state,
    activeAt: iso(a.activeAtMs),
    value: formatValue(a.value),
  };
}
