// Scrape targets: turning a job's config and discovered target groups into concrete targets,
// with Prometheus's target-label rules (scrape.PopulateLabels):
//   1. start from the group's labels plus __address__ (the target), job, __scheme__,
//      __metrics_path__, __scrape_interval__, __scrape_timeout__ (group labels win over the
//      job defaults, except __address__);
//   2. apply relabel_configs — a dropped result means "no target";
//   3. __address__ must be non-empty (else the target is dropped with an error);
//      instance defaults to __address__;
//   4. labels starting with "__" are removed from the target's labels; __param_<x> become URL
//      query parameters.
// The scrape URL is <__scheme__>://<__address__><__metrics_path__>[?params].
import { CanopyError } from '../../shared/errors.ts';
import { LABEL_NAME_RE, labelsFromRecord, labelsKey, type Label, type Labels } from '../../shared/labels.ts';
import { parseDurationMs } from '../../shared/promql/index.ts';
import { parseRelabelConfigs, relabel, type RelabelConfig } from './relabel.ts';

export interface ScrapeJobConfig {
  readonly jobName: string;
  readonly scheme: 'http' | 'https';
  readonly metricsPath: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  /** 0 = unlimited; a scrape with more samples (after metric relabeling) fails, as in Prometheus. */
  readonly sampleLimit: number;
  /** 0 = unlimited; a larger response fails the scrape. */
  readonly bodySizeLimitBytes: number;
  readonly relabelConfigs: readonly RelabelConfig[];
  readonly metricRelabelConfigs: readonly RelabelConfig[];
}

/** A group of targets sharing labels (static_configs entry or one file_sd group). */
export interface TargetGroup {
  targets: readonly string[];
  labels: Readonly<Record<string, string>>;
  /** Where it came from (file path, "static"), for errors. */
  source?: string;
}

export interface Target {
  /** Identity across rediscoveries: job + final labels + URL. */
  readonly key: string;
  readonly url: string;
  /** job, instance and the other visible target labels, sorted. */
  readonly labels: Labels;
  readonly job: ScrapeJobConfig;
}

const JOB_KEYS = new Set([
  'job_name',
  'scheme',
  'metrics_path',
  'scrape_interval',
  'scrape_timeout',
  'honor_labels',
  'honor_timestamps',
  'sample_limit',
  'body_size_limit',
  'relabel_configs',
  'metric_relabel_configs',
  'static_configs',
  'file_sd_configs',
]);

/**
 * Validates one scrape_configs entry (job-level keys; static_configs and file_sd_configs are
 * left to the caller, which passes their groups to buildTargets).
 */
export function parseScrapeJobConfig(
  raw: unknown,
  where = 'scrape_configs[0]',
  defaults: { intervalMs?: number; timeoutMs?: number } = {},
): ScrapeJobConfig {
  const fail = (msg: string): never => {
    throw new CanopyError('config_invalid', `${where}${msg}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(': expected a mapping');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!JOB_KEYS.has(k)) fail(`: unknown key ${JSON.stringify(k)}`);
  if (typeof o.job_name !== 'string' || o.job_name === '') fail('.job_name: required, a non-empty string');
  const scheme = o.scheme ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') fail('.scheme: expected "http" or "https"');
  const metricsPath = o.metrics_path ?? '/metrics';
  if (typeof metricsPath !== 'string' || !metricsPath.startsWith('/'))
    fail('.metrics_path: expected a path starting with "/"');
  const dur = (k: string, dflt: number): number => {
    const v = o[k];
    if (v === undefined) return dflt;
    if (typeof v !== 'string') return fail(`.${k}: expected a duration string like "15s"`);
    try {
      return parseDurationMs(v);
    } catch (e) {
      return fail(`.${k}: ${(e as Error).message}`);
    }
  };
  const intervalMs = dur('scrape_interval', defaults.intervalMs ?? 60_000);
  const timeoutMs = dur('scrape_timeout', Math.min(defaults.timeoutMs ?? 10_000, intervalMs));
  if (intervalMs <= 0) fail('.scrape_interval: must be > 0');
  if (timeoutMs <= 0 || timeoutMs > intervalMs)
    fail(`.scrape_timeout: must be > 0 and ≤ scrape_interval (${intervalMs} ms)`);
  const bool = (k: string, dflt: boolean): boolean =>
    o[k] === undefined
      ? dflt
      : typeof o[k] === 'boolean'
        ? (o[k] as boolean)
        : fail(`.${k}: expected true or false`);
  const int = (k: string): number =>
    o[k] === undefined
      ? 0
      : Number.isInteger(o[k]) && (o[k] as number) >= 0
        ? (o[k] as number)
        : fail(`.${k}: expected a non-negative integer`);
  return {
    jobName: o.job_name as string,
    scheme: scheme as 'http' | 'https',
    metricsPath: metricsPath as string,
    intervalMs,
    timeoutMs,
    honorLabels: bool('honor_labels', false),
    honorTimestamps: bool('honor_timestamps', true),
    sampleLimit: int('sample_limit'),
    bodySizeLimitBytes: int('body_size_limit'),
    relabelConfigs: parseRelabelConfigs(o.relabel_configs, `${where}.relabel_configs`),
    metricRelabelConfigs: parseRelabelConfigs(o.metric_relabel_configs, `${where}.metric_relabel_configs`),
  };
}

/** Parses static_configs into target groups. */
export function parseStaticConfigs(raw: unknown, where = 'static_configs'): TargetGroup[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new CanopyError('config_invalid', `${where}: expected a list`);
  return raw.map((g, i) => parseTargetGroup(g, `${where}[${i}]`));
}

/** One {targets: [...], labels: {...}} group (static_configs entry or file_sd file entry). */
export function parseTargetGroup(raw: unknown, where: string): TargetGroup {
  const fail = (msg: string): never => {
    throw new CanopyError('config_invalid', `${where}${msg}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail(': expected a mapping with targets and labels');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== 'targets' && k !== 'labels') fail(`: unknown key ${JSON.stringify(k)}`);
  const targets = o.targets ?? [];
  if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string' || t === ''))
    fail('.targets: expected a list of "host:port" strings');
  const labels: Record<string, string> = {};
  if (o.labels !== undefined && o.labels !== null) {
    if (typeof o.labels !== 'object' || Array.isArray(o.labels)) fail('.labels: expected a mapping');
    for (const [k, v] of Object.entries(o.labels as Record<string, unknown>)) {
      if (!LABEL_NAME_RE.test(k)) fail(`.labels: invalid label name ${JSON.stringify(k)}`);
      if (typeof v !== 'string') fail(`.labels.${k}: expected a string`);
      labels[k] = v as string;
    }
  }
  return { targets: targets as string[], labels, source: where };
}

function fmtDur(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Builds the targets of one job from its groups. Dropped (relabeled away) targets are counted. */
export function buildTargets(
  job: ScrapeJobConfig,
  groups: readonly TargetGroup[],
): { targets: Target[]; dropped: number; errors: string[] } {
  const targets: Target[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const g of groups) {
    for (const addr of g.targets) {
      const base: Record<string, string> = {
        job: job.jobName,
        __scheme__: job.scheme,
        __metrics_path__: job.metricsPath,
        __scrape_interval__: fmtDur(job.intervalMs),
        __scrape_timeout__: fmtDur(job.timeoutMs),
        ...g.labels,
        __address__: addr,
      };
      const ls = relabel(labelsFromRecord(base), job.relabelConfigs);
      if (ls === null) {
        dropped++;
        continue;
      }
      const get = (n: string): string => ls.find((l) => l.name === n)?.value ?? '';
      const address = get('__address__');
      if (address === '') {
        errors.push(
          `${g.source ?? 'target group'}: target ${JSON.stringify(addr)} has no __address__ after relabeling`,
        );
        dropped++;
        continue;
      }
      const params = new URLSearchParams();
      const visible: Label[] = [];
      for (const l of ls) {
        if (l.name.startsWith('__param_')) params.append(l.name.slice(8), l.value);
        else if (!l.name.startsWith('__')) visible.push(l);
      }
      if (!visible.some((l) => l.name === 'instance')) visible.push({ name: 'instance', value: address });
      visible.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const q = params.toString();
      const url = `${get('__scheme__') || job.scheme}://${address}${get('__metrics_path__') || job.metricsPath}${q ? '?' + q : ''}`;
      const key = `${job.jobName}\0${url}\0${labelsKey(visible)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push({ key, url, labels: visible, job });
    }
  }
  return { targets, dropped, errors };
}
