// ScrapeJobs: runs every configured job's targets on the job's interval (each target offset
// by a stable hash of its URL so scrapes spread over the interval, as Prometheus does) and
// hands each scrape's samples — with job/instance labels and the synthetic `up`,
// `scrape_duration_seconds` and `scrape_samples_scraped` — to the pipeline.
import { parseExposition, SCRAPE_ACCEPT_HEADER } from './scrape/exposition.ts';
import { relabel } from './scrape/relabel.ts';
import { labelsFromRecord, withDefaults, normalizeLabels, METRIC_NAME, type Labels } from '../shared/labels.ts';
import type { Logger } from '../shared/log.ts';
import type { ScrapeJob } from './config.ts';
import type { FloatSample, MetadataEntry } from './pipeline.ts';

export interface ScrapeOutcome {
  job: string;
  instance: string;
  ok: boolean;
  durationMs: number;
  samples: number;
}

export interface ScrapeSink {
  (samples: FloatSample[], metadata: MetadataEntry[], outcome: ScrapeOutcome): void;
}

interface Target {
  job: ScrapeJob;
  url: string;
  labels: Labels;
  timer?: NodeJS.Timeout;
  running: boolean;
}

function offsetMs(url: string, intervalMs: number): number {
  let h = 0;
  for (let i = 0; i < url.length; i++) h = (Math.imul(h, 31) + url.charCodeAt(i)) | 0;
  return (h >>> 0) % intervalMs;
}

export class ScrapeJobs {
  private readonly targets: Target[] = [];

  constructor(
    jobs: readonly ScrapeJob[],
    private readonly sink: ScrapeSink,
    private readonly log: Logger,
  ) {
    for (const job of jobs) {
      for (const sc of job.staticConfigs) {
        for (const addr of sc.targets) {
          const base = labelsFromRecord({ ...sc.labels, job: job.jobName, instance: addr, __address__: addr, __scheme__: job.scheme, __metrics_path__: job.metricsPath });
          const ls = relabel(base, job.relabelConfigs);
          if (!ls) continue;
          const get = (n: string): string => ls.find((l) => l.name === n)?.value ?? '';
          const url = `${get('__scheme__') || job.scheme}://${get('__address__')}${get('__metrics_path__') || job.metricsPath}`;
          const visible = ls.filter((l) => !l.name.startsWith('__'));
          this.targets.push({ job, url, labels: visible, running: false });
        }
      }
    }
  }

  start(): void {
    for (const t of this.targets) {
      const first = setTimeout(() => {
        void this.scrape(t);
        t.timer = setInterval(() => void this.scrape(t), t.job.intervalMs);
        t.timer.unref();
      }, offsetMs(t.url, t.job.intervalMs) % Math.min(t.job.intervalMs, 1000));
      first.unref();
      t.timer = first;
    }
  }

  stop(): void {
    for (const t of this.targets) clearTimeout(t.timer), clearInterval(t.timer);
  }

  private async scrape(t: Target): Promise<void> {
    if (t.running) return; // never overlap a slow scrape with the next one
    t.running = true;
    const start = Date.now();
    let samples: FloatSample[] = [];
    const metadata: MetadataEntry[] = [];
    let ok = false;
    try {
      const res = await fetch(t.url, { headers: { accept: SCRAPE_ACCEPT_HEADER }, signal: AbortSignal.timeout(t.job.timeoutMs) });
      if (!res.ok) throw new Error(`server returned HTTP status ${res.status} ${res.statusText}`);
      const text = await res.text();
      const parsed = parseExposition(text, res.headers.get('content-type') ?? '', start);
      if (parsed.errors.length > 0) throw new Error(parsed.errors[0]);
      for (const s of parsed.samples) {
        let ls: Labels | null = t.job.honorLabels ? withDefaults(s.labels, t.labels) : normalizeLabels([...s.labels.map(exported(t.labels)), ...t.labels]);
        if (t.job.metricRelabelConfigs.length > 0) ls = relabel(ls, t.job.metricRelabelConfigs);
        if (ls) samples.push({ labels: ls, tMs: s.tMs, value: s.value });
      }
      for (const [metric, m] of parsed.metadata) metadata.push({ metric, type: m.type, help: m.help, unit: m.unit });
      ok = true;
    } catch (e) {
      samples = [];
      this.log.debug({ target: t.url, err: (e as Error).message }, 'scrape failed');
    }
    const durationMs = Date.now() - start;
    const synth = (name: string, v: number): FloatSample => ({ labels: withDefaults(labelsFromRecord({ [METRIC_NAME]: name }), t.labels), tMs: start, value: v });
    const n = samples.length;
    samples.push(synth('up', ok ? 1 : 0), synth('scrape_duration_seconds', durationMs / 1000), synth('scrape_samples_scraped', n));
    t.running = false;
    this.sink(samples, metadata, { job: t.job.jobName, instance: t.labels.find((l) => l.name === 'instance')?.value ?? '', ok, durationMs, samples: n });
  }
}

/** A scraped label clashing with a target label is renamed exported_<name> (honor_labels: false). */
function exported(target: Labels) {
  const names = new Set(target.map((l) => l.name));
  return (l: { name: string; value: string }) => (names.has(l.name) ? { name: `exported_${l.name}`, value: l.value } : l);
}
