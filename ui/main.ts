// The web UI's entry: reads which tier served the page (a <meta> in the shell, shared/http/ui.ts),
// draws the navigation and the page for the path. One module per page under pages/ and graph/.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { UI_NAV, type UiTier } from '../shared/http/ui-pages.ts';
import { nav } from './nav.ts';
import { graphPage } from './graph/page.ts';
import { alertsPage } from './pages/alerts.ts';
import { rulesPage } from './pages/rules.ts';
import { silencesPage } from './pages/silences.ts';
import { zonesPage } from './pages/zones.ts';
import { cardinalityPage } from './pages/cardinality.ts';
import { queryPlanPage } from './pages/query-plan.ts';
import { targetsPage } from './pages/targets.ts';

const meta = (n: string): string =>
  document.querySelector<HTMLMetaElement>(`meta[name="canopy-${n}"]`)?.content ?? '';
const tier = meta('tier');
const name = meta('name');
// '/' shows the tier's first page
const path = location.pathname.replace(/^.*\//, '') || (UI_NAV[tier as UiTier]?.[0]?.path ?? 'graph');

const app = document.getElementById('app')!;
const main = document.createElement('main');
app.append(nav(tier, name, path), main);

const pages: Record<string, (root: HTMLElement) => void> = {
  graph: graphPage,
  alerts: alertsPage,
  rules: rulesPage,
  silences: silencesPage,
  zones: (root) => zonesPage(root, tier),
  cardinality: (root) => cardinalityPage(root, tier),
  'query-plan': queryPlanPage,
  targets: targetsPage,
};
(pages[path] ?? graphPage)(main);
