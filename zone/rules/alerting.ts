// Alerting: the zone's rules and notifier wired together — rule files evaluated on the local
// engine (no NATS, no root involved), alerts handed to the built-in notifier (and forwarded to
// external Alertmanagers), Alertmanager API v2 mounted on the zone's HTTP
// server. startZone creates one, start()s it once serving, and stop()s it before storage closes.
import type { Registry } from 'prom-client';
import { errorMessage, isCanopyError } from '../../shared/errors.ts';
import { json, type HttpHandler, type HttpServer } from '../../shared/http/index.ts';
import { ANONYMOUS_TENANT, tenantFromHeaders } from '../../shared/tenant.ts';
import type { Logger } from '../../shared/log.ts';
import type { Engine } from '../../shared/promql/index.ts';
import type { Storage } from '../../shared/storage.ts';
import {
  emptyNotifierConfig,
  mountAlertmanagerApi,
  Notifier,
  parseNotifierConfig,
} from '../notifier/index.ts';
import { AlertStateStore } from './alert-state-store.ts';
import { newRuleMetrics } from './rule-metrics.ts';
import { RuleSet } from './rule-set.ts';

export interface AlertingOptions {
  ruleFiles: readonly string[];
  notifierConfig?: string;
  stateDb: string;
  alertmanagerUrls: readonly string[];
  evaluationIntervalMs: number;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  storage: Storage;
  engine: Engine;
  registry: Registry;
  logger: Logger;
  buildInfo: Record<string, string>;
}

export class Alerting {
  readonly rules: RuleSet;
  readonly notifier: Notifier;
  private readonly store: AlertStateStore;

  /** Loads and validates rule files and the notifier config (throws CanopyError on bad files). */
  constructor(private readonly opts: AlertingOptions) {
    const log = opts.logger;
    this.notifier = new Notifier({
      config: opts.notifierConfig ? parseNotifierConfig(opts.notifierConfig) : emptyNotifierConfig(),
      dbPath: opts.stateDb,
      externalURL: opts.externalURL,
      logger: log.child({ component: 'notifier' }),
      registry: opts.registry,
      alertmanagerURLs: opts.alertmanagerUrls,
    });
    this.store = new AlertStateStore(opts.stateDb);
    this.rules = new RuleSet(
      opts.ruleFiles,
      {
        engine: opts.engine,
        queryable: opts.storage,
        storage: opts.storage,
        store: this.store,
        externalLabels: opts.externalLabels,
        externalURL: opts.externalURL,
        defaultIntervalMs: opts.evaluationIntervalMs,
        resendDelayMs: 60_000,
        metrics: newRuleMetrics(opts.registry),
        logger: log.child({ component: 'rules' }),
        onAlerts: (alerts) => this.notifier.put(alerts, { forward: true }),
      },
      log.child({ component: 'rules' }),
    );
    this.rules.load();
  }

  mount(http: HttpServer): void {
    mountAlertmanagerApi(anonymousOnly(http), this.notifier, { buildInfo: this.opts.buildInfo });
    http.get('/api/v1/rules/global', () =>
      json(200, { status: 'success', data: this.rules.globalRuleFiles() }),
    );
    http.get('/api/v1/status/alerting', () =>
      json(200, {
        status: 'success',
        data: {
          ruleFiles: this.opts.ruleFiles,
          notifierConfig: this.opts.notifierConfig ?? null,
          alertmanagers: this.opts.alertmanagerUrls,
        },
      }),
    );
  }

  /** Re-reads rule files and the notifier config; returns an error message or undefined. */
  async reload(): Promise<string | undefined> {
    const errs: string[] = [];
    const rulesErr = await this.rules.reload();
    if (rulesErr) errs.push(rulesErr);
    if (this.opts.notifierConfig) {
      try {
        await this.notifier.reload(parseNotifierConfig(this.opts.notifierConfig));
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

/** Alertmanager API v2 lists a named tenant reads as empty (the notifier is anonymous's). */
const LISTS = new Set(['/api/v2/alerts', '/api/v2/alerts/groups', '/api/v2/silences']);

/**
 * The zone's one notifier belongs to tenant anonymous (docs/tenants.md): for any other
 * X-Scope-OrgID its lists are empty and everything else is 404, so no tenant reads or
 * changes another's alerts and silences. An invalid X-Scope-OrgID is a 400.
 */
function anonymousOnly(http: HttpServer): Pick<HttpServer, 'get' | 'route'> {
  const guard = (method: string | undefined, path: string, h: HttpHandler): HttpHandler => (req) => {
    let tenant: string;
    try {
      tenant = tenantFromHeaders(req.headers);
    } catch (e) {
      if (isCanopyError(e, 'bad_data')) return json(400, { code: 400, message: e.message });
      throw e;
    }
    if (tenant === ANONYMOUS_TENANT) return h(req);
    if ((method ?? req.method) === 'GET' && LISTS.has(path)) return json(200, []);
    return json(404, { code: 404, message: `the Alertmanager of this zone belongs to tenant anonymous, not ${JSON.stringify(tenant)}` });
  };
  return {
    get: (path, h) => http.get(path, guard('GET', path, h)),
    route: (methods, path, h) => http.route(methods, path, guard(undefined, path, h)),
  };
}
