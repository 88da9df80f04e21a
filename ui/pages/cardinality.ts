// /cardinality. At the root: the metrics and the label pairs with the most series, merged from
// the zones' HyperLogLog sketches (estimates), with each zone's own exact count, the zones
// left out named, and a link per zone to its own page. At a zone: Prometheus's TSDB status
// (/api/v1/status/tsdb, for the tenant chosen in the navigation bar): head stats and the top
// metrics, label names and label pairs.
import { getJson, promApi } from '../api.ts';
import { h, type Child } from '../dom.ts';
import { loader } from './common.ts';

interface Report {
  totalSeriesEstimate: number;
  metrics: { metric: string; series: number; zones: Record<string, { series: number; estimate: number }> }[];
  labelPairs?: {
    name: string;
    value: string;
    series: number;
    zones: Record<string, number>;
    unlistedUpTo: number;
  }[];
  zones?: string[];
  missingZones?: { zone: string; reason: string }[];
}

interface TsdbStatus {
  headStats: {
    numSeries: number;
    numLabelPairs?: number;
    chunkCount?: number;
    minTime: number;
    maxTime: number;
  };
  seriesCountByMetricName: Stat[];
  labelValueCountByLabelName: Stat[];
  memoryInBytesByLabelName: Stat[];
  seriesCountByLabelValuePair: Stat[];
}

interface Stat {
  name: string;
  value: number;
}

const LIMIT = '25';

const graphLink = (expr: string, text: string): HTMLElement =>
  h('a', { href: `graph?${new URLSearchParams({ 'g0.expr': expr, 'g0.tab': '1' })}` }, text);

/** PromQL string literal for a label value. */
const quote = (v: string): string => JSON.stringify(v);

/** Each zone's own cardinality page, from the root's zone list (an address only with a topology). */
async function zonePages(): Promise<Map<string, string>> {
  try {
    const r = await getJson<{ data: { zone: string; alive: boolean; http: string; preferred?: boolean }[] }>(
      'api/v1/status/zones',
    );
    const out = new Map<string, string>();
    for (const z of r.data)
      if (z.http && z.alive && (!out.has(z.zone) || z.preferred))
        out.set(z.zone, `${z.http.replace(/\/$/, '')}/cardinality`);
    return out;
  } catch {
    return new Map();
  }
}

export function cardinalityPage(root: HTMLElement, tier = 'root'): void {
  if (tier !== 'root') {
    zoneCardinalityPage(root);
    return;
  }
  loader(root, 'Cardinality', async () => {
    const [r, links] = await Promise.all([
      promApi<Report>('api/v1/status/cardinality', { limit: LIMIT }),
      zonePages(),
    ]);
    const pairs = r.data.labelPairs ?? [];
    const zones = [
      ...new Set([
        ...(r.data.zones ?? []),
        ...r.data.metrics.flatMap((m) => Object.keys(m.zones)),
        ...pairs.flatMap((p) => Object.keys(p.zones)),
      ]),
    ].sort();
    const zoneHead = (z: string): HTMLElement =>
      h(
        'th',
        { 'data-zone': z },
        links.has(z) ? h('a', { href: links.get(z)!, title: `zone ${z}'s own cardinality page` }, z) : z,
      );
    const missing = r.data.missingZones ?? [];
    return [
      missing.length
        ? h(
            'div',
            { class: 'warning missing-zones' },
            `Not included (their series are missing from every figure below):`,
            h(
              'ul',
              {},
              missing.map((m) => h('li', { 'data-zone': m.zone }, `zone ${m.zone}: ${m.reason}`)),
            ),
          )
        : null,
      r.warnings.length
        ? h(
            'div',
            { class: 'warning' },
            h(
              'ul',
              {},
              r.warnings.map((w) => h('li', {}, w)),
            ),
          )
        : null,
      h(
        'p',
        { class: 'summary' },
        `About ${r.data.totalSeriesEstimate} series in ${zones.length} zone${zones.length === 1 ? '' : 's'} (HyperLogLog estimates; a zone's column is its exact count).`,
      ),
      h('h2', {}, `Top ${r.data.metrics.length} metrics by series`),
      h(
        'table',
        { class: 'cardinality metrics' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Metric'), h('th', {}, 'Series (est.)'), zones.map(zoneHead))),
        h(
          'tbody',
          {},
          r.data.metrics.map((m) =>
            h(
              'tr',
              { 'data-metric': m.metric },
              h('td', {}, graphLink(`count by (zone) (${m.metric})`, m.metric)),
              h('td', { class: 'value' }, String(m.series)),
              zones.map((z) => h('td', { class: 'value' }, m.zones[z] ? String(m.zones[z].series) : '—')),
            ),
          ),
        ),
      ),
      h('h2', {}, `Top ${pairs.length} label pairs by series`),
      pairs.length === 0
        ? h('p', { class: 'empty' }, 'No label pairs (the zones sent none).')
        : h(
            'table',
            { class: 'cardinality label-pairs' },
            h(
              'thead',
              {},
              h('tr', {}, h('th', {}, 'Label pair'), h('th', {}, 'Series (est.)'), zones.map(zoneHead)),
            ),
            h(
              'tbody',
              {},
              pairs.map((p) =>
                h(
                  'tr',
                  { class: 'label-pair', 'data-pair': `${p.name}=${p.value}` },
                  h(
                    'td',
                    { class: 'labels' },
                    graphLink(
                      `count by (zone) ({${p.name}=${quote(p.value)}})`,
                      `${p.name}=${quote(p.value)}`,
                    ),
                  ),
                  h(
                    'td',
                    { class: 'value' },
                    String(p.series),
                    p.unlistedUpTo > 0
                      ? h(
                          'span',
                          {
                            class: 'muted',
                            title: 'zones that sent only their top pairs may hold up to this many more',
                          },
                          ` (+≤${p.unlistedUpTo})`,
                        )
                      : null,
                  ),
                  zones.map((z) =>
                    h('td', { class: 'value' }, p.zones[z] !== undefined ? String(p.zones[z]) : '—'),
                  ),
                ),
              ),
            ),
          ),
      h(
        'p',
        { class: 'muted' },
        'Each zone sends sketches of its top 200 label pairs (__name__ and the zone\'s external labels left out); "—" means a zone did not list the pair.',
      ),
    ];
  });
}

function statTable(
  cls: string,
  title: string,
  what: string,
  stats: Stat[],
  cell: (s: Stat) => Child,
): Child[] {
  return [
    h('h2', {}, title),
    stats.length === 0
      ? h('p', { class: 'empty' }, 'None.')
      : h(
          'table',
          { class: `cardinality ${cls}` },
          h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, what))),
          h(
            'tbody',
            {},
            stats.map((s) =>
              h(
                'tr',
                {},
                h('td', { class: 'labels' }, cell(s)),
                h('td', { class: 'value' }, String(s.value)),
              ),
            ),
          ),
        ),
  ];
}

/** "name=value" (Prometheus's form) shown as name="value", linked to its series. */
function pairCell(s: Stat): Child {
  const i = s.name.indexOf('=');
  const name = s.name.slice(0, i),
    value = s.name.slice(i + 1);
  return graphLink(`{${name}=${quote(value)}}`, `${name}=${quote(value)}`);
}

function zoneCardinalityPage(root: HTMLElement): void {
  loader(root, 'Cardinality', async () => {
    const d = (await promApi<TsdbStatus>('api/v1/status/tsdb', { limit: LIMIT })).data;
    const hs = d.headStats;
    const time = (t: number): string => (Math.abs(t) > 8.64e15 ? '—' : new Date(t).toISOString());
    return [
      h(
        'table',
        { class: 'zone head-stats' },
        h(
          'tbody',
          {},
          h('tr', {}, h('th', {}, 'Series in the head'), h('td', {}, String(hs.numSeries))),
          h('tr', {}, h('th', {}, 'Label pairs'), h('td', {}, String(hs.numLabelPairs ?? '—'))),
          h(
            'tr',
            {},
            h('th', {}, 'Head time range'),
            h('td', {}, `${time(hs.minTime)} – ${time(hs.maxTime)}`),
          ),
        ),
      ),
      statTable('metrics', 'Top metrics by series', 'Series', d.seriesCountByMetricName, (s) =>
        graphLink(`count(${s.name})`, s.name),
      ),
      statTable(
        'label-pairs',
        'Top label pairs by series',
        'Series',
        d.seriesCountByLabelValuePair,
        pairCell,
      ),
      statTable(
        'label-names',
        'Top label names by distinct values',
        'Values',
        d.labelValueCountByLabelName,
        (s) => s.name,
      ),
      statTable(
        'label-memory',
        'Top label names by bytes of values',
        'Bytes',
        d.memoryInBytesByLabelName,
        (s) => s.name,
      ),
    ];
  });
}
