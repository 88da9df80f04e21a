// Alerting: the zone's rules and notifiers, one TenantAlerting per tenant (rule groups over the
// tenant's series, alert state, silences, notification log, receivers; zone/rules/
// tenant-alerting.ts), and the HTTP APIs that answer per X-Scope-OrgID: Prometheus's
// /api/v1/rules and /api/v1/alerts (through mountPromApi's callbacks) and Alertmanager API v2.
// startZone creates one with Alerting.open, start()s it once serving, stop()s it before storage
// closes.
//
// Which tenants have a state: anonymous always; every tenant named in the zone config's
// `tenants:` map or with a directory in the tenant rule directory; every tenant whose state
// directory exists from an earlier run (its silences survive a restart); and a tenant that
// first writes to the Alertmanager API (POST a silence or alerts), created then with no rules
// and no receivers (alerts kept and served), up to MAX_API_TENANTS such tenants. Reads of a
// tenant without a state answer empty lists (and 404 for a silence id) without creating one.
// Metric families are registered once, with a `tenant` label; each tenant counts through a
// view (zone/tenant-metrics.ts).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { CanopyError, errorMessage, isCanopyError } from '../../shared/errors.ts';
import {
  apiErrorResponse,
  json,
  type HttpHandler,
  type HttpRequest,
  type HttpServer,
} from '../../shared/http/index.ts';
import type { Logger } from '../../shared/log.ts';
import type { Engine } from '../../shared/promql/index.ts';
import type { Storage } from '../../shared/storage.ts';
import { ANONYMOUS_TENANT, tenantFromHeaders, tenantIdError } from '../../shared/tenant.ts';
import { emptyNotifierConfig, mountAlertmanagerApi, Notifier } from '../notifier/index.ts';
import {
  newNotifierMetricFamilies,
  notifierMetricsFor,
  type NotifierMetricFamilies,
} from '../notifier/notifier-metrics.ts';
import { newRuleMetricFamilies, ruleMetricsFor, type RuleMetricFamilies } from './rule-metrics.ts';
import {
  TenantAlerting,
  tenantStateDb,
  tenantStateRoot,
  type TenantAlertingSpec,
} from './tenant-alerting.ts';
import { listTenantRuleDir } from './tenant-rule-dir.ts';

export interface AlertingOptions {
  /** Tenant anonymous's rule files, notifier config and external Alertmanagers. */
  ruleFiles: readonly string[];
  notifierConfig?: string;
  alertmanagerUrls: readonly string[];
  /** Tenant anonymous's SQLite state; the other tenants' live beside it (tenantStateDb). */
  stateDb: string;
  /** Named tenants' rule files and notifiers (zone config `tenants:`). */
  tenants?: Readonly<Record<string, TenantAlertingSpec>>;
  /** Mimir's local ruler layout: <ruleDir>/<tenant>/<namespace>.yml, re-listed on reload. */
  ruleDir?: string;
  evaluationIntervalMs: number;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  /** A tenant's storage: reads see its series only, appends are written as its series. */
  storageFor(tenant: string): Storage;
  engine: Engine;
  registry: Registry;
  logger: Logger;
  buildInfo: Record<string, string>;
  /** Called with every tenant state when it is created (replication hooks in here). */
  onTenant?: (t: TenantAlerting) => void;
}

/** Bound on tenant states created by Alertmanager API writes (not configured ones). */
export const MAX_API_TENANTS = 1000;

export class Alerting {
  private readonly states = new Map<string, TenantAlerting>();
  private readonly ruleMetrics: RuleMetricFamilies;
  private readonly notifierMetrics: NotifierMetricFamilies;
  /** Read-only stand-in for a tenant without a state: empty lists, unknown silences. */
  private readonly empty: Notifier;
  private readonly emptyApi: HttpHandler[] = [];
  private readonly apis = new Map<string, HttpHandler[]>();
  private apiCreated = 0;
  private started = false;
  private dirTenants = new Map<string, string[]>();

  private constructor(private readonly opts: AlertingOptions) {
    this.ruleMetrics = newRuleMetricFamilies(opts.registry);
    this.notifierMetrics = newNotifierMetricFamilies(opts.registry);
    this.empty = new Notifier({
      config: emptyNotifierConfig(),
      dbPath: ':memory:',
      externalURL: opts.externalURL,
      logger: opts.logger,
      metrics: notifierMetricsFor(newNotifierMetricFamilies(), ''),
    });
    this.emptyApi = this.apiFor(this.empty);
  }

  /** Loads every configured tenant's rule files and notifier config (throws CanopyError on bad files). */
  static async open(opts: AlertingOptions): Promise<Alerting> {
    const a = new Alerting(opts);
    try {
      if (opts.ruleDir) a.dirTenants = await listTenantRuleDir(opts.ruleDir);
      const names = new Set([
        ANONYMOUS_TENANT,
        ...Object.keys(opts.tenants ?? {}),
        ...a.dirTenants.keys(),
        ...(await a.storedTenants()),
      ]);
      for (const t of names) a.create(t);
    } catch (e) {
      await a.stop();
      throw e;
    }
    return a;
  }

  /** Tenants with a state directory from an earlier run. */
  private async storedTenants(): Promise<string[]> {
    if (this.opts.stateDb === ':memory:') return [];
    const root = tenantStateRoot(this.opts.stateDb);
    let names: string[];
    try {
      names = await readdir(root);
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const n of names) {
      if (tenantIdError(n) || n === ANONYMOUS_TENANT) continue;
      if (
        await stat(join(root, n, 'rules.db')).then(
          () => true,
          () => false,
        )
      )
        out.push(n);
    }
    return out;
  }

  private spec(tenant: string): TenantAlertingSpec {
    const o = this.opts;
    const dirFiles = this.dirTenants.get(tenant) ?? [];
    if (tenant === ANONYMOUS_TENANT)
      return {
        ruleFiles: [...o.ruleFiles, ...dirFiles],
        notifierConfig: o.notifierConfig,
        alertmanagerUrls: o.alertmanagerUrls,
      };
    const c = o.tenants?.[tenant];
    return {
      ruleFiles: [...(c?.ruleFiles ?? []), ...dirFiles],
      notifierConfig: c?.notifierConfig,
      alertmanagerUrls: c?.alertmanagerUrls ?? [],
    };
  }

  private create(tenant: string): TenantAlerting {
    const o = this.opts;
    const t = new TenantAlerting({
      ...this.spec(tenant),
      tenant,
      stateDb: tenantStateDb(o.stateDb, tenant),
      evaluationIntervalMs: o.evaluationIntervalMs,
      externalLabels: o.externalLabels,
      externalURL: o.externalURL,
      storage: o.storageFor(tenant),
      engine: o.engine,
      metrics: {
        rules: ruleMetricsFor(this.ruleMetrics, tenant),
        notifier: notifierMetricsFor(this.notifierMetrics, tenant),
      },
      logger: tenant === ANONYMOUS_TENANT ? o.logger : o.logger.child({ tenant }),
    });
    this.states.set(tenant, t);
    this.apis.set(tenant, this.apiFor(t.notifier));
    o.onTenant?.(t);
    if (this.started) t.start();
    return t;
  }

  /** The tenant's state, if it has one. */
  get(tenant: string): TenantAlerting | undefined {
    return this.states.get(tenant);
  }

  /** Tenant anonymous's state (always present). */
  get anonymous(): TenantAlerting {
    return this.states.get(ANONYMOUS_TENANT)!;
  }

  /** Every tenant state, anonymous first. */
  list(): TenantAlerting[] {
    return [...this.states.values()];
  }

  /** The tenant's state, created (no rules, no receivers) for an Alertmanager API write. */
  private forWrite(tenant: string): TenantAlerting {
    const t = this.states.get(tenant);
    if (t) return t;
    if (this.apiCreated >= MAX_API_TENANTS)
      throw new CanopyError(
        'limit_exceeded',
        `cannot create the alerting state of tenant ${JSON.stringify(tenant)}: ${MAX_API_TENANTS} tenants were already created through the Alertmanager API`,
      );
    this.apiCreated++;
    this.opts.logger.info({ tenant }, 'alerting state created for a tenant by an Alertmanager API write');
    return this.create(tenant);
  }

  /** Prometheus GET /api/v1/rules data of a tenant. */
  rulesData(tenant: string): unknown {
    return this.states.get(tenant)?.rules.rulesData() ?? { groups: [] };
  }

  /** Prometheus GET /api/v1/alerts data of a tenant. */
  alertsData(tenant: string): unknown {
    return this.states.get(tenant)?.rules.alertsData() ?? { alerts: [] };
  }

  /** Alertmanager API v2 handlers over one notifier, in registration order. */
  private apiFor(n: Notifier): HttpHandler[] {
    const hs: HttpHandler[] = [];
    mountAlertmanagerApi(
      {
        get: (_p, h) => (hs.push(h), undefined as never),
        route: (_m, _p, h) => (hs.push(h), undefined as never),
      },
      n,
      { buildInfo: this.opts.buildInfo },
    );
    return hs;
  }

  mount(http: HttpServer): void {
    // Each route of the Alertmanager API is registered once and dispatched to the handler of
    // the request's tenant (same registration order in every tenant's handler list).
    let i = 0;
    const dispatch =
      (idx: number): HttpHandler =>
      (req: HttpRequest) => {
        let tenant: string;
        try {
          tenant = tenantFromHeaders(req.headers);
        } catch (e) {
          if (isCanopyError(e, 'bad_data')) return json(400, { code: 400, message: e.message });
          throw e;
        }
        let api = this.apis.get(tenant);
        if (!api && req.method === 'POST') {
          try {
            this.forWrite(tenant);
          } catch (e) {
            if (isCanopyError(e, 'limit_exceeded')) return json(429, errorMessage(e));
            throw e;
          }
          api = this.apis.get(tenant);
        }
        return (api ?? this.emptyApi)[idx]!(req);
      };
    const router = {
      get: (path: string) => http.get(path, dispatch(i++)),
      route: (methods: readonly string[] | '*', path: string) => http.route(methods, path, dispatch(i++)),
    };
    mountAlertmanagerApi(router, this.empty, { buildInfo: this.opts.buildInfo });
    http.get('/api/v1/rules/global', () =>
      json(200, { status: 'success', data: this.anonymous.rules.globalRuleFiles() }),
    );
    http.get('/api/v1/status/alerting', (req) => {
      let tenant: string;
      try {
        tenant = tenantFromHeaders(req.headers);
      } catch (e) {
        return apiErrorResponse(400, 'bad_data', errorMessage(e));
      }
      const t = this.states.get(tenant);
      return json(200, {
        status: 'success',
        data: {
          ruleFiles: t?.rules.ruleFiles ?? [],
          notifierConfig: t?.notifierConfigFile ?? null,
          alertmanagers:
            tenant === ANONYMOUS_TENANT
              ? this.opts.alertmanagerUrls
              : (this.opts.tenants?.[tenant]?.alertmanagerUrls ?? []),
          ...(this.opts.ruleDir ? { ruleDir: this.opts.ruleDir } : {}),
        },
      });
    });
  }

  /** Re-reads rule files, the tenant rule directory and notifier configs; returns an error message or undefined. */
  async reload(): Promise<string | undefined> {
    const errs: string[] = [];
    if (this.opts.ruleDir) {
      try {
        this.dirTenants = await listTenantRuleDir(this.opts.ruleDir);
      } catch (e) {
        errs.push(errorMessage(e));
        this.opts.logger.error(
          { err: errorMessage(e) },
          'tenant rule directory reload failed; keeping the previous rules',
        );
      }
    }
    for (const tenant of this.dirTenants.keys()) {
      if (this.states.has(tenant)) continue;
      try {
        this.create(tenant);
      } catch (e) {
        errs.push(`tenant ${tenant}: ${errorMessage(e)}`);
      }
    }
    for (const t of this.states.values()) {
      const err = await t.reload(this.spec(t.tenant).ruleFiles);
      if (err) errs.push(t.tenant === ANONYMOUS_TENANT ? err : `tenant ${t.tenant}: ${err}`);
    }
    return errs.length ? errs.join('; ') : undefined;
  }

  start(): void {
    this.started = true;
    for (const t of this.states.values()) t.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const t of this.states.values()) await t.stop();
    await this.empty.stop();
  }
}
