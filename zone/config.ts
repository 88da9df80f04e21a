// Zone configuration: a YAML file (--config) and/or flags; flags override the file. Parsed
// and validated once at start (parseZoneConfig); nothing reads configuration later.
import { applyQueryLimitFlags, ConfigReader, HOST_PORT_RE, parseFlags, QUERY_LIMIT_FLAGS, readQueryLimits, type FlagSpec, type QueryLimits } from '../shared/config/index.ts';
import { CanopyError } from '../shared/errors.ts';
import { parseHttpClientConfig, parseWebConfig, type HttpClientConfig } from '../shared/http/index.ts';
import type { SnapshotLimits } from './admin-api.ts';
import { NATS_AUTH_FLAGS, parseNatsAuth, redactUrl, type NatsAuth } from '../shared/bus/index.ts';
import { parseAdmissionLimits, type AdmissionLimits } from './ingest/index.ts';
import { GRPC_AUTH_FLAGS, parseGrpcAuth, type GrpcAuthConfig } from './grpc-auth.ts';
import type { FsyncPolicy } from './wal/index.ts';
import { MIN_BLOCK_RANGE_MS, TSDB_DEFAULTS } from './tsdb-defaults.ts';
import { loadObjectStoreConfig, type BucketRetention, type ObjectStoreConfig } from './objstore/index.ts';
import { dirname, isAbsolute, join } from 'node:path';
import { parseTenantAlertingConfig, type TenantAlertingConfig } from './rules/index.ts';

/** Paths in a config file are relative to the file (as Prometheus resolves rule_files). */
function relativeTo(file: string | undefined, p: string): string {
  return file && !isAbsolute(p) ? join(dirname(file), p) : p;
}

export interface ZoneConfig {
  configFile?: string;
  zone: string;
  region: string;
  /** Replica name within the zone (issue 16, HA pairs); '' for a zone run as a single process. */
  replica: string;
  /** HTTP base URLs of the other replicas: acknowledged remote_write/push writes are forwarded there (zone/replica-forward.ts). */
  replicaPeers: string[];
  /** Prometheus HTTP client config (tls_config, basic_auth, authorization) for the writes forwarded to the peers. */
  replicaPeerHttpConfig?: HttpClientConfig;
  /** Labels attached to everything the zone returns (default: zone and region). */
  externalLabels: Record<string, string>;
  listen: string;
  grpcListen: string;
  /** TLS, client certificates and bearer tokens on the gRPC ingest port (zone/grpc-auth.ts). */
  grpcAuth: GrpcAuthConfig;
  dataDir: string;
  /** Without credentials (they are split off into natsAuth at parse time). */
  natsUrl?: string;
  natsAuth?: NatsAuth;
  heartbeatIntervalMs: number;
  /** The query timeout (= queryLimits.timeoutMs). */
  queryTimeoutMs: number;
  /** --query.* limits (shared/config/query-limits.ts). */
  queryLimits: Readonly<QueryLimits>;
  logLevel: string;
  storage: 'tsdb' | 'memory';
  tsdb: {
    retentionMs: number;
    retentionBytes: number;
    blockRangeMs: number;
    outOfOrderWindowMs: number;
    walFsync: FsyncPolicy;
    /** Rollups (docs/format/rollup.md): ages at which 5m / 1h blocks are written (0 = never) and their retention (0 = keep). */
    rollup5mAfterMs: number;
    rollup1hAfterMs: number;
    retention5mMs: number;
    retention1hMs: number;
  };
  limits: Readonly<AdmissionLimits>;
  /** Per-tenant limit overrides (zone/ingest/runtime-config.ts), re-read every period. */
  runtimeConfigFile?: string;
  runtimeConfigPeriodMs: number;
  /** Serve the TSDB admin API (snapshot); off by default, as Prometheus (zone/admin-api.ts). */
  adminApi: boolean;
  /** Serve POST /-/reload and /-/quit; off by default, as Prometheus. */
  lifecycleApi: boolean;
  snapshots: SnapshotLimits;
  /** Prometheus web config file (TLS, basic auth, headers), validated at start. */
  webConfigFile?: string;
  /** Prometheus rule files evaluated by the zone (docs/alerting.md). */
  ruleFiles: string[];
  /** Alertmanager YAML for the built-in notifier; none = alerts are kept and served, not routed. */
  notifierConfig?: string;
  /** SQLite file for alert state, silences and the notification log. */
  ruleStateDb: string;
  /** External Alertmanagers that receive every alert (POST /api/v2/alerts). */
  alertmanagerUrls: string[];
  /** Default rule group interval. */
  evaluationIntervalMs: number;
  /** With a replica name: how long each replica's position delays its notifications (zone/notifier/cluster.ts). */
  alertPeerTimeoutMs: number;
  /** Named tenants' rule files and notifiers (`tenants:`, `tenant_rule_dir:` / --tenant-rule-dir). */
  tenantAlerting: TenantAlertingConfig;
  /** Object storage tier (docs/format/bucket.md); absent = local disk only. */
  bucket?: ZoneBucketConfig;
}

export interface ZoneBucketConfig {
  /** The Thanos objstore YAML file it was read from. */
  file: string;
  objectStore: ObjectStoreConfig;
  /** Bound on the on-disk cache of bucket blocks (<data-dir>/bucket-cache). */
  cacheBytes: number;
  syncIntervalMs: number;
  retention: BucketRetention;
}

export const ZONE_FLAGS: Record<string, FlagSpec> = {
  config: { type: 'string', arg: 'FILE', help: 'YAML configuration file' },
  listen: { type: 'string', arg: 'HOST:PORT', help: 'HTTP: Prometheus API, /api/v1/write, /metrics (default 127.0.0.1:9201)' },
  'grpc-listen': { type: 'string', arg: 'HOST:PORT', help: 'gRPC ingest from leaves (default 127.0.0.1:9301)' },
  ...GRPC_AUTH_FLAGS,
  'data-dir': { type: 'string', arg: 'DIR', help: 'data directory (default data/zone)' },
  nats: { type: 'string', arg: 'URL', help: 'NATS server for the root (optional), e.g. nats://127.0.0.1:4222' },
  ...NATS_AUTH_FLAGS,
  zone: { type: 'string', arg: 'NAME', help: 'zone name, also the external label zone (default: none)' },
  region: { type: 'string', arg: 'NAME', help: 'region name, also the external label region' },
  replica: { type: 'string', arg: 'NAME', help: 'replica name when a zone runs as an HA pair (default: none)' },
  'replica-peer': { type: 'list', arg: 'URL', help: "another replica's HTTP URL: remote_write and push writes are forwarded to it (needs --replica)" },
  'replica-peer.http-config.file': { type: 'string', arg: 'FILE', help: 'Prometheus HTTP client config (tls_config, basic_auth, authorization) for the writes forwarded to the peer replicas' },
  'log-level': { type: 'string', arg: 'LEVEL', help: 'debug, info, warn or error (default info)' },
  storage: { type: 'string', arg: 'KIND', help: 'tsdb (default) or memory (tests)' },
  retention: { type: 'string', arg: 'DURATION', help: 'how long to keep samples (default 15d)' },
  'rule-file': { type: 'list', arg: 'PATH', help: 'Prometheus rule file to evaluate in the zone' },
  'notifier-config': { type: 'string', arg: 'PATH', help: 'Alertmanager YAML for the built-in notifier' },
  'alertmanager-url': { type: 'list', arg: 'URL', help: 'external Alertmanager that receives the alerts' },
  'runtime-config.file': { type: 'string', arg: 'PATH', help: 'per-tenant limit overrides (Mimir overrides: YAML), reloaded without restart' },
  'runtime-config.reload-period': { type: 'string', arg: 'DURATION', help: 'how often the runtime config file is re-read (default 10s)' },
  'evaluation-interval': { type: 'string', arg: 'DURATION', help: 'default rule group interval (default 1m)' },
  'alert-peer-timeout': { type: 'string', arg: 'DURATION', help: 'HA replicas: notification delay per replica position, as Alertmanager --cluster.peer-timeout (default 15s)' },
  'tenant-rule-dir': { type: 'string', arg: 'DIR', help: 'per-tenant rule files, Mimir ruler layout DIR/<tenant>/*.yml' },
  'web.config.file': { type: 'string', arg: 'FILE', help: 'Prometheus web config file: TLS, client certificates, basic auth, headers' },
  'web.enable-admin-api': { type: 'bool', help: 'serve the TSDB admin API (snapshot); off by default' },
  'web.enable-lifecycle': { type: 'bool', help: 'serve POST /-/reload and /-/quit; off by default' },
  'snapshot.max-count': { type: 'string', arg: 'N', help: 'snapshots kept; older ones are deleted (default 3)' },
  'snapshot.max-size': { type: 'string', arg: 'SIZE', help: 'bound on all snapshots together, e.g. 10GB (default: free disk space only)' },
  ...QUERY_LIMIT_FLAGS,
  'object-store-config': { type: 'string', arg: 'FILE', help: 'Thanos objstore YAML (type: S3 | FILESYSTEM): upload blocks to a bucket and query them' },
  'bucket-cache-size': { type: 'string', arg: 'SIZE', help: 'bound on the on-disk cache of bucket block indexes and chunk pages, LRU (default 1GiB)' },
  'bucket-sync-interval': { type: 'string', arg: 'DURATION', help: 'how often to re-list the bucket and retry uploads (default 1m)' },
  'retention.resolution-raw': { type: 'string', arg: 'DURATION', help: 'how long the bucket keeps raw blocks (default 0d: forever)' },
  'retention.resolution-5m': { type: 'string', arg: 'DURATION', help: 'how long the bucket keeps 5m rollup blocks (default 0d: forever)' },
  'retention.resolution-1h': { type: 'string', arg: 'DURATION', help: 'how long the bucket keeps 1h rollup blocks (default 0d: forever)' },
  help: { type: 'bool', help: 'show this help' },
};

const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

function flagNatsUrl(nurl: string | undefined): string | undefined {
  if (nurl !== undefined && !/^(nats|tls):\/\/[^/]+/.test(nurl)) {
    throw new CanopyError('flag_invalid', `canopy zone: flag --nats: expected a URL like nats://127.0.0.1:4222, got "${redactUrl(nurl)}"`);
  }
  return nurl;
}

export function parseZoneConfig(argv: readonly string[]): ZoneConfig | 'help' {
  const f = parseFlags(argv, ZONE_FLAGS, 'zone');
  if (f.help) return 'help';
  const file = f.config as string | undefined;
  const r = file ? ConfigReader.fromFile(file) : new ConfigReader('<flags>', {});
  const zone = r.string('zone', '', { pattern: /^$|^[a-z0-9][a-z0-9_-]*$/, what: 'a zone name (lower-case letters, digits, - and _)' });
  const region = r.string('region', '', { pattern: /^$|^[a-z0-9][a-z0-9_-]*$/, what: 'a region name' });
  const replica = r.string('replica', '', { pattern: /^$|^[a-z0-9][a-z0-9_-]*$/, what: 'a replica name' });
  const ext = r.stringMap('external_labels');
  const nats = r.object('nats');
  const cfg: ZoneConfig = {
    configFile: file,
    zone,
    region,
    replica,
    replicaPeers: r.strings('replica_peers').map((u, i) => {
      if (!/^https?:\/\/[^/]/.test(u)) r.fail(`replica_peers[${i}]`, 'an http(s) URL', u);
      return u;
    }),
    externalLabels: ext,
    listen: r.hostPort('listen', '127.0.0.1:9201'),
    grpcListen: r.hostPort('grpc_listen', '127.0.0.1:9301'),
    grpcAuth: parseGrpcAuth(r, f, (p) => relativeTo(file, p)),
    dataDir: r.string('data_dir', 'data/zone'),
    natsUrl: nats.has('url') ? nats.url('url', undefined, ['nats:', 'tls:']) : (nats.raw('url'), undefined),
    heartbeatIntervalMs: nats.durationMs('heartbeat_interval', 2000, { min: 100 }),
    queryTimeoutMs: 0,
    queryLimits: readQueryLimits(r),
    logLevel: r.string('log_level', 'info', { oneOf: ['trace', 'debug', 'info', 'warn', 'error'] }),
    storage: r.string('storage', 'tsdb', { oneOf: ['tsdb', 'memory'] }) as 'tsdb' | 'memory',
    tsdb: {
      retentionMs: 0,
      retentionBytes: 0,
      blockRangeMs: 0,
      outOfOrderWindowMs: 0,
      walFsync: 'batch',
      rollup5mAfterMs: 0,
      rollup1hAfterMs: 0,
      retention5mMs: 0,
      retention1hMs: 0,
    },
    limits: parseAdmissionLimits(r.raw('limits'), `${file ?? '<flags>'}: limits`),
    runtimeConfigFile: undefined,
    runtimeConfigPeriodMs: 10_000,
    adminApi: r.bool('admin_api', false),
    lifecycleApi: r.bool('lifecycle_api', false),
    snapshots: { maxCount: 3, maxBytes: 0 },
    webConfigFile: r.has('web_config_file') ? relativeTo(file, r.string('web_config_file')) : (r.raw('web_config_file'), undefined),
    ruleFiles: r.strings('rule_files').map((p) => relativeTo(file, p)),
    notifierConfig: r.has('notifier_config') ? relativeTo(file, r.string('notifier_config')) : (r.raw('notifier_config'), undefined),
    ruleStateDb: r.has('rule_state_db') ? relativeTo(file, r.string('rule_state_db')) : (r.raw('rule_state_db'), ''),
    alertmanagerUrls: r.strings('alertmanager_urls'),
    evaluationIntervalMs: r.durationMs('evaluation_interval', 60_000, { min: 1 }),
    alertPeerTimeoutMs: r.durationMs('alert_peer_timeout', 15_000, { min: 100 }),
    tenantAlerting: parseTenantAlertingConfig(r, (p) => relativeTo(file, p)),
  };
  for (const [i, u] of cfg.alertmanagerUrls.entries()) if (!/^https?:\/\/[^/]/.test(u)) r.fail(`alertmanager_urls[${i}]`, 'an http(s) URL', u);
  const t = r.object('tsdb');
  cfg.tsdb = {
    retentionMs: t.durationMs('retention', TSDB_DEFAULTS.retentionMs, { min: MIN_BLOCK_RANGE_MS }),
    retentionBytes: t.sizeBytes('retention_size', TSDB_DEFAULTS.retentionBytes),
    blockRangeMs: t.durationMs('block_range', TSDB_DEFAULTS.blockRangeMs, { min: MIN_BLOCK_RANGE_MS }),
    outOfOrderWindowMs: t.durationMs('out_of_order_window', TSDB_DEFAULTS.outOfOrderWindowMs),
    walFsync: t.string('wal_fsync', TSDB_DEFAULTS.walFsync, { oneOf: ['always', 'batch', 'none'] }) as FsyncPolicy,
    rollup5mAfterMs: t.durationMs('rollup_5m_after', TSDB_DEFAULTS.rollup5mAfterMs),
    rollup1hAfterMs: t.durationMs('rollup_1h_after', TSDB_DEFAULTS.rollup1hAfterMs),
    retention5mMs: t.durationMs('retention_5m', TSDB_DEFAULTS.retention5mMs),
    retention1hMs: t.durationMs('retention_1h', TSDB_DEFAULTS.retention1hMs),
  };
  if (cfg.tsdb.rollup5mAfterMs === 0 && cfg.tsdb.rollup1hAfterMs > 0) t.fail('rollup_1h_after', '0 when rollup_5m_after is 0 (1h rollups are made from 5m rollups)', String(cfg.tsdb.rollup1hAfterMs));
  t.done();
  const bk = r.object('bucket');
  const bucketFile = bk.has('object_store_config') ? relativeTo(file, bk.string('object_store_config')) : (bk.raw('object_store_config'), undefined);
  const bucketRaw = {
    cacheBytes: bk.sizeBytes('cache_size', 1 << 30),
    syncIntervalMs: bk.durationMs('sync_interval', 60_000, { min: 1000 }),
    retention: {
      rawMs: bk.durationMs('retention_resolution_raw', 0),
      fiveMinMs: bk.durationMs('retention_resolution_5m', 0),
      oneHourMs: bk.durationMs('retention_resolution_1h', 0),
    },
  };
  bk.done();
  const rc = r.object('runtime_config');
  if (rc.has('file')) cfg.runtimeConfigFile = relativeTo(file, rc.string('file'));
  cfg.runtimeConfigPeriodMs = rc.durationMs('reload_period', 10_000, { min: 100 });
  rc.done();
  const snap = r.object('snapshot');
  cfg.snapshots = { maxCount: snap.number('max_count', 3, { min: 1, integer: true }), maxBytes: snap.sizeBytes('max_size', 0) };
  snap.done();
  const natsRaw = flagNatsUrl(f.nats as string | undefined) ?? cfg.natsUrl;
  const na = parseNatsAuth(nats, f, natsRaw ?? '', 'zone');
  if (natsRaw !== undefined) cfg.natsUrl = na.url;
  cfg.natsAuth = na.auth;
  nats.done();
  r.done();
  const flag = (name: string, check?: RegExp, what?: string): string | undefined => {
    const v = f[name] as string | undefined;
    if (v !== undefined && check && !check.test(v)) throw new CanopyError('flag_invalid', `canopy zone: flag --${name}: expected ${what}, got "${v}"`);
    return v;
  };
  cfg.listen = flag('listen', HOST_PORT_RE, 'HOST:PORT') ?? cfg.listen;
  cfg.grpcListen = flag('grpc-listen', HOST_PORT_RE, 'HOST:PORT') ?? cfg.grpcListen;
  cfg.dataDir = flag('data-dir') ?? cfg.dataDir;
  cfg.zone = flag('zone', NAME_RE, 'a zone name (lower-case letters, digits, - and _)') ?? cfg.zone;
  cfg.region = flag('region', NAME_RE, 'a region name (lower-case letters, digits, - and _)') ?? cfg.region;
  cfg.replica = flag('replica', NAME_RE, 'a replica name (lower-case letters, digits, - and _)') ?? cfg.replica;
  const peers = f['replica-peer'] as string[] | undefined;
  for (const u of peers ?? []) if (!/^https?:\/\/[^/]/.test(u)) throw new CanopyError('flag_invalid', `canopy zone: flag --replica-peer: expected an http(s) URL, got "${u}"`);
  if (peers) cfg.replicaPeers = peers;
  const peerHttp = (f['replica-peer.http-config.file'] as string | undefined) ?? (r.has('replica_peer_http_config_file') ? relativeTo(file, r.string('replica_peer_http_config_file')) : undefined);
  if (peerHttp) cfg.replicaPeerHttpConfig = parseHttpClientConfig(peerHttp);
  if (cfg.replicaPeers.length > 0 && !cfg.replica) throw new CanopyError('config_invalid', `${file ?? 'canopy zone'}: replica peers (replica_peers / --replica-peer) need a replica name (replica: / --replica)`);
  cfg.logLevel = flag('log-level', /^(trace|debug|info|warn|error)$/, 'debug, info, warn or error') ?? cfg.logLevel;
  cfg.storage = (flag('storage', /^(tsdb|memory)$/, 'tsdb or memory') ?? cfg.storage) as 'tsdb' | 'memory';
  const ret = flag('retention');
  if (ret !== undefined) {
    cfg.tsdb.retentionMs = new ConfigReader('--retention', { retention: ret }).durationMs('retention', 0, { min: 60_000 });
  }
  const files = f['rule-file'] as string[] | undefined;
  if (files) cfg.ruleFiles = [...cfg.ruleFiles, ...files];
  cfg.notifierConfig = flag('notifier-config') ?? cfg.notifierConfig;
  const ams = f['alertmanager-url'] as string[] | undefined;
  for (const u of ams ?? []) if (!/^https?:\/\/[^/]/.test(u)) throw new CanopyError('flag_invalid', `canopy zone: flag --alertmanager-url: expected an http(s) URL, got "${u}"`);
  if (ams) cfg.alertmanagerUrls = [...cfg.alertmanagerUrls, ...ams];
  cfg.runtimeConfigFile = flag('runtime-config.file') ?? cfg.runtimeConfigFile;
  const rcPeriod = flag('runtime-config.reload-period');
  if (rcPeriod !== undefined) cfg.runtimeConfigPeriodMs = new ConfigReader('--runtime-config.reload-period', { p: rcPeriod }).durationMs('p', 0, { min: 100 });
  cfg.tenantAlerting.ruleDir = flag('tenant-rule-dir') ?? cfg.tenantAlerting.ruleDir;
  const evalIv = flag('evaluation-interval');
  if (evalIv !== undefined) cfg.evaluationIntervalMs = new ConfigReader('--evaluation-interval', { i: evalIv }).durationMs('i', 0, { min: 1 });
  const peerTo = flag('alert-peer-timeout');
  if (peerTo !== undefined) cfg.alertPeerTimeoutMs = new ConfigReader('--alert-peer-timeout', { t: peerTo }).durationMs('t', 0, { min: 100 });
  cfg.queryLimits = applyQueryLimitFlags(cfg.queryLimits, f, 'zone');
  cfg.queryTimeoutMs = cfg.queryLimits.timeoutMs;
  if (!cfg.ruleStateDb) cfg.ruleStateDb = join(cfg.dataDir, 'rules.db');
  cfg.webConfigFile = flag('web.config.file') ?? cfg.webConfigFile;
  if (f['web.enable-admin-api'] !== undefined) cfg.adminApi = f['web.enable-admin-api'] as boolean;
  if (f['web.enable-lifecycle'] !== undefined) cfg.lifecycleApi = f['web.enable-lifecycle'] as boolean;
  const maxCount = flag('snapshot.max-count', /^[1-9]\d*$/, 'a positive integer');
  if (maxCount !== undefined) cfg.snapshots.maxCount = Number(maxCount);
  const maxSize = flag('snapshot.max-size');
  if (maxSize !== undefined) cfg.snapshots.maxBytes = new ConfigReader('--snapshot.max-size', { s: maxSize }).sizeBytes('s', 0);
  if (cfg.webConfigFile) parseWebConfig(cfg.webConfigFile); // exit 2 at start, naming the file and the key
  const osFile = flag('object-store-config') ?? bucketFile;
  const dur = (name: string, min: number): number | undefined => {
    const v = flag(name);
    return v === undefined ? undefined : new ConfigReader(`--${name}`, { v }).durationMs('v', 0, { min });
  };
  const cacheFlag = flag('bucket-cache-size');
  if (cacheFlag !== undefined) bucketRaw.cacheBytes = new ConfigReader('--bucket-cache-size', { s: cacheFlag }).sizeBytes('s', 0);
  bucketRaw.syncIntervalMs = dur('bucket-sync-interval', 1000) ?? bucketRaw.syncIntervalMs;
  bucketRaw.retention.rawMs = dur('retention.resolution-raw', 0) ?? bucketRaw.retention.rawMs;
  bucketRaw.retention.fiveMinMs = dur('retention.resolution-5m', 0) ?? bucketRaw.retention.fiveMinMs;
  bucketRaw.retention.oneHourMs = dur('retention.resolution-1h', 0) ?? bucketRaw.retention.oneHourMs;
  if (osFile !== undefined) {
    if (cfg.storage === 'memory') throw new CanopyError('config_invalid', `${file ? `${file}: ` : ''}an object store needs storage: tsdb (blocks), not memory`);
    // Read and validated now: a bad file stops the zone at start, naming the file and the key.
    cfg.bucket = { file: osFile, objectStore: loadObjectStoreConfig(osFile), ...bucketRaw };
  }
  // External labels default to the zone's identity, as a Thanos sidecar's do.
  if (Object.keys(ext).length === 0) {
    if (cfg.zone) cfg.externalLabels.zone = cfg.zone;
    if (cfg.region) cfg.externalLabels.region = cfg.region;
  }
  if (cfg.natsUrl && !cfg.zone) throw new CanopyError('config_invalid', `${file ?? 'canopy zone'}: a zone that joins NATS needs a name (zone: / --zone)`);
  return cfg;
}
