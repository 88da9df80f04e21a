// ZoneDirectory: the zones the root knows — from the topology file (expected zones) and from
// heartbeats (canopy.heartbeat.*) — with liveness. A zone whose last heartbeat is older than
// deadAfterMs is down: fan-out skips it at once and says so in the response's warnings.
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
  httpUrl: string;
  version: string;
  externalLabels: Record<string, string>;
  /** Listed in the topology file. */
  expected: boolean;
}

export class ZoneDirectory {
  private readonly zones = new Map<string, ZoneState>();
  private sub: Subscription | undefined;

  constructor(
    private readonly deadAfterMs: number,
    private readonly log: Logger,
    topology?: Topology,
    private readonly now: () => number = Date.now,
  ) {
    for (const z of topology?.zones ?? []) {
      this.zones.set(z.name, { zone: z.name, region: z.region, lastHeartbeatMs: 0, startedMs: 0, seriesCount: 0, httpUrl: '', version: '', externalLabels: {}, expected: true });
    }
  }

  start(bus: Bus): void {
    this.sub = bus.subscribe(SUBJECTS.heartbeatAll, (m) => {
      try {
        const hb = pb.Heartbeat.decode(m.data);
        if (!hb.zone) return;
        const prev = this.zones.get(hb.zone);
        if (!prev || prev.lastHeartbeatMs === 0 || !this.isAlive(prev)) this.log.info({ zone: hb.zone, region: hb.region }, 'zone is up');
        this.zones.set(hb.zone, {
          zone: hb.zone,
          region: hb.region ?? '',
          lastHeartbeatMs: this.now(),
          startedMs: Number(hb.startedMs),
          seriesCount: Number(hb.seriesCount),
          httpUrl: hb.httpUrl ?? '',
          version: hb.version ?? '',
          externalLabels: labelsToRecord(labelsFromWire(hb.externalLabels)),
          expected: prev?.expected ?? false,
        });
      } catch (e) {
        this.log.warn({ err: (e as Error).message }, 'cannot decode a heartbeat');
      }
    });
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
