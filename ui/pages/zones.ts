// /zones: at the root, regions → zones → replicas → leaves: each zone's liveness (heartbeat),
// field-hint age and trust, series count and version — for an HA zone per replica, grouped
// under the zone (alive when any replica is), the preferred one marked; each leaf's last
// heartbeat (the leaves' own canopy_leaf_heartbeat_timestamp_seconds, queried through the
// tree). At a zone: that zone.
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
  preferred?: boolean;
  started?: string | null;
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
    const r = await promApi<QueryData>('api/v1/query', {
      query: 'max by (zone, leaf) (max_over_time(canopy_leaf_heartbeat_timestamp_seconds[1h]))',
    });
    const now = Date.now();
    const rows = (r.data.result as InstantSample[]).map((s) => ({
      zone: s.metric.zone ?? '',
      leaf: s.metric.leaf ?? '',
      ageMs: now - Number(s.value?.[1] ?? 0) * 1000,
    }));
    return { leaves: rows.sort((a, b) => a.leaf.localeCompare(b.leaf)) };
  } catch (e) {
    return { leaves: [], error: `leaves unknown: ${(e as Error).message}` };
  }
}

function leafList(ls: Leaf[]): HTMLElement | null {
  if (ls.length === 0) return null;
  return h(
    'ul',
    { class: 'leaves' },
    ls.map((l) =>
      h(
        'li',
        { class: 'leaf', 'data-leaf': l.leaf },
        badge(l.ageMs < LEAF_STALE_MS ? 'up' : 'stale'),
        ` leaf ${l.leaf}`,
        h(
          'span',
          { class: 'muted' },
          ` heartbeat ${formatDuration(Math.max(0, Math.round(l.ageMs / 1000)) * 1000)} ago`,
        ),
      ),
    ),
  );
}

/** One zone process's health: heartbeat, series, field hints, version, address. */
function details(z: ZoneStatus): HTMLElement {
  return h(
    'dl',
    {},
    h('dt', {}, 'heartbeat'),
    h('dd', { class: 'heartbeat' }, isoAge(z.lastHeartbeat)),
    z.replica ? [h('dt', {}, 'started'), h('dd', {}, isoAge(z.started))] : null,
    h('dt', {}, 'series'),
    h('dd', { class: 'series' }, String(z.seriesCount)),
    h('dt', {}, 'hints'),
    h(
      'dd',
      { class: 'hints' },
      z.hintsAgeMs === null
        ? 'none yet'
        : `${formatDuration(Math.round(z.hintsAgeMs / 1000) * 1000 || 1000)} old, ${z.metricNames ?? 0} metric names${z.hintsUntrusted ? `, untrusted: ${z.hintsUntrusted}` : ''}`,
    ),
    h('dt', {}, 'version'),
    h('dd', {}, z.version || '—'),
    h('dt', {}, 'HTTP'),
    h('dd', {}, z.http ? h('a', { href: z.http }, z.http) : '—'),
  );
}

export function zonesPage(root: HTMLElement, tier: string): void {
  loader(root, tier === 'root' ? 'Zones' : 'Zone', async () => {
    const lv = await leaves();
    if (tier !== 'root') {
      const z = (
        await getJson<{
          data: { zone: string; region: string; series: number; externalLabels: Record<string, string> };
        }>('api/v1/status/zone')
      ).data;
      return [
        h(
          'table',
          { class: 'zone' },
          h(
            'tbody',
            {},
            h('tr', {}, h('th', {}, 'Zone'), h('td', {}, z.zone || '(unnamed)')),
            h('tr', {}, h('th', {}, 'Region'), h('td', {}, z.region || '—')),
            h('tr', {}, h('th', {}, 'Series'), h('td', {}, String(z.series))),
            h(
              'tr',
              {},
              h('th', {}, 'External labels'),
              h(
                'td',
                {},
                Object.entries(z.externalLabels)
                  .map(([k, v]) => `${k}="${v}"`)
                  .join(', '),
              ),
            ),
          ),
        ),
        h('h2', {}, 'Leaves'),
        leafList(lv.leaves) ?? h('p', { class: 'empty' }, 'No leaf heartbeats in the last hour.'),
        lv.error ? h('div', { class: 'warning' }, lv.error) : null,
      ];
    }
    const r = await promApi<ZoneStatus[]>('api/v1/status/zones');
    const entries = r.data;
    if (entries.length === 0) return h('p', { class: 'empty' }, 'No zone has sent a heartbeat yet.');
    // one card per zone; an HA zone's replicas listed inside it
    const byZone = new Map<string, ZoneStatus[]>();
    for (const e of entries) byZone.set(e.zone, [...(byZone.get(e.zone) ?? []), e]);
    const zones = [...byZone.entries()].map(([zone, reps]) => ({
      zone,
      region: reps[0]!.region,
      reps,
      alive: reps.some((x) => x.alive),
    }));
    const regions = [...new Set(zones.map((z) => z.region))].sort();
    const alive = zones.filter((z) => z.alive).length;
    const replicated = zones.filter((z) => z.reps.some((x) => x.replica));
    return [
      h(
        'p',
        { class: 'summary' },
        `${alive} of ${zones.length} zones alive in ${regions.length} region${regions.length === 1 ? '' : 's'}${replicated.length ? `; ${replicated.length} with replicas (${replicated.reduce((n, z) => n + z.reps.filter((x) => x.alive).length, 0)} of ${replicated.reduce((n, z) => n + z.reps.length, 0)} replicas alive)` : ''}; ${lv.leaves.length} leaves reporting.`,
      ),
      lv.error ? h('div', { class: 'warning' }, lv.error) : null,
      regions.map((reg) =>
        h(
          'section',
          { class: 'region', 'data-region': reg },
          h('h2', {}, `region ${reg || '(none)'}`),
          zones
            .filter((z) => z.region === reg)
            .sort((a, b) => a.zone.localeCompare(b.zone))
            .map((z) => {
              const single = z.reps.length === 1 && !z.reps[0]!.replica ? z.reps[0]! : undefined;
              return h(
                'div',
                { class: `zone-card ${z.alive ? 'alive' : 'dead'}`, 'data-zone': z.zone },
                h(
                  'h3',
                  {},
                  badge(z.alive ? 'alive' : 'down'),
                  ` zone ${z.zone}`,
                  single ? '' : h('span', { class: 'muted' }, ` ${z.reps.length} replicas`),
                ),
                single
                  ? details(single)
                  : h(
                      'ul',
                      { class: 'replicas' },
                      z.reps
                        .sort((a, b) => (a.replica ?? '').localeCompare(b.replica ?? ''))
                        .map((x) =>
                          h(
                            'li',
                            {
                              class: `replica ${x.alive ? 'alive' : 'dead'}`,
                              'data-replica': x.replica ?? '',
                            },
                            h(
                              'h4',
                              {},
                              badge(x.alive ? 'alive' : 'down'),
                              ` replica ${x.replica ?? ''}`,
                              x.preferred
                                ? h(
                                    'span',
                                    {
                                      class: 'muted',
                                      title: 'the replica the root reads when one answer is enough',
                                    },
                                    ' (preferred)',
                                  )
                                : null,
                            ),
                            details(x),
                          ),
                        ),
                    ),
                leafList(lv.leaves.filter((l) => l.zone === z.zone)),
              );
            }),
        ),
      ),
    ];
  });
}
