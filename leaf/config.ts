// Leaf configuration: a YAML file (--config) in Prometheus's scrape_configs shape plus the
// leaf's own keys, and flags for the common case (as vmagent has). Flags override the file.
// Parsed and validated once at start.
import { ConfigReader, HOST_PORT_RE, parseDurationMs, parseFlags, parseSizeBytes, type FlagSpec } from '../shared/config/index.ts';
import { CanopyError } from '../shared/errors.ts';
import { parseRelabelConfigs, type RelabelConfig } from './scrape/relabel.ts';

export interface ScrapeJob {
  jobName: string;
  intervalMs: number;
  timeoutMs: number;
  metricsPath: string;
  scheme: 'http' | 'https';
  honorLabels: boolean;
  /** Static targets with their extra labels. */
  staticConfigs: { targets: string[]; labels: Record<string, string> }[];
  fileSdConfigs: { files: string[]; refreshIntervalMs: number }[];
  relabelConfigs: readonly RelabelConfig[];
  metricRelabelConfigs: readonly RelabelConfig[];
}

export interface LeafConfig {
  name: string;
  listen: string;
  dataDir: string;
  /** Zone gRPC addresses in failover order. */
  zones: string[];
  flushIntervalMs: number;
  bufferMaxBytes: number;
  statsdListen?: string;
  heartbeatIntervalMs: number;
  externalLabels: Record<string, string>;
  jobs: ScrapeJob[];
  logLevel: string;
}

export const LEAF_FLAGS: Record<string, FlagSpec> = {
  config: { type: 'string', arg: 'FILE', help: 'YAML configuration file (Prometheus scrape_configs shape)' },
  zone: { type: 'list', arg: 'HOST:PORT', help: "a zone's gRPC address, in failover order" },
  scrape: { type: 'list', arg: 'URL', help: 'a target to scrape (job "scrape")' },
  'scrape-interval': { type: 'string', arg: 'DURATION', help: 'interval for --scrape targets (default 15s)' },
  'statsd-listen': { type: 'string', arg: 'HOST:PORT', help: 'StatsD/DogStatsD UDP listener' },
  listen: { type: 'string', arg: 'HOST:PORT', help: 'HTTP: /api/v1/push, /metrics, /healthz (default 127.0.0.1:9102)' },
  'data-dir': { type: 'string', arg: 'DIR', help: 'disk buffer directory (default data/leaf)' },
  'flush-interval': { type: 'string', arg: 'DURATION', help: 'pre-aggregation flush interval (default 10s)' },
  'buffer-max-bytes': { type: 'string', arg: 'SIZE', help: 'disk buffer bound (default 100MB)' },
  name: { type: 'string', arg: 'NAME', help: 'leaf name (default: host name)' },
  'log-level': { type: 'string', arg: 'LEVEL', help: 'debug, info, warn or error (default info)' },
  help: { type: 'bool', help: 'show this help' },
};

function parseJob(j: ConfigReader, defInterval: number, defTimeout: number): ScrapeJob {
  const jobName = j.string('job_name');
  const intervalMs = j.durationMs('scrape_interval', defInterval, { min: 100 });
  const timeoutMs = j.durationMs('scrape_timeout', Math.min(defTimeout, intervalMs), { min: 1 });
  if (timeoutMs > intervalMs) j.fail('scrape_timeout', `a timeout no longer than scrape_interval (${intervalMs} ms)`, timeoutMs);
  const job: ScrapeJob = {
    jobName,
    intervalMs,
    timeoutMs,
    metricsPath: j.string('metrics_path', '/metrics'),
    scheme: j.string('scheme', 'http', { oneOf: ['http', 'https'] }) as 'http' | 'https',
    honorLabels: j.bool('honor_labels', false),
    staticConfigs: j.list('static_configs').map((s) => {
      const targets = s.strings('targets');
      targets.forEach((t, i) => {
        if (!HOST_PORT_RE.test(t)) s.fail(`targets[${i}]`, 'HOST:PORT', t);
      });
      const out = { targets, labels: s.stringMap('labels') };
      s.done();
      return out;
    }),
    fileSdConfigs: j.list('file_sd_configs').map((s) => {
      const out = { files: s.strings('files'), refreshIntervalMs: s.durationMs('refresh_interval', 300_000) };
      s.done();
      return out;
    }),
    relabelConfigs: parseRelabelConfigs(j.raw('relabel_configs') ?? [], `${j.file}: ${j.keyPath('relabel_configs')}`),
    metricRelabelConfigs: parseRelabelConfigs(j.raw('metric_relabel_configs') ?? [], `${j.file}: ${j.keyPath('metric_relabel_configs')}`),
  };
  j.done();
  return job;
}

export function parseLeafConfig(argv: readonly string[], hostname: string): LeafConfig | 'help' {
  const f = parseFlags(argv, LEAF_FLAGS, 'leaf');
  if (f.help) return 'help';
  const file = f.config as string | undefined;
  const r = file ? ConfigReader.fromFile(file) : new ConfigReader('<flags>', {});
  const g = r.object('global');
  const defInterval = g.durationMs('scrape_interval', 15_000, { min: 100 });
  const defTimeout = g.durationMs('scrape_timeout', 10_000, { min: 1 });
  const externalLabels = g.stringMap('external_labels');
  g.done();
  const zones = r.strings('zones');
  zones.forEach((z, i) => {
    if (!HOST_PORT_RE.test(z)) r.fail(`zones[${i}]`, 'a gRPC address HOST:PORT', z);
  });
  const cfg: LeafConfig = {
    name: r.string('name', hostname),
    listen: r.hostPort('listen', '127.0.0.1:9102'),
    dataDir: r.string('data_dir', 'data/leaf'),
    zones,
    flushIntervalMs: r.durationMs('flush_interval', 10_000, { min: 10 }),
    bufferMaxBytes: r.sizeBytes('buffer_max_bytes', 100e6),
    statsdListen: r.has('statsd_listen') ? r.hostPort('statsd_listen') : (r.raw('statsd_listen'), undefined),
    heartbeatIntervalMs: r.durationMs('heartbeat_interval', 10_000, { min: 100 }),
    externalLabels,
    jobs: r.list('scrape_configs').map((j) => parseJob(j, defInterval, defTimeout)),
    logLevel: r.string('log_level', 'info', { oneOf: ['trace', 'debug', 'info', 'warn', 'error'] }),
  };
  r.done();
  const bad = (flag: string, what: string, v: string): never => {
    throw new CanopyError('flag_invalid', `canopy leaf: flag --${flag}: expected ${what}, got "${v}"`);
  };
  const zf = (f.zone as string[] | undefined) ?? [];
  for (const z of zf) if (!HOST_PORT_RE.test(z)) bad('zone', 'a gRPC address HOST:PORT', z);
  if (zf.length > 0) cfg.zones = zf;
  const str = (k: string): string | undefined => f[k] as string | undefined;
  if (str('listen') !== undefined) cfg.listen = HOST_PORT_RE.test(str('listen')!) ? str('listen')! : bad('listen', 'HOST:PORT', str('listen')!);
  if (str('statsd-listen') !== undefined) cfg.statsdListen = HOST_PORT_RE.test(str('statsd-listen')!) ? str('statsd-listen')! : bad('statsd-listen', 'HOST:PORT', str('statsd-listen')!);
  if (str('data-dir') !== undefined) cfg.dataDir = str('data-dir')!;
  if (str('name') !== undefined) cfg.name = str('name')!;
  if (str('log-level') !== undefined) cfg.logLevel = str('log-level')!;
  if (str('flush-interval') !== undefined) cfg.flushIntervalMs = parseDurationMs(str('flush-interval')!) ?? bad('flush-interval', 'a duration such as 10s', str('flush-interval')!);
  if (str('buffer-max-bytes') !== undefined) cfg.bufferMaxBytes = parseSizeBytes(str('buffer-max-bytes')!) ?? bad('buffer-max-bytes', 'a size such as 100MB', str('buffer-max-bytes')!);
  const scrapes = (f.scrape as string[] | undefined) ?? [];
  if (scrapes.length > 0) {
    const intervalMs = str('scrape-interval') !== undefined ? (parseDurationMs(str('scrape-interval')!) ?? bad('scrape-interval', 'a duration such as 15s', str('scrape-interval')!)) : 15_000;
    const byPath = new Map<string, { scheme: 'http' | 'https'; targets: string[] }>();
    for (const s of scrapes) {
      let u: URL;
      try {
        u = new URL(s.includes('://') ? s : `http://${s}`);
      } catch {
        bad('scrape', 'a URL such as http://127.0.0.1:9100/metrics', s);
      }
      const key = `${u!.protocol}${u!.pathname}`;
      const entry = byPath.get(key) ?? { scheme: u!.protocol === 'https:' ? 'https' : 'http', targets: [] };
      entry.targets.push(u!.host);
      byPath.set(key, entry);
    }
    for (const [key, e] of byPath) {
      cfg.jobs.push({
        jobName: 'scrape',
        intervalMs,
        timeoutMs: Math.min(10_000, intervalMs),
        metricsPath: key.slice(key.indexOf('/')),
        scheme: e.scheme,
        honorLabels: false,
        staticConfigs: [{ targets: e.targets, labels: {} }],
        fileSdConfigs: [],
        relabelConfigs: [],
        metricRelabelConfigs: [],
      });
    }
  }
  if (cfg.zones.length === 0) throw new CanopyError('config_invalid', `canopy leaf: no zone to send to (--zone HOST:PORT or zones: in ${file ?? 'a config file'})`);
  return cfg;
}
