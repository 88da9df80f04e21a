// /rules: every rule group with its rules' health, last evaluation and errors.
import { promApi } from '../api.ts';
import { h } from '../dom.ts';
import { badge, isoAge, labelChips, loader } from './common.ts';
import type { RuleGroup } from './rules-api.ts';

export function rulesPage(root: HTMLElement): void {
  loader(root, 'Rules', async () => {
    const r = await promApi<{ groups: RuleGroup[] }>('api/v1/rules');
    if (r.data.groups.length === 0) return h('p', { class: 'empty' }, 'No rule groups are loaded.');
    return r.data.groups.map((g) =>
      h(
        'section',
        { class: 'rule-group' },
        h(
          'h2',
          {},
          g.name,
          h(
            'span',
            { class: 'muted' },
            ` ${g.file} · every ${g.interval}s · last ${isoAge(g.lastEvaluation)} (${(g.evaluationTime * 1000).toFixed(1)} ms)`,
          ),
        ),
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Rule'),
              h('th', {}, 'Health'),
              h('th', {}, 'Last evaluation'),
              h('th', {}, 'Time'),
            ),
          ),
          h(
            'tbody',
            {},
            g.rules.map((x) =>
              h(
                'tr',
                {},
                h(
                  'td',
                  {},
                  h('pre', {}, `${x.type === 'alerting' ? 'alert' : 'record'}: ${x.name}\nexpr: ${x.query}`),
                  x.labels && Object.keys(x.labels).length ? labelChips(x.labels) : null,
                  x.lastError ? h('div', { class: 'error' }, x.lastError) : null,
                ),
                h('td', {}, badge(x.health)),
                h('td', {}, isoAge(x.lastEvaluation)),
                h('td', {}, `${(x.evaluationTime * 1000).toFixed(2)} ms`),
              ),
            ),
          ),
        ),
      ),
    );
  });
}
