// The navigation bar: the pages this tier serves (the same list the server mounts).
import { UI_NAV, type UiTier } from '../shared/http/ui-pages.ts';
import { h } from './dom.ts';

export function nav(tier: string, name: string, current: string): HTMLElement {
  const pages = UI_NAV[tier as UiTier] ?? [];
  return h('nav', { class: 'top' },
    h('a', { class: 'brand', href: pages[0]?.path ?? '.' }, `Canopy ${tier}${name ? ` ${name}` : ''}`),
    pages.map((p) => h('a', { href: p.path, class: p.path === current ? 'active' : '' }, p.label)),
    h('a', { class: 'api', href: 'api/v1/status/buildinfo' }, 'API'));
}
