// Rule files: parsing, validation errors that name file/group/rule/key, promtool agreement on
// the shipped examples, and the Go-template subset used by labels and annotations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../../topology/path.ts';
import {
  expandRuleFiles,
  formatValue,
  humanize,
  humanizeDuration,
  loadRuleFile,
  parseRuleFile,
  Template,
} from '../../../shared/rulefmt/index.ts';

const EXAMPLES = join(import.meta.dirname, '../../../examples/rules');

test('parses groups, intervals, alerting and recording rules', () => {
  const g = parseRuleFile(
    'r.yml',
    `groups:
  - name: a
    interval: 15s
    limit: 10
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
        labels: { tier: x }
      - alert: Down
        expr: up == 0
        for: 1m
        keep_firing_for: 30s
        labels: { severity: page }
        annotations: { summary: '{{ $labels.instance }} down' }
  - name: 'global:b'
    rules: []
`,
  );
  assert.equal(g.length, 2);
  assert.equal(g[0]!.intervalMs, 15_000);
  assert.equal(g[0]!.limit, 10);
  assert.equal(g[0]!.global, false);
  assert.equal(g[1]!.global, true);
  assert.equal(g[1]!.intervalMs, 0);
  const [rec, alert] = g[0]!.rules;
  assert.equal(rec!.kind, 'recording');
  assert.equal(alert!.kind, 'alerting');
  assert.equal(alert!.forMs, 60_000);
  assert.equal(alert!.keepFiringForMs, 30_000);
});

const BAD: [string, string, RegExp][] = [
  [
    'unknown group key',
    'groups:\n  - name: a\n    canopy_scope: global\n    rules: []\n',
    /r\.yml: group "a": key "canopy_scope": unknown key/,
  ],
  ['repeated group', 'groups:\n  - name: a\n  - name: a\n', /group "a": repeated group name/],
  [
    'bad expr',
    'groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: sum(\n',
    /group "a": rules\[0\] \(alert "X"\): key "expr": /,
  ],
  [
    'both record and alert',
    'groups:\n  - name: a\n    rules:\n      - alert: X\n        record: y\n        expr: up\n',
    /rules\[0\]: exactly one of "record" or "alert"/,
  ],
  [
    'for on recording',
    'groups:\n  - name: a\n    rules:\n      - record: y\n        expr: up\n        for: 1m\n',
    /record "y"\): key "for": invalid field 'for' in recording rule/,
  ],
  [
    'bad record name',
    'groups:\n  - name: a\n    rules:\n      - record: 1y\n        expr: up\n',
    /invalid recording rule name "1y"/,
  ],
  [
    'bad duration',
    'groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: up\n        for: soon\n',
    /alert "X"\): key "for": expected a duration/,
  ],
  [
    'bad label name',
    'groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: up\n        labels: { "a-b": c }\n',
    /key "labels": invalid label name "a-b"/,
  ],
  [
    'bad template',
    'groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: up\n        annotations: { s: "{{ $labels.x " }\n',
    /alert "X"\): annotations\.s: template: /,
  ],
  [
    'unsupported function',
    'groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: up\n        annotations: { s: "{{ query \\"up\\" }}" }\n',
    /function "query" not defined/,
  ],
];
for (const [name, text, re] of BAD) {
  test(`rejects: ${name}`, () =>
    assert.throws(
      () => parseRuleFile('r.yml', text),
      (e: Error) => (assert.match(e.message, re), true),
    ));
}

test(
  'promtool accepts every example rule file, and every file Canopy rejects above promtool rejects too',
  { skip: findOnPath('promtool') ? false : 'promtool not installed' },
  () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => join(EXAMPLES, f));
    assert.ok(files.length >= 3);
    for (const f of files) loadRuleFile(f);
    const r = spawnSync('promtool', ['check', 'rules', ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const dir = mkdtempSync(join(tmpdir(), 'canopy-rules-'));
    try {
      for (const [i, [, text]] of BAD.entries()) {
        if (i === 8 || i === 9) continue; // template checks: promtool only parses, Canopy also rejects unsupported constructs
        const f = join(dir, `bad${i}.yml`);
        writeFileSync(f, text);
        assert.notEqual(
          spawnSync('promtool', ['check', 'rules', f]).status,
          0,
          `promtool accepted ${BAD[i]![0]}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('templates: $labels, $value, $externalLabels, pipelines, functions, if/else, trimming', () => {
  const d = { labels: { instance: 'h:9100', job: 'node' }, externalLabels: { zone: 'eu-a' }, value: 0.91234 };
  const x = (t: string): string => new Template(t, 'w').expand(d);
  assert.equal(x('{{ $labels.instance }} of {{ $labels.job }}'), 'h:9100 of node');
  assert.equal(x('{{ $value }}'), '0.91234');
  assert.equal(x('{{ .Labels.job }}/{{ .Value }}'), 'node/0.91234');
  assert.equal(x('{{ $externalLabels.zone }}'), 'eu-a');
  assert.equal(x('{{ $value | humanizePercentage }}'), '91.23%');
  assert.equal(x('{{ printf "%.1f" $value }}'), '0.9');
  assert.equal(x('{{ if gt $value 0.9 }}hot{{ else if gt $value 0.5 }}warm{{ else }}cold{{ end }}'), 'hot');
  assert.equal(x('a  {{- " b " -}}  c'), 'a b c');
  assert.equal(x('{{ $labels.instance | reReplaceAll ":.*" "" | toUpper }}'), 'H');
  assert.equal(x('{{ $labels.nope }}|{{/* comment */}}'), '|');
  assert.equal(x('{{ $i := "x" }}{{ $i }}{{ $i }}'), 'xx');
});

test('Go number formatting as Prometheus templates print it', () => {
  assert.equal(formatValue(1e6), '1e+06');
  assert.equal(formatValue(123456), '123456');
  assert.equal(formatValue(0.00001), '1e-05');
  assert.equal(formatValue(-2.5), '-2.5');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(Infinity), '+Inf');
  assert.equal(humanize(1234567), '1.235M');
  assert.equal(humanize(0.0012), '1.2m');
  assert.equal(humanize(0), '0');
  assert.equal(humanizeDuration(90061), '1d 1h 1m 1s');
  assert.equal(humanizeDuration(42.5), '42.5s');
  assert.equal(humanizeDuration(0.25), '250ms');
});

test('rule file globs expand in the last path component', () => {
  const files = expandRuleFiles([
    join(EXAMPLES, '*.yml'),
    join(EXAMPLES, 'nothing-*.yaml'),
    '/plain/path.yml',
  ]);
  assert.deepEqual(
    files.map((f) => f.replace(EXAMPLES + '/', '')),
    ['global.yml', 'host-health.yml', 'node.yml', '/plain/path.yml'],
  );
});
