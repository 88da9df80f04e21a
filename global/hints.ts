// HintsDirectory: the field hints the zones publish on canopy.hints.<zone> (zone/hints.ts),
// kept per zone for pruning (plan/prune.ts) and for series counts in /api/v1/status/zones.
// Hints older than maxAgeMs are not trusted for pruning: a zone without fresh hints is asked.
import { pb } from '../proto/index.ts';
import { SUBJECTS, type Bus, type Subscription } from '../shared/bus/index.ts';
import type { Logger } from '../shared/log.ts';
import type { HintsView } from './plan/index.ts';

export const HINTS_SUBJECT_ALL = 'canopy.hints.*';

export interface ZoneHintsState extends HintsView {
  zone: string;
  seriesCount: number;
  /** When the root received them (its clock). */
  receivedMs: number;
  /** When the zone computed them (its clock). */
  computedMs: number;
}

export class HintsDirectory {
  private readonly byZone = new Map<string, ZoneHintsState>();
  private sub: Subscription | undefined;

  constructor(
    private readonly maxAgeMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(bus: Bus): void {
    this.sub = bus.subscribe(HINTS_SUBJECT_ALL, (m) => {
      try {
        const h = pb.ZoneHints.decode(m.data);
        // Trust: hints count only on their own zone's subject (nats-server lets only that
        // zone's user publish there); a zone's hints published elsewhere could prune it.
        if (m.subject !== SUBJECTS.hints(h.zone ?? '')) return void this.log.warn({ subject: m.subject, zone: h.zone }, 'field hints ignored: not on their zone\'s subject');
        this.accept(h);
      } catch (e) {
        this.log.warn({ err: (e as Error).message }, 'cannot decode field hints');
      }
    });
  }

  stop(): void {
    this.sub?.unsubscribe();
  }

  accept(h: ReturnType<typeof pb.ZoneHints.decode>): void {
    if (!h.zone) return;
    const labels = new Map<string, { values: readonly string[]; complete: boolean }>();
    for (const l of h.labels ?? []) labels.set(l.name ?? '', { values: l.values ?? [], complete: !!l.complete });
    this.byZone.set(h.zone, {
      zone: h.zone,
      metricNames: new Set(h.metricNames ?? []),
      labels,
      seriesCount: Number(h.seriesCount ?? 0),
      receivedMs: this.now(),
      computedMs: Number(h.timestampMs ?? 0),
    });
  }

  /** Fresh hints of a zone, or undefined (then the zone is not pruned by hints). */
  view(zone: string): ZoneHintsState | undefined {
    const h = this.byZone.get(zone);
    return h && this.now() - h.receivedMs <= this.maxAgeMs ? h : undefined;
  }

  /** Latest hints of a zone, however old. */
  latest(zone: string): ZoneHintsState | undefined {
    return this.byZone.get(zone);
  }
}
