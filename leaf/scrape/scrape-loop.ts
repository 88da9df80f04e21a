// ScrapeLoop: scrapes one target on its job's interval and hands each scrape's samples to a
// callback, with Prometheus scrape semantics:
//   - GET <url> with the exposition Accept header and X-Prometheus-Scrape-Timeout-Seconds,
//     aborted after scrape_timeout; non-2xx, a body over body_size_limit, a parse error or more
//     than sample_limit samples fail the whole scrape (no scraped samples are kept);
//   - per sample: target labels are attached (honor_labels=false: a clashing scraped label is
//     kept as exported_<name>; true: the scraped value wins), then metric_relabel_configs run;
//     the result per distinct scraped series is cached across scrapes;
//   - explicit timestamps are kept when honor_timestamps (default), else replaced;
//   - synthetic series on every scrape: up, scrape_duration_seconds, scrape_samples_scraped,
//     scrape_samples_post_metric_relabeling;
//   - staleness: series present in the previous scrape but not in this one (or all of them
//     when the scrape fails) get a staleness marker at this scrape's time; stop({targetGone})
//     marks every series of the target stale, synthetic ones included. Series with explicit
//     timestamps are not tracked for staleness (as in Prometheus).
// Optional hooks: a stream aggregator (samples it consumes are not passed on) and a
// cardinality admit() (refused samples are dropped and counted under the guard's reason).
// Loop discipline: a tick is skipped while a scrape is in flight; timers are unref'd;
// callback errors are caught and counted, never crash the loop.
import { METRIC_NAME, labelsKey, type Label, type Labels } from '../../shared/labels.ts';
import { parseExposition, SCRAPE_ACCEPT_HEADER, type MetricMetadata } from '../../shared/exposition.ts';
import { relabel } from './relabel.ts';
import { scrapeGet, ScrapeHttpError } from './http-get.ts';
import { STALE_NAN } from './staleness.ts';
import type { Target } from './target.ts';
import type { AdmitSeries, SeriesRefusal } from '../aggregate/index.ts';

export interface ScrapedSample {
  labels: Labels;
  tMs: number;
  value: number;
}

export interface ScrapeResult {
  target: Target;
  /** Scrape start time: default sample timestamp and staleness-marker time. */
  tMs: number;
  ok: boolean;
  error?: string;
  durationMs: number;
  samplesScraped: number;
  samplesPostRelabel: number;
  /** Scraped samples, synthetic series and staleness markers, ready to buffer. */
  samples: ScrapedSample[];
  metadata: Map<string, MetricMetadata>;
}

export type ScrapeDropReason = SeriesRefusal | 'duplicate_sample';

export interface ScrapeLoopOptions {
  onSamples: (r: ScrapeResult) => void;
  now?: () => number;
  streamAggregator?: { push(labels: Labels, tMs: number, value: number): boolean };
  admit?: AdmitSeries;
  onDrop?: (reason: ScrapeDropReason, n: number) => void;
  onError?: (e: unknown) => void;
}

/** A series as written (after target labels and metric relabeling), one per key. */
interface Final {
  labels: Labels;
  /** the scrape (generation) that last wrote it, and the last that wrote it at scrape time */
  seenGen: number;
  curGen: number;
}

/** A parsed series' outcome, cached across scrapes; `gen` is the last scrape that had it. */
interface Parsed {
  final: Final | null;
  gen: number;
}

const REPORT_NAMES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
] as const;

export class ScrapeLoop {
  readonly target: Target;
  private readonly opts: ScrapeLoopOptions;
  private readonly now: () => number;
  /** exposition series text → parsed Labels (see ParseOptions.seriesCache) */
  private readonly seriesCache = new Map<string, Labels>();
  /** parsed Labels (by identity, from seriesCache) → its Final (null = dropped by metric relabeling) */
  private readonly cache = new Map<Labels, Parsed>();
  /** series key → Final: two scraped series relabeled into one share it (the second is a duplicate) */
  private readonly finals = new Map<string, Final>();
  /** scrape generation: stamps on Final/Parsed replace per-scrape seen/current sets */
  private gen = 0;
  /** series written at scrape time by the last scrape (the staleness candidates) */
  private prev: Final[] = [];
  private readonly reportLabels: Labels[];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<ScrapeResult> | undefined;
  private stopped = false;
  callbackErrors = 0;

  constructor(target: Target, opts: ScrapeLoopOptions) {
    this.target = target;
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.reportLabels = REPORT_NAMES.map((n) =>
      sortLabels([{ name: METRIC_NAME, value: n }, ...target.labels]),
    );
  }

  /** Starts scraping: first scrape after a stable per-target offset within the interval. */
  start(): void {
    if (this.timer || this.stopped) return;
    const iv = this.target.job.intervalMs;
    let h = 0;
    for (let i = 0; i < this.target.key.length; i++)
      h = (Math.imul(h, 31) + this.target.key.charCodeAt(i)) | 0;
    const offset = (h >>> 0) % iv;
    this.timer = setTimeout(() => {
      this.tick();
      this.timer = setInterval(() => this.tick(), iv);
      this.timer.unref();
    }, offset);
    this.timer.unref();
  }

  private tick(): void {
    if (this.inFlight || this.stopped) return; // never overlap a slow scrape with the next one
    void this.scrapeOnce();
  }

  /** Runs one scrape now and delivers it to onSamples. */
  scrapeOnce(): Promise<ScrapeResult> {
    if (this.inFlight) return this.inFlight;
    const p = this.run().finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = p;
    return p;
  }

  private async run(): Promise<ScrapeResult> {
    const t = this.target;
    const tMs = this.now();
    const started = performance.now();
    let body = '';
    let contentType = '';
    let error: string | undefined;
    try {
      const res = await scrapeGet(t.url, {
        headers: {
          accept: SCRAPE_ACCEPT_HEADER,
          'x-prometheus-scrape-timeout-seconds': String(t.job.timeoutMs / 1000),
          'user-agent': 'canopy-leaf',
        },
        timeoutMs: t.job.timeoutMs,
        limitBytes: t.job.bodySizeLimitBytes,
      });
      contentType = res.contentType;
      if (res.status < 200 || res.status > 299)
        error = `server returned HTTP status ${res.status} ${res.statusText}`.trimEnd();
      else body = res.body;
    } catch (e) {
      error = e instanceof ScrapeHttpError ? e.message : `cannot scrape ${t.url}: ${(e as Error).message}`;
    }
    const out: ScrapedSample[] = [];
    const gen = ++this.gen;
    let cur: Final[] = [];
    let scraped = 0;
    let post = 0;
    let metadata = new Map<string, MetricMetadata>();
    if (error === undefined) {
      const parsed = parseExposition(body, contentType, tMs, { seriesCache: this.seriesCache });
      metadata = parsed.metadata;
      scraped = parsed.samples.length;
      // bound the text cache: series that vanished are forgotten in one sweep, not per scrape
      if (this.seriesCache.size > 2 * scraped + 1000) this.seriesCache.clear();
      if (parsed.errors.length > 0) error = `cannot parse scrape: ${parsed.errors[0]}`;
      else {
        let dups = 0,
          refused = 0,
          overLimit = 0;
        for (const s of parsed.samples) {
          let p = this.cache.get(s.labels);
          if (p === undefined) this.cache.set(s.labels, (p = { final: this.finalOf(s.labels), gen }));
          p.gen = gen;
          const f = p.final;
          if (f === null) continue;
          if (f.seenGen === gen) {
            dups++; // the same series twice in one scrape: keep the first (Prometheus rejects the rest)
            continue;
          }
          f.seenGen = gen;
          post++;
          const ts = t.job.honorTimestamps ? s.tMs : tMs;
          if (this.opts.streamAggregator?.push(f.labels, ts, s.value)) continue;
          const verdict = this.opts.admit === undefined || this.opts.admit(f.labels);
          if (verdict !== true) {
            if (verdict === 'series_limit') overLimit++;
            else refused++;
            continue;
          }
          out.push({ labels: f.labels, tMs: ts, value: s.value });
          if (ts === tMs) {
            f.curGen = gen;
            cur.push(f);
          }
        }
        // entries not seen lately are forgotten in one sweep once they outnumber the live ones
        if (this.cache.size > 2 * scraped + 1000) this.forget(gen);
        if (t.job.sampleLimit > 0 && post > t.job.sampleLimit) {
          error = `sample limit exceeded: ${post} > ${t.job.sampleLimit}`;
          out.length = 0;
        } else {
          if (dups > 0) this.opts.onDrop?.('duplicate_sample', dups);
          if (refused > 0) this.opts.onDrop?.('too_many_series', refused);
          if (overLimit > 0) this.opts.onDrop?.('series_limit', overLimit);
        }
      }
      if (error !== undefined) out.length = 0;
    }
    if (error !== undefined) cur = []; // a failed scrape writes nothing: every previous series goes stale
    for (const f of this.prev)
      if (f.curGen !== gen || error !== undefined) out.push({ labels: f.labels, tMs, value: STALE_NAN });
    this.prev = cur;
    const durationMs = performance.now() - started;
    const ok = error === undefined;
    const rv = [ok ? 1 : 0, durationMs / 1000, scraped, post];
    for (let i = 0; i < this.reportLabels.length; i++)
      out.push({ labels: this.reportLabels[i]!, tMs, value: rv[i]! });
    const result: ScrapeResult = {
      target: t,
      tMs,
      ok,
      durationMs,
      samplesScraped: scraped,
      samplesPostRelabel: post,
      samples: out,
      metadata,
    };
    if (error !== undefined) result.error = error;
    if (!this.stopped) this.deliver(result);
    return result;
  }

  private deliver(r: ScrapeResult): void {
    try {
      this.opts.onSamples(r);
    } catch (e) {
      this.callbackErrors++;
      this.opts.onError?.(e);
    }
  }

  /** The Final for a newly seen parsed series: mutated labels, interned by key. */
  private finalOf(scraped: Labels): Final | null {
    const ls = this.mutate(scraped);
    if (ls === null) return null;
    const key = labelsKey(ls);
    let f = this.finals.get(key);
    if (f === undefined) this.finals.set(key, (f = { labels: ls, seenGen: 0, curGen: 0 }));
    return f;
  }

  /** Drops cached series not scraped in generation `gen`. */
  private forget(gen: number): void {
    for (const [k, p] of this.cache) if (p.gen !== gen) this.cache.delete(k);
    for (const [k, f] of this.finals) if (f.seenGen !== gen) this.finals.delete(k);
  }

  /** Target labels + honor_labels handling, then metric_relabel_configs. */
  private mutate(scraped: Labels): Labels | null {
    const tl = this.target.labels;
    const m = new Map<string, string>();
    for (const l of scraped) m.set(l.name, l.value);
    for (const l of tl) {
      const have = m.get(l.name);
      if (have === undefined) m.set(l.name, l.value);
      else if (!this.target.job.honorLabels) {
        let name = 'exported_' + l.name;
        while (m.has(name)) name = 'exported_' + name;
        m.set(name, have);
        m.set(l.name, l.value);
      }
    }
    const ls: Label[] = [];
    for (const [name, value] of m) if (value !== '') ls.push({ name, value });
    return relabel(sortLabels(ls), this.target.job.metricRelabelConfigs);
  }

  /**
   * Stops the loop, waiting for an in-flight scrape. With targetGone (default) every series the
   * target wrote — synthetic ones included — gets a staleness marker, delivered to onSamples.
   */
  async stop(opts: { targetGone?: boolean } = {}): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      clearInterval(this.timer);
    }
    this.timer = undefined;
    if (this.inFlight) await this.inFlight.catch(() => undefined);
    if (this.stopped) return;
    this.stopped = true;
    if (opts.targetGone === false) return;
    const tMs = this.now();
    const samples: ScrapedSample[] = [];
    for (const f of this.prev) samples.push({ labels: f.labels, tMs, value: STALE_NAN });
    for (const ls of this.reportLabels) samples.push({ labels: ls, tMs, value: STALE_NAN });
    this.prev = [];
    this.deliver({
      target: this.target,
      tMs,
      ok: true,
      durationMs: 0,
      samplesScraped: 0,
      samplesPostRelabel: 0,
      samples,
      metadata: new Map(),
    });
  }
}

function sortLabels(ls: Label[]): Labels {
  return ls.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
