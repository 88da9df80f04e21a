// The graph tab: a range query's series drawn with uPlot (canvas, fast with thousands of points):
// legend with each series' labels, values under the cursor, optional stacking (each series
// drawn on top of the ones before it, areas filled). Stacked, the series are handed to uPlot
// top of the stack first: each area is filled down to zero, so the lower ones, drawn later,
// cover exactly their own band (and the legend reads top to bottom, as the chart does).
import uPlot from 'uplot';
import type { RangeSeries } from '../api.ts';
import { labelsText } from '../format.ts';

export function color(i: number): string {
  // Golden-angle hues: neighbouring series stay apart however many there are.
  return `hsl(${Math.round((i * 137.508) % 360)}, 65%, 45%)`;
}

export interface ChartInput {
  series: RangeSeries[];
  startMs: number;
  endMs: number;
  stepMs: number;
  stacked: boolean;
}

/** Aligns every series on the query's step grid (seconds on x; missing points are null). */
export function aligned(input: ChartInput): uPlot.AlignedData {
  const stepS = input.stepMs / 1000;
  const startS = input.startMs / 1000;
  const n = Math.floor((input.endMs - input.startMs) / input.stepMs) + 1;
  const xs = Array.from({ length: n }, (_, i) => startS + i * stepS);
  const ys = input.series.map((s) => {
    const y: (number | null)[] = new Array(n).fill(null);
    for (const [t, v] of s.values ?? []) {
      const i = Math.round((t - startS) / stepS);
      if (i >= 0 && i < n) y[i] = Number(v);
    }
    return y;
  });
  if (input.stacked) {
    const sum: number[] = new Array(n).fill(0);
    for (const y of ys) {
      for (let i = 0; i < n; i++) {
        if (y[i] === null || !Number.isFinite(y[i])) continue;
        const total = sum[i]! + y[i]!;
        sum[i] = total;
        y[i] = total;
      }
    }
  }
  return [xs, ...(input.stacked ? ys.reverse() : ys)];
}

export function drawChart(el: HTMLElement, input: ChartInput): uPlot {
  const opts: uPlot.Options = {
    width: Math.max(300, el.clientWidth || 800),
    height: 320,
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    scales: { x: { time: true } },
    series: [
      {},
      ...(input.stacked
        ? input.series.map((s, i) => [s, i] as const).reverse()
        : input.series.map((s, i) => [s, i] as const)
      ).map(([s, i]) => ({
        label: labelsText(s.metric),
        stroke: color(i),
        width: 1.5,
        spanGaps: false,
        ...(input.stacked ? { fill: color(i).replace('hsl', 'hsla').replace(')', ', 0.45)') } : {}),
        value: (_u: uPlot, v: number | null) => (v === null ? '—' : String(v)),
      })),
    ],
    axes: [{}, { size: 70 }],
  };
  const u = new uPlot(opts, aligned(input), el);
  el.dataset.series = String(input.series.length);
  const onResize = (): void => u.setSize({ width: Math.max(300, el.clientWidth), height: 320 });
  window.addEventListener('resize', onResize);
  const destroy = u.destroy.bind(u);
  u.destroy = () => {
    window.removeEventListener('resize', onResize);
    destroy();
  };
  return u;
}
