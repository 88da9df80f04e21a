// Forwarder: sends alerts to external Alertmanagers (POST <url>/api/v2/alerts, the Prometheus
// notifier's job): a bounded queue (oldest dropped and counted when full), batches of up to
// 64 alerts, one in-flight send loop, each batch tried up to 3 times with backoff per
// Alertmanager; failures counted per Alertmanager.
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { iso } from './alert.ts';
import { postJson } from './delivery.ts';
import type { NotifierMetrics } from './notifier-metrics.ts';

export interface ForwardAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAtMs: number;
  endsAtMs: number;
  generatorURL: string;
}

const MAX_QUEUE = 10_000;
const BATCH = 64;

export class Forwarder {
  private queue: ForwardAlert[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly urls: readonly string[],
    private readonly metrics: NotifierMetrics,
    private readonly log: Logger,
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  send(alerts: readonly ForwardAlert[]): void {
    if (this.urls.length === 0 || this.stopped) return;
    this.queue.push(...alerts);
    if (this.queue.length > MAX_QUEUE) {
      const drop = this.queue.length - MAX_QUEUE;
      this.queue.splice(0, drop);
      this.metrics.forwardDropped.inc(drop);
    }
    if (!this.running) this.running = this.drain().finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.queue.splice(0, BATCH);
      const body = batch.map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: iso(a.startsAtMs),
        ...(a.endsAtMs > 0 ? { endsAt: iso(a.endsAtMs) } : {}),
        generatorURL: a.generatorURL,
      }));
      await Promise.all(this.urls.map((u) => this.post(u, body, batch.length)));
    }
  }

  private async post(base: string, body: unknown, n: number): Promise<void> {
    const url = `${base.replace(/\/+$/, '')}/api/v2/alerts`;
    let backoff = 200;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await postJson(url, body, 10_000, { ...this.headers });
        this.metrics.forwarded.inc({ alertmanager: base }, n);
        return;
      } catch (e) {
        if (attempt === 3 || this.stopped) {
          this.metrics.forwardErrors.inc({ alertmanager: base });
          this.log.error({ alertmanager: base, alerts: n, err: errorMessage(e) }, 'cannot forward alerts');
          return;
        }
        await new Promise((r) => setTimeout(r, backoff).unref());
        backoff *= 2;
      }
    }
  }

  async stop(): Promise<void> {
    await this.running;
    this.stopped = true;
  }
}
