// `canopy zone`: the regional server. Storage (TSDB), gRPC ingest from leaves, the Prometheus
// HTTP API over local data, and — when a NATS URL is configured — the root's plan fragments
// and heartbeats. NATS is optional and may be down: the zone keeps ingesting and answering.
import { componentLogger, rootLogger, type Logger } from '../shared/log.ts';
import {
  apiErrorResponse,
  HttpClient,
  HttpServer,
  json,
  mountLifecycle,
  externalUrl,
  mountUi,
} from '../shared/http/index.ts';
import { apiError, apiSuccess, mountPromApi } from '../shared/api/index.ts';
import { connectNats, type Bus } from '../shared/bus/index.ts';
import { withExternalLabels } from '../shared/external-labels.ts';
import { Engine } from '../shared/promql/index.ts';
import { buildInfo, CANOPY_VERSION } from '../shared/version.ts';
import { errorMessage } from '../shared/errors.ts';
import { parseZoneConfig, type ZoneConfig } from './config.ts';
import { IngestServer } from './ingest-grpc.ts';
import { GrpcAuth } from './grpc-auth.ts';
import { LocalQuery } from './local-query.ts';
import { MetadataStore } from './metadata.ts';
import { newZoneMetrics } from './metrics.ts';
import { Responder } from './responder.ts';
import { ZoneHintsSource } from './hints.ts';
import { openStorage } from './storage.ts';
import { registerBucketMetrics } from './objstore/index.ts';
import { tenantQueryable, tenantStorage } from './tenant-view.ts';
import { parseTsdbStatusLimit, tsdbStatus } from './tsdb-status.ts';
import { TENANT_HEADER, tenantFromHeaders } from '../shared/tenant.ts';
import {
  handlePush,
  handleRemoteWrite,
  otlpHandler,
  RuntimeConfigLoader,
  Tenants,
  trimIngestCaches,
  type IngestHeaders,
} from './ingest/index.ts';
import { ReplicaForwarder } from './replica-forward.ts';
import { Gauge } from 'prom-client';
import { Alerting } from './rules/index.ts';
import { mountAdminApi } from './admin-api.ts';
import { untilStopSignal } from '../shared/signals.ts';
import {
  DEFAULT_REMOTE_READ_LIMITS,
  RemoteReadHandler,
  selectFromQueryable,
} from '../shared/remote-read/index.ts';
import { federateHandler } from '../shared/federate.ts';
import { AlertCluster } from './notifier/cluster.ts';

/** Largest remote_write body (compressed), bytes. */
const REMOTE_WRITE_MAX_BYTES = 32 << 20;
/** Largest JSON push body, bytes (parsed in time slices, see shared/json-push.ts). */
const JSON_PUSH_MAX_BYTES = 16 << 20;
/** Writes held for a peer replica that is down, bytes per peer (oldest dropped beyond, counted). */
const FORWARD_MAX_BYTES = 256 << 20;

export interface ZoneHandle {
  httpUrl: string;
  grpcPort: number;
  stop(): Promise<void>;
  /** Re-reads rule files and the notifier config (SIGHUP); returns an error message or undefined. */
  reload(): Promise<string | undefined>;
  /** Resolves when POST /-/quit asked the zone to stop (with --web.enable-lifecycle). */
  readonly quitRequested: Promise<void>;
}

/**
 * Starts a zone in this process; `bus` may be injected (in-process launcher). In order: storage
 * and the reads over it (openZoneCore), rule evaluation and notifiers (startAlerting), the HTTP
 * API (mountHttpApi), limit overrides (startRuntimeConfig), the write paths and gRPC ingest
 * (startIngest), then NATS (startBus). stop() undoes them: accepting first, storage last.
 */
export async function startZone(
  cfg: ZoneConfig,
  opts: { bus?: Bus; logger?: Logger } = {},
): Promise<ZoneHandle> {
  const log =
    opts.logger ??
    componentLogger('zone', { zone: cfg.zone || undefined, replica: cfg.replica || undefined });
  const core = await openZoneCore(cfg, opts, log);
  const { storage, tier, hints } = core;
  const { alertCluster, alerting } = await startAlerting(cfg, log, core);
  const { http, quitRequested, setReady } = mountHttpApi(cfg, log, core, alerting);
  const runtimeConfig = await startRuntimeConfig(cfg, log, core);
  const { forwarder, ingest, grpcAuth, grpcPort } = await startIngest(cfg, log, core, http);
  const { url } = await http.listen(cfg.listen);

  const busLink = startBus(cfg, log, core, { bus: opts.bus, url, alertCluster });
  alerting.start();
  setReady(true);
  log.info(
    {
      http: url,
      grpc: `${cfg.grpcListen.replace(/:\d+$/, '')}:${grpcPort}`,
      grpcAuth: grpcAuth.describe(),
      zone: cfg.zone,
      region: cfg.region,
      nats: cfg.natsUrl ?? null,
    },
    'zone started',
  );

  return {
    httpUrl: url,
    grpcPort,
    reload: () => alerting.reload(),
    quitRequested,
    async stop() {
      busLink.stop();
      setReady(false);
      alertCluster?.stop();
      forwarder?.stop();
      runtimeConfig?.stop();
      hints.stop();
      await ingest.close();
      await http.close();
      await alerting.stop();
      await busLink.close();
      await tier?.stop();
      await storage.close();
      log.info('zone stopped');
    },
  };
}

/** Storage, tenants, the engine and the reads over them, hints, and the hints-gated writes. */
async function openZoneCore(cfg: ZoneConfig, opts: { bus?: Bus }, log: Logger) {
  const { storage, tsdb, tier } = await openStorage(cfg, log);
  // One Admission per tenant, shared by every ingest path (it holds the active-series state).
  const tenants = new Tenants({ defaults: cfg.limits, storage, retentionMs: acceptedAgeMs(cfg) });
  // Ingest caches and active-series maps follow the head's live set (issue 17).
  tsdb?.onHeadTruncated((live) => {
    trimIngestCaches(live);
    tenants.purgeInactive(Date.now());
  });
  const engine = new Engine(cfg.queryLimits);
  const metrics = newZoneMetrics(
    () => storage.seriesCount(),
    () => ({ ...engine.load, max: cfg.queryLimits.maxConcurrency }),
    () => tenants.usage(),
  );
  if (tier) registerBucketMetrics(metrics.registry, tier);
  const metadata = new MetadataStore();
  // Every read goes through a tenant's view (zone/tenant-view.ts), external labels on top.
  const query = new LocalQuery(
    (tenant) => withExternalLabels(tenantQueryable(storage, tenant), cfg.externalLabels),
    engine,
    metadata,
  );
  const hints = new ZoneHintsSource({
    zone: cfg.zone,
    replica: cfg.replica,
    region: cfg.region,
    externalLabels: cfg.externalLabels,
    queryable: withExternalLabels(storage, cfg.externalLabels),
    storage,
    seriesCount: () => storage.seriesCount(),
    logger: log.child({ component: 'hints' }),
    intervalMs: Math.max(1000, cfg.heartbeatIntervalMs * 2),
    published: opts.bus !== undefined || cfg.natsUrl !== undefined,
    onUnconfirmedAck: () => metrics.hintsUnconfirmedAcks.inc(),
  });
  await hints.init();
  // Every write path goes through the hints gate: a new metric or label is published to the
  // root before the write is acknowledged (zone/hints.ts). Rule outputs are published without
  // waiting (nobody awaits them).
  const gated = hints.gate(storage);
  return { storage, tsdb, tier, tenants, engine, metrics, metadata, query, hints, gated };
}

type ZoneCore = Awaited<ReturnType<typeof openZoneCore>>;

/** Rule evaluation, per-tenant notifiers and, for an HA replica, the alert cluster. */
async function startAlerting(
  cfg: ZoneConfig,
  log: Logger,
  { storage, hints, metrics, engine }: ZoneCore,
): Promise<{ alertCluster: AlertCluster | undefined; alerting: Alerting }> {
  // One alerting state per tenant: its rules read its series and write its series (through its
  // tenant view), its notifier adds external labels (docs/alerting.md, docs/tenants.md).
  const ruleStorage = hints.gate(storage, { wait: false });
  // HA replicas share silences and the notification log over NATS, per tenant (docs/alerting.md "HA replicas").
  const alertCluster = cfg.replica
    ? new AlertCluster({
        zone: cfg.zone,
        replica: cfg.replica,
        peerTimeoutMs: cfg.alertPeerTimeoutMs,
        logger: log.child({ component: 'alert-cluster' }),
        registry: metrics.registry,
      })
    : undefined;
  const alerting = await Alerting.open({
    onTenant: (t) => alertCluster?.attach(t.tenant, t.notifier),
    ruleFiles: cfg.ruleFiles,
    notifierConfig: cfg.notifierConfig,
    stateDb: cfg.ruleStateDb,
    alertmanagerUrls: cfg.alertmanagerUrls,
    tenants: cfg.tenantAlerting.tenants,
    ruleDir: cfg.tenantAlerting.ruleDir,
    evaluationIntervalMs: cfg.evaluationIntervalMs,
    externalLabels: cfg.externalLabels,
    externalURL: externalUrl(cfg.listen, cfg.webConfigFile),
    storageFor: (t) => tenantStorage(ruleStorage, t),
    engine,
    registry: metrics.registry,
    logger: log,
    buildInfo: buildInfo('zone'),
  });
  return { alertCluster, alerting };
}

/**
 * The HTTP API over local data: Prometheus query API, rules and alerts, UI, lifecycle, health,
 * status, remote read, federation and the admin API. Ready only once setReady(true).
 */
function mountHttpApi(
  cfg: ZoneConfig,
  log: Logger,
  { query, metrics, tenants, storage, tsdb }: ZoneCore,
  alerting: Alerting,
): { http: HttpServer; quitRequested: Promise<void>; setReady: (ready: boolean) => void } {
  const http = new HttpServer({ logger: log, webConfigFile: cfg.webConfigFile });
  let requestQuit = (): void => {};
  const quitRequested = new Promise<void>((r) => (requestQuit = r));
  let ready = false;
  mountPromApi(http, query, {
    defaultTimeoutMs: cfg.queryTimeoutMs,
    buildInfo: buildInfo('zone'),
    rules: async (t) => alerting.rulesData(t),
    alerts: async (t) => alerting.alertsData(t),
  });
  alerting.mount(http);
  mountUi(http, { tier: 'zone', name: cfg.zone, logger: log });
  mountLifecycle(http, {
    enabled: cfg.lifecycleApi,
    reload: () => alerting.reload(),
    quit: () => requestQuit(),
  });
  http.get('/healthz', () => ({ status: 200, body: 'ok\n' }));
  http.get('/readyz', () => (ready ? { status: 200, body: 'ready\n' } : { status: 503, body: 'starting\n' }));
  http.get('/-/healthy', () => ({ status: 200, body: 'Healthy.\n' }));
  http.get('/-/ready', () =>
    ready ? { status: 200, body: 'Ready.\n' } : { status: 503, body: 'Service Unavailable\n' },
  );
  http.get('/metrics', async () => ({
    status: 200,
    headers: { 'content-type': metrics.registry.contentType },
    body: await metrics.registry.metrics(),
  }));
  // Per-tenant usage and limits, as JSON: every tenant that wrote since start, or with
  // X-Scope-OrgID only that tenant (a tenant does not learn the others' ids).
  http.get('/api/v1/status/tenants', (req) => {
    try {
      const asked = req.headers[TENANT_HEADER] === undefined ? undefined : tenantFromHeaders(req.headers);
      return json(200, {
        status: 'success',
        data: tenants.usage().filter((u) => asked === undefined || u.tenant === asked),
      });
    } catch (e) {
      return apiErrorResponse(400, 'bad_data', errorMessage(e));
    }
  });
  // Prometheus's TSDB statistics, for the asking tenant only (zone/tsdb-status.ts).
  http.get('/api/v1/status/tsdb', async (req) => {
    try {
      const limit = parseTsdbStatusLimit(req.params.get('limit'));
      return apiSuccess(
        await tsdbStatus(
          tenantQueryable(storage, tenantFromHeaders(req.headers)),
          tsdb && { minT: tsdb.head.minT, maxT: tsdb.head.maxT },
          limit,
        ),
      );
    } catch (e) {
      return apiError(e);
    }
  });
  http.get('/api/v1/status/zone', () =>
    json(200, {
      status: 'success',
      data: {
        zone: cfg.zone,
        ...(cfg.replica ? { replica: cfg.replica } : {}),
        region: cfg.region,
        externalLabels: cfg.externalLabels,
        series: storage.seriesCount(),
      },
    }),
  );
  const rawSelect = selectFromQueryable((tenant) =>
    withExternalLabels(tenantQueryable(storage, tenant), cfg.externalLabels),
  );
  http.route(
    ['POST'],
    '/api/v1/read',
    new RemoteReadHandler(rawSelect, log.child({ component: 'remote-read' })).handle,
  );
  http.get(
    '/federate',
    federateHandler(rawSelect, {
      externalLabels: cfg.externalLabels,
      maxSamples: DEFAULT_REMOTE_READ_LIMITS.maxSamples,
    }),
  );
  mountAdminApi(http, {
    enabled: cfg.adminApi,
    tsdb,
    dataDir: cfg.dataDir,
    limits: cfg.snapshots,
    logger: log.child({ component: 'admin' }),
  });
  return {
    http,
    quitRequested,
    setReady: (v) => {
      ready = v;
    },
  };
}

/** Per-tenant limit overrides re-read from the runtime config file, when one is configured. */
async function startRuntimeConfig(
  cfg: ZoneConfig,
  log: Logger,
  { metrics, tenants }: ZoneCore,
): Promise<RuntimeConfigLoader | undefined> {
  let runtimeConfig: RuntimeConfigLoader | undefined;
  if (cfg.runtimeConfigFile) {
    const ok = new Gauge({
      name: 'canopy_zone_runtime_config_last_reload_successful',
      help: 'Whether the last read of the runtime config file (limit overrides) succeeded.',
      registers: [metrics.registry],
    });
    runtimeConfig = new RuntimeConfigLoader({
      file: cfg.runtimeConfigFile,
      periodMs: cfg.runtimeConfigPeriodMs,
      defaults: cfg.limits,
      logger: log.child({ component: 'runtime-config' }),
      apply: (o) => tenants.setOverrides(o),
      onReload: (good) => ok.set(good ? 1 : 0),
    });
    await runtimeConfig.start();
  }
  return runtimeConfig;
}

/** The write paths: remote_write, JSON push and OTLP over HTTP (forwarded to peer replicas), and gRPC ingest from leaves. */
async function startIngest(
  cfg: ZoneConfig,
  log: Logger,
  { gated, tenants, metrics, metadata }: ZoneCore,
  http: HttpServer,
) {
  const ingestOpts = {
    storage: gated,
    tenants,
    logger: log.child({ component: 'ingest' }),
    metrics: metrics.ingest,
  };
  // HA replica: acknowledged HTTP writes go on to the peer replicas (zone/replica-forward.ts)
  const forwarder =
    cfg.replicaPeers.length > 0
      ? new ReplicaForwarder({
          replica: cfg.replica,
          peers: cfg.replicaPeers,
          client: cfg.replicaPeerHttpConfig && new HttpClient(cfg.replicaPeerHttpConfig),
          maxBytes: FORWARD_MAX_BYTES,
          logger: log.child({ component: 'replica-forward' }),
          registry: metrics.registry,
        })
      : undefined;
  const forwarded =
    (path: string, handle: typeof handleRemoteWrite) =>
    async (req: { body: Buffer; headers: IngestHeaders }) => {
      const res = await handle(req.body, req.headers, ingestOpts);
      if (forwarder && res.status < 300 && !ReplicaForwarder.isForwarded(req.headers))
        forwarder.enqueue(path, req.body, req.headers);
      return res;
    };
  // Body caps answered 413 before reading (shared/http/limits.ts): remote_write is snappy-compressed.
  http.route(['POST'], '/api/v1/write', forwarded('/api/v1/write', handleRemoteWrite), {
    maxBodyBytes: REMOTE_WRITE_MAX_BYTES,
  });
  http.route(['POST'], '/api/v1/push', forwarded('/api/v1/push', handlePush), {
    maxBodyBytes: JSON_PUSH_MAX_BYTES,
  });
  const handleOtlp = otlpHandler(ingestOpts, (tenant, name, m) => metadata.set(tenant, name, m));
  http.route(['POST'], '/api/v1/otlp/v1/metrics', (req) => handleOtlp(req.body, req.headers));
  const grpcAuth = new GrpcAuth(cfg.grpcAuth);
  const ingest = new IngestServer({
    storage: gated,
    metadata,
    metrics,
    tenants,
    auth: grpcAuth,
    identityLabel: cfg.grpcAuth.identityLabel,
    otlp: handleOtlp,
    logger: log.child({ component: 'ingest' }),
  });
  const grpcPort = await ingest.listen(cfg.grpcListen);
  return { forwarder, ingest, grpcAuth, grpcPort };
}

/**
 * NATS: the responder (plan fragments, heartbeats), hints publishing and the alert cluster, on
 * the injected bus or on a connection retried in the background (the zone works without it).
 */
function startBus(
  cfg: ZoneConfig,
  log: Logger,
  { query, metrics, storage, hints }: ZoneCore,
  opts: { bus?: Bus; url: string; alertCluster: AlertCluster | undefined },
): { stop(): void; close(): Promise<void> } {
  const { url, alertCluster } = opts;
  let bus = opts.bus;
  let ownBus = false;
  let stopped = false;
  let responder: Responder | undefined;
  const startResponder = (b: Bus): void => {
    responder = new Responder({
      bus: b,
      zone: cfg.zone,
      replica: cfg.replica,
      region: cfg.region,
      externalLabels: cfg.externalLabels,
      query,
      logger: log.child({ component: 'responder' }),
      metrics,
      defaultTimeoutMs: cfg.queryTimeoutMs,
      heartbeatIntervalMs: cfg.heartbeatIntervalMs,
      seriesCount: () => storage.seriesCount(),
      httpUrl: url,
      version: CANOPY_VERSION,
      hints,
    });
    responder.start();
    hints.start(b);
    alertCluster?.start(b);
  };
  if (bus) startResponder(bus);
  else if (cfg.natsUrl) {
    // NATS is optional for a zone: keep trying in the background; ingest and local queries
    // work meanwhile.
    const natsUrl = cfg.natsUrl;
    const connectLoop = async (): Promise<void> => {
      for (let attempt = 0; !stopped; attempt++) {
        try {
          bus = await connectNats({
            url: natsUrl,
            auth: cfg.natsAuth,
            name: `canopy-zone-${cfg.zone}${cfg.replica ? `-${cfg.replica}` : ''}`,
            logger: log.child({ component: 'nats' }),
          });
          ownBus = true;
          if (stopped) return void (await bus.close());
          startResponder(bus);
          return;
        } catch (e) {
          log.error(
            { url: natsUrl, attempt },
            `${errorMessage(e)}; the zone keeps ingesting and retries in 5 s`,
          );
          await new Promise((r) => setTimeout(r, 5000).unref());
        }
      }
    };
    void connectLoop();
  }
  return {
    /** Stops answering the root; a connection still being made is closed once made. */
    stop() {
      stopped = true;
      responder?.stop();
    },
    async close() {
      if (ownBus && bus) await bus.close();
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  const cfg = parseZoneConfig(argv);
  if (cfg === 'help') return -1;
  // GC sizing (young generation, old-generation growth) is given at process start: bin/node-flags.js.
  rootLogger({ level: cfg.logLevel });
  const z = await startZone(cfg);
  const onHup = (): void => void z.reload();
  process.on('SIGHUP', onHup);
  await Promise.race([untilStopSignal(), z.quitRequested]);
  process.off('SIGHUP', onHup);
  await z.stop();
  return 0;
}

/**
 * How old a sample may be and still be accepted (0 = no bound): what the zone keeps. Without a
 * bucket that is local retention (an older sample would be acknowledged, then deleted); with
 * one, local retention only bounds the disk — blocks reach the bucket before they are deleted
 * locally — so the bound is the bucket's raw retention (0 = kept forever).
 */
function acceptedAgeMs(cfg: ZoneConfig): number {
  if (cfg.storage !== 'tsdb') return 0;
  return cfg.bucket ? cfg.bucket.retention.rawMs : cfg.tsdb.retentionMs;
}
