// ZoneDirectory: the zones the root knows — from the topology file (expected zones) and from
// heartbeats (canopy.heartbeat.*) — with liveness. A zone whose last heartbeat is older than
// deadAfterMs is down: fan-out skips it at once and says so in the response's warnings.
//
// Trust (docs/ARCHITECTURE.md "Channels between tiers"): a heartbeat is a claim, taken only when
//  - it was published on its own zone's subject (canopy.heartbeat.<zone> with zone = <zone>;
//    nats-server's per-zone permissions make that subject the zone's alone),
//  - with a topology, the zone is listed there and the heartbeat's region is the listed one,
//  - its external labels, if they name a zone or region, name this zone and its region.
// Anything else is ignored, counted by reason (canopy_root_heartbeats_ignored_total) and logged
// once per zone and reason. Nothing in a heartbeat says where to reach a zone: the HTTP address
// the root uses for rules, alerts and silences comes from the topology only.
//
// Replicas (HA zones, --replica): each replica is its own entry, keyed `<zone>/<replica>`, known
// from its own subjects (canopy.heartbeat.<zone>.<replica>); with a topology only the replicas
// it lists are taken. list() gives one entry per zone — the preferred replica (preference
// below) — so callers that think in zones (alerts, rules, planning) see each zone once;
// replicas(zone) gives them all, best first; all() every entry.
// Preference ("the most complete replica"): alive first, then the longest uptime (earliest
// startedMs: a replica that never restarted holds every sample its leaves shipped), then name.
import { pb } from '../proto/index.ts';
import { SUBJECTS, replicaOfSubject, type Bus, type Subscription } from '../shared/bus/index.ts';
import { labelsFromWire } from '../shared/wire/index.ts';
import { labelsToRecord } from '../shared/labels.ts';
import type { Topology } from '../shared/topology.ts';
import type { Logger } from '../shared/log.ts';

export interface ZoneState {
  zone: string;
  /** HA replica name; "" for a single-process zone. */
  replica: string;
  /** `<zone>` or `<zone>/<replica>`: the entry's identity (hints, status, fan-out). */
  key: string;
  region: string;
  /** From a heartbeat; 0 when never heard. */
  lastHeartbeatMs: number;
  startedMs: number;
  seriesCount: number;
  /** The zone's HTTP API from the topology ("" without one): never from a heartbeat. */
  httpUrl: string;
  version: string;
  externalLabels: Record<string, string>;
  /** Listed in the topology file. */
  expected: boolean;
}

/**
 * Slack for clocks, ms: a replica counts as restarted within a window when it started less than
 * this before the window's start (its startedMs is its own clock, sample times the leaves').
 */
export const RESTART_SLACK_MS = 30_000;

/**
 * Whether one replica's answer may miss samples of [windowStartMs, …]: when the preferred live
 * replica (first) started within the window. A replica up since before the window received every
 * batch of it as it was shipped (leaves ship every batch to every replica, ship_to all); one
 * that restarted gets what it missed from its leaves' buffers a little later. Then the root asks
 * every replica and deduplicates (merge/replica-dedup.ts).
 */
export function replicasMayDiffer(
  live: readonly Pick<ZoneState, 'startedMs'>[],
  windowStartMs: number,
): boolean {
  return live.length > 1 && live[0]!.startedMs > windowStartMs - RESTART_SLACK_MS;
}

/** The directory key of a zone or of one of its replicas. */
export function zoneKey(zone: string, replica = ''): string {
  return replica ? `${zone}/${replica}` : zone;
}

/** "zone z1" or "zone z1 replica a", for messages. */
export function zoneName(z: Pick<ZoneState, 'zone' | 'replica'>): string {
  return z.replica ? `zone ${z.zone} replica ${z.replica}` : `zone ${z.zone}`;
}

export type HeartbeatIgnoredReason =
  'not_in_topology' | 'subject_mismatch' | 'region_mismatch' | 'external_labels_mismatch' | 'undecodable';

export interface ZoneDirectoryOptions {
  /** Called once per heartbeat ignored (for canopy_root_heartbeats_ignored_total). */
  onIgnored?: (reason: HeartbeatIgnoredReason) => void;
}

/** The URL of a topology address HOST:PORT (with its scheme), or "" when its port is 0 (unknown until launched). */
export function topologyHttpUrl(hostPort: string, scheme: 'http' | 'https' = 'http'): string {
  return /:0$/.test(hostPort) ? '' : `${scheme}://${hostPort}`;
}

export class ZoneDirectory {
  private readonly zones = new Map<string, ZoneState>();
  private readonly logged = new Set<string>();
  private sub: Subscription | undefined;
  private readonly onIgnored: (reason: HeartbeatIgnoredReason) => void;

  constructor(
    private readonly deadAfterMs: number,
    private readonly log: Logger,
    private readonly topology?: Topology,
    private readonly now: () => number = Date.now,
    opts: ZoneDirectoryOptions = {},
  ) {
    this.onIgnored = opts.onIgnored ?? (() => {});
    for (const z of topology?.zones ?? []) {
      const reps =
        z.replicas.length > 0 ? z.replicas : [{ name: '', http: z.http, httpScheme: z.httpScheme }];
      for (const r of reps) {
        const key = zoneKey(z.name, r.name);
        this.zones.set(key, {
          zone: z.name,
          replica: r.name,
          key,
          region: z.region,
          lastHeartbeatMs: 0,
          startedMs: 0,
          seriesCount: 0,
          httpUrl: topologyHttpUrl(r.http, r.httpScheme),
          version: '',
          externalLabels: {},
          expected: true,
        });
      }
    }
  }

  start(bus: Bus): void {
    this.sub = bus.subscribe(SUBJECTS.heartbeatAll, (m) => this.onHeartbeat(m.subject, m.data));
  }

  /** Takes or ignores one heartbeat received on `subject`. */
  onHeartbeat(subject: string, data: Uint8Array): void {
    let hb: ReturnType<typeof pb.Heartbeat.decode>;
    try {
      hb = pb.Heartbeat.decode(data);
    } catch (e) {
      return this.ignore('undecodable', subject, `cannot decode a heartbeat: ${(e as Error).message}`);
    }
    const replica = replicaOfSubject(subject);
    if (!hb.zone || subject !== SUBJECTS.heartbeat(hb.zone, replica)) {
      return this.ignore(
        'subject_mismatch',
        subject,
        `heartbeat for zone "${hb.zone}" arrived on ${subject}`,
      );
    }
    const key = zoneKey(hb.zone, replica);
    const prev = this.zones.get(key);
    if (this.topology && !prev?.expected) {
      return this.ignore(
        'not_in_topology',
        key,
        `${zoneName({ zone: hb.zone, replica })} is not in the topology ${this.topology.file}: its heartbeats are ignored`,
      );
    }
    const region = hb.region ?? '';
    if (prev?.expected && region !== prev.region) {
      return this.ignore(
        'region_mismatch',
        hb.zone,
        `zone ${hb.zone} claims region "${region}" but the topology places it in "${prev.region}": its heartbeats are ignored`,
      );
    }
    const ext = labelsToRecord(labelsFromWire(hb.externalLabels));
    if (
      (ext.zone !== undefined && ext.zone !== hb.zone) ||
      (ext.region !== undefined && ext.region !== region)
    ) {
      return this.ignore(
        'external_labels_mismatch',
        hb.zone,
        `zone ${hb.zone} (region ${region}) announces external labels zone="${ext.zone ?? ''}", region="${ext.region ?? ''}": its heartbeats are ignored`,
      );
    }
    if (!prev || prev.lastHeartbeatMs === 0 || !this.isAlive(prev))
      this.log.info({ zone: hb.zone, ...(replica ? { replica } : {}), region }, 'zone is up');
    this.zones.set(key, {
      zone: hb.zone,
      replica,
      key,
      region,
      lastHeartbeatMs: this.now(),
      startedMs: Number(hb.startedMs),
      seriesCount: Number(hb.seriesCount),
      httpUrl: prev?.httpUrl ?? '',
      version: hb.version ?? '',
      externalLabels: ext,
      expected: prev?.expected ?? false,
    });
  }

  private ignore(reason: HeartbeatIgnoredReason, key: string, msg: string): void {
    this.onIgnored(reason);
    const k = `${reason}\0${key}`;
    if (this.logged.has(k)) return;
    if (this.logged.size < 10_000) this.logged.add(k);
    this.log.warn({ reason, zone: key }, msg);
  }

  stop(): void {
    this.sub?.unsubscribe();
  }

  isAlive(z: ZoneState): boolean {
    return z.lastHeartbeatMs > 0 && this.now() - z.lastHeartbeatMs <= this.deadAfterMs;
  }

  /** One entry per zone: a single-process zone, or the preferred replica of an HA zone. */
  list(): ZoneState[] {
    const best = new Map<string, ZoneState>();
    for (const z of this.zones.values()) {
      const cur = best.get(z.zone);
      if (!cur || this.prefer(z, cur) < 0) best.set(z.zone, z);
    }
    return [...best.values()].sort(byPlace);
  }

  /** Every entry (each replica on its own), by region, zone and replica. */
  all(): ZoneState[] {
    return [...this.zones.values()].sort(byPlace);
  }

  /** The replicas of a zone (one entry for a single-process zone), preferred first. */
  replicas(zone: string): ZoneState[] {
    return [...this.zones.values()].filter((z) => z.zone === zone).sort((a, b) => this.prefer(a, b));
  }

  /** < 0 when `a` is preferred to `b`: alive, then longest uptime, then name. */
  private prefer(a: ZoneState, b: ZoneState): number {
    const al = this.isAlive(a),
      bl = this.isAlive(b);
    if (al !== bl) return al ? -1 : 1;
    const as = a.startedMs || Infinity,
      bs = b.startedMs || Infinity;
    if (as !== bs) return as < bs ? -1 : 1;
    return a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0;
  }
}

function byPlace(a: ZoneState, b: ZoneState): number {
  const x = `${a.region}\0${a.zone}\0${a.replica}`,
    y = `${b.region}\0${b.zone}\0${b.replica}`;
  return x < y ? -1 : x > y ? 1 : 0;
}
