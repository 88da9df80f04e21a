// relabel_configs against a real Prometheus 2.42 (issue 12): the same rules on a static target;
// Prometheus's /api/v1/targets gives the labels after relabelling (the expected output); the
// input is the target's labels as Prometheus discovers them (its own discoveredLabels field is
// not usable: 2.42 shows it partly rewritten by the rules). Covers Go's Expand ($1, ${1}, $name, $$, a trailing $, ${1,
// $1x), RE2 syntax (inline flags, \pL, named groups), "." and newlines, target_label with $,
// labelmap. Skipped with a note when prometheus is not installed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../topology/path.ts';
import { freePort, getJson, spawnProc, tempDir, waitFor, waitForHttp, type Proc } from './harness.ts';
import { parseRelabelConfigs, relabel } from '../../leaf/scrape/relabel.ts';
import { labelsFromRecord, labelsToRecord } from '../../shared/labels.ts';

const prometheus = findOnPath('prometheus');
const procs: Proc[] = [];
let dir: ReturnType<typeof tempDir> | undefined;

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir?.remove();
});

/** Each rule writes its own r_* label (or m_*, t_* for labelmap and a templated target). */
const RULES: Record<string, unknown>[] = [
  { source_labels: ['v'], regex: '(a+)(b)', target_label: 'r_trailing', replacement: 'cost $' },
  { source_labels: ['v'], regex: '(a+)(b)', target_label: 'r_braces', replacement: '${1}x$2' },
  { source_labels: ['v'], regex: '(a+)(b)', target_label: 'r_1x', replacement: '$1x' },
  { source_labels: ['v'], regex: '(a+)(b)', target_label: 'r_dollars', replacement: '$$1' },
  { source_labels: ['v'], regex: '(a+)(b)', target_label: 'r_open', replacement: '${1' },
  { source_labels: ['v'], regex: '(a+)(b)', target_label: 'r_zero', replacement: '$01|$0|$9' },
  { source_labels: ['v'], regex: '(?i)(A+)B', target_label: 'r_fold', replacement: '$1' },
  {
    source_labels: ['v'],
    regex: '(?P<first>a)(?P<rest>.*)',
    target_label: 'r_named',
    replacement: '$rest-${first}',
  },
  { source_labels: ['v'], regex: '(\\pL+)', target_label: 'r_class', replacement: '<$1>' },
  { source_labels: ['w'], regex: '(.*)', target_label: 'r_nl_dot', replacement: '[$1]' },
  { source_labels: ['w'], regex: '(?s)(.*)', target_label: 'r_nl_s', replacement: '[$1]' },
  { source_labels: ['w'], regex: 'a\\sb', target_label: 'r_nl_space', replacement: 'yes' },
  { source_labels: ['u'], regex: '(h\\pL)(.*)', target_label: 'r_unicode', replacement: '$2' },
  {
    source_labels: ['u', 'v'],
    separator: '|',
    regex: '(?U)(.+)\\|(a+)',
    target_label: 'r_lazy',
    replacement: '$1/$2',
  },
  { source_labels: ['v'], regex: '(a)a+b', target_label: 't_$1', replacement: 'x' },
  { action: 'labelmap', regex: '__meta_foo_(.+)', replacement: 'm_$1' },
  { source_labels: ['v'], regex: '(a+)|(b)', target_label: 'r_unmatched', replacement: '$1-$2' },
];

const STATIC_LABELS = { v: 'aaab', w: 'a\nb', u: 'héllo', __meta_foo_bar: 'mb' };

test(
  'relabel_configs give the labels Prometheus 2.42 gives',
  { skip: prometheus ? false : 'prometheus is not installed', timeout: 60_000 },
  async () => {
    dir = tempDir('relabel-prom');
    const pp = await freePort();
    const prom = `http://127.0.0.1:${pp}`;
    const cfg = {
      global: { scrape_interval: '1h' },
      scrape_configs: [
        {
          job_name: 'j',
          static_configs: [{ targets: ['127.0.0.1:1'], labels: STATIC_LABELS }],
          relabel_configs: RULES,
        },
      ],
    };
    const file = join(dir.path, 'prometheus.yml');
    writeFileSync(file, JSON.stringify(cfg)); // YAML is a superset of JSON
    procs.push(
      spawnProc('prometheus', prometheus!, [
        `--config.file=${file}`,
        `--storage.tsdb.path=${join(dir.path, 'prom')}`,
        `--web.listen-address=127.0.0.1:${pp}`,
        '--log.level=warn',
      ]),
    );
    assert.ok(await waitForHttp(`${prom}/-/ready`, 30_000), procs[0]!.output.join('\n'));
    const target = await waitFor('the target', async () => {
      const j = await getJson(`${prom}/api/v1/targets`);
      return j.body?.data?.activeTargets?.[0] as { labels: Record<string, string> } | undefined;
    });
    const discovered = {
      ...STATIC_LABELS,
      __address__: '127.0.0.1:1',
      __metrics_path__: '/metrics',
      __scheme__: 'http',
      __scrape_interval__: '1h',
      __scrape_timeout__: '10s',
      job: 'j',
    };
    const ours = relabel(labelsFromRecord(discovered), parseRelabelConfigs(RULES));
    assert.ok(ours !== null);
    const pick = (r: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(r).filter(([k]) => /^[rmt]_/.test(k)));
    const want = pick(target.labels);
    assert.equal(want.r_trailing, 'cost $'); // the bug this replaced: the trailing "$" was dropped
    assert.deepEqual(pick(labelsToRecord(ours)), want);
  },
);
