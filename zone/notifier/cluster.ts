// AlertCluster: the replicas of one zone (`--replica a|b`, same `--zone`) share silences and the
// notification log over NATS, the way Alertmanager's cluster gossips them, so each replica can
// evaluate the same rules and every alert group is still notified once. Protocol (subjects under
// canopy.alerts.<zone>, JSON bodies; docs/alerting.md "HA replicas"):
//   .peer            {replica, tsMs}                         every HEARTBEAT_MS, from each replica
//   .delta           {from, tenant, silences?, nflog?}       after every local silence change / log
//   .sync            {from, mutual?}                         "send me your state" (start, reconnect,
//                                                             a peer seen again); mutual: "and pull
//                                                             mine" (after our reconnect)
//   .state.<replica> {from, tenant, silences, nflog, last}   the answer, chunked under max payload
// Merging keeps the newer copy (silence updatedAtMs, nflog entry tsMs), as Alertmanager does.
// Notifying: before each flush a replica waits until its state is synced (a snapshot came, or
// SETTLE passed with no peer answering), then position × peer timeout (its index among the live
// replicas sorted by name; Alertmanager's WaitStage), then reads the nflog (DedupStage). All state
// is keyed by tenant ('anonymous' today) so one cluster serves a notifier per tenant.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Bus, Subscription } from '../../shared/bus/index.ts';
import { SUBJECTS } from '../../shared/bus/index.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import type { LogEntry, NotificationLog } from './notification-log.ts';
import type { Silence, Silences } from './silences.ts';

/** What the cluster needs of a notifier: its silences, its log, and the flush gate. */
export interface ReplicatedNotifier {
  readonly silences: Silences;
  readonly nflog: NotificationLog;
  peerGate: (() => Promise<void>) | undefined;
}

export interface AlertClusterOptions {
  zone: string;
  replica: string;
  /** Delay per position (Alertmanager --cluster.peer-timeout). */
  peerTimeoutMs: number;
  logger: Logger;
  registry?: Registry;
  now?: () => number;
}

type WireEntry = [key: string, firing: string[], resolved: string[], tsMs: number];
interface Delta {
  from: string;
  tenant: string;
  silences?: Silence[];
  nflog?: WireEntry[];
  /** In a .state answer: the last chunk of the snapshot. */
  last?: boolean;
  /** In a .sync request: the asker may hold changes the others missed; pull them. */
  mutual?: boolean;
}

const HEARTBEAT_MS = 1000;
/** A replica not heard from for this long is not counted in positions. */
const LIVE_MS = 3500;
const enc = new TextEncoder();
const dec = new TextDecoder();

const toWire = (key: string, e: LogEntry): WireEntry => [key, [...e.firing], [...e.resolved], e.tsMs];

export class AlertCluster {
  private readonly members = new Map<string, ReplicatedNotifier>();
  /** State for tenants not attached yet (merged when they are), newest copy per id / key. */
  private readonly pending = new Map<
    string,
    { silences: Map<string, Silence>; nflog: Map<string, WireEntry> }
  >();
  private readonly peers = new Map<string, number>();
  private readonly subj: string;
  private readonly now: () => number;
  private bus: Bus | undefined;
  private subs: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private epoch = -1;
  private settled = false;
  private settle!: () => void;
  readonly synced: Promise<void>;
  private readonly metrics: { merged: Counter; sent: Counter; peers: Gauge };

  constructor(private readonly opts: AlertClusterOptions) {
    this.now = opts.now ?? Date.now;
    this.subj = SUBJECTS.alerts(opts.zone);
    this.synced = new Promise<void>((r) => (this.settle = r));
    // Alertmanager waits for the cluster to settle before notifying; with no peer answering
    // (the other replica is down, or NATS is) this replica goes on alone after SETTLE.
    setTimeout(() => this.markSynced('no peer answered'), Math.max(3000, 2 * opts.peerTimeoutMs)).unref();
    const registers = opts.registry ? [opts.registry] : [];
    this.metrics = {
      merged: new Counter({
        name: 'canopy_notifier_cluster_merged_total',
        help: "Peer replicas' silences and notification-log entries taken (newer than ours).",
        labelNames: ['kind'],
        registers,
      }),
      sent: new Counter({
        name: 'canopy_notifier_cluster_messages_sent_total',
        help: 'Messages published to the peer replicas.',
        labelNames: ['kind'],
        registers,
      }),
      peers: new Gauge({
        name: 'canopy_notifier_cluster_peers',
        help: 'Live replicas of this zone, this one included.',
        registers,
        collect: () => this.metrics.peers.set(this.live().length),
      }),
    };
  }

  /** Replicates this tenant's notifier: hooks its silences, log and flush gate. */
  attach(tenant: string, n: ReplicatedNotifier): void {
    this.members.set(tenant, n);
    n.silences.onChange = (s) => this.send({ from: this.opts.replica, tenant, silences: [s] }, 'delta');
    n.nflog.onLog = (key, e) =>
      this.send({ from: this.opts.replica, tenant, nflog: [toWire(key, e)] }, 'delta');
    n.peerGate = () => this.turn();
    const p = this.pending.get(tenant);
    this.pending.delete(tenant);
    if (p) this.apply({ from: '', tenant, silences: [...p.silences.values()], nflog: [...p.nflog.values()] });
  }

  /** Starts talking to the peers on `bus` (called once NATS is connected). */
  start(bus: Bus): void {
    this.bus = bus;
    const on = (s: string, h: (d: Delta & { replica?: string; tsMs?: number }) => void): void => {
      this.subs.push(
        bus.subscribe(`${this.subj}.${s}`, (m) => {
          try {
            const d = JSON.parse(dec.decode(m.data)) as Delta & { replica?: string };
            if ((d.from ?? d.replica) !== this.opts.replica) h(d);
          } catch (e) {
            this.opts.logger.warn({ err: errorMessage(e) }, 'alert cluster: bad message ignored');
          }
        }),
      );
    };
    on('peer', (d) => {
      const name = d.replica ?? '';
      const wasLive = this.isLive(name);
      this.peers.set(name, this.now());
      // A peer (re)appeared: it may hold changes we missed (and pulls ours the same way); and
      // it learns of us now rather than at our next heartbeat.
      if (!wasLive) {
        this.publish('peer', { replica: this.opts.replica, tsMs: this.now() }, 'peer');
        this.requestSync();
      }
    });
    on('delta', (d) => this.apply(d));
    on('sync', (d) => {
      this.answerSync(d.from);
      if (d.mutual) this.requestSync(false);
    });
    on(`state.${this.opts.replica}`, (d) => {
      this.apply(d);
      if (d.last) this.markSynced('snapshot received', d.from);
    });
    this.tick();
    this.timer = setInterval(() => this.tick(), HEARTBEAT_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subs) s.unsubscribe();
    this.subs = [];
    this.bus = undefined;
    this.markSynced('stopped');
  }

  /** Sorted names of the live replicas, this one included. */
  live(): string[] {
    return [...new Set([this.opts.replica, ...[...this.peers.keys()].filter((p) => this.isLive(p))])].sort();
  }

  position(): number {
    return this.live().indexOf(this.opts.replica);
  }

  private isLive(p: string): boolean {
    const t = this.peers.get(p);
    return t !== undefined && this.now() - t < LIVE_MS;
  }

  /** The flush gate: synced, then position × peer timeout. */
  private async turn(): Promise<void> {
    await this.synced;
    const ms = this.position() * this.opts.peerTimeoutMs;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  private markSynced(why: string, from?: string): void {
    if (this.settled) return;
    this.settled = true;
    this.opts.logger.info({ why, from }, 'alert cluster: state synced; notifications may go out');
    this.settle();
  }

  private tick(): void {
    if (!this.bus) return;
    this.publish('peer', { replica: this.opts.replica, tsMs: this.now() }, 'peer');
    // After a reconnect, deltas may have been lost: pull the peers' state again.
    const ep = this.bus.epoch();
    if (ep !== this.epoch) {
      this.epoch = ep;
      this.requestSync(true);
    }
  }

  private requestSync(mutual = false): void {
    this.publish('sync', { from: this.opts.replica, mutual }, 'sync');
  }

  /** Publishes every tenant's silences and log to `.state.<to>`, in chunks under the payload limit. */
  private answerSync(to: string): void {
    if (!this.bus || !to) return;
    const max = Math.floor(this.bus.maxPayloadBytes() * 0.8);
    const chunks: Delta[] = [];
    for (const [tenant, n] of this.members) {
      let cur: Delta = { from: this.opts.replica, tenant, silences: [], nflog: [] };
      let size = 200;
      const push = (bytes: number): void => {
        if (size + bytes > max && (cur.silences!.length || cur.nflog!.length)) {
          chunks.push(cur);
          cur = { from: this.opts.replica, tenant, silences: [], nflog: [] };
          size = 200;
        }
        size += bytes;
      };
      for (const s of n.silences.list()) {
        push(JSON.stringify(s).length + 1);
        cur.silences!.push(s);
      }
      for (const [k, e] of n.nflog.entries()) {
        const w = toWire(k, e);
        push(JSON.stringify(w).length + 1);
        cur.nflog!.push(w);
      }
      chunks.push(cur);
    }
    if (chunks.length === 0) chunks.push({ from: this.opts.replica, tenant: '', silences: [], nflog: [] });
    chunks[chunks.length - 1]!.last = true;
    for (const c of chunks) this.publish(`state.${to}`, c, 'state');
  }

  private apply(d: Delta): void {
    if (!d.tenant) return;
    const n = this.members.get(d.tenant);
    if (!n) {
      let p = this.pending.get(d.tenant);
      if (!p) this.pending.set(d.tenant, (p = { silences: new Map(), nflog: new Map() }));
      for (const s of d.silences ?? [])
        if ((p.silences.get(s.id)?.updatedAtMs ?? -1) < s.updatedAtMs) p.silences.set(s.id, s);
      for (const e of d.nflog ?? []) if ((p.nflog.get(e[0])?.[3] ?? -1) < e[3]) p.nflog.set(e[0], e);
      return;
    }
    for (const s of d.silences ?? []) if (n.silences.merge(s)) this.metrics.merged.inc({ kind: 'silence' });
    for (const [k, f, r, ts] of d.nflog ?? [])
      if (n.nflog.merge(k, { firing: new Set(f), resolved: new Set(r), tsMs: ts }))
        this.metrics.merged.inc({ kind: 'nflog' });
  }

  private send(d: Delta, kind: string): void {
    this.publish('delta', d, kind);
  }

  private publish(sub: string, body: unknown, kind: string): void {
    if (!this.bus) return;
    try {
      this.bus.publish(`${this.subj}.${sub}`, enc.encode(JSON.stringify(body)));
      this.metrics.sent.inc({ kind });
    } catch (e) {
      this.opts.logger.warn(
        { err: errorMessage(e), subject: `${this.subj}.${sub}` },
        'alert cluster: publish failed',
      );
    }
  }
}
