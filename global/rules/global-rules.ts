// GlobalRules: rule groups named "global:…" evaluated at the root, over the whole hierarchy.
// Where the groups come from: zones load the same rule files as always and skip "global:"
// groups; each zone serves them at GET /api/v1/rules/global (rule-file form). The root polls
// the live zones every syncIntervalMs, takes each group name once (the first zone in name
// order wins; a differing copy elsewhere is logged), and (re)creates groups whose spec changed.
// Evaluation: the zones' group runner (shared/rules RuleGroup: aligned ticks, evaluation time =
// the tick, the shared alert state machine), each rule's expression run through the root's
// Prometheus API backend (NATS fan-out + merge). Recording-rule results are stored in the store zone
// (--rules.store-zone, rule-output.ts) when one is configured. Alerts are POSTed to one zone's notifier
// (POST /api/v2/alerts on the first live zone in name order that accepts them), so they get
// that zone's routing, silences and inhibition and are notified once. Limits, documented in
// docs/alerting.md: state is in memory (a root restart restarts `for`), recording-rule
// results are not stored without a store zone (the root has no TSDB), and a zone that
// does not answer makes the evaluation partial (warning logged).
import type { Logger } from '../../shared/log.ts';
import { HttpClient, requestErrorMessage } from '../../shared/http/index.ts';
import { iso, parseRuleFile, type OutgoingAlert, type RuleGroupSpec } from '../../shared/rulefmt/index.ts';
import { alertsData, RuleGroup, ruleGroupsData } from '../../shared/rules/index.ts';
import type { QueryResult } from '../../shared/value.ts';
import type { RuleOutput } from './rule-output.ts';

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

export class GlobalRules {
  /** Per group name: the running group and its spec's fingerprint (a changed spec restarts it). */
  private readonly groups = new Map<string, { group: RuleGroup; json: string }>();
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
    await Promise.all([...this.groups.values()].map((g) => g.group.stop()));
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
        const r = await this.http.fetch(`${z.httpUrl}/api/v1/rules/global`, {
          signal: AbortSignal.timeout(5000),
        });
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
      await g.group.stop();
      this.groups.delete(name);
    }
    for (const [name, f] of found) {
      if (this.groups.has(name)) continue;
      const g = this.newGroup(f.spec);
      this.groups.set(name, { group: g, json: f.json });
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
    return ruleGroupsData(this.list(), { filePrefix: 'root:' });
  }

  alertsData(): unknown[] {
    return alertsData(this.list());
  }

  private list(): RuleGroup[] {
    return [...this.groups.values()].map((g) => g.group);
  }

  /** A global group: evaluated over the fan-out, alerts to a zone notifier, results to the store zone. */
  private newGroup(spec: RuleGroupSpec): RuleGroup {
    const { opts } = this;
    const output = opts.output;
    return new RuleGroup(spec, {
      query: async (rule, tMs) => {
        const res = await opts.query(rule.spec.expr, tMs);
        if (res.warnings.length > 0)
          opts.logger.warn(
            { group: spec.name, rule: rule.name, warnings: res.warnings },
            'global rule evaluated on partial data',
          );
        return res;
      },
      ...(output ? { output: (samples) => output.write(samples, spec.name) } : {}),
      externalLabels: {},
      externalURL: opts.externalURL,
      defaultIntervalMs: opts.defaultIntervalMs ?? 60_000,
      resendDelayMs: 60_000,
      logger: opts.logger,
      onAlerts: (alerts) => this.deliver(alerts),
    });
  }
}
