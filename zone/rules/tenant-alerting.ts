// TenantAlerting: one tenant's whole alerting state in a zone — its rule groups (evaluated over
// the tenant's series only, results written as the tenant's), the alert state of its rules, its
// notifier (alerts, silences, notification log, receivers) and its API handlers. The zone holds
// one per tenant (zone/rules/alerting.ts); nothing here is shared between tenants except the
// engine and the metric families (bound to the tenant id).
//
// State on disk: one SQLite file per tenant holding the rules' alert state and the notifier's
// silences and notification log (tenant anonymous: `rule_state_db`, default <data_dir>/rules.db;
// tenant T: <dir of rule_state_db>/tenants/T/rules.db — tenant ids are safe path segments,
// shared/tenant.ts). Replication of silences and the log between replicas can hook in here, per
// tenant: `notifier.silences`, `notifier.nflog`.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import type { Engine } from '../../shared/promql/index.ts';
import type { Storage } from '../../shared/storage.ts';
import { ANONYMOUS_TENANT, TENANT_HEADER } from '../../shared/tenant.ts';
import { emptyNotifierConfig, Notifier, parseNotifierConfig } from '../notifier/index.ts';
import type { NotifierMetrics } from '../notifier/notifier-metrics.ts';
import { AlertStateStore } from './alert-state-store.ts';
import type { RuleMetrics } from './rule-metrics.ts';
import { RuleSet } from './rule-set.ts';
import { engineRuleQuery } from '../../shared/rules/index.ts';

/** What a tenant's alerting is configured with (zone config `tenants:`, rule directory). */
export interface TenantAlertingSpec {
  ruleFiles: readonly string[];
  /** Alertmanager YAML for the tenant's notifier; none = alerts kept and served, not routed. */
  notifierConfig?: string;
  /** External Alertmanagers that receive the tenant's alerts (with X-Scope-OrgID for a named tenant). */
  alertmanagerUrls: readonly string[];
}

export interface TenantAlertingOptions extends TenantAlertingSpec {
  tenant: string;
  stateDb: string;
  evaluationIntervalMs: number;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  /** The tenant's storage: reads see its series only, appends are written as its series. */
  storage: Storage;
  engine: Engine;
  metrics: { rules: RuleMetrics; notifier: NotifierMetrics };
  logger: Logger;
}

/** Where tenant `tenant`'s alerting state lives, given anonymous's `rule_state_db` path. */
export function tenantStateDb(anonymousDb: string, tenant: string): string {
  if (tenant === ANONYMOUS_TENANT || anonymousDb === ':memory:') return anonymousDb;
  return join(tenantStateRoot(anonymousDb), tenant, 'rules.db');
}

/** The directory holding the named tenants' state directories. */
export function tenantStateRoot(anonymousDb: string): string {
  return join(dirname(anonymousDb), 'tenants');
}

export class TenantAlerting {
  readonly tenant: string;
  readonly rules: RuleSet;
  readonly notifier: Notifier;
  private readonly store: AlertStateStore;
  private notifierConfig: string | undefined;

  /** Loads and validates the rule files and notifier config (throws CanopyError on bad files). */
  constructor(private readonly opts: TenantAlertingOptions) {
    this.tenant = opts.tenant;
    this.notifierConfig = opts.notifierConfig;
    const log = opts.logger;
    if (opts.stateDb !== ':memory:') mkdirSync(dirname(opts.stateDb), { recursive: true });
    this.notifier = new Notifier({
      config: opts.notifierConfig ? parseNotifierConfig(opts.notifierConfig) : emptyNotifierConfig(),
      dbPath: opts.stateDb,
      externalURL: opts.externalURL,
      logger: log.child({ component: 'notifier' }),
      metrics: opts.metrics.notifier,
      alertmanagerURLs: opts.alertmanagerUrls,
      forwardHeaders: opts.tenant === ANONYMOUS_TENANT ? {} : { [TENANT_HEADER]: opts.tenant },
    });
    this.store = new AlertStateStore(opts.stateDb);
    this.rules = new RuleSet(
      opts.ruleFiles,
      {
        query: engineRuleQuery(opts.engine, opts.storage),
        storage: opts.storage,
        store: this.store,
        externalLabels: opts.externalLabels,
        externalURL: opts.externalURL,
        defaultIntervalMs: opts.evaluationIntervalMs,
        resendDelayMs: 60_000,
        metrics: opts.metrics.rules,
        logger: log.child({ component: 'rules' }),
        onAlerts: (alerts) => this.notifier.put(alerts, { forward: true }),
      },
      log.child({ component: 'rules' }),
    );
    this.rules.load();
    this.warnGlobal();
  }

  /** The notifier config file this tenant's notifier was read from, if any. */
  get notifierConfigFile(): string | undefined {
    return this.notifierConfig;
  }

  /** "global:" groups are evaluated by the root, over tenant anonymous's data only. */
  private warnGlobal(): void {
    if (this.tenant === ANONYMOUS_TENANT) return;
    const global = this.rules.globalRuleFiles();
    if (global.length > 0)
      this.opts.logger.warn(
        { files: global.map((g) => g.file) },
        'global: rule groups of a named tenant are ignored (the root evaluates global groups for tenant anonymous only)',
      );
  }

  /**
   * Re-reads rule files (the new list when given) and the notifier config; returns an error
   * message or undefined. On error the previous rules / config stay.
   */
  async reload(ruleFiles?: readonly string[]): Promise<string | undefined> {
    const errs: string[] = [];
    const rulesErr = await this.rules.reload(ruleFiles);
    if (rulesErr) errs.push(rulesErr);
    else this.warnGlobal();
    if (this.notifierConfig) {
      try {
        await this.notifier.reload(parseNotifierConfig(this.notifierConfig));
      } catch (e) {
        errs.push(errorMessage(e));
        this.opts.logger.error(
          { err: errorMessage(e) },
          'notifier reload failed; keeping the previous configuration',
        );
      }
    }
    return errs.length ? errs.join('; ') : undefined;
  }

  start(): void {
    this.notifier.start();
    this.rules.start();
  }

  async stop(): Promise<void> {
    await this.rules.stop();
    await this.notifier.stop();
    this.store.close();
  }
}
