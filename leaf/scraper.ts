// Scraper: every configured scrape job as a ScrapePool, fed by its static target groups plus
// the groups its file_sd_configs discover (re-synced whenever a file changes, so a target that
// disappears from a file gets staleness markers for all its series). Each scrape's result goes
// to onResult; scrape health is kept per job for the leaf's self-metrics.
// Invariants: one pool per job, in config order; a pool's targets are always
// static ∪ (latest groups of each of its FileSD sources); stop() stops discovery before the
// pools, and marks every series stale unless told the leaf is only restarting.
import type { Logger } from '../shared/log.ts';
import {
  FileSD,
  ScrapePool,
  type ScrapeLoopOptions,
  type ScrapeResult,
  type TargetGroup,
} from './scrape/index.ts';
import type { LeafScrapeJob } from './config.ts';

export interface ScraperOptions {
  onResult: (r: ScrapeResult) => void;
  /** Series admission (the cardinality guard); refused samples are counted through onDrop. */
  admit?: ScrapeLoopOptions['admit'];
  streamAggregator?: ScrapeLoopOptions['streamAggregator'];
  onDrop: NonNullable<ScrapeLoopOptions['onDrop']>;
  logger: Logger;
}

export interface JobHealth {
  job: string;
  targets: number;
  up: number;
  droppedTargets: number;
  fileSdReadErrors: number;
}

interface JobState {
  job: LeafScrapeJob;
  pool: ScrapePool;
  sds: FileSD[];
  /** latest groups per FileSD source, by index in sds */
  discovered: TargetGroup[][];
  /** last outcome per target key */
  up: Map<string, boolean>;
  syncing: Promise<void>;
}

export class Scraper {
  private readonly jobs: JobState[];
  private readonly log: Logger;

  constructor(
    jobs: readonly LeafScrapeJob[],
    private readonly o: ScraperOptions,
  ) {
    this.log = o.logger;
    this.jobs = jobs.map((job) => {
      const up = new Map<string, boolean>();
      const pool = new ScrapePool(job.config, {
        onSamples: (r) => {
          if (r.samplesScraped > 0 || r.samples.length > 0) up.set(r.target.key, r.ok);
          if (!r.ok)
            this.log.debug({ job: job.config.jobName, target: r.target.url, err: r.error }, 'scrape failed');
          o.onResult(r);
        },
        admit: o.admit,
        streamAggregator: o.streamAggregator,
        onDrop: o.onDrop,
        onError: (e) =>
          this.log.error({ err: e, job: job.config.jobName }, 'cannot hand a scrape to the pipeline'),
      });
      const st: JobState = {
        job,
        pool,
        sds: [],
        discovered: job.fileSd.map(() => []),
        up,
        syncing: Promise.resolve(),
      };
      st.sds = job.fileSd.map(
        (cfg, i) =>
          new FileSD(
            cfg,
            (groups) => {
              st.discovered[i] = groups;
              this.resync(st);
            },
            (e) =>
              this.log.warn(
                { job: job.config.jobName, err: e.message },
                'cannot read file_sd target file; keeping its previous targets',
              ),
          ),
      );
      return st;
    });
  }

  private resync(st: JobState): void {
    const groups = [...st.job.staticGroups, ...st.discovered.flat()];
    // syncs run one after another so a slow stop of vanished targets cannot reorder them
    st.syncing = st.syncing
      .then(() => st.pool.sync(groups))
      .then(() => {
        const keys = new Set(st.pool.targets().map((l) => l.target.key));
        for (const k of st.up.keys()) if (!keys.has(k)) st.up.delete(k);
        for (const e of st.pool.lastErrors)
          this.log.warn({ job: st.job.config.jobName, err: e }, 'target dropped');
      })
      .catch((e) => this.log.error({ err: e, job: st.job.config.jobName }, 'cannot sync scrape targets'));
  }

  async start(): Promise<void> {
    for (const st of this.jobs) {
      this.resync(st);
      for (const sd of st.sds) sd.start(); // reads the files now: onUpdate → resync
      await st.syncing;
      st.pool.start();
      this.log.info(
        {
          job: st.job.config.jobName,
          targets: st.pool.targets().length,
          intervalMs: st.job.config.intervalMs,
        },
        'scrape job started',
      );
    }
  }

  /** Stops discovery and every scrape loop; targetGone (default true) marks all series stale. */
  async stop(opts: { targetGone?: boolean } = {}): Promise<void> {
    for (const st of this.jobs) for (const sd of st.sds) sd.stop();
    for (const st of this.jobs) {
      await st.syncing;
      await st.pool.stop(opts);
    }
  }

  health(): JobHealth[] {
    return this.jobs.map((st) => {
      let up = 0;
      for (const v of st.up.values()) if (v) up++;
      return {
        job: st.job.config.jobName,
        targets: st.pool.targets().length,
        up,
        droppedTargets: st.pool.droppedTargets,
        fileSdReadErrors: st.sds.reduce((n, s) => n + s.readErrors, 0),
      };
    });
  }

  jobNames(): string[] {
    return this.jobs.map((st) => st.job.config.jobName);
  }
}
