// Field hints: a compact summary of what this zone holds — its metric names, its label names
// and, for labels with few values, those values — so the root can skip zones a query cannot
// match (docs/pushdown.md). Pruning may never change an answer, so hints are a versioned
// stream the root can prove complete (docs/format/hints.md):
//
// - The zone keeps the set it has published (HintSet), grown only within one process
//   (incarnation): the storage walk at start, then every series admitted through the gate.
// - The gate (gate()) wraps the storage that ingest writes to: a series whose metric name,
//   label name or listed label value is not in the set yet becomes part of a DELTA with the
//   next seq, published when the batch commits; the batch is acknowledged only once the bus
//   has confirmed (flush) the message that carries every hint the batch relies on.
// - When that cannot be confirmed (NATS down, slow), the write is answered "unavailable"
//   (HTTP 503, gRPC RETRY) — unless the root can no longer trust any message sent before the
//   delta: 2 × lease after it was sent (or after this process started, for hints never
//   sent). The root trusts a message for at most `lease` after receipt and after its
//   timestamp, so then it asks this zone instead of pruning it.
// - Every intervalMs a KEEPALIVE says the current seq and renews the lease; every
//   SNAPSHOT_EVERY_TICKS intervals, and when a root asks on canopy.hintsync (it saw a gap or
//   a new incarnation), a SNAPSHOT of the whole set. Messages larger than the bus's max
//   payload are chunked (shared/wire/hints.ts); strings longer than HINT_MAX_STRING_LENGTH
//   are never listed: the list they belong to is marked incomplete instead.
//
// Invariant (what the root relies on): when the zone acknowledges a write through the gate,
// either every hint its series need was in a message the bus confirmed before the ack, or
// 2 × lease have passed since the last message that lacked them was sent.
import { randomBytes } from 'node:crypto';
import { HintKind, pb } from '../proto/index.ts';
import type { IZoneHints } from '../proto/index.ts';
import { SUBJECTS, type Bus, type Subscription } from '../shared/bus/index.ts';
import { encodeHintChunks, labelsToWire } from '../shared/wire/index.ts';
import { labelsFromRecord, METRIC_NAME, type Labels } from '../shared/labels.ts';
import { bug, CanopyError, errorMessage } from '../shared/errors.ts';
import type { Distribution } from '../shared/distribution.ts';
import type { AppendResult, Appender, Queryable, Storage } from '../shared/storage.ts';
import type { Logger } from '../shared/log.ts';
import { HintSet, newDelta } from './hint-set.ts';
import { cardinalitySketches } from './cardinality-sketches.ts';

export {
  HINT_MAX_LABEL_NAMES,
  HINT_MAX_METRIC_NAMES,
  HINT_MAX_STRING_LENGTH,
  HINT_MAX_VALUES,
  HintSet,
} from './hint-set.ts';

/** How long a write waits for the bus to confirm its hints before it is answered "unavailable". */
export const HINT_PUBLISH_WAIT_MS = 2000;
/** A full SNAPSHOT every this many keepalive intervals (roots that joined late catch up). */
export const SNAPSHOT_EVERY_TICKS = 15;
export { CARDINALITY_HLL_P, CARDINALITY_PAIR_HLL_P, CARDINALITY_TOP_PAIRS } from './cardinality-sketches.ts';

const ALL_TIME = { startMs: -8.64e15, endMs: 8.64e15 };

export interface HintsOptions {
  zone: string;
  /** HA replica name ("" = a single-process zone): hints go out on canopy.hints.<zone>.<replica>. */
  replica?: string;
  region: string;
  externalLabels: Record<string, string>;
  /** The zone's data with external labels attached (for on-request hints and sketches). */
  queryable: Queryable;
  /** The zone's own storage (walked at start). */
  storage: Queryable;
  seriesCount: () => number;
  logger: Logger;
  intervalMs: number;
  /**
   * Whether a root may read these hints (the zone has a bus or a NATS URL). When false the
   * gate acknowledges at once: no root can reach this zone.
   */
  published: boolean;
  /** Counts writes acknowledged without confirmed hints (lease expired), for /metrics. */
  onUnconfirmedAck?: () => void;
  now?: () => number;
}

export class ZoneHintsSource {
  readonly set = new HintSet();
  readonly incarnation = randomBytes(8).toString('hex');
  /** Lease the root may trust a message for: 3 keepalive intervals. */
  readonly leaseMs: number;
  private seq = 0;
  /** Updates published (pub numbers), and the highest the bus confirmed. */
  private pubs = 0;
  private flushedPub = 0;
  /** pub of the first snapshot; Infinity until it was published. */
  private basePub = Infinity;
  /**
   * Updates whose message may never have reached the server (a flush failed, or the
   * connection changed between publish and flush: nats.js drops its buffer on reconnect) are
   * ≤ lostUpTo; a SNAPSHOT published after them (coverPub) carries their hints instead.
   */
  private lostUpTo = 0;
  private coverPub = Infinity;
  private retryMs = 500;
  /** Unconfirmed updates: when sent (for the lease rule) and on which connection (bus epoch). */
  private readonly sent = new Map<number, { ms: number; epoch: number }>();
  private readonly startedMs: number;
  private readonly now: () => number;
  private flushing = false;
  private flushAgain = false;
  private readonly waiters = new Set<{ pub: number; wake: () => void }>();
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private syncTimer: NodeJS.Timeout | undefined;
  private bus: Bus | undefined;
  private syncSub: Subscription | undefined;
  private walked = false;

  constructor(private readonly o: HintsOptions) {
    this.now = o.now ?? Date.now;
    this.startedMs = this.now();
    this.leaseMs = 3 * o.intervalMs;
  }

  /** Walks the storage into the set (before the first snapshot; writes may run meanwhile). */
  async init(): Promise<void> {
    const q = await this.o.storage.querier(ALL_TIME.startMs, ALL_TIME.endMs, { selects: [] });
    try {
      for (const m of q.labelValues(METRIC_NAME, ALL_TIME)) this.set.addMetricName(m, 0, undefined);
      for (const name of q.labelNames(ALL_TIME)) {
        if (name === METRIC_NAME) continue;
        for (const v of q.labelValues(name, ALL_TIME)) {
          this.set.addLabel(name, v, 0, undefined);
          if (this.set.labels.get(name)?.values === null) break;
        }
      }
    } finally {
      q.close();
    }
    this.walked = true;
  }

  /** Storage whose appenders publish hint changes before commit() resolves (see the header). */
  gate(storage: Storage, opts: { wait: boolean } = { wait: true }): Storage {
    return {
      querier: (mint, maxt, hints) => storage.querier(mint, maxt, hints),
      appender: () => new GatedAppender(storage.appender(), this, opts.wait),
      seriesCount: () => storage.seriesCount(),
      close: () => storage.close(),
    };
  }

  /** The pub a series needs (0: the first snapshot), or -1 when the set does not cover it. */
  need(labels: Labels): number {
    return this.set.need(labels);
  }

  /** Adds uncovered series to the set, publishing one DELTA; returns the pub they need. */
  admit(series: readonly Labels[]): number {
    const d = this.bus && this.basePub !== Infinity ? newDelta() : undefined;
    const pub = d ? this.pubs + 1 : 0;
    for (const ls of series) this.set.add(ls, pub, d);
    let need = 0;
    for (const ls of series) need = Math.max(need, this.need(ls));
    if (
      d &&
      (d.metricNames.length > 0 || d.labels.size > 0 || d.metricNamesIncomplete || d.labelNamesIncomplete)
    ) {
      this.seq++;
      this.publish({
        kind: HintKind.DELTA,
        metricNames: d.metricNames,
        labels: [...d.labels].map(([name, l]) => ({ name, values: l.values, complete: l.complete })),
        metricNamesIncomplete: d.metricNamesIncomplete,
        labelNamesIncomplete: d.labelNamesIncomplete,
      });
    }
    return need;
  }

  /** Whether a write needing `pub` (0: the first snapshot) may be acknowledged now. */
  visible(pub: number): boolean {
    if (!this.o.published) return true;
    let eff = pub === 0 ? this.basePub : pub;
    if (eff <= this.lostUpTo) eff = this.coverPub;
    return eff <= this.flushedPub;
  }

  /**
   * Resolves when a write needing `pub` may be acknowledged: the bus confirmed it, or the
   * lease rule says no root trusts older hints any more; rejects with CanopyError
   * 'unavailable' after HINT_PUBLISH_WAIT_MS otherwise.
   */
  async awaitVisible(pub: number): Promise<void> {
    if (this.visible(pub)) return;
    // Every message a root might trust without these hints was sent before `pub` was (or,
    // for hints never sent, before this process started).
    const allowedAt =
      (this.sent.get(pub === 0 ? this.basePub : pub)?.ms ?? this.startedMs) + 2 * this.leaseMs;
    const waitMs = Math.min(HINT_PUBLISH_WAIT_MS, Math.max(0, allowedAt - this.now()));
    if (waitMs > 0) {
      await new Promise<void>((resolve) => {
        const w = { pub, wake: () => done() };
        const t = setTimeout(() => done(), waitMs);
        const done = (): void => {
          clearTimeout(t);
          this.waiters.delete(w);
          resolve();
        };
        this.waiters.add(w);
      });
    }
    if (this.visible(pub)) return;
    if (this.now() >= allowedAt) {
      this.o.onUnconfirmedAck?.();
      return;
    }
    throw new CanopyError(
      'unavailable',
      `cannot acknowledge the write: the field hints for its new series were not confirmed by NATS within ${HINT_PUBLISH_WAIT_MS} ms ` +
        `(the root could miss them); retry — without NATS the zone accepts new series ${Math.ceil((allowedAt - this.now()) / 1000)} s from now`,
      { fields: { waitMs: HINT_PUBLISH_WAIT_MS } },
    );
  }

  private publish(h: IZoneHints): number {
    const bus = this.bus;
    if (!bus) bug('field hints published without a bus');
    const pub = ++this.pubs;
    const nowMs = this.now();
    const msg: IZoneHints = {
      zone: this.o.zone,
      region: this.o.region,
      incarnation: this.incarnation,
      seq: this.seq,
      timestampMs: nowMs,
      leaseMs: this.leaseMs,
      seriesCount: this.o.seriesCount(),
      ...h,
    };
    for (const chunk of encodeHintChunks(msg, bus.maxPayloadBytes()))
      bus.publish(SUBJECTS.hints(this.o.zone, this.o.replica), chunk);
    this.sent.set(pub, { ms: nowMs, epoch: bus.epoch() });
    this.requestFlush();
    return pub;
  }

  /** pub may never have reached the server: its hints need a snapshot published after it. */
  private markLost(pub: number): void {
    if (pub > this.lostUpTo) this.lostUpTo = pub;
    if (this.coverPub <= pub) this.coverPub = Infinity;
  }

  /**
   * One flush at a time (PING/PONG). A flush confirms the updates published before it on the
   * same connection; updates published on an earlier one, or pending when a flush fails, are
   * marked lost and covered by the next snapshot (published after a backoff).
   */
  private requestFlush(): void {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    const bus = this.bus;
    if (!bus) return;
    this.flushing = true;
    this.flushAgain = false;
    const target = this.pubs;
    const epoch = bus.epoch();
    bus.flush().then(
      () => {
        this.flushing = false;
        if (bus.epoch() !== epoch)
          return this.flushFailed('the NATS connection was interrupted during the flush');
        for (const [p, s] of this.sent) if (p <= target && s.epoch !== epoch) this.markLost(p);
        if (target > this.flushedPub) this.flushedPub = target;
        const covered = this.coverPub <= this.flushedPub;
        for (const p of this.sent.keys())
          if (p <= target && (p > this.lostUpTo || covered)) this.sent.delete(p);
        this.retryMs = 500;
        for (const w of this.waiters) if (this.visible(w.pub)) w.wake();
        if (this.lostUpTo > 0 && this.coverPub === Infinity) this.snapshot();
        else if (this.flushAgain) this.requestFlush();
      },
      (e) => {
        this.flushing = false;
        this.flushFailed(errorMessage(e));
      },
    );
  }

  private flushFailed(why: string): void {
    this.o.logger.warn(
      { err: why, retryMs: this.retryMs },
      'cannot confirm field hints with NATS; a snapshot follows',
    );
    this.markLost(this.pubs);
    setTimeout(() => {
      if (this.coverPub === Infinity) this.snapshot();
      else this.requestFlush();
    }, this.retryMs).unref();
    this.retryMs = Math.min(5000, this.retryMs * 2);
  }

  private snapshot(): void {
    if (!this.bus || !this.walked) return;
    const pub = this.publish({
      kind: HintKind.SNAPSHOT,
      ...this.set.toWire(),
      externalLabels: labelsToWire(labelsFromRecord(this.o.externalLabels)),
    });
    if (this.basePub === Infinity) this.basePub = pub;
    // A snapshot carries the whole set: it covers every update lost before it.
    if (this.coverPub === Infinity && this.lostUpTo > 0 && pub > this.lostUpTo) this.coverPub = pub;
  }

  /** Starts publishing on the bus: a SNAPSHOT now, keepalives, snapshots on request. */
  start(bus: Bus): void {
    this.bus = bus;
    this.snapshot();
    this.syncSub = bus.subscribe(SUBJECTS.hintSync, (m) => {
      let zone = '';
      try {
        zone = pb.HintSyncRequest.decode(m.data).zone ?? '';
      } catch {
        return;
      }
      if (zone !== '' && zone !== this.o.zone) return;
      // Coalesce requests from several roots into one snapshot.
      this.syncTimer ??= setTimeout(() => {
        this.syncTimer = undefined;
        this.snapshot();
      }, 50);
    });
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.syncTimer);
    this.timer = undefined;
    this.syncSub?.unsubscribe();
    for (const w of this.waiters) w.wake();
  }

  /** A KEEPALIVE, or every SNAPSHOT_EVERY_TICKS a SNAPSHOT. */
  tick(): void {
    if (!this.bus) return;
    try {
      if (++this.ticks % SNAPSHOT_EVERY_TICKS === 0 || this.basePub === Infinity) this.snapshot();
      else this.publish({ kind: HintKind.KEEPALIVE });
    } catch (e) {
      this.o.logger.warn({ err: errorMessage(e) }, 'cannot publish field hints');
    }
  }

  /**
   * Hints computed now from the storage, on request (MetadataRequest HINTS/CARDINALITY; kind
   * UNVERSIONED, never pruned on), with sketches when `cardinality` is set.
   */
  async compute(cardinality = false): Promise<IZoneHints> {
    const q = await this.o.queryable.querier(ALL_TIME.startMs, ALL_TIME.endMs, { selects: [] });
    try {
      const set = new HintSet();
      const names = q.labelValues(METRIC_NAME, ALL_TIME);
      for (const m of names) set.addMetricName(m, 0, undefined);
      for (const name of q.labelNames(ALL_TIME)) {
        if (name === METRIC_NAME) continue;
        for (const v of q.labelValues(name, ALL_TIME)) set.addLabel(name, v, 0, undefined);
      }
      const out: IZoneHints = {
        zone: this.o.zone,
        region: this.o.region,
        timestampMs: this.now(),
        seriesCount: this.o.seriesCount(),
        ...set.toWire(),
        externalLabels: labelsToWire(labelsFromRecord(this.o.externalLabels)),
      };
      if (cardinality) Object.assign(out, cardinalitySketches(q, Object.keys(this.o.externalLabels)));
      return out;
    } finally {
      q.close();
    }
  }
}

/**
 * An Appender that notes each distinct series' hint needs as it is appended (one lookup per
 * label, nothing allocated when covered; consecutive samples of one series are checked once)
 * and, at commit, publishes a DELTA for uncovered series and waits until the bus confirmed
 * every hint the batch needs (unless `wait` is false: rule outputs, which nobody awaits).
 */
class GatedAppender implements Appender {
  private last: Labels | undefined;
  private needPub = 0;
  private pending: Labels[] | undefined;

  constructor(
    private readonly inner: Appender,
    private readonly hints: ZoneHintsSource,
    private readonly wait: boolean,
  ) {}

  private observe(labels: Labels): void {
    this.last = labels;
    const n = this.hints.need(labels);
    if (n < 0) (this.pending ??= []).push(labels);
    else if (n > this.needPub) this.needPub = n;
  }

  append(labels: Labels, tMs: number, value: number): void {
    if (labels !== this.last) this.observe(labels);
    this.inner.append(labels, tMs, value);
  }

  appendDistribution(labels: Labels, tMs: number, d: Distribution): void {
    if (labels !== this.last) this.observe(labels);
    this.inner.appendDistribution(labels, tMs, d);
  }

  async commit(): Promise<AppendResult> {
    let need = this.needPub;
    if (this.pending) need = Math.max(need, this.hints.admit(this.pending));
    this.pending = undefined;
    this.last = undefined;
    this.needPub = 0;
    if (!this.wait || this.hints.visible(need)) return this.inner.commit();
    const [res] = await Promise.all([this.inner.commit(), this.hints.awaitVisible(need)]);
    return res;
  }

  rollback(): void {
    this.pending = undefined;
    this.last = undefined;
    this.needPub = 0;
    this.inner.rollback();
  }
}
