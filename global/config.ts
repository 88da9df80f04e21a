// Root configuration: YAML (--config) and/or flags; flags override the file.
import {
  applyQueryLimitFlags,
  ConfigReader,
  HOST_PORT_RE,
  parseFlags,
  QUERY_LIMIT_FLAGS,
  readQueryLimits,
  type FlagSpec,
  type QueryLimits,
} from '../shared/config/index.ts';
import { CanopyError } from '../shared/errors.ts';
import { loadTopology, type Topology } from '../shared/topology.ts';
import { parseHttpClientConfig, parseWebConfig, type HttpClientConfig } from '../shared/http/index.ts';
import { dirname, isAbsolute, join } from 'node:path';
import { NATS_AUTH_FLAGS, parseNatsAuth, redactUrl, type NatsAuth } from '../shared/bus/index.ts';

export interface RootConfig {
  listen: string;
  /** Without credentials (they are split off into natsAuth at parse time). */
  natsUrl: string;
  natsAuth?: NatsAuth;
  topology?: Topology;
  /** How long the root waits for a zone's answer. */
  zoneTimeoutMs: number;
  /** The query timeout (= queryLimits.timeoutMs). */
  queryTimeoutMs: number;
  /** --query.* limits (shared/config/query-limits.ts). */
  queryLimits: Readonly<QueryLimits>;
  /** A zone silent for this long is considered down (skipped at once, with a warning). */
  zoneDeadAfterMs: number;
  partialResponse: boolean;
  logLevel: string;
  /** Prometheus web config file (TLS, basic auth, headers), validated at start. */
  webConfigFile?: string;
  /** Prometheus HTTP client config for the root's calls to zones (zones behind a web config). */
  zoneHttpConfig?: HttpClientConfig;
  /** Zone that stores the root's recording-rule results (--rules.store-zone); must be in the topology. */
  rulesStoreZone?: string;
}

export const ROOT_FLAGS: Record<string, FlagSpec> = {
  config: { type: 'string', arg: 'FILE', help: 'YAML configuration file' },
  listen: { type: 'string', arg: 'HOST:PORT', help: 'HTTP: Prometheus API (default 127.0.0.1:9090)' },
  nats: { type: 'string', arg: 'URL', help: 'NATS server, e.g. nats://127.0.0.1:4222 (required)' },
  ...NATS_AUTH_FLAGS,
  topology: {
    type: 'string',
    arg: 'FILE',
    help: 'topology file naming the zones to expect (optional: zones are also discovered by heartbeat)',
  },
  'zone-timeout': { type: 'string', arg: 'DURATION', help: 'how long to wait for a zone (default 10s)' },
  'log-level': { type: 'string', arg: 'LEVEL', help: 'debug, info, warn or error (default info)' },
  'web.config.file': {
    type: 'string',
    arg: 'FILE',
    help: 'Prometheus web config file: TLS, client certificates, basic auth, headers',
  },
  'zone.http-config.file': {
    type: 'string',
    arg: 'FILE',
    help: "Prometheus HTTP client config (tls_config, basic_auth, authorization) for calls to the zones' HTTP APIs",
  },
  ...QUERY_LIMIT_FLAGS,
  'rules.store-zone': {
    type: 'string',
    arg: 'NAME',
    help: "zone (in the topology) that stores the root's recording-rule results, sent to its /api/v1/write (default: not stored)",
  },
  help: { type: 'bool', help: 'show this help' },
};

export function parseRootConfig(argv: readonly string[]): RootConfig | 'help' {
  const f = parseFlags(argv, ROOT_FLAGS, 'root');
  if (f.help) return 'help';
  const file = f.config as string | undefined;
  const r = file ? ConfigReader.fromFile(file) : new ConfigReader('<flags>', {});
  const nats = r.object('nats');
  const natsUrl = nats.has('url') ? nats.url('url', undefined, ['nats:', 'tls:']) : (nats.raw('url'), '');
  const topoFile = (f.topology as string | undefined) ?? r.optionalString('topology');
  const cfg: RootConfig = {
    listen: r.hostPort('listen', '127.0.0.1:9090'),
    natsUrl,
    zoneTimeoutMs: r.durationMs('zone_timeout', 10_000, { min: 1 }),
    queryTimeoutMs: 0,
    queryLimits: readQueryLimits(r),
    zoneDeadAfterMs: r.durationMs('zone_dead_after', 10_000, { min: 100 }),
    partialResponse: r.bool('partial_response', true),
    logLevel: r.string('log_level', 'info', { oneOf: ['trace', 'debug', 'info', 'warn', 'error'] }),
  };
  const rel = (p: string | undefined): string | undefined =>
    p !== undefined && file && !isAbsolute(p) ? join(dirname(file), p) : p;
  cfg.webConfigFile = rel(r.optionalString('web_config_file'));
  const zoneHttp =
    (f['zone.http-config.file'] as string | undefined) ?? rel(r.optionalString('zone_http_config_file'));
  if (topoFile) cfg.topology = loadTopology(topoFile);
  const listen = f.listen as string | undefined;
  if (listen !== undefined) {
    if (!HOST_PORT_RE.test(listen))
      throw new CanopyError(
        'flag_invalid',
        `canopy root: flag --listen: expected HOST:PORT, got "${listen}"`,
      );
    cfg.listen = listen;
  }
  const nurl = f.nats as string | undefined;
  if (nurl !== undefined) {
    if (!/^(nats|tls):\/\/[^/]+/.test(nurl))
      throw new CanopyError(
        'flag_invalid',
        `canopy root: flag --nats: expected a URL like nats://127.0.0.1:4222, got "${redactUrl(nurl)}"`,
      );
    cfg.natsUrl = nurl;
  }
  const zt = f['zone-timeout'] as string | undefined;
  if (zt !== undefined) {
    const ms = new ConfigReader('<flags>', { zone_timeout: zt }).durationMs('zone_timeout', 0);
    cfg.zoneTimeoutMs = ms;
  }
  cfg.queryLimits = applyQueryLimitFlags(cfg.queryLimits, f, 'root');
  cfg.queryTimeoutMs = cfg.queryLimits.timeoutMs;
  const lvl = f['log-level'] as string | undefined;
  if (lvl !== undefined) cfg.logLevel = lvl;
  cfg.webConfigFile = (f['web.config.file'] as string | undefined) ?? cfg.webConfigFile;
  if (cfg.webConfigFile) parseWebConfig(cfg.webConfigFile); // exit 2 at start, naming the file and the key
  if (zoneHttp) cfg.zoneHttpConfig = parseHttpClientConfig(zoneHttp);
  const storeZone =
    (f['rules.store-zone'] as string | undefined) ??
    r.optionalString('rules_store_zone') ??
    cfg.topology?.root.rulesStoreZone;
  if (storeZone !== undefined) {
    // The root reaches zones' HTTP APIs only at topology addresses (docs/ARCHITECTURE.md).
    if (!cfg.topology)
      throw new CanopyError(
        'config_invalid',
        `canopy root: rules.store-zone "${storeZone}" needs a topology (--topology FILE) naming the zone's http address`,
      );
    const z = cfg.topology.zones.find((x) => x.name === storeZone);
    if (!z)
      throw new CanopyError(
        'config_invalid',
        `canopy root: rules.store-zone "${storeZone}" is not a zone of ${cfg.topology.file} (zones: ${cfg.topology.zones.map((x) => x.name).join(', ') || 'none'})`,
      );
    cfg.rulesStoreZone = storeZone;
  }
  if (!cfg.natsUrl && cfg.topology && cfg.topology.natsUrl !== 'auto') cfg.natsUrl = cfg.topology.natsUrl;
  const na = parseNatsAuth(nats, f, cfg.natsUrl, 'root');
  cfg.natsUrl = na.url;
  cfg.natsAuth = na.auth;
  nats.done();
  r.done();
  if (!cfg.natsUrl)
    throw new CanopyError(
      'config_invalid',
      `canopy root: a NATS URL is required (--nats nats://HOST:PORT or nats.url in ${file ?? 'the config file'})`,
    );
  return cfg;
}
