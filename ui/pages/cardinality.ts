// /cardinality (root): the metrics with the most series, merged from the zones' HyperLogLog
// sketches (an estimate), with each zone's own count.
import { promApi } from '../api.ts';
import { h } from '../dom.ts';
import { loader } from './common.ts';

interface Report {
  totalSeriesEstimate: number;
  metrics: { metric: string; series: number; zones: Record<string, { series: number; estimate: number }> }[];
}

export function cardinalityPage(root: HTMLElement): void {
  loader(root, 'Cardinality', async () => {
    const r = await promApi<Report>('api/v1/status/cardinality', { limit: '25' });
    const zones = [...new Set(r.data.metrics.flatMap((m) => Object.keys(m.zones)))].sort();
    return [
      r.warnings.length ? h('div', { class: 'warning' }, h('ul', {}, r.warnings.map((w) => h('li', {}, w)))) : null,
      h('p', { class: 'summary' }, `About ${r.data.totalSeriesEstimate} series in all zones (HyperLogLog estimate). Top ${r.data.metrics.length} metrics:`),
      h('table', { class: 'cardinality' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Metric'), h('th', {}, 'Series (est.)'), zones.map((z) => h('th', {}, z)))),
        h('tbody', {}, r.data.metrics.map((m) =>
          h('tr', {}, h('td', {}, h('a', { href: `graph?${new URLSearchParams({ 'g0.expr': `count by (zone) (${m.metric})`, 'g0.tab': '1' })}` }, m.metric)), h('td', { class: 'value' }, String(m.series)),
            zones.map((z) => h('td', { class: 'value' }, m.zones[z] ? String(m.zones[z].series) : '—')))))),
    ];
  });
}
