// One expression-browser panel: editor, Table/Graph tabs, time controls, and the answer with its
// warnings (a partial answer names the zones left out) and errors, shown as the server wrote them.
import type uPlot from 'uplot';
import { promApi, type QueryData, type RangeSeries } from '../api.ts';
import { h, replace } from '../dom.ts';
import { formatDuration, formatUtc, parseDuration, parseUtc } from '../format.ts';
import { drawChart } from './chart.ts';
import { promEditor } from './editor.ts';
import { resultTable } from './table.ts';
import type { PanelState } from './url-state.ts';

/** Prometheus's automatic step: range / 250, at least 1 s. */
export function autoStepMs(rangeMs: number): number {
  return Math.max(Math.floor(rangeMs / 250 / 1000), 1) * 1000;
}

/** Series drawn at most: uPlot stays fast, but a legend of thousands of rows does not. */
const MAX_GRAPH_SERIES = 500;

const RANGE_STEPS = ['1m', '5m', '15m', '30m', '1h', '2h', '6h', '12h', '1d', '2d', '1w', '2w', '4w'];

export class Panel {
  readonly el: HTMLElement;
  private readonly out = h('div', { class: 'panel-output' });
  private readonly controls = h('div', { class: 'panel-controls' });
  private chart: uPlot | undefined;
  private inflight: AbortController | undefined;
  private readonly editor;

  constructor(
    readonly state: PanelState,
    private readonly changed: () => void,
    remove: () => void,
  ) {
    const editorHost = h('div', { class: 'editor' });
    this.editor = promEditor(
      editorHost,
      state.expr,
      () => void this.run(),
      (v) => {
        this.state.expr = v;
        this.changed();
      },
    );
    const tab = (t: PanelState['tab'], label: string): HTMLElement =>
      h(
        'button',
        { class: `tab${state.tab === t ? ' active' : ''}`, 'data-tab': t, onclick: () => this.setTab(t) },
        label,
      );
    this.el = h(
      'section',
      { class: 'panel' },
      h(
        'div',
        { class: 'panel-query' },
        editorHost,
        h('button', { class: 'primary execute', onclick: () => void this.run() }, 'Execute'),
        h('button', { class: 'remove', title: 'Remove panel', onclick: remove }, '✕'),
      ),
      h('div', { class: 'tabs' }, tab('table', 'Table'), tab('graph', 'Graph')),
      this.controls,
      this.out,
    );
    this.renderControls();
  }

  destroy(): void {
    this.inflight?.abort();
    this.chart?.destroy();
    this.editor.view.destroy();
  }

  private setTab(t: PanelState['tab']): void {
    this.state.tab = t;
    for (const b of this.el.querySelectorAll<HTMLElement>('.tabs .tab'))
      b.classList.toggle('active', b.dataset.tab === t);
    this.renderControls();
    this.changed();
    if (this.state.expr.trim()) void this.run();
  }

  private renderControls(): void {
    const s = this.state;
    const input = (
      name: string,
      value: string,
      placeholder: string,
      set: (v: string) => void,
      size = 10,
    ): HTMLInputElement =>
      h('input', {
        name,
        value,
        placeholder,
        size,
        onchange: (e: Event) => {
          set((e.target as HTMLInputElement).value.trim());
          this.changed();
          void this.run();
        },
      });
    const end = input('end_input', s.endInput, 'now (UTC)', (v) => (s.endInput = v), 19);
    if (s.tab === 'table') {
      replace(this.controls, h('label', {}, 'Evaluation time ', end));
      return;
    }
    const range = input('range_input', s.rangeInput, '1h', (v) => (s.rangeInput = v), 6);
    const shift = (dir: -1 | 1): void => {
      const cur = parseDuration(s.rangeInput) ?? 3600_000;
      const i = RANGE_STEPS.findIndex((r) => parseDuration(r)! >= cur);
      const next =
        RANGE_STEPS[
          Math.min(RANGE_STEPS.length - 1, Math.max(0, (i < 0 ? RANGE_STEPS.length - 1 : i) + dir))
        ]!;
      s.rangeInput = next;
      range.value = next;
      this.changed();
      void this.run();
    };
    replace(
      this.controls,
      h('button', { title: 'Shorter range', onclick: () => shift(-1) }, '−'),
      range,
      h('button', { title: 'Longer range', onclick: () => shift(1) }, '+'),
      h('label', {}, ' End ', end),
      h(
        'label',
        {},
        ' Step ',
        input('step_input', s.stepInput, 'auto', (v) => (s.stepInput = v), 6),
      ),
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          name: 'stacked',
          checked: s.stacked,
          onchange: (e: Event) => {
            s.stacked = (e.target as HTMLInputElement).checked;
            this.changed();
            void this.run();
          },
        }),
        ' Stacked',
      ),
    );
  }

  /** Runs the expression on the current tab. */
  async run(): Promise<void> {
    const s = this.state;
    s.expr = this.editor.value();
    this.changed();
    this.inflight?.abort();
    this.chart?.destroy();
    this.chart = undefined;
    if (!s.expr.trim()) return replace(this.out);
    const ac = new AbortController();
    this.inflight = ac;
    const t0 = performance.now();
    replace(this.out, h('p', { class: 'loading' }, 'Loading…'));
    try {
      const endMs = s.endInput ? parseUtc(s.endInput) : Date.now();
      if (endMs === undefined)
        throw new Error(`cannot parse time "${s.endInput}": expected YYYY-MM-DD HH:MM:SS (UTC)`);
      if (s.tab === 'table') {
        const r = await promApi<QueryData>(
          'api/v1/query',
          { query: s.expr, time: String(endMs / 1000) },
          ac.signal,
        );
        const n =
          Array.isArray(r.data.result) && r.data.resultType !== 'scalar' && r.data.resultType !== 'string'
            ? r.data.result.length
            : 1;
        replace(
          this.out,
          this.notes(r.warnings),
          h(
            'p',
            { class: 'stats' },
            `${n} result${n === 1 ? '' : 's'} in ${Math.round(performance.now() - t0)} ms`,
          ),
          resultTable(r.data),
        );
        return;
      }
      const rangeMs = parseDuration(s.rangeInput);
      if (rangeMs === undefined)
        throw new Error(`cannot parse range "${s.rangeInput}": expected a duration such as 1h or 30m`);
      const stepMs = s.stepInput ? parseDuration(s.stepInput) : autoStepMs(rangeMs);
      if (stepMs === undefined)
        throw new Error(`cannot parse step "${s.stepInput}": expected seconds or a duration such as 15s`);
      const startMs = endMs - rangeMs;
      const r = await promApi<QueryData>(
        'api/v1/query_range',
        {
          query: s.expr,
          start: String(startMs / 1000),
          end: String(endMs / 1000),
          step: String(stepMs / 1000),
        },
        ac.signal,
      );
      if (r.data.resultType !== 'matrix')
        throw new Error(`the graph needs a range vector answer, got ${r.data.resultType}`);
      const all = r.data.result as RangeSeries[];
      const series = all.slice(0, MAX_GRAPH_SERIES);
      const host = h('div', { class: 'chart' });
      replace(
        this.out,
        this.notes(r.warnings),
        all.length > series.length
          ? h(
              'div',
              { class: 'warning' },
              `Drawing ${series.length} of ${all.length} series; the table tab lists them all, or aggregate the expression.`,
            )
          : null,
        h(
          'p',
          { class: 'stats' },
          `${series.length} series, step ${formatDuration(stepMs)}, ${formatUtc(startMs)} – ${formatUtc(endMs)} UTC, ${Math.round(performance.now() - t0)} ms`,
        ),
        host,
      );
      if (series.length === 0) return replace(host, h('p', { class: 'empty' }, 'Empty query result'));
      this.chart = drawChart(host, { series, startMs, endMs, stepMs, stacked: s.stacked });
    } catch (e) {
      if (ac.signal.aborted) return;
      replace(this.out, h('div', { class: 'error', role: 'alert' }, (e as Error).message));
    } finally {
      if (this.inflight === ac) this.inflight = undefined;
    }
  }

  private notes(warnings: string[]): HTMLElement | null {
    if (warnings.length === 0) return null;
    return h(
      'div',
      { class: 'warning', role: 'status' },
      h('strong', {}, 'Partial or degraded answer: '),
      h(
        'ul',
        {},
        warnings.map((w) => h('li', {}, w)),
      ),
    );
  }
}
