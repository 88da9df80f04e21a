// Pieces the status pages share: a page title, a refreshable body with errors shown plainly,
// label chips, state badges.
import { h, replace, type Child } from '../dom.ts';
import type { Labels } from '../api.ts';

export function labelChips(labels: Labels | undefined, skip: readonly string[] = []): HTMLElement {
  return h(
    'span',
    { class: 'chips' },
    Object.entries(labels ?? {})
      .filter(([k]) => !skip.includes(k))
      .map(([k, v]) => h('span', { class: 'chip' }, `${k}="${v}"`)),
  );
}

export function badge(state: string): HTMLElement {
  return h('span', { class: `badge ${state}` }, state);
}

/** Renders `load()` into a section under a title; a Refresh button and `refresh()` reload it. */
export function loader(
  root: HTMLElement,
  title: string,
  load: () => Promise<Child>,
): { refresh(): Promise<void> } {
  const body = h('div', { class: 'page-body' });
  const refresh = async (): Promise<void> => {
    try {
      const c = await load();
      replace(body, c);
    } catch (e) {
      replace(body, h('div', { class: 'error', role: 'alert' }, (e as Error).message));
    }
  };
  root.append(
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, title),
      h('button', { onclick: () => void refresh() }, 'Refresh'),
    ),
    body,
  );
  replace(body, h('p', { class: 'loading' }, 'Loading…'));
  void refresh();
  return { refresh };
}

export function isoAge(iso: string | undefined | null): string {
  if (!iso || iso.startsWith('0001-')) return 'never';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const d = Math.max(0, Date.now() - ms);
  if (d < 1000) return 'just now';
  const s = Math.floor(d / 1000);
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
}
