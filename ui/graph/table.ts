// The table tab: an instant query's answer, one row per series (labels, value), or the scalar
// or string it returned.
import type { InstantSample, QueryData, RangeSeries } from '../api.ts';
import { h } from '../dom.ts';
import { labelsText } from '../format.ts';

/** Rows shown at most; the rest are counted, not drawn (a browser chokes on 100k rows). */
const MAX_ROWS = 10_000;

export function resultTable(d: QueryData): HTMLElement {
  if (d.resultType === 'scalar' || d.resultType === 'string') {
    return h(
      'table',
      { class: 'result' },
      h('tbody', {}, h('tr', {}, h('td', {}, d.resultType), h('td', { class: 'value' }, d.result[1]))),
    );
  }
  if (d.result.length === 0) return h('p', { class: 'empty' }, 'Empty query result');
  const result = d.result as (InstantSample | RangeSeries)[];
  const rows = result.slice(0, MAX_ROWS).map((s) => {
    const value =
      'value' in s && s.value
        ? s.value[1]
        : 'values' in s && s.values
          ? s.values.map(([t, v]) => `${v} @${t}`).join('\n')
          : 'histogram' in s
            ? JSON.stringify((s as { histogram: unknown }).histogram)
            : '';
    return h(
      'tr',
      {},
      h('td', { class: 'labels' }, labelsText(s.metric)),
      h('td', { class: 'value' }, value),
    );
  });
  return h(
    'div',
    {},
    h('table', { class: 'result' }, h('tbody', {}, rows)),
    d.result.length > MAX_ROWS
      ? h('p', { class: 'warning' }, `Showing ${MAX_ROWS} of ${d.result.length} series.`)
      : null,
  );
}
