// /silences: list (active, pending, expired), create, expire — over the Alertmanager v2 API the
// zone serves and the root fans out. At the root one silence created there lives in every zone
// (one id per zone); the list shows such copies as one row, and Expire expires them all (the
// root's DELETE takes the ids joined by ",").
import { jsonApi } from '../api.ts';
import { h, replace } from '../dom.ts';
import { parseDuration } from '../format.ts';
import { badge, isoAge, loader } from './common.ts';
import { matcherText, parseMatchers, type Matcher } from '../silence-matchers.ts';

interface Silence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/**
 * Copies of one silence in several zones become one row: same matchers, author, comment, state
 * and end (to the second: an expiry reaches each zone at its own millisecond). The start is left
 * out: each zone starts it at its own "now".
 */
function grouped(list: Silence[]): { ids: string[]; s: Silence }[] {
  const by = new Map<string, { ids: string[]; s: Silence }>();
  for (const s of list) {
    const key = JSON.stringify([
      s.matchers,
      Math.round(Date.parse(s.endsAt) / 1000),
      s.createdBy,
      s.comment,
      s.status.state,
    ]);
    const g = by.get(key);
    if (g) g.ids.push(s.id);
    else by.set(key, { ids: [s.id], s });
  }
  return [...by.values()];
}

export function silencesPage(root: HTMLElement): void {
  const message = h('div', { class: 'form-message' });
  const prefill = new URLSearchParams(location.search).get('matchers') ?? '';
  const matchers = h('input', {
    name: 'matchers',
    size: 60,
    value: prefill,
    placeholder: 'alertname="HighCpu", zone="eu-west-a"',
  });
  const duration = h('input', { name: 'duration', size: 6, value: '2h' });
  const createdBy = h('input', {
    name: 'createdBy',
    size: 16,
    value: localStorage.getItem('canopy.silence.createdBy') ?? '',
    placeholder: 'you',
  });
  const comment = h('input', { name: 'comment', size: 40, placeholder: 'why' });
  const page = loader(root, 'Silences', async () => {
    const list = await jsonApi<Silence[]>('GET', 'api/v2/silences');
    if (list.length === 0) return h('p', { class: 'empty' }, 'No silences.');
    return h(
      'table',
      { class: 'silences' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'State'),
          h('th', {}, 'Matchers'),
          h('th', {}, 'Ends'),
          h('th', {}, 'Created by'),
          h('th', {}, 'Comment'),
          h('th', {}, ''),
        ),
      ),
      h(
        'tbody',
        {},
        grouped(list).map(({ ids, s }) =>
          h(
            'tr',
            { class: `silence ${s.status.state}`, 'data-id': ids.join(',') },
            h(
              'td',
              {},
              badge(s.status.state),
              ids.length > 1 ? h('span', { class: 'muted' }, ` ×${ids.length} zones`) : null,
            ),
            h(
              'td',
              {},
              s.matchers.map((m) => h('span', { class: 'chip' }, matcherText(m))),
            ),
            h(
              'td',
              { title: s.endsAt },
              s.status.state === 'expired'
                ? isoAge(s.endsAt)
                : new Date(s.endsAt).toISOString().slice(0, 19).replace('T', ' '),
            ),
            h('td', {}, s.createdBy),
            h('td', {}, s.comment),
            h(
              'td',
              {},
              s.status.state === 'expired'
                ? null
                : h('button', { class: 'expire', onclick: () => void expire(ids) }, 'Expire'),
            ),
          ),
        ),
      ),
    );
  });
  const expire = async (ids: string[]): Promise<void> => {
    try {
      await jsonApi('DELETE', `api/v2/silence/${encodeURIComponent(ids.join(','))}`);
      replace(message, h('p', { class: 'ok' }, 'Silence expired.'));
    } catch (e) {
      replace(message, h('div', { class: 'error', role: 'alert' }, (e as Error).message));
    }
    await page.refresh();
  };
  const create = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    try {
      const ms = parseMatchers(matchers.value);
      const d = parseDuration(duration.value);
      if (d === undefined)
        throw new Error(`cannot parse duration "${duration.value}": expected e.g. 2h or 30m`);
      localStorage.setItem('canopy.silence.createdBy', createdBy.value);
      const now = Date.now();
      const r = await jsonApi<{ silenceID: string }>('POST', 'api/v2/silences', {
        matchers: ms,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + d).toISOString(),
        createdBy: createdBy.value || 'canopy-ui',
        comment: comment.value,
      });
      replace(message, h('p', { class: 'ok' }, `Silence ${r.silenceID} created.`));
      comment.value = '';
    } catch (e) {
      replace(message, h('div', { class: 'error', role: 'alert' }, (e as Error).message));
    }
    await page.refresh();
  };
  root.prepend(
    h(
      'form',
      { class: 'silence-form', onsubmit: (e: Event) => void create(e) },
      h('h2', {}, 'New silence'),
      h('label', {}, 'Matchers ', matchers),
      h('label', {}, ' For ', duration),
      h('label', {}, ' Created by ', createdBy),
      h('label', {}, ' Comment ', comment),
      ' ',
      h('button', { type: 'submit', class: 'primary' }, 'Create'),
      message,
    ),
  );
}
