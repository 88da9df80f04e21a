// Leaf configuration: a YAML file (--config) in Prometheus's scrape_configs shape plus the
// leaf's own keys, and flags for the common case (as vmagent has). Flags override the file.
// Parsed and validated once at start; every error names the file (or flag) and the key.
//
// File keys (all optional):
//   name, tenant (X-Scope-OrgID of everything shipped; default anonymous),
//   listen, data_dir ("" = in-memory queue), zones: [HOST:PORT…], flush_interval,
//   buffer_max_bytes, statsd_listen, otlp_listen, otlp_grpc_listen, heartbeat_interval, metadata_interval, log_level,
//   send_timeout, send_max_backoff, web_config_file, zone_tls: { ca_file, cert_file, key_file, server_name },
//   zone_token_file, ship_to (first: failover in list order, the default; all: every batch to
//   every zone address, one disk-buffer cursor each — zone replicas),
//   global: { scrape_interval, scrape_timeout, external_labels },
//   scrape_configs: [ Prometheus scrape config: job_name, scheme, metrics_path, scrape_interval,
//                     scrape_timeout, honor_labels, honor_timestamps, sample_limit,
//                     body_size_limit, relabel_configs, metric_relabel_configs,
//                     static_configs, file_sd_configs ],
//   stream_aggregation: [ rules, see leaf/aggregate/stream-aggregator.ts ],
//   cardinality: { soft_limit, hard_limit, series_limit, idle_timeout },
//   statsd: { expire_after }
// file_sd_configs paths are relative to the config file's directory, as in Prometheus.
import { dirname, isAbsolute, join } from 'node:path';
import {
  ConfigReader,
  HOST_PORT_RE,
  parseDurationMs,
  parseFlags,
  parseSizeBytes,
  type FlagSpec,
} from '../shared/config/index.ts';
import { CanopyError } from '../shared/errors.ts';
import { ANONYMOUS_TENANT, tenantIdError } from '../shared/tenant.ts';
import { parseWebConfig } from '../shared/http/index.ts';
import {
  parseFileSDConfigs,
  parseScrapeJobConfig,
  parseStaticConfigs,
  type FileSDConfig,
  type ScrapeJobConfig,
  type TargetGroup,
} from './scrape/index.ts';
import { parseStreamAggrConfigs, type StreamAggrRule } from './aggregate/index.ts';
import { parseZoneTls, ZONE_TLS_FLAGS, type ZoneTlsConfig } from './zone-tls.ts';

/** One scrape job: its settings, its static target groups and its file_sd sources. */
export interface LeafScrapeJob {
  readonly config: ScrapeJobConfig;
  readonly staticGroups: readonly TargetGroup[];
  readonly fileSd: readonly FileSDConfig[];
}

export interface LeafConfig {
  name: string;
  /** The tenant whose data the leaf ships (gRPC metadata x-scope-orgid); anonymous sends none. */
  tenant: string;
  listen: string;
  /** Disk buffer directory; "" runs with an in-memory queue (lost on restart). */
  dataDir: string;
  /** Zone gRPC addresses in failover order. */
  zones: string[];
  /** 'first': failover in list order; 'all': every batch to every address (zone replicas). */
  shipTo: 'first' | 'all';
  /** TLS, client certificate and token for the zones (leaf/zone-tls.ts). */
  zoneTls: ZoneTlsConfig;
  flushIntervalMs: number;
  bufferMaxBytes: number;
  statsdListen?: string;
  /** OTLP/HTTP metrics listener (POST /v1/metrics); off when unset. */
  otlpListen?: string;
  /** OTLP/gRPC metrics listener (MetricsService/Export); off when unset. */
  otlpGrpcListen?: string;
  statsdExpireAfterMs: number;
  heartbeatIntervalMs: number;
  /** Metric metadata is re-sent at least this often even when unchanged. */
  metadataIntervalMs: number;
  sendTimeoutMs: number;
  sendMaxBackoffMs: number;
  externalLabels: Record<string, string>;
  jobs: LeafScrapeJob[];
  streamAggregation: readonly StreamAggrRule[];
  /** Per metric (soft, hard) and leaf-wide (seriesLimit, 0 = none) series limits. */
  cardinality: { softLimit: number; hardLimit: number; seriesLimit: number; idleMs: number };
  logLevel: string;
  /** Prometheus web config file (TLS, basic auth, headers) for the leaf's HTTP server. */
  webConfigFile?: string;
}

/**
 * Unique series a leaf accepts by default, all metrics together (a host exports a few thousand).
 * Measured: each admitted series holds ~0.75 KB (guard ~350 B, pipeline ~390 B); a JSON push
 * flood of 200k distinct names peaked at 161–206 MB RSS with 50k, 234–269 MB with 100k and
 * 356 MB with no limit (idle leaf 65 MB; docs/leaf.md).
 */
export const DEFAULT_SERIES_LIMIT = 50_000;

export const LEAF_FLAGS: Record<string, FlagSpec> = {
  config: { type: 'string', arg: 'FILE', help: 'YAML configuration file (Prometheus scrape_configs shape)' },
  zone: { type: 'list', arg: 'HOST:PORT', help: "a zone's gRPC address, in failover order" },
  'ship-to': {
    type: 'string',
    arg: 'MODE',
    help: 'first (default: the first zone that answers, in --zone order) or all (every batch to every --zone: replicas of one zone, one buffer cursor each)',
  },
  ...ZONE_TLS_FLAGS,
  scrape: { type: 'list', arg: 'URL', help: 'a target to scrape (job "scrape")' },
  'scrape-interval': { type: 'string', arg: 'DURATION', help: 'interval for --scrape targets (default 15s)' },
  'statsd-listen': { type: 'string', arg: 'HOST:PORT', help: 'StatsD/DogStatsD UDP listener' },
  'otlp-listen': {
    type: 'string',
    arg: 'HOST:PORT',
    help: 'OTLP/HTTP metrics listener, POST /v1/metrics (off by default; the usual address is 127.0.0.1:4318)',
  },
  'otlp-grpc-listen': {
    type: 'string',
    arg: 'HOST:PORT',
    help: 'OTLP/gRPC metrics listener, plaintext (off by default; the usual address is 127.0.0.1:4317)',
  },
  listen: {
    type: 'string',
    arg: 'HOST:PORT',
    help: 'HTTP: /api/v1/push, /metrics, /healthz (default 127.0.0.1:9102)',
  },
  'data-dir': {
    type: 'string',
    arg: 'DIR',
    help: 'disk buffer directory (default data/leaf; "" = in-memory queue)',
  },
  'flush-interval': { type: 'string', arg: 'DURATION', help: 'pre-aggregation flush interval (default 10s)' },
  'buffer-max-bytes': { type: 'string', arg: 'SIZE', help: 'disk buffer bound (default 100MB)' },
  'series-limit': {
    type: 'string',
    arg: 'N',
    help: `unique series the leaf accepts across all metrics (default ${DEFAULT_SERIES_LIMIT}; 0 = no limit)`,
  },
  name: { type: 'string', arg: 'NAME', help: 'leaf name (default: host name)' },
  tenant: {
    type: 'string',
    arg: 'ID',
    help: 'tenant (X-Scope-OrgID) the leaf writes as (default anonymous)',
  },
  'log-level': { type: 'string', arg: 'LEVEL', help: 'debug, info, warn or error (default info)' },
  'web.config.file': {
    type: 'string',
    arg: 'FILE',
    help: 'Prometheus web config file: TLS, client certificates, basic auth, headers',
  },
  help: { type: 'bool', help: 'show this help' },
};

/** Runs a parser that throws CanopyError with a "<where>…" message, prefixing the file. */
function inFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CanopyError && !e.message.startsWith(file))
      throw new CanopyError('config_invalid', `${file}: key ${e.message}`, { cause: e });
    throw e;
  }
}

function parseJob(
  file: string,
  raw: unknown,
  i: number,
  defaults: { intervalMs: number; timeoutMs: number },
): LeafScrapeJob {
  const where = `scrape_configs[${i}]`;
  return inFile(file, () => {
    const config = parseScrapeJobConfig(raw, where, defaults);
    const o = raw as Record<string, unknown>;
    const staticGroups = parseStaticConfigs(o.static_configs, `${where}.static_configs`);
    staticGroups.forEach((g, gi) =>
      g.targets.forEach((t, ti) => {
        if (!HOST_PORT_RE.test(t))
          throw new CanopyError(
            'config_invalid',
            `${where}.static_configs[${gi}].targets[${ti}]: expected HOST:PORT, got ${JSON.stringify(t)}`,
          );
      }),
    );
    const base = file === '<flags>' ? process.cwd() : dirname(file);
    const fileSd = parseFileSDConfigs(o.file_sd_configs, `${where}.file_sd_configs`).map((c) => ({
      ...c,
      files: c.files.map((f) => (isAbsolute(f) ? f : join(base, f))),
    }));
    return { config, staticGroups, fileSd };
  });
}

export function parseLeafConfig(argv: readonly string[], hostname: string): LeafConfig | 'help' {
  const f = parseFlags(argv, LEAF_FLAGS, 'leaf');
  if (f.help) return 'help';
  const file = f.config as string | undefined;
  const r = file ? ConfigReader.fromFile(file) : new ConfigReader('<flags>', {});
  const g = r.object('global');
  const intervalMs = g.durationMs('scrape_interval', 15_000, { min: 100 });
  const timeoutMs = Math.min(g.durationMs('scrape_timeout', 10_000, { min: 1 }), intervalMs);
  const externalLabels = g.stringMap('external_labels');
  g.done();
  const zones = r.strings('zones');
  zones.forEach((z, i) => {
    if (!HOST_PORT_RE.test(z)) r.fail(`zones[${i}]`, 'a gRPC address HOST:PORT', z);
  });
  const rawJobs = r.raw('scrape_configs') ?? [];
  if (!Array.isArray(rawJobs)) r.fail('scrape_configs', 'a list', rawJobs);
  const jobs = (rawJobs as unknown[]).map((j, i) => parseJob(r.file, j, i, { intervalMs, timeoutMs }));
  const names = new Set<string>();
  for (const j of jobs) {
    if (names.has(j.config.jobName))
      r.fail('scrape_configs', `unique job_name values ("${j.config.jobName}" appears twice)`);
    names.add(j.config.jobName);
  }
  const streamAggregation = inFile(r.file, () =>
    parseStreamAggrConfigs(r.raw('stream_aggregation'), 'stream_aggregation'),
  );
  const c = r.object('cardinality');
  const softLimit = c.number('soft_limit', 10_000, { min: 1, integer: true });
  const hardLimit = c.number('hard_limit', Math.max(50_000, softLimit), { min: 1, integer: true });
  if (softLimit > hardLimit)
    c.fail('soft_limit', `a value no larger than hard_limit (${hardLimit})`, softLimit);
  const seriesLimit = c.number('series_limit', DEFAULT_SERIES_LIMIT, { min: 0, integer: true });
  const cardinality = {
    softLimit,
    hardLimit,
    seriesLimit,
    idleMs: c.durationMs('idle_timeout', 3_600_000, { min: 1000 }),
  };
  c.done();
  const s = r.object('statsd');
  const statsdExpireAfterMs = s.durationMs('expire_after', 300_000, { min: 1000 });
  s.done();
  const cfg: LeafConfig = {
    name: r.string('name', hostname),
    tenant: r.string('tenant', ANONYMOUS_TENANT),
    listen: r.hostPort('listen', '127.0.0.1:9102'),
    dataDir: r.string('data_dir', 'data/leaf'),
    zones,
    shipTo: r.string('ship_to', 'first', { oneOf: ['first', 'all'] }) as 'first' | 'all',
    zoneTls: parseZoneTls(r, f, (p) => (file && !isAbsolute(p) ? join(dirname(file), p) : p)),
    flushIntervalMs: r.durationMs('flush_interval', 10_000, { min: 10 }),
    bufferMaxBytes: r.sizeBytes('buffer_max_bytes', 100e6),
    statsdListen: r.optionalString('statsd_listen', {
      pattern: HOST_PORT_RE,
      what: 'an address HOST:PORT such as 127.0.0.1:8125',
    }),
    otlpListen: r.optionalString('otlp_listen', {
      pattern: HOST_PORT_RE,
      what: 'an address HOST:PORT such as 127.0.0.1:4318',
    }),
    otlpGrpcListen: r.optionalString('otlp_grpc_listen', {
      pattern: HOST_PORT_RE,
      what: 'an address HOST:PORT such as 127.0.0.1:4317',
    }),
    statsdExpireAfterMs,
    heartbeatIntervalMs: r.durationMs('heartbeat_interval', 10_000, { min: 100 }),
    metadataIntervalMs: r.durationMs('metadata_interval', 600_000, { min: 1000 }),
    sendTimeoutMs: r.durationMs('send_timeout', 30_000, { min: 100 }),
    sendMaxBackoffMs: r.durationMs('send_max_backoff', 30_000, { min: 10 }),
    externalLabels,
    jobs,
    streamAggregation,
    cardinality,
    logLevel: r.string('log_level', 'info', { oneOf: ['trace', 'debug', 'info', 'warn', 'error'] }),
  };
  const tenantErr = tenantIdError(cfg.tenant);
  if (tenantErr) r.fail('tenant', `a tenant ID (${tenantErr})`, cfg.tenant);
  const web = r.optionalString('web_config_file');
  if (web !== undefined) cfg.webConfigFile = file && !isAbsolute(web) ? join(dirname(file), web) : web;
  r.done();
  applyFlags(cfg, f);
  if (cfg.zones.length === 0)
    throw new CanopyError(
      'config_invalid',
      `canopy leaf: no zone to send to (--zone HOST:PORT or zones: in ${file ?? 'a config file'})`,
    );
  if (cfg.shipTo === 'all' && cfg.dataDir === '')
    throw new CanopyError(
      'config_invalid',
      'canopy leaf: ship_to all (--ship-to all) keeps one cursor per zone in the disk buffer: it needs a data_dir',
    );
  if (cfg.shipTo === 'all' && new Set(cfg.zones).size !== cfg.zones.length)
    throw new CanopyError(
      'config_invalid',
      `canopy leaf: ship_to all: a zone address is listed twice (${cfg.zones.join(', ')})`,
    );
  if (cfg.dataDir !== '' && cfg.bufferMaxBytes < 4096)
    throw new CanopyError(
      'config_invalid',
      `canopy leaf: buffer_max_bytes / --buffer-max-bytes: expected at least 4096 bytes, got ${cfg.bufferMaxBytes}`,
    );
  return cfg;
}

function applyFlags(cfg: LeafConfig, f: ReturnType<typeof parseFlags>): void {
  const bad = (flag: string, what: string, v: string): never => {
    throw new CanopyError('flag_invalid', `canopy leaf: flag --${flag}: expected ${what}, got "${v}"`);
  };
  const str = (k: string): string | undefined => f[k] as string | undefined;
  const hostPort = (k: string): string =>
    HOST_PORT_RE.test(str(k)!) ? str(k)! : bad(k, 'HOST:PORT', str(k)!);
  const zf = (f.zone as string[] | undefined) ?? [];
  for (const z of zf) if (!HOST_PORT_RE.test(z)) bad('zone', 'a gRPC address HOST:PORT', z);
  if (zf.length > 0) cfg.zones = zf;
  if (str('ship-to') !== undefined)
    cfg.shipTo =
      str('ship-to') === 'all' || str('ship-to') === 'first'
        ? (str('ship-to') as 'first' | 'all')
        : bad('ship-to', 'first or all', str('ship-to')!);
  if (str('listen') !== undefined) cfg.listen = hostPort('listen');
  if (str('statsd-listen') !== undefined) cfg.statsdListen = hostPort('statsd-listen');
  if (str('otlp-listen') !== undefined) cfg.otlpListen = hostPort('otlp-listen');
  if (str('otlp-grpc-listen') !== undefined) cfg.otlpGrpcListen = hostPort('otlp-grpc-listen');
  if (str('data-dir') !== undefined) cfg.dataDir = str('data-dir')!;
  if (str('name') !== undefined) cfg.name = str('name')!;
  if (str('tenant') !== undefined) {
    const err = tenantIdError(str('tenant')!);
    if (err) bad('tenant', `a tenant ID (${err})`, str('tenant')!);
    cfg.tenant = str('tenant')!;
  }
  if (str('log-level') !== undefined) cfg.logLevel = str('log-level')!;
  if (str('web.config.file') !== undefined) cfg.webConfigFile = str('web.config.file')!;
  if (cfg.webConfigFile) parseWebConfig(cfg.webConfigFile); // exit 2 at start, naming the file and the key
  if (str('flush-interval') !== undefined)
    cfg.flushIntervalMs =
      parseDurationMs(str('flush-interval')!) ??
      bad('flush-interval', 'a duration such as 10s', str('flush-interval')!);
  if (str('series-limit') !== undefined) {
    const n = Number(str('series-limit'));
    cfg.cardinality.seriesLimit =
      Number.isInteger(n) && n >= 0 && str('series-limit')!.trim() !== ''
        ? n
        : bad('series-limit', 'an integer ≥ 0 (0 = no limit)', str('series-limit')!);
  }
  if (str('buffer-max-bytes') !== undefined)
    cfg.bufferMaxBytes =
      parseSizeBytes(str('buffer-max-bytes')!) ??
      bad('buffer-max-bytes', 'a size such as 100MB', str('buffer-max-bytes')!);
  const scrapes = (f.scrape as string[] | undefined) ?? [];
  if (scrapes.length === 0) return;
  const intervalMs =
    str('scrape-interval') !== undefined
      ? (parseDurationMs(str('scrape-interval')!) ??
        bad('scrape-interval', 'a duration such as 15s', str('scrape-interval')!))
      : 15_000;
  if (cfg.jobs.some((j) => j.config.jobName === 'scrape'))
    bad('scrape', 'no job named "scrape" in the config file', scrapes[0]!);
  // one job "scrape" per distinct scheme + path; targets grouped under it
  const byPath = new Map<string, { scheme: 'http' | 'https'; path: string; targets: string[] }>();
  for (const s of scrapes) {
    let u: URL | undefined;
    try {
      u = new URL(s.includes('://') ? s : `http://${s}`);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.host === '')
      return bad('scrape', 'a URL such as http://127.0.0.1:9100/metrics', s);
    const path = u.pathname === '' || u.pathname === '/' ? '/metrics' : u.pathname; // bare HOST:PORT
    const key = `${u.protocol}${path}`;
    const e = byPath.get(key) ?? { scheme: u.protocol === 'https:' ? 'https' : 'http', path, targets: [] };
    e.targets.push(u.host);
    byPath.set(key, e);
  }
  for (const e of byPath.values()) {
    const config = parseScrapeJobConfig(
      { job_name: 'scrape', scheme: e.scheme, metrics_path: e.path },
      '--scrape',
      { intervalMs, timeoutMs: Math.min(10_000, intervalMs) },
    );
    cfg.jobs.push({
      config,
      staticGroups: [{ targets: e.targets, labels: {}, source: '--scrape' }],
      fileSd: [],
    });
  }
}
