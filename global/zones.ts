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
import { pb } from '../proto/index.ts';
import { SUBJECTS, type Bus, type Subscription } from '../shared/bus/index.ts';
import { labelsFromWire } from '../shared/wire/index.ts';
import { labelsToRecord } from '../shared/labels.ts';
import type { Topology } from '../shared/topology.ts';
import type { Logger } from '../shared/log.ts';

export interface ZoneState {
  zone: string;
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

export type HeartbeatIgnoredReason = 'not_in_topology' | 'subject_mismatch' | 'region_mismatch' | 'external_labels_mismatch' | 'undecodable';

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
      this.zones.set(z.name, { zone: z.name, region: z.region, lastHeartbeatMs: 0, startedMs: 0, seriesCount: 0, httpUrl: topologyHttpUrl(z.http, z.httpScheme), version: '', externalLabels: {}, expected: true });
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
    if (!hb.zone || subject !== SUBJECTS.heartbeat(hb.zone)) {
      return this.ignore('subject_mismatch', subject, `heartbeat for zone "${hb.zone}" arrived on ${subject}`);
    }
    const prev = this.zones.get(hb.zone);
    if (this.topology && !prev?.expected) {
      return this.ignore('not_in_topology', hb.zone, `zone ${hb.zone} is not in the topology ${this.topology.file}: its heartbeats are ignored`);
    }
    const region = hb.region ?? '';
    if (prev?.expected && region !== prev.region) {
      return this.ignore('region_mismatch', hb.zone, `zone ${hb.zone} claims region "${region}" but the topology places it in "${prev.region}": its heartbeats are ignored`);
    }
    const ext = labelsToRecord(labelsFromWire(hb.externalLabels));
    if ((ext.zone !== undefined && ext.zone !== hb.zone) || (ext.region !== undefined && ext.region !== region)) {
      return this.ignore(
        'external_labels_mismatch',
        hb.zone,
        `zone ${hb.zone} (region ${region}) announces external labels zone="${ext.zone ?? ''}", region="${ext.region ?? ''}": its heartbeats are ignored`,
      );
    }
    if (!prev || prev.lastHeartbeatMs === 0 || !this.isAlive(prev)) this.log.info({ zone: hb.zone, region }, 'zone is up');
    this.zones.set(hb.zone, {
      zone: hb.zone,
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

  list(): ZoneState[] {
    return [...this.zones.values()].sort((a, b) => (a.region + a.zone < b.region + b.zone ? -1 : 1));
  }
}
