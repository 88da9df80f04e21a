// The navigation bar: the pages this tier serves (the same list the server mounts), and the
// tenant the UI reads as (X-Scope-OrgID on every request; empty = anonymous). Changing the
// tenant reloads the page, so nothing shown mixes two tenants.
import { UI_NAV, type UiTier } from '../shared/http/ui-pages.ts';
import { setTenant, tenant } from './api.ts';
import { h } from './dom.ts';

export function nav(tier: string, name: string, current: string): HTMLElement {
  const pages = UI_NAV[tier as UiTier] ?? [];
  const tenantInput = h('input', {
    name: 'tenant',
    size: 12,
    value: tenant(),
    placeholder: 'anonymous',
    title: 'Tenant (X-Scope-OrgID) for every request; empty = anonymous',
    onchange: (e: Event) => {
      setTenant((e.target as HTMLInputElement).value.trim());
      location.reload();
    },
  });
  return h(
    'nav',
    { class: 'top' },
    h('a', { class: 'brand', href: pages[0]?.path ?? '.' }, `Canopy ${tier}${name ? ` ${name}` : ''}`),
    pages.map((p) => h('a', { href: p.path, class: p.path === current ? 'active' : '' }, p.label)),
    h('label', { class: 'tenant' }, 'tenant ', tenantInput),
    h('a', { class: 'api', href: 'api/v1/status/buildinfo' }, 'API'),
  );
}
