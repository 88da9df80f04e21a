// Notifier: the zone's built-in Alertmanager. Holds the current alerts (by fingerprint), routes
// them into aggregation groups (Dispatcher), mutes them with silences and inhibition rules,
// deduplicates against the notification log, delivers to receivers, and forwards alerts to
// external Alertmanagers. Silences and the notification log live in SQLite. Reloadable: a new
// configuration builds a new routing tree and re-dispatches the current alerts, as Alertmanager
// does on reload. start()/stop() run the maintenance loop (GC of alerts, silences, log).
import type { Registry } from 'prom-client';
import type { Logger } from '../../shared/log.ts';
import { fingerprint, isResolved, type NotifierAlert } from './alert.ts';
import type { NotifierConfig } from './config.ts';
import type { AggregationGroup } from './aggregation-group.ts';
import { Dispatcher } from './dispatcher.ts';
import { Forwarder, type ForwardAlert } from './forwarder.ts';
import { Inhibitor } from './inhibition.ts';
import { buildIntegrations, type Integration } from './integrations.ts';
import { NotificationLog } from './notification-log.ts';
import { openNotifierDb, type NotifierDb } from './notifier-db.ts';
import { newNotifierMetrics, type NotifierMetrics } from './notifier-metrics.ts';
import { Route } from './route.ts';
import { Silences } from './silences.ts';

export interface NotifierOptions {
  config: NotifierConfig;
  /** SQLite file for silences and the notification log (':memory:' in tests). */
  dbPath: string;
  externalURL: string;
  logger: Logger;
  registry?: Registry;
  /** The tenant's view of the zone's notifier metric families; default: new families in `registry`, tenant anonymous. */
  metrics?: NotifierMetrics;
  /** External Alertmanagers that receive every alert the rules send. */
  alertmanagerURLs?: readonly string[];
  /** Headers sent with every forwarded batch (X-Scope-OrgID of a named tenant). */
  forwardHeaders?: Readonly<Record<string, string>>;
  now?: () => number;
}

/** Resolved alerts stay visible to grouping this long before GC drops them. */
const RESOLVED_KEEP_MS = 15 * 60_000;
const GC_INTERVAL_MS = 30_000;

export class Notifier {
  readonly alerts = new Map<string, NotifierAlert>();
  readonly silences: Silences;
  readonly nflog: NotificationLog;
  readonly metrics: NotifierMetrics;
  readonly startedMs: number;
  config: NotifierConfig;
  private dispatcher: Dispatcher;
  private inhibitor: Inhibitor;
  private receivers = new Map<string, { name: string; integrations: Integration[] }>();
  private readonly db: NotifierDb;
  private readonly forwarder: Forwarder;
  private readonly now: () => number;
  private gcTimer: NodeJS.Timeout | undefined;
  /** HA replicas: awaited before each flush (zone/notifier/cluster.ts sets it). */
  peerGate: (() => Promise<void>) | undefined;
  /** Bumped on every change of `alerts` (the inhibitor caches its source index on it). */
  private alertsVersion = 0;

  constructor(private readonly opts: NotifierOptions) {
    this.now = opts.now ?? Date.now;
    this.startedMs = this.now();
    this.db = openNotifierDb(opts.dbPath);
    this.silences = new Silences(this.db, this.now);
    this.nflog = new NotificationLog(this.db, this.now);
    this.metrics = opts.metrics ?? newNotifierMetrics(opts.registry);
    this.forwarder = new Forwarder(
      opts.alertmanagerURLs ?? [],
      this.metrics,
      opts.logger.child({ component: 'forwarder' }),
      opts.forwardHeaders,
    );
    this.config = opts.config;
    this.inhibitor = new Inhibitor([], () => []);
    this.dispatcher = this.build(opts.config);
  }

  private build(cfg: NotifierConfig): Dispatcher {
    this.config = cfg;
    this.receivers = new Map(
      [...cfg.receivers.values()].map((r) => [
        r.name,
        { name: r.name, integrations: buildIntegrations(r.integrations) },
      ]),
    );
    this.inhibitor = new Inhibitor(
      cfg.inhibitRules,
      () => this.alerts.values(),
      () => this.alertsVersion,
    );
    if (cfg.ignored.length > 0)
      this.opts.logger.warn(
        { file: cfg.file, keys: cfg.ignored },
        'notifier config: these Alertmanager settings are accepted but not supported; they have no effect',
      );
    return new Dispatcher(new Route(cfg.route), {
      receiver: (n) => this.receivers.get(n),
      muted: (a, now) => this.silencedBy(a).length > 0 || this.inhibitedBy(a, now).length > 0,
      nflog: this.nflog,
      metrics: this.metrics,
      logger: this.opts.logger,
      externalURL: this.opts.externalURL,
      now: this.now,
      beforeNotify: () => this.peerGate?.() ?? Promise.resolve(),
    });
  }

  silencedBy(a: NotifierAlert): string[] {
    return this.silences.mutes(a.labels);
  }

  inhibitedBy(a: NotifierAlert, nowMs = this.now()): string[] {
    return this.inhibitor.inhibitedBy(a.labels, a.fingerprint, nowMs);
  }

  /** Receives alerts (from rules with forward=true, or POST /api/v2/alerts). */
  put(incoming: readonly ForwardAlert[], opts: { forward?: boolean } = {}): void {
    const now = this.now();
    for (const x of incoming) {
      const fp = fingerprint(x.labels);
      const startsAtMs = x.startsAtMs > 0 ? x.startsAtMs : now;
      const timeout = !(x.endsAtMs > 0);
      const endsAtMs = timeout ? now + this.config.resolveTimeoutMs : x.endsAtMs;
      let a: NotifierAlert = {
        labels: x.labels,
        annotations: x.annotations,
        startsAtMs,
        endsAtMs,
        updatedAtMs: now,
        generatorURL: x.generatorURL,
        fingerprint: fp,
        timeout,
      };
      const cur = this.alerts.get(fp);
      // Merge with an overlapping alert of the same labels: keep the earliest start.
      if (cur && !(isResolved(cur, now) && startsAtMs > cur.endsAtMs))
        a = { ...a, startsAtMs: Math.min(cur.startsAtMs, startsAtMs) };
      this.alerts.set(fp, a);
      this.alertsVersion++;
      this.metrics.alertsReceived.inc({ status: isResolved(a, now) ? 'resolved' : 'firing' });
      this.dispatcher.dispatch(a);
    }
    if (opts.forward) this.forwarder.send(incoming);
  }

  receiversFor(labels: Readonly<Record<string, string>>): string[] {
    return this.dispatcher.receivers(labels);
  }

  groups(): AggregationGroup[] {
    return this.dispatcher.groupList();
  }

  async reload(cfg: NotifierConfig): Promise<void> {
    const old = this.dispatcher;
    this.dispatcher = this.build(cfg);
    await old.stop();
    const now = this.now();
    for (const a of this.alerts.values()) if (!isResolved(a, now)) this.dispatcher.dispatch(a);
  }

  start(): void {
    this.gcTimer = setInterval(() => this.gc(), GC_INTERVAL_MS);
    this.gcTimer.unref();
  }

  gc(): void {
    const now = this.now();
    for (const [fp, a] of this.alerts)
      if (isResolved(a, now) && a.endsAtMs < now - RESOLVED_KEEP_MS && this.alerts.delete(fp))
        this.alertsVersion++;
    this.silences.gc();
    this.nflog.gc();
  }

  async stop(): Promise<void> {
    if (this.gcTimer) clearInterval(this.gcTimer);
    await this.dispatcher.stop();
    await this.forwarder.stop();
    this.db.close();
  }
}
