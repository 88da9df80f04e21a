// The web UI's pure parts, run in Node: Prometheus's graph URL conventions, durations and
// times as the expression browser reads them, and silence matchers as people type them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPanel, panelsQuery, parsePanels } from '../../ui/graph/url-state.ts';
import { formatUtc, parseDuration, parseUtc } from '../../ui/format.ts';
import { matcherText, parseMatchers } from '../../ui/silence-matchers.ts';

test('graph URL: Prometheus links (g0.tab=0 graph, 1 table; several panels) parse and round-trip', () => {
  const ps = parsePanels(
    new URLSearchParams(
      'g0.expr=up&g0.tab=0&g0.stacked=1&g0.range_input=6h&g0.end_input=2024-01-31%2013%3A45%3A00&g0.step_input=30&g1.expr=rate(x%5B5m%5D)&g1.tab=1&g1.moment_input=2024-02-01%2000%3A00%3A00',
    ),
  );
  assert.deepEqual(ps, [
    {
      expr: 'up',
      tab: 'graph',
      stacked: true,
      rangeInput: '6h',
      endInput: '2024-01-31 13:45:00',
      stepInput: '30',
    },
    {
      expr: 'rate(x[5m])',
      tab: 'table',
      stacked: false,
      rangeInput: '1h',
      endInput: '2024-02-01 00:00:00',
      stepInput: '',
    },
  ]);
  assert.deepEqual(parsePanels(new URLSearchParams(panelsQuery(ps))), ps);
  // the time is written twice, as end_input and moment_input, as Prometheus's UI writes it
  assert.match(
    panelsQuery(ps),
    /g0\.end_input=2024-01-31\+13%3A45%3A00&g0\.moment_input=2024-01-31\+13%3A45%3A00/,
  );
  assert.match(panelsQuery(ps), /g1\.end_input=2024-02-01\+00%3A00%3A00&g1\.moment_input=2024-02-01/);
  // no panel in the URL: one empty table panel
  assert.deepEqual(parsePanels(new URLSearchParams('')), [defaultPanel()]);
  // a gap ends the list (g0, g2: only g0)
  assert.equal(parsePanels(new URLSearchParams('g0.expr=a&g2.expr=b')).length, 1);
  // a panel starts with its expr
  assert.deepEqual(parsePanels(new URLSearchParams('g0.tab=0')), [defaultPanel()]);
});

test('durations and UTC times as the panels read them', () => {
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('15'), 15_000);
  assert.equal(parseDuration('0.5'), 500);
  for (const bad of ['', '0', 'abc', '1h 30m', '30m1h']) assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(parseUtc('2024-01-31 13:45:00'), Date.UTC(2024, 0, 31, 13, 45));
  assert.equal(formatUtc(Date.UTC(2024, 0, 31, 13, 45)), '2024-01-31 13:45:00');
  assert.equal(parseUtc('yesterday'), undefined);
});

test('silence matchers: the four operators, escapes, braces; refusals name the bad text', () => {
  const ms = parseMatchers('{alertname="High\\"Cpu", zone=~"eu-.*", severity!="info",job!~"a|b"}');
  assert.deepEqual(ms, [
    { name: 'alertname', value: 'High"Cpu', isRegex: false, isEqual: true },
    { name: 'zone', value: 'eu-.*', isRegex: true, isEqual: true },
    { name: 'severity', value: 'info', isRegex: false, isEqual: false },
    { name: 'job', value: 'a|b', isRegex: true, isEqual: false },
  ]);
  assert.deepEqual(ms.map(matcherText), [
    'alertname="High\\"Cpu"',
    'zone=~"eu-.*"',
    'severity!="info"',
    'job!~"a|b"',
  ]);
  assert.throws(() => parseMatchers('alertname=oops'), /cannot parse matchers at "alertname=oops"/);
  assert.throws(() => parseMatchers('a="1" b="2"'), /cannot parse matchers at/);
  assert.throws(() => parseMatchers('  '), /at least one matcher/);
});
