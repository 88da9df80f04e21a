// /alerts: alerting rules by state (firing, then pending, then inactive), each with its
// active alerts' labels, state, since when (the for-state) and value. At the root the rules
// are every zone's (file "zone:path") plus the root's global rules.
import { promApi } from '../api.ts';
import { h } from '../dom.ts';
import { formatDuration } from '../format.ts';
import { badge, isoAge, labelChips, loader } from './common.ts';
import type { Rule, RuleGroup } from './rules-api.ts';

const ORDER = { firing: 0, pending: 1, inactive: 2 } as const;

export function alertsPage(root: HTMLElement): void {
  const show = { inactive: false };
  const page = loader(root, 'Alerts', async () => {
    const r = await promApi<{ groups: RuleGroup[] }>('api/v1/rules', { type: 'alert' });
    const rules = r.data.groups.flatMap((g) =>
      g.rules.filter((x) => x.type === 'alerting').map((x) => ({ group: g, rule: x })),
    );
    rules.sort(
      (a, b) =>
        ORDER[a.rule.state ?? 'inactive'] - ORDER[b.rule.state ?? 'inactive'] ||
        a.rule.name.localeCompare(b.rule.name),
    );
    const count = (s: keyof typeof ORDER): number =>
      rules.filter((x) => (x.rule.state ?? 'inactive') === s).length;
    const shown = rules.filter((x) => show.inactive || (x.rule.state ?? 'inactive') !== 'inactive');
    return [
      h(
        'p',
        { class: 'summary' },
        badge('firing'),
        ` ${count('firing')} `,
        badge('pending'),
        ` ${count('pending')} `,
        badge('inactive'),
        ` ${count('inactive')} `,
        h(
          'label',
          {},
          h('input', {
            type: 'checkbox',
            checked: show.inactive,
            onchange: (e: Event) => {
              show.inactive = (e.target as HTMLInputElement).checked;
              void page.refresh();
            },
          }),
          ' show inactive',
        ),
      ),
      shown.length === 0
        ? h('p', { class: 'empty' }, rules.length ? 'No alert is firing or pending.' : 'No alerting rules.')
        : null,
      shown.map(({ group, rule }) => ruleBlock(group, rule)),
    ];
  });
}

function ruleBlock(group: RuleGroup, rule: Rule): HTMLElement {
  const alerts = rule.alerts ?? [];
  return h(
    'details',
    {
      class: `alert-rule ${rule.state ?? 'inactive'}`,
      open: rule.state === 'firing' || rule.state === 'pending',
      'data-alertname': rule.name,
    },
    h(
      'summary',
      {},
      badge(rule.state ?? 'inactive'),
      ' ',
      h('strong', {}, rule.name),
      ` (${alerts.length} active)`,
      h('span', { class: 'muted' }, ` ${group.file} › ${group.name}`),
    ),
    h(
      'pre',
      { class: 'rule-def' },
      `alert: ${rule.name}\nexpr: ${rule.query}${rule.duration ? `\nfor: ${formatDuration(rule.duration * 1000)}` : ''}${rule.keepFiringFor ? `\nkeep_firing_for: ${formatDuration(rule.keepFiringFor * 1000)}` : ''}`,
    ),
    rule.lastError ? h('div', { class: 'error' }, rule.lastError) : null,
    alerts.length
      ? h(
          'table',
          { class: 'alerts' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Labels'),
              h('th', {}, 'State'),
              h('th', {}, 'Active since'),
              h('th', {}, 'Value'),
              h('th', {}, ''),
            ),
          ),
          h(
            'tbody',
            {},
            alerts.map((a) =>
              h(
                'tr',
                { class: `alert ${a.state}` },
                h('td', {}, labelChips(a.labels)),
                h('td', {}, badge(a.state)),
                h(
                  'td',
                  { title: a.activeAt },
                  isoAge(a.activeAt),
                  a.state === 'pending' && rule.duration
                    ? ` (fires after ${formatDuration(rule.duration * 1000)})`
                    : '',
                ),
                h('td', { class: 'value' }, a.value),
                h(
                  'td',
                  {},
                  h(
                    'a',
                    {
                      href: `silences?${new URLSearchParams({
                        matchers: Object.entries(a.labels)
                          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
                          .join(', '),
                      })}`,
                    },
                    'Silence',
                  ),
                ),
              ),
            ),
          ),
        )
      : null,
  );
}
