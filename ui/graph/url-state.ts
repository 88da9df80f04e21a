// The expression browser's state in the URL, with Prometheus's conventions so shared links keep
// working: /graph?g0.expr=up&g0.tab=0&g0.stacked=0&g0.range_input=1h&g0.end_input=…&g0.step_input=…
// &g1.expr=… — panels g0, g1, … in order, each starting with its expr (a gap ends the list);
// tab 0 = graph, 1 = table (the default); end_input and moment_input are the same time,
// "YYYY-MM-DD HH:MM:SS" UTC (absent = now), both written as Prometheus's UI writes them;
// step_input in seconds (also a duration here; absent = auto).

export interface PanelState {
  expr: string;
  tab: 'graph' | 'table';
  stacked: boolean;
  rangeInput: string;
  /** "YYYY-MM-DD HH:MM:SS" UTC, or '' for now (graph end, also the table's evaluation time) */
  endInput: string;
  stepInput: string;
}

export function defaultPanel(expr = ''): PanelState {
  return { expr, tab: 'table', stacked: false, rangeInput: '1h', endInput: '', stepInput: '' };
}

export function parsePanels(params: URLSearchParams): PanelState[] {
  const out: PanelState[] = [];
  for (let i = 0; params.has(`g${i}.expr`); i++) {
    const g = (k: string): string | null => params.get(`g${i}.${k}`);
    const p = defaultPanel(g('expr') ?? '');
    p.tab = g('tab') === '0' ? 'graph' : 'table';
    p.stacked = g('stacked') === '1';
    p.rangeInput = g('range_input') || '1h';
    p.endInput = g('end_input') || g('moment_input') || '';
    p.stepInput = g('step_input') ?? '';
    out.push(p);
  }
  return out.length ? out : [defaultPanel()];
}

export function panelsQuery(panels: readonly PanelState[]): string {
  const q = new URLSearchParams();
  panels.forEach((p, i) => {
    q.set(`g${i}.expr`, p.expr);
    q.set(`g${i}.tab`, p.tab === 'graph' ? '0' : '1');
    q.set(`g${i}.stacked`, p.stacked ? '1' : '0');
    q.set(`g${i}.range_input`, p.rangeInput);
    if (p.endInput) {
      q.set(`g${i}.end_input`, p.endInput);
      q.set(`g${i}.moment_input`, p.endInput);
    }
    if (p.stepInput) q.set(`g${i}.step_input`, p.stepInput);
  });
  return q.toString();
}
