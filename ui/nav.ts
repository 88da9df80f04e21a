// The navigation bar: the pages this tier serves (shared/http/ui.ts lists the same paths).
import { h } from './dom.ts';

const PAGES: Record<string, [path: string, label: string][]> = {
  root: [['graph', 'Graph'], ['alerts', 'Alerts'], ['rules', 'Rules'], ['silences', 'Silences'], ['zones', 'Zones'], ['cardinality', 'Cardinality'], ['query-plan', 'Query plan']],
  zone: [['graph', 'Graph'], ['alerts', 'Alerts'], ['rules', 'Rules'], ['silences', 'Silences'], ['zones', 'Zone']],
  leaf: [['targets', 'Targets']],
};

export function nav(tier: string, name: string, current: string): HTMLElement {
  return h('nav', { class: 'top' },
    h('a', { class: 'brand', href: (PAGES[tier] ?? [])[0]?.[0] ?? '.' }, `Canopy ${tier}${name ? ` ${name}` : ''}`),
    (PAGES[tier] ?? []).map(([p, label]) => h('a', { href: p, class: p === current ? 'active' : '' }, label)),
    h('a', { class: 'api', href: 'api/v1/status/buildinfo' }, 'API'));
}
