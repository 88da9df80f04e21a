// Zone configuration: a YAML file (--config) and/or flags; flags override the file. Parsed
// and validated once at start (parseZoneConfig); nothing reads configuration later.
import {
  applyQueryLimitFlags,
  ConfigReader,
  HOST_PORT_RE,
  parseFlags,
  QUERY_LIMIT_FLAGS,
  readQueryLimits,
  type FlagSpec,
  type FlagValues,
  type QueryLimits,
} from '../shared/config/index.ts';
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
  listen: {
    type: 'string',
    arg: 'HOST:PORT',
    help: 'HTTP: Prometheus API, /api/v1/write, /metrics (default 127.0.0.1:9201)',
  },
  'grpc-listen': {
    type: 'string',
    arg: 'HOST:PORT',
    help: 'gRPC ingest from leaves (default 127.0.0.1:9301)',
  },
  ...GRPC_AUTH_FLAGS,
  'data-dir': { type: 'string', arg: 'DIR', help: 'data directory (default data/zone)' },
  nats: {
    type: 'string',
    arg: 'URL',
    help: 'NATS server for the root (optional), e.g. nats://127.0.0.1:4222',
  },
  ...NATS_AUTH_FLAGS,
  zone: { type: 'string', arg: 'NAME', help: 'zone name, also the external label zone (default: none)' },
  region: { type: 'string', arg: 'NAME', help: 'region name, also the external label region' },
  replica: {
    type: 'string',
    arg: 'NAME',
    help: 'replica name when a zone runs as an HA pair (default: none)',
  },
  'replica-peer': {
    type: 'list',
    arg: 'URL',
    help: "another replica's HTTP URL: remote_write and push writes are forwarded to it (needs --replica)",
  },
  'replica-peer.http-config.file': {
    type: 'string',
    arg: 'FILE',
    help: 'Prometheus HTTP client config (tls_config, basic_auth, authorization) for the writes forwarded to the peer replicas',
  },
  'log-level': { type: 'string', arg: 'LEVEL', help: 'debug, info, warn or error (default info)' },
  storage: { type: 'string', arg: 'KIND', help: 'tsdb (default) or memory (tests)' },
  retention: { type: 'string', arg: 'DURATION', help: 'how long to keep samples (default 15d)' },
  'rule-file': { type: 'list', arg: 'PATH', help: 'Prometheus rule file to evaluate in the zone' },
  'notifier-config': { type: 'string', arg: 'PATH', help: 'Alertmanager YAML for the built-in notifier' },
  'alertmanager-url': { type: 'list', arg: 'URL', help: 'external Alertmanager that receives the alerts' },
  'runtime-config.file': {
    type: 'string',
    arg: 'PATH',
    help: 'per-tenant limit overrides (Mimir overrides: YAML), reloaded without restart',
  },
  'runtime-config.reload-period': {
    type: 'string',
    arg: 'DURATION',
    help: 'how often the runtime config file is re-read (default 10s)',
  },
  'evaluation-interval': {
    type: 'string',
    arg: 'DURATION',
    help: 'default rule group interval (default 1m)',
  },
  'alert-peer-timeout': {
    type: 'string',
    arg: 'DURATION',
    help: 'HA replicas: notification delay per replica position, as Alertmanager --cluster.peer-timeout (default 15s)',
  },
  'tenant-rule-dir': {
    type: 'string',
    arg: 'DIR',
    help: 'per-tenant rule files, Mimir ruler layout DIR/<tenant>/*.yml',
  },
  'web.config.file': {
    type: 'string',
    arg: 'FILE',
    help: 'Prometheus web config file: TLS, client certificates, basic auth, headers',
  },
  'web.enable-admin-api': { type: 'bool', help: 'serve the TSDB admin API (snapshot); off by default' },
  'web.enable-lifecycle': { type: 'bool', help: 'serve POST /-/reload and /-/quit; off by default' },
  'snapshot.max-count': {
    type: 'string',
    arg: 'N',
    help: 'snapshots kept; older ones are deleted (default 3)',
  },
  'snapshot.max-size': {
    type: 'string',
    arg: 'SIZE',
    help: 'bound on all snapshots together, e.g. 10GB (default: free disk space only)',
  },
  ...QUERY_LIMIT_FLAGS,
  'object-store-config': {
    type: 'string',
    arg: 'FILE',
    help: 'Thanos objstore YAML (type: S3 | FILESYSTEM): upload blocks to a bucket and query them',
  },
  'bucket-cache-size': {
    type: 'string',
    arg: 'SIZE',
    help: 'bound on the on-disk cache of bucket block indexes and chunk pages, LRU (default 1GiB)',
  },
  'bucket-sync-interval': {
    type: 'string',
    arg: 'DURATION',
    help: 'how often to re-list the bucket and retry uploads (default 1m)',
  },
  'retention.resolution-raw': {
    type: 'string',
    arg: 'DURATION',
    help: 'how long the bucket keeps raw blocks (default 0d: forever)',
  },
  'retention.resolution-5m': {
    type: 'string',
    arg: 'DURATION',
    help: 'how long the bucket keeps 5m rollup blocks (default 0d: forever)',
  },
  'retention.resolution-1h': {
    type: 'string',
    arg: 'DURATION',
    help: 'how long the bucket keeps 1h rollup blocks (default 0d: forever)',
  },
  help: { type: 'bool', help: 'show this help' },
};

const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

function flagNatsUrl(nurl: string | undefined): string | undefined {
  if (nurl !== undefined && !/^(nats|tls):\/\/[^/]+/.test(nurl)) {
    throw new CanopyError(
      'flag_invalid',
      `canopy zone: flag --nats: expected a URL like nats://127.0.0.1:4222, got "${redactUrl(nurl)}"`,
    );
  }
  return nurl;
}

/**
 * Reads the file (when --config names one), then lets flags override it. Errors name the file
 * and key, or the flag; the first one found stops the zone at start (checked in the order the
 * steps below run).
 */
export function parseZoneConfig(argv: readonly string[]): ZoneConfig | 'help' {
  const f = parseFlags(argv, ZONE_FLAGS, 'zone');
  if (f.help) return 'help';
  const file = f.config as string | undefined;
  const r = file ? ConfigReader.fromFile(file) : new ConfigReader('<flags>', {});
  const { cfg, bucket } = readZoneFile(r, file, f);
  const flag = flagReader(f);
  applyIdentityFlags(cfg, f, flag, file);
  applyRuleFlags(cfg, f, flag);
  cfg.queryLimits = applyQueryLimitFlags(cfg.queryLimits, f, 'zone');
  cfg.queryTimeoutMs = cfg.queryLimits.timeoutMs;
  if (!cfg.ruleStateDb) cfg.ruleStateDb = join(cfg.dataDir, 'rules.db');
  applyWebFlags(cfg, f, flag);
  applyBucketFlags(cfg, flag, file, bucket);
  // External labels default to the zone's identity, as a Thanos sidecar's do.
  if (Object.keys(cfg.externalLabels).length === 0) {
    if (cfg.zone) cfg.externalLabels.zone = cfg.zone;
    if (cfg.region) cfg.externalLabels.region = cfg.region;
  }
  if (cfg.natsUrl && !cfg.zone)
    throw new CanopyError(
      'config_invalid',
      `${file ?? 'canopy zone'}: a zone that joins NATS needs a name (zone: / --zone)`,
    );
  return cfg;
}

/** The bucket settings read before --object-store-config decides whether there is a bucket. */
type BucketSettings = Omit<ZoneBucketConfig, 'file' | 'objectStore'> & { file: string | undefined };

/** The config file (or an empty one): top-level keys, then each section; unknown keys rejected. */
function readZoneFile(
  r: ConfigReader,
  file: string | undefined,
  f: FlagValues,
): { cfg: ZoneConfig; bucket: BucketSettings } {
  const { cfg, nats } = readTopLevel(r, file, f);
  cfg.tsdb = readTsdbSection(r.object('tsdb'));
  const bucket = readBucketSection(r.object('bucket'), file);
  readRuntimeConfigSection(r.object('runtime_config'), cfg, file);
  cfg.snapshots = readSnapshotSection(r.object('snapshot'));
  readNatsSection(nats, f, cfg);
  r.done();
  return { cfg, bucket };
}

/**
 * Top-level keys, and the `nats:` section's URL and heartbeat (its credentials are read with the
 * flags, last); other sections are filled in by their own readers (defaults here are placeholders).
 */
function readTopLevel(
  r: ConfigReader,
  file: string | undefined,
  f: FlagValues,
): { cfg: ZoneConfig; nats: ConfigReader } {
  const zone = r.string('zone', '', {
    pattern: /^$|^[a-z0-9][a-z0-9_-]*$/,
    what: 'a zone name (lower-case letters, digits, - and _)',
  });
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
    replicaPeerHttpConfig: r.has('replica_peer_http_config_file')
      ? parseHttpClientConfig(relativeTo(file, r.string('replica_peer_http_config_file')))
      : (r.raw('replica_peer_http_config_file'), undefined),
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
    webConfigFile: r.has('web_config_file')
      ? relativeTo(file, r.string('web_config_file'))
      : (r.raw('web_config_file'), undefined),
    ruleFiles: r.strings('rule_files').map((p) => relativeTo(file, p)),
    notifierConfig: r.has('notifier_config')
      ? relativeTo(file, r.string('notifier_config'))
      : (r.raw('notifier_config'), undefined),
    ruleStateDb: r.has('rule_state_db')
      ? relativeTo(file, r.string('rule_state_db'))
      : (r.raw('rule_state_db'), ''),
    alertmanagerUrls: r.strings('alertmanager_urls'),
    evaluationIntervalMs: r.durationMs('evaluation_interval', 60_000, { min: 1 }),
    alertPeerTimeoutMs: r.durationMs('alert_peer_timeout', 15_000, { min: 100 }),
    tenantAlerting: parseTenantAlertingConfig(r, (p) => relativeTo(file, p)),
  };
  for (const [i, u] of cfg.alertmanagerUrls.entries())
    if (!/^https?:\/\/[^/]/.test(u)) r.fail(`alertmanager_urls[${i}]`, 'an http(s) URL', u);
  return { cfg, nats };
}

/** `tsdb:` retention, block range, out-of-order window, WAL fsync and rollup ages. */
function readTsdbSection(t: ConfigReader): ZoneConfig['tsdb'] {
  const tsdb: ZoneConfig['tsdb'] = {
    retentionMs: t.durationMs('retention', TSDB_DEFAULTS.retentionMs, { min: MIN_BLOCK_RANGE_MS }),
    retentionBytes: t.sizeBytes('retention_size', TSDB_DEFAULTS.retentionBytes),
    blockRangeMs: t.durationMs('block_range', TSDB_DEFAULTS.blockRangeMs, { min: MIN_BLOCK_RANGE_MS }),
    outOfOrderWindowMs: t.durationMs('out_of_order_window', TSDB_DEFAULTS.outOfOrderWindowMs),
    walFsync: t.string('wal_fsync', TSDB_DEFAULTS.walFsync, {
      oneOf: ['always', 'batch', 'none'],
    }) as FsyncPolicy,
    rollup5mAfterMs: t.durationMs('rollup_5m_after', TSDB_DEFAULTS.rollup5mAfterMs),
    rollup1hAfterMs: t.durationMs('rollup_1h_after', TSDB_DEFAULTS.rollup1hAfterMs),
    retention5mMs: t.durationMs('retention_5m', TSDB_DEFAULTS.retention5mMs),
    retention1hMs: t.durationMs('retention_1h', TSDB_DEFAULTS.retention1hMs),
  };
  if (tsdb.rollup5mAfterMs === 0 && tsdb.rollup1hAfterMs > 0)
    t.fail(
      'rollup_1h_after',
      '0 when rollup_5m_after is 0 (1h rollups are made from 5m rollups)',
      String(tsdb.rollup1hAfterMs),
    );
  t.done();
  return tsdb;
}

/** `bucket:` the objstore file and the cache, sync and retention settings. */
function readBucketSection(bk: ConfigReader, file: string | undefined): BucketSettings {
  const bucketFile = bk.has('object_store_config')
    ? relativeTo(file, bk.string('object_store_config'))
    : (bk.raw('object_store_config'), undefined);
  const bucket: BucketSettings = {
    file: bucketFile,
    cacheBytes: bk.sizeBytes('cache_size', 1 << 30),
    syncIntervalMs: bk.durationMs('sync_interval', 60_000, { min: 1000 }),
    retention: {
      rawMs: bk.durationMs('retention_resolution_raw', 0),
      fiveMinMs: bk.durationMs('retention_resolution_5m', 0),
      oneHourMs: bk.durationMs('retention_resolution_1h', 0),
    },
  };
  bk.done();
  return bucket;
}

/** `runtime_config:` the per-tenant overrides file and its reload period. */
function readRuntimeConfigSection(rc: ConfigReader, cfg: ZoneConfig, file: string | undefined): void {
  if (rc.has('file')) cfg.runtimeConfigFile = relativeTo(file, rc.string('file'));
  cfg.runtimeConfigPeriodMs = rc.durationMs('reload_period', 10_000, { min: 100 });
  rc.done();
}

/** `snapshot:` how many snapshots are kept and their size bound. */
function readSnapshotSection(snap: ConfigReader): SnapshotLimits {
  const limits = {
    maxCount: snap.number('max_count', 3, { min: 1, integer: true }),
    maxBytes: snap.sizeBytes('max_size', 0),
  };
  snap.done();
  return limits;
}

/** `nats:` with --nats and the NATS credential flags: the URL without credentials, and the credentials. */
function readNatsSection(nats: ConfigReader, f: FlagValues, cfg: ZoneConfig): void {
  const natsRaw = flagNatsUrl(f.nats as string | undefined) ?? cfg.natsUrl;
  const na = parseNatsAuth(nats, f, natsRaw ?? '', 'zone');
  if (natsRaw !== undefined) cfg.natsUrl = na.url;
  cfg.natsAuth = na.auth;
  nats.done();
}

/** A string flag's value, checked against a pattern when one is given. */
type FlagReader = (name: string, check?: RegExp, what?: string) => string | undefined;

function flagReader(f: FlagValues): FlagReader {
  return (name, check, what) => {
    const v = f[name] as string | undefined;
    if (v !== undefined && check && !check.test(v))
      throw new CanopyError('flag_invalid', `canopy zone: flag --${name}: expected ${what}, got "${v}"`);
    return v;
  };
}

/** A duration flag, read as a one-key document (its error names the flag and that key). */
function durationFlag(flag: FlagReader, name: string, key: string, min: number): number | undefined {
  const v = flag(name);
  return v === undefined
    ? undefined
    : new ConfigReader(`--${name}`, { [key]: v }).durationMs(key, 0, { min });
}

/**
 * Flags that replace one setting, in the order they are checked: addresses, data directory,
 * names (the identity pattern), log level and storage kind.
 */
const SIMPLE_FLAGS: readonly {
  name: string;
  key: 'listen' | 'grpcListen' | 'dataDir' | 'zone' | 'region' | 'replica';
  check?: RegExp;
  what?: string;
}[] = [
  { name: 'listen', key: 'listen', check: HOST_PORT_RE, what: 'HOST:PORT' },
  { name: 'grpc-listen', key: 'grpcListen', check: HOST_PORT_RE, what: 'HOST:PORT' },
  { name: 'data-dir', key: 'dataDir' },
  { name: 'zone', key: 'zone', check: NAME_RE, what: 'a zone name (lower-case letters, digits, - and _)' },
  {
    name: 'region',
    key: 'region',
    check: NAME_RE,
    what: 'a region name (lower-case letters, digits, - and _)',
  },
  {
    name: 'replica',
    key: 'replica',
    check: NAME_RE,
    what: 'a replica name (lower-case letters, digits, - and _)',
  },
];

/** Addresses, names, replica peers, log level, storage kind and retention. */
function applyIdentityFlags(
  cfg: ZoneConfig,
  f: FlagValues,
  flag: FlagReader,
  file: string | undefined,
): void {
  for (const s of SIMPLE_FLAGS) cfg[s.key] = flag(s.name, s.check, s.what) ?? cfg[s.key];
  const peers = f['replica-peer'] as string[] | undefined;
  for (const u of peers ?? [])
    if (!/^https?:\/\/[^/]/.test(u))
      throw new CanopyError(
        'flag_invalid',
        `canopy zone: flag --replica-peer: expected an http(s) URL, got "${u}"`,
      );
  if (peers) cfg.replicaPeers = peers;
  const peerHttp = f['replica-peer.http-config.file'] as string | undefined;
  if (peerHttp) cfg.replicaPeerHttpConfig = parseHttpClientConfig(peerHttp);
  if (cfg.replicaPeers.length > 0 && !cfg.replica)
    throw new CanopyError(
      'config_invalid',
      `${file ?? 'canopy zone'}: replica peers (replica_peers / --replica-peer) need a replica name (replica: / --replica)`,
    );
  cfg.logLevel =
    flag('log-level', /^(trace|debug|info|warn|error)$/, 'debug, info, warn or error') ?? cfg.logLevel;
  cfg.storage = (flag('storage', /^(tsdb|memory)$/, 'tsdb or memory') ?? cfg.storage) as 'tsdb' | 'memory';
  cfg.tsdb.retentionMs = durationFlag(flag, 'retention', 'retention', 60_000) ?? cfg.tsdb.retentionMs;
}

/** Rule files, notifier, Alertmanagers, runtime config, tenant rules and rule timing. */
function applyRuleFlags(cfg: ZoneConfig, f: FlagValues, flag: FlagReader): void {
  const files = f['rule-file'] as string[] | undefined;
  if (files) cfg.ruleFiles = [...cfg.ruleFiles, ...files];
  cfg.notifierConfig = flag('notifier-config') ?? cfg.notifierConfig;
  const ams = f['alertmanager-url'] as string[] | undefined;
  for (const u of ams ?? [])
    if (!/^https?:\/\/[^/]/.test(u))
      throw new CanopyError(
        'flag_invalid',
        `canopy zone: flag --alertmanager-url: expected an http(s) URL, got "${u}"`,
      );
  if (ams) cfg.alertmanagerUrls = [...cfg.alertmanagerUrls, ...ams];
  cfg.runtimeConfigFile = flag('runtime-config.file') ?? cfg.runtimeConfigFile;
  cfg.runtimeConfigPeriodMs =
    durationFlag(flag, 'runtime-config.reload-period', 'p', 100) ?? cfg.runtimeConfigPeriodMs;
  cfg.tenantAlerting.ruleDir = flag('tenant-rule-dir') ?? cfg.tenantAlerting.ruleDir;
  cfg.evaluationIntervalMs = durationFlag(flag, 'evaluation-interval', 'i', 1) ?? cfg.evaluationIntervalMs;
  cfg.alertPeerTimeoutMs = durationFlag(flag, 'alert-peer-timeout', 't', 100) ?? cfg.alertPeerTimeoutMs;
}

/** Web config file (validated now), admin and lifecycle APIs, snapshot limits. */
function applyWebFlags(cfg: ZoneConfig, f: FlagValues, flag: FlagReader): void {
  cfg.webConfigFile = flag('web.config.file') ?? cfg.webConfigFile;
  if (f['web.enable-admin-api'] !== undefined) cfg.adminApi = f['web.enable-admin-api'] as boolean;
  if (f['web.enable-lifecycle'] !== undefined) cfg.lifecycleApi = f['web.enable-lifecycle'] as boolean;
  const maxCount = flag('snapshot.max-count', /^[1-9]\d*$/, 'a positive integer');
  if (maxCount !== undefined) cfg.snapshots.maxCount = Number(maxCount);
  const maxSize = flag('snapshot.max-size');
  if (maxSize !== undefined)
    cfg.snapshots.maxBytes = new ConfigReader('--snapshot.max-size', { s: maxSize }).sizeBytes('s', 0);
  if (cfg.webConfigFile) parseWebConfig(cfg.webConfigFile); // exit 2 at start, naming the file and the key
}

/** The object store (file or --object-store-config, read and validated now) and its settings. */
function applyBucketFlags(
  cfg: ZoneConfig,
  flag: FlagReader,
  file: string | undefined,
  bucket: BucketSettings,
): void {
  const osFile = flag('object-store-config') ?? bucket.file;
  const cacheFlag = flag('bucket-cache-size');
  if (cacheFlag !== undefined)
    bucket.cacheBytes = new ConfigReader('--bucket-cache-size', { s: cacheFlag }).sizeBytes('s', 0);
  bucket.syncIntervalMs = durationFlag(flag, 'bucket-sync-interval', 'v', 1000) ?? bucket.syncIntervalMs;
  bucket.retention.rawMs = durationFlag(flag, 'retention.resolution-raw', 'v', 0) ?? bucket.retention.rawMs;
  bucket.retention.fiveMinMs =
    durationFlag(flag, 'retention.resolution-5m', 'v', 0) ?? bucket.retention.fiveMinMs;
  bucket.retention.oneHourMs =
    durationFlag(flag, 'retention.resolution-1h', 'v', 0) ?? bucket.retention.oneHourMs;
  if (osFile !== undefined) {
    if (cfg.storage === 'memory')
      throw new CanopyError(
        'config_invalid',
        `${file ? `${file}: ` : ''}an object store needs storage: tsdb (blocks), not memory`,
      );
    // Read and validated now: a bad file stops the zone at start, naming the file and the key.
    const { cacheBytes, syncIntervalMs, retention } = bucket;
    cfg.bucket = {
      file: osFile,
      objectStore: loadObjectStoreConfig(osFile),
      cacheBytes,
      syncIntervalMs,
      retention,
    };
  }
}
