// Field hints: a compact summary of what this zone holds — its metric names, a summary of label
// values, its series count and, on request, one HyperLogLog sketch of series per metric — so
// the root can skip zones a query cannot match and estimate global cardinality without moving
// series lists (docs/pushdown.md). Published on canopy.hints.<zone> every intervalMs (a loop
// that never overlaps and unrefs its timer) and answered on request through the responder.
//
// Hints are computed by walking the storage through the querier (with the zone's external
// labels attached, so they describe what the root sees). The walk is over all time: a hint
// says "this zone may hold it", never "it has samples in your range".
import { pb } from '../proto/index.ts';
import type { canopy } from '../proto/index.ts';
import { SUBJECTS, type Bus } from '../shared/bus/index.ts';
import { labelsToWire } from '../shared/wire/index.ts';
import { labelsFromRecord, labelsKey, METRIC_NAME } from '../shared/labels.ts';
import { Matcher } from '../shared/matchers.ts';
import { HyperLogLog } from '../shared/sketch/index.ts';
import { errorMessage } from '../shared/errors.ts';
import type { Queryable } from '../shared/storage.ts';
import type { Logger } from '../shared/log.ts';

/** Label names with at most this many values are listed completely; others are sampled. */
export const HINT_MAX_VALUES = 64;
/** Sketch precision for per-metric cardinality: 2^12 registers = 4 KiB, std error ≈ 1.6 %. */
export const CARDINALITY_HLL_P = 12;

const ALL_TIME = { startMs: -8.64e15, endMs: 8.64e15 };

export interface HintsOptions {
  zone: string;
  region: string;
  externalLabels: Record<string, string>;
  /** The zone's data with external labels attached. */
  queryable: Queryable;
  seriesCount: () => number;
  logger: Logger;
  intervalMs: number;
}

export class ZoneHintsSource {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private bus: Bus | undefined;

  constructor(private readonly o: HintsOptions) {}

  /** Computes the hints now; with sketches when `cardinality` is set. */
  async compute(cardinality = false): Promise<canopy.v1.IZoneHints> {
    const q = await this.o.queryable.querier(ALL_TIME.startMs, ALL_TIME.endMs);
    try {
      const names = q.labelValues(METRIC_NAME, ALL_TIME);
      const labels: canopy.v1.ILabelSummary[] = [];
      for (const name of q.labelNames(ALL_TIME)) {
        if (name === METRIC_NAME) continue;
        const vs = q.labelValues(name, ALL_TIME);
        const complete = vs.length <= HINT_MAX_VALUES;
        labels.push({ name, values: complete ? vs : vs.slice(0, HINT_MAX_VALUES), complete, valueCount: vs.length });
      }
      const out: canopy.v1.IZoneHints = {
        zone: this.o.zone,
        region: this.o.region,
        timestampMs: Date.now(),
        seriesCount: this.o.seriesCount(),
        metricNames: names,
        labels,
        externalLabels: labelsToWire(labelsFromRecord(this.o.externalLabels)),
      };
      if (cardinality) {
        out.cardinality = [];
        for (const m of names) {
          const hll = new HyperLogLog(CARDINALITY_HLL_P);
          let n = 0;
          const ss = q.select([new Matcher('=', METRIC_NAME, m)], { ...ALL_TIME, func: 'series' });
          while (ss.next()) {
            hll.add(labelsKey(ss.at().labels));
            n++;
          }
          if (ss.err()) throw ss.err();
          out.cardinality.push({ metric: m, sketch: hll.toBytes(), series: n });
        }
      }
      return out;
    } finally {
      q.close();
    }
  }

  start(bus: Bus): void {
    this.bus = bus;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Publishes fresh hints now (also called when asked). */
  async tick(): Promise<void> {
    if (this.inFlight || !this.bus) return;
    this.inFlight = true;
    try {
      const h = await this.compute(false);
      this.bus.publish(SUBJECTS.hints(this.o.zone), pb.ZoneHints.encode(h).finish());
    } catch (e) {
      this.o.logger.warn({ err: errorMessage(e) }, 'cannot publish field hints');
    } finally {
      this.inFlight = false;
    }
  }
}
