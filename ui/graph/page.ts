// The expression browser (/ and /graph): panels in the URL (url-state.ts), added and removed
// in place; every change rewrites the URL (replaceState), so the address bar is a shareable link.
import { h } from '../dom.ts';
import { Panel } from './panel.ts';
import { defaultPanel, panelsQuery, parsePanels } from './url-state.ts';

export function graphPage(root: HTMLElement): void {
  const panels: Panel[] = [];
  const list = h('div', { class: 'panels' });
  const sync = (): void => {
    const q = panelsQuery(panels.map((p) => p.state));
    history.replaceState(
      null,
      '',
      `${location.pathname === '/' ? 'graph' : location.pathname.replace(/^.*\//, '')}?${q}`,
    );
  };
  const add = (state = defaultPanel(), run = false): void => {
    const p: Panel = new Panel(state, sync, () => {
      panels.splice(panels.indexOf(p), 1);
      p.destroy();
      p.el.remove();
      sync();
    });
    panels.push(p);
    list.append(p.el);
    if (run && state.expr.trim()) void p.run();
  };
  root.append(
    list,
    h(
      'button',
      {
        class: 'add-panel',
        onclick: () => {
          add();
          sync();
        },
      },
      'Add Panel',
    ),
  );
  for (const s of parsePanels(new URLSearchParams(location.search))) add(s, true);
}
