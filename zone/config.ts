// Zone configuration: a YAML file (--config) and/or flags; flags override the file. Parsed
// and validated once at start (parseZoneConfig); nothing reads configuration later.
import { ConfigReader, HOST_PORT_RE, parseFlags, type FlagSpec } from '../shared/config/index.ts';
import { CanopyError } from '../shared/errors.ts';
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
  };
  limits: Readonly<AdmissionLimits>;
  /** Per-tenant limit overrides (zone/ingest/runtime-config.ts), re-read every period. */
  runtimeConfigFile?: string;
  runtimeConfigPeriodMs: number;
  /** Serve POST /api/v1/admin/tsdb/snapshot. */
  adminApi: boolean;
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
  'runtime-config.file': { type: 'string', arg: 'PATH', help: 'per-tenant limit overrides (Mimir overrides: YAML), reloaded without restart' },
  'runtime-config.reload-period': { type: 'string', arg: 'DURATION', help: 'how often the runtime config file is re-read (default 10s)' },
  'evaluation-interval': { type: 'string', arg: 'DURATION', help: 'default rule group interval (default 1m)' },
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
    },
    limits: parseAdmissionLimits(r.raw('limits'), `${file ?? '<flags>'}: limits`),
    runtimeConfigFile: undefined,
    runtimeConfigPeriodMs: 10_000,
    adminApi: r.bool('admin_api', true),
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
  };
  t.done();
  const rc = r.object('runtime_config');
  if (rc.has('file')) cfg.runtimeConfigFile = relativeTo(file, rc.string('file'));
  cfg.runtimeConfigPeriodMs = rc.durationMs('reload_period', 10_000, { min: 100 });
  rc.done();
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
  cfg.runtimeConfigFile = flag('runtime-config.file') ?? cfg.runtimeConfigFile;
  const rcPeriod = flag('runtime-config.reload-period');
  if (rcPeriod !== undefined) cfg.runtimeConfigPeriodMs = new ConfigReader('--runtime-config.reload-period', { p: rcPeriod }).durationMs('p', 0, { min: 100 });
  const evalIv = flag('evaluation-interval');
  if (evalIv !== undefined) cfg.evaluationIntervalMs = new ConfigReader('--evaluation-interval', { i: evalIv }).durationMs('i', 0, { min: 1 });
  if (!cfg.ruleStateDb) cfg.ruleStateDb = join(cfg.dataDir, 'rules.db');
  const nurl = flag('nats');
  if (nurl !== undefined) {
    if (!/^(nats|tls):\/\/[^/]+/.test(nurl)) throw new CanopyError('flag_invalid', `canopy zone: flag --nats: expected a URL like nats://127.0.0.1:4222, got "${nurl}"`);
    cfg.natsUrl = nurl;
  }
  // External labels default to the zone's identity, as a Thanos sidecar's do.
  if (Object.keys(ext).length === 0) {
    if (cfg.zone) cfg.externalLabels.zone = cfg.zone;
    if (cfg.region) cfg.externalLabels.region = cfg.region;
  }
  if (cfg.natsUrl && !cfg.zone) throw new CanopyError('config_invalid', `${file ?? 'canopy zone'}: a zone that joins NATS needs a name (zone: / --zone)`);
  return cfg;
}
