// Zone configuration: a YAML file (--config) and/or flags; flags override the file. Parsed
// and validated once at start (parseZoneConfig); nothing reads configuration later.
import { ConfigReader, HOST_PORT_RE, parseFlags, type FlagSpec } from '../shared/config/index.ts';
import { CanopyError } from '../shared/errors.ts';
import { parseWebConfig } from '../shared/http/index.ts';
import type { SnapshotLimits } from './admin-api.ts';
import { parseAdmissionLimits, type AdmissionLimits } from './ingest/index.ts';
import type { FsyncPolicy } from './wal/index.ts';
import { dirname, isAbsolute, join } from 'node:path';

/** Paths in a config file are relative to the file (as Prometheus resolves rule_files). */
function relativeTo(file: string | undefined, p: string): string {
  return file && !isAbsolute(p) ? join(dirname(file), p) : p;
}

export interface ZoneConfig {
  configFile?: string;
  zone: string;
  region: string;
  /** Labels attached to everything the zone returns (default: zone and region). */
  externalLabels: Record<string, string>;
  listen: string;
  grpcListen: string;
  dataDir: string;
  natsUrl?: string;
  heartbeatIntervalMs: number;
  queryTimeoutMs: number;
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
}

export const ZONE_FLAGS: Record<string, FlagSpec> = {
  config: { type: 'string', arg: 'FILE', help: 'YAML configuration file' },
  listen: { type: 'string', arg: 'HOST:PORT', help: 'HTTP: Prometheus API, /api/v1/write, /metrics (default 127.0.0.1:9201)' },
  'grpc-listen': { type: 'string', arg: 'HOST:PORT', help: 'gRPC ingest from leaves (default 127.0.0.1:9301)' },
  'data-dir': { type: 'string', arg: 'DIR', help: 'data directory (default data/zone)' },
  nats: { type: 'string', arg: 'URL', help: 'NATS server for the root (optional), e.g. nats://127.0.0.1:4222' },
  zone: { type: 'string', arg: 'NAME', help: 'zone name, also the external label zone (default: none)' },
  region: { type: 'string', arg: 'NAME', help: 'region name, also the external label region' },
  'log-level': { type: 'string', arg: 'LEVEL', help: 'debug, info, warn or error (default info)' },
  storage: { type: 'string', arg: 'KIND', help: 'tsdb (default) or memory (tests)' },
  retention: { type: 'string', arg: 'DURATION', help: 'how long to keep samples (default 15d)' },
  'rule-file': { type: 'list', arg: 'PATH', help: 'Prometheus rule file to evaluate in the zone' },
  'notifier-config': { type: 'string', arg: 'PATH', help: 'Alertmanager YAML for the built-in notifier' },
  'alertmanager-url': { type: 'list', arg: 'URL', help: 'external Alertmanager that receives the alerts' },
  'evaluation-interval': { type: 'string', arg: 'DURATION', help: 'default rule group interval (default 1m)' },
  'web.config.file': { type: 'string', arg: 'FILE', help: 'Prometheus web config file: TLS, client certificates, basic auth, headers' },
  'web.enable-admin-api': { type: 'bool', help: 'serve the TSDB admin API (snapshot); off by default' },
  'web.enable-lifecycle': { type: 'bool', help: 'serve POST /-/reload and /-/quit; off by default' },
  'snapshot.max-count': { type: 'string', arg: 'N', help: 'snapshots kept; older ones are deleted (default 3)' },
  'snapshot.max-size': { type: 'string', arg: 'SIZE', help: 'bound on all snapshots together, e.g. 10GB (default: free disk space only)' },
  help: { type: 'bool', help: 'show this help' },
};

const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

export function parseZoneConfig(argv: readonly string[]): ZoneConfig | 'help' {
  const f = parseFlags(argv, ZONE_FLAGS, 'zone');
  if (f.help) return 'help';
  const file = f.config as string | undefined;
  const r = file ? ConfigReader.fromFile(file) : new ConfigReader('<flags>', {});
  const zone = r.string('zone', '', { pattern: /^$|^[a-z0-9][a-z0-9_-]*$/, what: 'a zone name (lower-case letters, digits, - and _)' });
  const region = r.string('region', '', { pattern: /^$|^[a-z0-9][a-z0-9_-]*$/, what: 'a region name' });
  const ext = r.stringMap('external_labels');
  const nats = r.object('nats');
  const cfg: ZoneConfig = {
    configFile: file,
    zone,
    region,
    externalLabels: ext,
    listen: r.hostPort('listen', '127.0.0.1:9201'),
    grpcListen: r.hostPort('grpc_listen', '127.0.0.1:9301'),
    dataDir: r.string('data_dir', 'data/zone'),
    natsUrl: nats.has('url') ? nats.url('url', undefined, ['nats:', 'tls:']) : (nats.raw('url'), undefined),
    heartbeatIntervalMs: nats.durationMs('heartbeat_interval', 2000, { min: 100 }),
    queryTimeoutMs: r.durationMs('query_timeout', 120_000, { min: 1 }),
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
    adminApi: r.bool('admin_api', false),
    lifecycleApi: r.bool('lifecycle_api', false),
    snapshots: { maxCount: 3, maxBytes: 0 },
    webConfigFile: r.has('web_config_file') ? relativeTo(file, r.string('web_config_file')) : (r.raw('web_config_file'), undefined),
    ruleFiles: r.strings('rule_files').map((p) => relativeTo(file, p)),
    notifierConfig: r.has('notifier_config') ? relativeTo(file, r.string('notifier_config')) : (r.raw('notifier_config'), undefined),
    ruleStateDb: r.has('rule_state_db') ? relativeTo(file, r.string('rule_state_db')) : (r.raw('rule_state_db'), ''),
    alertmanagerUrls: r.strings('alertmanager_urls'),
    evaluationIntervalMs: r.durationMs('evaluation_interval', 60_000, { min: 1 }),
  };
  for (const [i, u] of cfg.alertmanagerUrls.entries()) if (!/^https?:\/\/[^/]/.test(u)) r.fail(`alertmanager_urls[${i}]`, 'an http(s) URL', u);
  const t = r.object('tsdb');
  cfg.tsdb = {
    retentionMs: t.durationMs('retention', 15 * 86_400_000, { min: 60_000 }),
    retentionBytes: t.sizeBytes('retention_size', 0),
    blockRangeMs: t.durationMs('block_range', 2 * 3_600_000, { min: 60_000 }),
    outOfOrderWindowMs: t.durationMs('out_of_order_window', 3_600_000),
    walFsync: t.string('wal_fsync', 'batch', { oneOf: ['always', 'batch', 'none'] }) as FsyncPolicy,
    rollup5mAfterMs: t.durationMs('rollup_5m_after', 40 * 3_600_000),
    rollup1hAfterMs: t.durationMs('rollup_1h_after', 10 * 86_400_000),
    retention5mMs: t.durationMs('retention_5m', 0),
    retention1hMs: t.durationMs('retention_1h', 0),
  };
  if (cfg.tsdb.rollup5mAfterMs === 0 && cfg.tsdb.rollup1hAfterMs > 0) t.fail('rollup_1h_after', '0 when rollup_5m_after is 0 (1h rollups are made from 5m rollups)', String(cfg.tsdb.rollup1hAfterMs));
  t.done();
  const snap = r.object('snapshot');
  cfg.snapshots = { maxCount: snap.number('max_count', 3, { min: 1, integer: true }), maxBytes: snap.sizeBytes('max_size', 0) };
  snap.done();
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
  const evalIv = flag('evaluation-interval');
  if (evalIv !== undefined) cfg.evaluationIntervalMs = new ConfigReader('--evaluation-interval', { i: evalIv }).durationMs('i', 0, { min: 1 });
  if (!cfg.ruleStateDb) cfg.ruleStateDb = join(cfg.dataDir, 'rules.db');
  const nurl = flag('nats');
  if (nurl !== undefined) {
    if (!/^(nats|tls):\/\/[^/]+/.test(nurl)) throw new CanopyError('flag_invalid', `canopy zone: flag --nats: expected a URL like nats://127.0.0.1:4222, got "${nurl}"`);
    cfg.natsUrl = nurl;
  }
  cfg.webConfigFile = flag('web.config.file') ?? cfg.webConfigFile;
  if (f['web.enable-admin-api'] !== undefined) cfg.adminApi = f['web.enable-admin-api'] as boolean;
  if (f['web.enable-lifecycle'] !== undefined) cfg.lifecycleApi = f['web.enable-lifecycle'] as boolean;
  const maxCount = flag('snapshot.max-count', /^[1-9]\d*$/, 'a positive integer');
  if (maxCount !== undefined) cfg.snapshots.maxCount = Number(maxCount);
  const maxSize = flag('snapshot.max-size');
  if (maxSize !== undefined) cfg.snapshots.maxBytes = new ConfigReader('--snapshot.max-size', { s: maxSize }).sizeBytes('s', 0);
  if (cfg.webConfigFile) parseWebConfig(cfg.webConfigFile); // exit 2 at start, naming the file and the key
  // External labels default to the zone's identity, as a Thanos sidecar's do.
  if (Object.keys(ext).length === 0) {
    if (cfg.zone) cfg.externalLabels.zone = cfg.zone;
    if (cfg.region) cfg.externalLabels.region = cfg.region;
  }
  if (cfg.natsUrl && !cfg.zone) throw new CanopyError('config_invalid', `${file ?? 'canopy zone'}: a zone that joins NATS needs a name (zone: / --zone)`);
  return cfg;
}
