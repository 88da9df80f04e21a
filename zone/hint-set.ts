// The zone's field hint set (zone/hints.ts publishes it): metric names, label names and, for
// labels with few values, those values, each entry with the number of the update ("pub") that
// first carried it to the bus, so a write knows which update it must see confirmed. Grown
// only; strings too long to list and lists over their caps mark the list incomplete instead
// (an incomplete list can never rule a name or value out at the root).
import type { canopy, IZoneHints } from '../proto/index.ts';
import { METRIC_NAME, type Labels } from '../shared/labels.ts';

/** Label names with at most this many values are listed completely; others are not listed. */
export const HINT_MAX_VALUES = 64;
/** Longer metric names, label names and values are never listed (their list becomes incomplete). */
export const HINT_MAX_STRING_LENGTH = 1024;
/** Metric names listed at most; beyond, the list is marked incomplete and stops growing. */
export const HINT_MAX_METRIC_NAMES = 100_000;
/** Label names listed at most; beyond, the list is marked incomplete and stops growing. */
export const HINT_MAX_LABEL_NAMES = 10_000;

/** A label's entry: `values` null once the label has too many (or too long) values to list. */
interface LabelEntry {
  pub: number;
  values: Map<string, number> | null;
  incompletePub: number;
}

/** An update being built: what a batch adds to the set. */
export interface DeltaBuilder {
  metricNames: string[];
  labels: Map<string, { values: string[]; complete: boolean }>;
  metricNamesIncomplete: boolean;
  labelNamesIncomplete: boolean;
}

/**
 * The hints the zone has published or will publish next, each entry with the number of the
 * update ("pub") that first carried it; pub 0 = the first snapshot. Grown only.
 */
export class HintSet {
  readonly metricNames = new Map<string, number>();
  readonly labels = new Map<string, LabelEntry>();
  /** pub of the update that marked the list incomplete; -1 while complete. */
  metricNamesIncomplete = -1;
  labelNamesIncomplete = -1;

  /**
   * The largest pub this series' hints were carried by (0 = first snapshot), or -1 when the
   * set does not cover it yet. Allocates nothing.
   */
  need(labels: Labels): number {
    let need = 0;
    for (let i = 0; i < labels.length; i++) {
      const { name, value } = labels[i]!;
      if (name === METRIC_NAME) {
        if (this.metricNamesIncomplete >= 0) need = Math.max(need, this.metricNamesIncomplete);
        else {
          const p = this.metricNames.get(value);
          if (p === undefined) return -1;
          need = Math.max(need, p);
        }
        continue;
      }
      const e = this.labels.get(name);
      if (e === undefined) {
        if (this.labelNamesIncomplete < 0) return -1;
        need = Math.max(need, this.labelNamesIncomplete);
        continue;
      }
      need = Math.max(need, e.pub);
      if (e.values === null) need = Math.max(need, e.incompletePub);
      else {
        const p = e.values.get(value);
        if (p === undefined) return -1;
        need = Math.max(need, p);
      }
    }
    return need;
  }

  /** Adds what the series needs with `pub`, recording the additions in `d`. */
  add(labels: Labels, pub: number, d: DeltaBuilder | undefined): void {
    for (const { name, value } of labels) {
      if (name === METRIC_NAME) this.addMetricName(value, pub, d);
      else this.addLabel(name, value, pub, d);
    }
  }

  addMetricName(name: string, pub: number, d: DeltaBuilder | undefined): void {
    if (this.metricNamesIncomplete >= 0 || this.metricNames.has(name)) return;
    if (name.length > HINT_MAX_STRING_LENGTH || this.metricNames.size >= HINT_MAX_METRIC_NAMES) {
      this.metricNamesIncomplete = pub;
      this.metricNames.clear();
      if (d) d.metricNamesIncomplete = true;
      return;
    }
    this.metricNames.set(name, pub);
    d?.metricNames.push(name);
  }

  addLabel(name: string, value: string, pub: number, d: DeltaBuilder | undefined): void {
    let e = this.labels.get(name);
    if (e === undefined) {
      if (this.labelNamesIncomplete >= 0) return;
      if (name.length > HINT_MAX_STRING_LENGTH || this.labels.size >= HINT_MAX_LABEL_NAMES) {
        this.labelNamesIncomplete = pub;
        if (d) d.labelNamesIncomplete = true;
        return;
      }
      e = { pub, values: new Map(), incompletePub: -1 };
      this.labels.set(name, e);
      d?.labels.set(name, { values: [], complete: true });
    }
    if (e.values === null || e.values.has(value)) return;
    const dl = d
      ? (d.labels.get(name) ?? d.labels.set(name, { values: [], complete: true }).get(name)!)
      : undefined;
    if (value.length > HINT_MAX_STRING_LENGTH || e.values.size >= HINT_MAX_VALUES) {
      e.values = null;
      e.incompletePub = pub;
      if (dl) {
        dl.complete = false;
        dl.values = [];
      }
      return;
    }
    e.values.set(value, pub);
    if (dl?.complete) dl.values.push(value);
  }

  /** The whole set as ZoneHints fields. */
  toWire(): Pick<IZoneHints, 'metricNames' | 'labels' | 'metricNamesIncomplete' | 'labelNamesIncomplete'> {
    const labels: canopy.v1.ILabelSummary[] = [];
    for (const [name, e] of this.labels) {
      labels.push(
        e.values
          ? { name, values: [...e.values.keys()], complete: true, valueCount: e.values.size }
          : { name, values: [], complete: false },
      );
    }
    return {
      metricNames: this.metricNamesIncomplete >= 0 ? [] : [...this.metricNames.keys()],
      labels,
      metricNamesIncomplete: this.metricNamesIncomplete >= 0,
      labelNamesIncomplete: this.labelNamesIncomplete >= 0,
    };
  }
}

export function newDelta(): DeltaBuilder {
  return { metricNames: [], labels: new Map(), metricNamesIncomplete: false, labelNamesIncomplete: false };
}
