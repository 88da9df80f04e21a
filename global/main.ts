// `canopy root`: the global root. Serves the Prometheus HTTP API (Grafana, promtool) and
// answers by fanning plan fragments out to the zones over NATS and merging their answers.
import { componentLogger, rootLogger, type Logger } from '../shared/log.ts';
import { apiError, HttpClient, HttpServer, json, externalUrl, mountUi } from '../shared/http/index.ts';
import { durationParam, mountPromApi, timeParam } from '../shared/api/index.ts';
import { connectNats, type Bus } from '../shared/bus/index.ts';
import { buildInfo } from '../shared/version.ts';
import { parseRootConfig, type RootConfig } from './config.ts';
import { Fanout } from './fanout.ts';
import { RootQuery } from './query.ts';
import { ZoneDirectory } from './zones.ts';
import { ZoneAlerts } from './alerts.ts';
import { GlobalRules, RuleOutput, newRuleOutputMetrics } from './rules/index.ts';
import { HintsDirectory } from './hints.ts';
import { globalCardinality } from './cardinality.ts';
import { newRootMetrics, newTrustMetrics, registerRootEngineLoad } from './metrics.ts';
import { rootRawSelect } from './remote-read.ts';
import { DEFAULT_REMOTE_READ_LIMITS, RemoteReadHandler } from '../shared/remote-read/index.ts';
import { federateHandler } from '../shared/federate.ts';
import { CanopyError } from '../shared/errors.ts';
import { Registry, collectDefaultMetrics, Gauge } from 'prom-client';
import { untilStopSignal } from '../shared/signals.ts';
import { ANONYMOUS_TENANT, tenantFromHeaders } from '../shared/tenant.ts';

export interface RootHandle {
  httpUrl: string;
  stop(): Promise<void>;
}

export async function startRoot(
  cfg: RootConfig,
  opts: { bus?: Bus; logger?: Logger } = {},
): Promise<RootHandle> {
  const log = opts.logger ?? componentLogger('root');
  const bus =
    opts.bus ??
    (await connectNats({
      url: cfg.natsUrl,
      auth: cfg.natsAuth,
      name: 'canopy-root',
      logger: log.child({ component: 'nats' }),
    }));
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const trust = newTrustMetrics(registry);
  const zones = new ZoneDirectory(
    cfg.zoneDeadAfterMs,
    log.child({ component: 'zones' }),
    cfg.topology,
    Date.now,
    { onIgnored: (reason) => trust.heartbeatsIgnored.inc({ reason }) },
  );
  zones.start(bus);
  const hints = new HintsDirectory(
    Math.max(30_000, cfg.zoneDeadAfterMs * 3),
    log.child({ component: 'hints' }),
  );
  hints.start(bus);
  const fanout = new Fanout(bus, zones, log.child({ component: 'fanout' }), (reason) =>
    trust.answersDropped.inc({ reason }),
  );
  const query = new RootQuery({
    fanout,
    zoneTimeoutMs: cfg.zoneTimeoutMs,
    zones,
    hints,
    engine: cfg.queryLimits,
    metrics: newRootMetrics(registry),
    log: log.child({ component: 'query' }),
  });
  registerRootEngineLoad(registry, () => ({ ...query.engineLoad, max: cfg.queryLimits.maxConcurrency }));
  new Gauge({
    name: 'canopy_root_zones_alive',
    help: 'Zones with a recent heartbeat.',
    registers: [registry],
    collect() {
      this.set(zones.list().filter((z) => zones.isAlive(z)).length);
    },
  });

  const http = new HttpServer({ logger: log, webConfigFile: cfg.webConfigFile });
  // Rules and alerts merged from the zones over HTTP (global/alerts.ts), at the addresses the
  // topology names: never at an address a heartbeat announces.
  if (!cfg.topology)
    log.info(
      'no topology: rules, alerts and silences of the zones are not merged at the root (their HTTP addresses come from a topology only)',
    );
  // "global:" rule groups (from the zones' rule files) evaluated here (global/rules).
  const liveZones = (): ReturnType<ZoneDirectory['list']> => zones.list().filter((z) => zones.isAlive(z));
  const zoneHttp = new HttpClient(cfg.zoneHttpConfig);
  const zoneAlerts = new ZoneAlerts(liveZones, log.child({ component: 'alerts' }), 5000, zoneHttp);
  // Recording-rule results go to the store zone's remote-write endpoint (global/rules/rule-output.ts).
  const ruleOutput = cfg.rulesStoreZone
    ? new RuleOutput({
        zone: cfg.rulesStoreZone,
        zones: liveZones,
        http: zoneHttp,
        metrics: newRuleOutputMetrics(registry),
        logger: log.child({ component: 'rule-output' }),
      })
    : undefined;
  const globalRules = new GlobalRules({
    output: ruleOutput,
    zones: liveZones,
    http: zoneHttp,
    logger: log.child({ component: 'global-rules' }),
    externalURL: externalUrl(cfg.listen, cfg.webConfigFile),
    query: (expr, tMs) =>
      query.query(expr, tMs, {
        timeoutMs: cfg.queryTimeoutMs,
        signal: AbortSignal.timeout(cfg.queryTimeoutMs),
        partialResponse: true,
      }),
  });
  mountPromApi(http, query, {
    defaultTimeoutMs: cfg.queryTimeoutMs,
    buildInfo: buildInfo('root'),
    // The root's own global rules read as anonymous, so only anonymous sees them; zones answer per tenant.
    rules: (t) => zoneAlerts.rules(t === ANONYMOUS_TENANT ? globalRules.rulesData() : [], t),
    alerts: (t) => zoneAlerts.alerts(t === ANONYMOUS_TENANT ? globalRules.alertsData() : [], t),
  });
  // with a web config, silences are written only by an authenticated user (basic auth or a verified client certificate)
  zoneAlerts.mount(http, { requireUser: http.secured });
  mountUi(http, { tier: 'root', logger: log });
  http.get('/healthz', () => ({ status: 200, body: 'ok\n' }));
  http.get('/readyz', () => ({ status: 200, body: 'ready\n' }));
  http.get('/-/healthy', () => ({ status: 200, body: 'Healthy.\n' }));
  http.get('/-/ready', () => ({ status: 200, body: 'Ready.\n' }));
  http.get('/metrics', async () => ({
    status: 200,
    headers: { 'content-type': registry.contentType },
    body: await registry.metrics(),
  }));
  http.get('/api/v1/status/zones', () =>
    json(200, {
      status: 'success',
      // one entry per zone, or per replica of an HA zone (replica, started, preferred)
      data: zones.all().map((z) => ({
        zone: z.zone,
        ...(z.replica
          ? {
              replica: z.replica,
              preferred: zones.list().find((x) => x.zone === z.zone)?.key === z.key,
              started: z.startedMs ? new Date(z.startedMs).toISOString() : null,
            }
          : {}),
        region: z.region,
        alive: zones.isAlive(z),
        lastHeartbeat: z.lastHeartbeatMs ? new Date(z.lastHeartbeatMs).toISOString() : null,
        seriesCount: hints.latest(z.key)?.seriesCount ?? z.seriesCount,
        hintsAgeMs: hints.latest(z.key) ? Date.now() - hints.latest(z.key)!.receivedMs : null,
        metricNames: hints.latest(z.key)?.metricNames.size ?? null,
        hintsUntrusted: hints.latest(z.key) ? hints.whyUntrusted(z.key) || null : null,
        http: z.httpUrl,
        version: z.version,
        externalLabels: z.externalLabels,
        expected: z.expected,
      })),
    }),
  );
  http.route(['GET', 'POST'], '/api/v1/query_plan', async (req) => {
    try {
      const q = req.params.get('query');
      if (!q) throw new CanopyError('bad_data', 'invalid parameter "query": missing');
      const mode = req.params.get('mode') === 'naive' ? 'naive' : 'pushdown';
      const now = Date.now();
      const step = req.params.get('step') ? durationParam(req.params, 'step') : undefined;
      const ep = step
        ? {
            range: true,
            startMs: timeParam(req.params, 'start', now),
            endMs: timeParam(req.params, 'end', now),
            stepMs: step,
          }
        : {
            range: false,
            startMs: timeParam(req.params, 'time', now),
            endMs: timeParam(req.params, 'time', now),
            stepMs: 0,
          };
      return json(200, { status: 'success', data: await query.explain(q, mode, ep) });
    } catch (e) {
      return apiError(e);
    }
  });
  http.get('/api/v1/status/cardinality', async (req) => {
    try {
      // The zones' sketches and hints span all tenants: not for a named tenant's eyes.
      if (tenantFromHeaders(req.headers) !== ANONYMOUS_TENANT)
        throw new CanopyError(
          'bad_data',
          'cardinality statistics are not available per tenant (X-Scope-OrgID)',
        );
      const limit = Number(req.params.get('limit') ?? 10);
      const partialResponse = req.params.get('partial_response') !== 'false' && cfg.partialResponse;
      const known = zones.list().map((z) => z.zone);
      const r = await globalCardinality(
        fanout,
        Number.isFinite(limit) && limit > 0 ? limit : 10,
        { timeoutMs: cfg.queryTimeoutMs, signal: req.signal, partialResponse },
        cfg.zoneTimeoutMs,
        known,
      );
      const data = {
        totalSeriesEstimate: r.totalEstimate,
        metrics: r.metrics,
        labelPairs: r.labelPairs,
        zones: r.zones,
        missingZones: r.missingZones,
      };
      return json(200, { status: 'success', data, ...(r.warnings.length ? { warnings: r.warnings } : {}) });
    } catch (e) {
      return apiError(e);
    }
  });
  const rawSelect = rootRawSelect(fanout, cfg.zoneTimeoutMs);
  http.route(
    ['POST'],
    '/api/v1/read',
    new RemoteReadHandler(rawSelect, log.child({ component: 'remote-read' })).handle,
  );
  http.get(
    '/federate',
    federateHandler(rawSelect, { externalLabels: {}, maxSamples: DEFAULT_REMOTE_READ_LIMITS.maxSamples }),
  );
  const { url } = await http.listen(cfg.listen);
  globalRules.start();
  log.info(
    {
      http: url,
      nats: cfg.natsUrl || bus.kind,
      expectedZones: cfg.topology?.zones.length ?? 0,
      rulesStoreZone: cfg.rulesStoreZone ?? null,
    },
    'root started',
  );
  return {
    httpUrl: url,
    async stop() {
      await globalRules.stop();
      zones.stop();
      hints.stop();
      await http.close();
      if (!opts.bus) await bus.close();
      log.info('root stopped');
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  const cfg: RootConfig | 'help' = parseRootConfig(argv);
  if (cfg === 'help') return -1;
  rootLogger({ level: cfg.logLevel });
  const r = await startRoot(cfg);
  await untilStopSignal();
  await r.stop();
  return 0;
}
