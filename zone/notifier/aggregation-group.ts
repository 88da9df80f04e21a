// AggregationGroup (Alertmanager dispatch.aggregationGroup): the alerts of one route that share
// group labels. The first notification goes out group_wait after the group is created (at once
// for an alert that started longer than group_wait ago), then one per group_interval while the
// group lives. Each flush mutes silenced/inhibited alerts, deduplicates per integration against
// the notification log (repeat_interval, send_resolved), delivers with retries and exponential
// backoff (until the next flush is due), logs what was sent, and drops resolved alerts that did
// not change during the flush. Flushes never overlap.
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { isResolved, type NotifierAlert } from './alert.ts';
import { DeliveryError } from './delivery.ts';
import type { Integration } from './integrations.ts';
import { NotificationLog, needsUpdate } from './notification-log.ts';
import type { NotifierMetrics } from './notifier-metrics.ts';
import type { Route } from './route.ts';

export interface GroupDeps {
  receiver(name: string): { name: string; integrations: Integration[] } | undefined;
  muted(a: NotifierAlert, nowMs: number): boolean;
  nflog: NotificationLog;
  metrics: NotifierMetrics;
  logger: Logger;
  externalURL: string;
  now: () => number;
  onEmpty(g: AggregationGroup): void;
  /** HA replicas: waits for this replica's turn before a flush reads the nflog (cluster.ts). */
  beforeNotify?: () => Promise<void>;
}

const BACKOFF_START_MS = 200;
const BACKOFF_MAX_MS = 5_000;

export class AggregationGroup {
  readonly alerts = new Map<string, NotifierAlert>();
  private hasFlushed = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    readonly route: Route,
    readonly groupLabels: Record<string, string>,
    readonly groupKey: string,
    private readonly deps: GroupDeps,
  ) {
    this.reschedule(route.cfg.groupWaitMs);
  }

  insert(a: NotifierAlert): void {
    this.alerts.set(a.fingerprint, a);
    // An alert already older than group_wait need not wait for it.
    if (!this.hasFlushed && a.startsAtMs + this.route.cfg.groupWaitMs <= this.deps.now()) this.reschedule(0);
  }

  private reschedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onTimer(), ms);
    this.timer.unref();
  }

  private onTimer(): void {
    if (this.flushing) return void this.reschedule(this.route.cfg.groupIntervalMs);
    this.hasFlushed = true;
    this.reschedule(this.route.cfg.groupIntervalMs);
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.alerts.size === 0) this.deps.onEmpty(this);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.flushing;
  }

  /** One notification round. Exposed for tests. */
  async flush(): Promise<void> {
    if (this.deps.beforeNotify) await this.deps.beforeNotify();
    const now = this.deps.now();
    const snapshot = [...this.alerts.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
    const ends = new Map(snapshot.map((a) => [a.fingerprint, a.endsAtMs]));
    const alerts = snapshot.filter((a) => !this.deps.muted(a, now));
    if (alerts.length > 0) {
      const recv = this.deps.receiver(this.route.cfg.receiver);
      if (recv) await Promise.all(recv.integrations.map((i) => this.notifyOne(recv.name, i, alerts, now)));
    }
    // Drop resolved alerts unless they changed while we were notifying.
    for (const a of snapshot) {
      const cur = this.alerts.get(a.fingerprint);
      if (cur && isResolved(cur, now) && cur.endsAtMs === ends.get(a.fingerprint))
        this.alerts.delete(a.fingerprint);
    }
  }

  private async notifyOne(
    receiver: string,
    integ: Integration,
    alerts: NotifierAlert[],
    now: number,
  ): Promise<void> {
    const { deps } = this;
    const key = NotificationLog.key(receiver, integ.name, this.groupKey);
    const firing = new Set<string>();
    const resolved = new Set<string>();
    for (const a of alerts) (isResolved(a, now) ? resolved : firing).add(a.fingerprint);
    if (
      !needsUpdate(
        deps.nflog.get(key),
        firing,
        resolved,
        integ.sendResolved,
        this.route.cfg.repeatIntervalMs,
        now,
      )
    )
      return;
    const toSend = integ.sendResolved ? alerts : alerts.filter((a) => !isResolved(a, now));
    if (toSend.length > 0) {
      const labels = { receiver, integration: integ.kind };
      deps.metrics.notifications.inc(labels);
      const deadline = Date.now() + Math.max(this.route.cfg.groupIntervalMs, 10_000);
      let backoff = BACKOFF_START_MS;
      for (let attempt = 1; ; attempt++) {
        deps.metrics.requests.inc(labels);
        try {
          await integ.notify({
            receiver,
            groupKey: this.groupKey,
            groupLabels: this.groupLabels,
            alerts: toSend,
            externalURL: deps.externalURL,
            nowMs: now,
          });
          break;
        } catch (e) {
          deps.metrics.requestsFailed.inc(labels);
          const retryable = !(e instanceof DeliveryError) || e.retryable;
          if (!retryable || this.stopped || Date.now() + backoff > deadline) {
            deps.metrics.notificationsFailed.inc(labels);
            deps.logger.error(
              { receiver, integration: integ.name, attempts: attempt, err: errorMessage(e) },
              'notify failed; giving up',
            );
            return;
          }
          deps.logger.warn(
            { receiver, integration: integ.name, attempt, retryInMs: backoff, err: errorMessage(e) },
            'notify failed; retrying',
          );
          await new Promise((r) => setTimeout(r, backoff).unref());
          backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
          if (this.stopped) {
            deps.metrics.notificationsFailed.inc(labels);
            return;
          }
        }
      }
    }
    deps.nflog.log(key, [...firing], [...resolved]);
  }
}
