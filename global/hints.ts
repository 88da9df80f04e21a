// HintsDirectory: the field hints streams the zones publish on canopy.hints.<zone> (one per
// replica of an HA zone, on canopy.hints.<zone>.<replica>, kept apart by key <zone>/<replica>:
// each replica's stream has its own incarnation and seq, and prunes only that replica)
// (zone/hints.ts, docs/format/hints.md), kept per zone for pruning (plan/prune.ts) and for
// series counts in /api/v1/status/zones.
//
// A zone's hints are trusted for pruning only while they provably cover everything the zone
// acknowledged: a SNAPSHOT and every DELTA since applied in seq order, within one incarnation,
// with no chunk lost and no interruption of the root's NATS connection since the snapshot,
// and the last message no older than its lease (by receipt and by the zone's timestamp).
// Anything else — no snapshot yet, a gap, a new incarnation, a lost chunk, a reconnect, an
// expired lease — makes the zone untrusted: it is asked rather than pruned, and the root asks
// it for a snapshot on canopy.hintsync (at most once a second per zone).
//
// Before a query prunes, the root calls barrier(): a NATS round trip (Bus.flush). A zone
// acknowledges a write only after the server confirmed the delta carrying its hints, so every
// such delta was forwarded to the root before the barrier's answer and has been applied.
import { HintKind, pb, type IZoneHints } from '../proto/index.ts';
import { SUBJECTS, replicaOfSubject, type Bus, type Subscription } from '../shared/bus/index.ts';
import { decodeHints, HintChunks } from '../shared/wire/index.ts';
import { errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import type { HintsView } from './plan/index.ts';

export const HINTS_SUBJECT_ALL = SUBJECTS.hintsAll;
/** How long a query waits for the barrier before pruning by external labels only. */
export const BARRIER_TIMEOUT_MS = 1000;
/** A root asks one zone for a snapshot at most this often. */
const SYNC_EVERY_MS = 1000;

interface LabelState {
  values: string[];
  complete: boolean;
}

export interface ZoneHintsState extends HintsView {
  zone: string;
  /** `<zone>` or `<zone>/<replica>` (global/zones.ts zoneKey). */
  key: string;
  seriesCount: number;
  /** When the root received the last message (its clock). */
  receivedMs: number;
  /** When the zone sent it (its clock). */
  computedMs: number;
  incarnation: string;
  seq: number;
  /** Why the hints are not trusted; '' when they are (lease permitting). */
  untrusted: string;
  leaseMs: number;
  labels: Map<string, LabelState>;
  metricNames: Set<string>;
}

interface Stream {
  state: ZoneHintsState;
  chunks: HintChunks;
  busEpoch: number;
  lastSyncMs: number;
}

export class HintsDirectory {
  private readonly byZone = new Map<string, Stream>();
  private sub: Subscription | undefined;
  private bus: Bus | undefined;

  constructor(
    /** Upper bound on the lease a zone may ask for. */
    private readonly maxLeaseMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(bus: Bus): void {
    this.bus = bus;
    this.sub = bus.subscribe(HINTS_SUBJECT_ALL, (m) => {
      try {
        const h = decodeHints(m.data);
        // Trust: hints count only on their own zone's subject (nats-server lets only that
        // zone's user publish there); a zone's hints published elsewhere could prune it.
        const replica = replicaOfSubject(m.subject);
        if (m.subject !== SUBJECTS.hints(h.zone ?? '', replica))
          return void this.log.warn(
            { subject: m.subject, zone: h.zone },
            "field hints ignored: not on their zone's subject",
          );
        this.accept(h, replica);
      } catch (e) {
        this.log.warn({ err: errorMessage(e) }, 'cannot decode field hints');
      }
    });
    // Every zone: send a snapshot now rather than at its next periodic one.
    bus.publish(SUBJECTS.hintSync, pb.HintSyncRequest.encode({ zone: '' }).finish());
  }

  stop(): void {
    this.sub?.unsubscribe();
  }

  /**
   * The barrier before pruning: true once every hint message the server forwarded to this
   * root before the round trip has been applied; false when it failed or took longer than
   * timeoutMs (then prune by external labels only).
   */
  async barrier(timeoutMs = BARRIER_TIMEOUT_MS): Promise<boolean> {
    if (!this.bus) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.bus.flush().then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
      ]);
    } catch (e) {
      this.log.warn({ err: errorMessage(e) }, 'field hints barrier failed; pruning by external labels only');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Applies one received ZoneHints message (a chunk of an update) of a zone or one of its replicas. */
  accept(h: IZoneHints, replica = ''): void {
    if (!h.zone) return;
    const s = this.stream(h.zone, replica);
    if (!h.kind) {
      // On-request hints (UNVERSIONED): never part of the stream.
      s.state.seriesCount = Number(h.seriesCount ?? s.state.seriesCount);
      return;
    }
    const whole = s.chunks.add(h);
    if (whole === 'broken') return this.distrust(s, 'a chunk of its hints was lost');
    if (whole) this.apply(s, whole);
  }

  private stream(zone: string, replica: string): Stream {
    const key = replica ? `${zone}/${replica}` : zone;
    let s = this.byZone.get(key);
    if (!s) {
      s = {
        state: {
          zone,
          key,
          seriesCount: 0,
          receivedMs: 0,
          computedMs: 0,
          incarnation: '',
          seq: 0,
          untrusted: 'no snapshot received yet',
          leaseMs: 0,
          metricNames: new Set(),
          labels: new Map(),
        },
        chunks: new HintChunks(),
        busEpoch: -1,
        lastSyncMs: -Infinity,
      };
      this.byZone.set(key, s);
    }
    return s;
  }

  private apply(s: Stream, h: IZoneHints): void {
    const st = s.state;
    const seq = Number(h.seq ?? 0);
    st.receivedMs = this.now();
    st.computedMs = Number(h.timestampMs ?? 0);
    st.leaseMs = Math.min(Number(h.leaseMs ?? 0), this.maxLeaseMs);
    if (h.seriesCount != null) st.seriesCount = Number(h.seriesCount);
    if (h.kind === HintKind.SNAPSHOT) {
      st.incarnation = h.incarnation ?? '';
      st.seq = seq;
      st.metricNames = new Set(h.metricNames ?? []);
      st.labels = new Map();
      for (const l of h.labels ?? []) mergeLabel(st.labels, l);
      st.metricNamesIncomplete = !!h.metricNamesIncomplete;
      st.labelNamesIncomplete = !!h.labelNamesIncomplete;
      st.untrusted = '';
      s.busEpoch = this.bus?.epoch() ?? 0;
      return;
    }
    if (h.incarnation !== st.incarnation) {
      st.incarnation = h.incarnation ?? '';
      st.seq = seq;
      return this.distrust(s, 'it restarted (new incarnation) and its snapshot has not arrived');
    }
    if (st.untrusted !== '') {
      st.seq = Math.max(st.seq, seq);
      return this.requestSync(s);
    }
    if (h.kind === HintKind.KEEPALIVE) {
      if (seq > st.seq) return this.distrust(s, `its hints skipped from seq ${st.seq} to ${seq}`);
      return;
    }
    if (h.kind !== HintKind.DELTA) return this.distrust(s, `unknown hints kind ${h.kind}`);
    if (seq <= st.seq) return;
    if (seq !== st.seq + 1) {
      const from = st.seq;
      st.seq = seq;
      return this.distrust(s, `its hints skipped from seq ${from} to ${seq}`);
    }
    st.seq = seq;
    if (h.metricNamesIncomplete) {
      st.metricNamesIncomplete = true;
      st.metricNames.clear();
    } else if (!st.metricNamesIncomplete) for (const n of h.metricNames ?? []) st.metricNames.add(n);
    if (h.labelNamesIncomplete) st.labelNamesIncomplete = true;
    for (const l of h.labels ?? []) mergeLabel(st.labels, l);
  }

  private distrust(s: Stream, why: string): void {
    if (s.state.untrusted === '')
      this.log.info(
        { zone: s.state.key, why },
        "not pruning by this zone's field hints until its next snapshot",
      );
    s.state.untrusted = why;
    this.requestSync(s);
  }

  private requestSync(s: Stream): void {
    const now = this.now();
    if (!this.bus || now - s.lastSyncMs < SYNC_EVERY_MS) return;
    s.lastSyncMs = now;
    this.bus.publish(SUBJECTS.hintSync, pb.HintSyncRequest.encode({ zone: s.state.zone }).finish());
  }

  /** Why a zone's (or replica's, by key) hints cannot be used for pruning now; '' when they can. */
  whyUntrusted(zone: string): string {
    const s = this.byZone.get(zone);
    if (!s) return 'no field hints received';
    const st = s.state;
    if (st.untrusted !== '') return st.untrusted;
    if (this.bus && s.busEpoch !== this.bus.epoch()) {
      this.distrust(s, "the root's NATS connection was interrupted since its snapshot");
      return st.untrusted;
    }
    const now = this.now();
    const until = Math.min(st.receivedMs + st.leaseMs, st.computedMs + st.leaseMs);
    if (now > until) return `its hints are older than their lease (${st.leaseMs} ms)`;
    return '';
  }

  /** Hints of a zone that provably cover what it acknowledged (after a barrier), or undefined. */
  view(zone: string): ZoneHintsState | undefined {
    return this.whyUntrusted(zone) === '' ? this.byZone.get(zone)!.state : undefined;
  }

  /** Latest hints of a zone, however old or untrusted. */
  latest(zone: string): ZoneHintsState | undefined {
    return this.byZone.get(zone)?.state;
  }
}

/** Adds a label summary (a snapshot's, a delta's, or a chunk of either) to the map. */
function mergeLabel(labels: Map<string, LabelState>, l: NonNullable<IZoneHints['labels']>[number]): void {
  const name = l.name ?? '';
  const cur = labels.get(name);
  if (!l.complete) {
    labels.set(name, { values: [], complete: false });
    return;
  }
  if (!cur) {
    labels.set(name, { values: [...(l.values ?? [])], complete: true });
    return;
  }
  if (!cur.complete) return;
  for (const v of l.values ?? []) if (!cur.values.includes(v)) cur.values.push(v);
}
