// /query-plan (root): how the root would run a query — what it evaluates itself, the fragments
// pushed down to zones, and per fragment which zones are asked and which skipped and why
// (field hints, down zones, zone-label matchers).
import { promApi } from '../api.ts';
import { h, replace } from '../dom.ts';

interface ZoneChoice {
  asked: string[];
  skipped: { zone: string; reason: string }[];
}

interface Plan {
  mode: string;
  query: string;
  root: string;
  fragments: { id: string; expr: string; merge: string; zones: ZoneChoice }[];
  merges: { id: string; kind: string; merge: string }[];
  raw: { selectors: string[]; zones: ZoneChoice } | null;
  zoneLabels: string[];
  skippedZones: number;
}

function choice(c: ZoneChoice): HTMLElement {
  return h(
    'div',
    {},
    h(
      'div',
      {},
      h('strong', {}, 'asks: '),
      c.asked.length ? c.asked.map((z) => h('span', { class: 'chip asked' }, z)) : 'no zone',
    ),
    c.skipped.length
      ? h(
          'div',
          {},
          h('strong', {}, 'skips: '),
          h(
            'ul',
            {},
            c.skipped.map((s) =>
              h('li', { class: 'skipped' }, h('span', { class: 'chip' }, s.zone), ` ${s.reason}`),
            ),
          ),
        )
      : null,
  );
}

export function queryPlanPage(root: HTMLElement): void {
  const params = new URLSearchParams(location.search);
  const q = h('input', {
    name: 'query',
    size: 80,
    value: params.get('query') ?? 'sum by (zone) (rate(node_cpu_seconds_total{mode!="idle"}[1m]))',
  });
  const mode = h(
    'select',
    { name: 'mode' },
    h('option', { value: 'pushdown' }, 'pushdown'),
    h('option', { value: 'naive' }, 'naive'),
  );
  mode.value = params.get('mode') === 'naive' ? 'naive' : 'pushdown';
  const out = h('div', { class: 'page-body' });
  const explain = async (ev?: Event): Promise<void> => {
    ev?.preventDefault();
    history.replaceState(null, '', `query-plan?${new URLSearchParams({ query: q.value, mode: mode.value })}`);
    try {
      const p = (await promApi<Plan>('api/v1/query_plan', { query: q.value, mode: mode.value })).data;
      replace(
        out,
        h(
          'p',
          { class: 'summary' },
          `${p.fragments.length} fragment${p.fragments.length === 1 ? '' : 's'} pushed down; ${p.skippedZones} zone request${p.skippedZones === 1 ? '' : 's'} avoided.`,
        ),
        h('h2', {}, 'Root evaluates'),
        h('pre', {}, p.root),
        p.fragments.map((f) =>
          h(
            'section',
            { class: 'fragment' },
            h('h3', {}, `fragment ${f.id}`),
            h('pre', {}, f.expr),
            h('p', {}, `merged at the root by ${f.merge}`),
            choice(f.zones),
          ),
        ),
        p.raw
          ? h(
              'section',
              { class: 'fragment' },
              h('h3', {}, 'raw series fetched'),
              h('pre', {}, p.raw.selectors.join('\n')),
              choice(p.raw.zones),
            )
          : null,
        p.merges.length
          ? h(
              'section',
              {},
              h('h3', {}, 'merges at the root'),
              h(
                'ul',
                {},
                p.merges.map((m) => h('li', {}, `${m.id}: ${m.kind} (${m.merge})`)),
              ),
            )
          : null,
        p.zoneLabels.length
          ? h('p', { class: 'muted' }, `zone labels relied on: ${p.zoneLabels.join(', ')}`)
          : null,
      );
    } catch (e) {
      replace(out, h('div', { class: 'error', role: 'alert' }, (e as Error).message));
    }
  };
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Query plan')),
    h(
      'form',
      { onsubmit: (e: Event) => void explain(e) },
      q,
      ' ',
      mode,
      ' ',
      h('button', { type: 'submit', class: 'primary' }, 'Explain'),
    ),
    out,
  );
  void explain();
}
