// ScrapePool: the scrape loops of one job. sync(groups) rebuilds the job's targets from its
// current target groups (static + file_sd), starts loops for new targets and stops vanished
// ones with targetGone staleness markers — so a target removed from a file_sd file has all its
// series marked stale, as in Prometheus.
import { buildTargets, type ScrapeJobConfig, type TargetGroup } from './target.ts';
import { ScrapeLoop, type ScrapeLoopOptions } from './scrape-loop.ts';

export class ScrapePool {
  readonly job: ScrapeJobConfig;
  private readonly opts: ScrapeLoopOptions;
  private readonly loops = new Map<string, ScrapeLoop>();
  private started = false;
  /** Targets dropped by relabel_configs in the last sync, and their errors. */
  droppedTargets = 0;
  lastErrors: string[] = [];

  constructor(job: ScrapeJobConfig, opts: ScrapeLoopOptions) {
    this.job = job;
    this.opts = opts;
  }

  async sync(groups: readonly TargetGroup[]): Promise<void> {
    const { targets, dropped, errors } = buildTargets(this.job, groups);
    this.droppedTargets = dropped;
    this.lastErrors = errors;
    const want = new Set(targets.map((t) => t.key));
    const gone: Promise<void>[] = [];
    for (const [k, loop] of this.loops) {
      if (!want.has(k)) {
        this.loops.delete(k);
        gone.push(loop.stop({ targetGone: true }));
      }
    }
    for (const t of targets) {
      if (this.loops.has(t.key)) continue;
      const loop = new ScrapeLoop(t, this.opts);
      this.loops.set(t.key, loop);
      if (this.started) loop.start();
    }
    await Promise.all(gone);
  }

  start(): void {
    this.started = true;
    for (const l of this.loops.values()) l.start();
  }

  /** Stops every loop; targetGone marks all their series stale (default true). */
  async stop(opts: { targetGone?: boolean } = {}): Promise<void> {
    this.started = false;
    const all = [...this.loops.values()];
    this.loops.clear();
    await Promise.all(all.map((l) => l.stop(opts)));
  }

  targets(): ScrapeLoop[] {
    return [...this.loops.values()];
  }
}
