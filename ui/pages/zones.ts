// /zones: at the root, regions → zones → leaves: each zone's liveness (heartbeat), field-hint
// age and trust, series count and version; each leaf's last heartbeat (the leaves' own
// canopy_leaf_heartbeat_timestamp_seconds, queried through the tree). At a zone: that zone.
import { getJson, promApi, type InstantSample, type QueryData } from '../api.ts';
import { h } from '../dom.ts';
import { formatDuration } from '../format.ts';
import { badge, isoAge, loader } from './common.ts';

interface ZoneStatus {
  zone: string;
  region: string;
  alive: boolean;
  lastHeartbeat: string | null;
  seriesCount: number;
  hintsAgeMs: number | null;
  metricNames: number | null;
  hintsUntrusted: string | null;
  http: string;
  version: string;
  expected?: boolean;
  replica?: string;
}

interface Leaf {
  zone: string;
  leaf: string;
  ageMs: number;
}

/** A leaf is shown stale after this long without a heartbeat (3 default heartbeat intervals). */
const LEAF_STALE_MS = 30_000;

async function leaves(): Promise<{ leaves: Leaf[]; error?: string }> {
  try {
    const r = await promApi<QueryData>('api/v1/query', { query: 'max by (zone, leaf) (max_over_time(canopy_leaf_heartbeat_timestamp_seconds[1h]))' });
    const now = Date.now();
    const rows = (r.data.result as InstantSample[]).map((s) => ({ zone: s.metric.zone ?? '', leaf: s.metric.leaf ?? '', ageMs: now - Number(s.value?.[1] ?? 0) * 1000 }));
    return { leaves: rows.sort((a, b) => a.leaf.localeCompare(b.leaf)) };
  } catch (e) {
    return { leaves: [], error: `leaves unknown: ${(e as Error).message}` };
  }
}

function leafList(ls: Leaf[]): HTMLElement | null {
  if (ls.length === 0) return null;
  return h('ul', { class: 'leaves' }, ls.map((l) =>
    h('li', { class: 'leaf', 'data-leaf': l.leaf }, badge(l.ageMs < LEAF_STALE_MS ? 'up' : 'stale'), ` leaf ${l.leaf}`, h('span', { class: 'muted' }, ` heartbeat ${formatDuration(Math.max(0, Math.round(l.ageMs / 1000)) * 1000)} ago`))));
}

export function zonesPage(root: HTMLElement, tier: string): void {
  loader(root, tier === 'root' ? 'Zones' : 'Zone', async () => {
    const lv = await leaves();
    if (tier !== 'root') {
      const z = (await getJson<{ data: { zone: string; region: string; series: number; externalLabels: Record<string, string> } }>('api/v1/status/zone')).data;
      return [
        h('table', { class: 'zone' }, h('tbody', {},
          h('tr', {}, h('th', {}, 'Zone'), h('td', {}, z.zone || '(unnamed)')),
          h('tr', {}, h('th', {}, 'Region'), h('td', {}, z.region || '—')),
          h('tr', {}, h('th', {}, 'Series'), h('td', {}, String(z.series))),
          h('tr', {}, h('th', {}, 'External labels'), h('td', {}, Object.entries(z.externalLabels).map(([k, v]) => `${k}="${v}"`).join(', '))))),
        h('h2', {}, 'Leaves'),
        leafList(lv.leaves) ?? h('p', { class: 'empty' }, 'No leaf heartbeats in the last hour.'),
        lv.error ? h('div', { class: 'warning' }, lv.error) : null,
      ];
    }
    const r = await promApi<ZoneStatus[]>('api/v1/status/zones');
    const zones = r.data;
    if (zones.length === 0) return h('p', { class: 'empty' }, 'No zone has sent a heartbeat yet.');
    const regions = [...new Set(zones.map((z) => z.region))].sort();
    const alive = zones.filter((z) => z.alive).length;
    return [
      h('p', { class: 'summary' }, `${alive} of ${zones.length} zones alive in ${regions.length} region${regions.length === 1 ? '' : 's'}; ${lv.leaves.length} leaves reporting.`),
      lv.error ? h('div', { class: 'warning' }, lv.error) : null,
      regions.map((reg) =>
        h('section', { class: 'region' }, h('h2', {}, `region ${reg || '(none)'}`),
          zones.filter((z) => z.region === reg).sort((a, b) => a.zone.localeCompare(b.zone)).map((z) =>
            h('div', { class: `zone-card ${z.alive ? 'alive' : 'dead'}`, 'data-zone': z.zone },
              h('h3', {}, badge(z.alive ? 'alive' : 'down'), ` zone ${z.zone}`, z.replica ? ` (replica ${z.replica})` : ''),
              h('dl', {},
                h('dt', {}, 'heartbeat'), h('dd', {}, isoAge(z.lastHeartbeat)),
                h('dt', {}, 'series'), h('dd', {}, String(z.seriesCount)),
                h('dt', {}, 'hints'), h('dd', {}, z.hintsAgeMs === null ? 'none yet' : `${formatDuration(Math.round(z.hintsAgeMs / 1000) * 1000 || 1000)} old, ${z.metricNames ?? 0} metric names${z.hintsUntrusted ? `, untrusted: ${z.hintsUntrusted}` : ''}`),
                h('dt', {}, 'version'), h('dd', {}, z.version || '—'),
                h('dt', {}, 'HTTP'), h('dd', {}, z.http ? h('a', { href: z.http }, z.http) : '—'),
              ),
              leafList(lv.leaves.filter((l) => l.zone === z.zone)),
            ))),
      ),
    ];
  });
}
