// The template functions reReplaceAll and match (RE2, unanchored, Go's ReplaceAllString and $
// expansion) against a real Prometheus 2.42: one always-firing alert whose annotations use
// them; /api/v1/alerts shows Prometheus's expansions, shared/rulefmt's Template gives ours.
// Skipped with a note when prometheus is not installed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../topology/path.ts';
import { freePort, getJson, spawnProc, tempDir, waitFor, waitForHttp, type Proc } from './harness.ts';
import { Template } from '../../shared/rulefmt/index.ts';

const prometheus = findOnPath('prometheus');
const procs: Proc[] = [];
let dir: ReturnType<typeof tempDir> | undefined;

after(async () => {
  for (const p of procs.reverse()) await p.stop();
  dir?.remove();
});

const ANNOTATIONS: Record<string, string> = {
  empty_matches: '{{ reReplaceAll "a*" "X" "baaac" }}',
  empty_pattern: '{{ reReplaceAll "" "-" "ab" }}',
  groups: '{{ reReplaceAll "(o)" "[$1]" "foo" }}',
  named: '{{ reReplaceAll "(?P<d>\\\\d+)ms" "${d} ms" "took 12ms and 7ms" }}',
  raw: '{{ reReplaceAll `(\\w+)@(\\w+)` "$2 at $1" "me@host you@there" }}',
  name_run: '{{ reReplaceAll "(a)" "$1x|${1}x|$$1|$" "a" }}',
  anchors: '{{ reReplaceAll "^a|a$" "_" "aba" }}',
  unicode: '{{ reReplaceAll "\\\\pL" "L" "é1😀ß" }}',
  fold: '{{ reReplaceAll "(?i)straße" "X" "STRAßE strasse" }}',
  newline_dot: '{{ reReplaceAll "a.b" "X" "a\\nb" }}',
  newline_s: '{{ reReplaceAll "(?s)a.b" "X" "a\\nb" }}',
  match_unanchored: '{{ match "b" "abc" }}',
  match_flags: '{{ if match "(?i)^PROD" "production" }}yes{{ else }}no{{ end }}',
  match_class: '{{ match "^[[:digit:]]+$" "12a" }}',
};

test(
  'reReplaceAll and match expand as in Prometheus 2.42',
  { skip: prometheus ? false : 'prometheus is not installed', timeout: 60_000 },
  async () => {
    dir = tempDir('tmpl-prom');
    const rules = join(dir.path, 'rules.yml');
    writeFileSync(
      rules,
      JSON.stringify({
        groups: [{ name: 'g', rules: [{ alert: 'Always', expr: 'vector(1)', annotations: ANNOTATIONS }] }],
      }),
    );
    const file = join(dir.path, 'prometheus.yml');
    writeFileSync(file, JSON.stringify({ global: { evaluation_interval: '1s' }, rule_files: [rules] }));
    const pp = await freePort();
    const prom = `http://127.0.0.1:${pp}`;
    procs.push(
      spawnProc('prometheus', prometheus!, [
        `--config.file=${file}`,
        `--storage.tsdb.path=${join(dir.path, 'prom')}`,
        `--web.listen-address=127.0.0.1:${pp}`,
        '--log.level=warn',
      ]),
    );
    assert.ok(await waitForHttp(`${prom}/-/ready`, 30_000), procs[0]!.output.join('\n'));
    const want = await waitFor('the alert', async () => {
      const j = await getJson(`${prom}/api/v1/alerts`);
      return j.body?.data?.alerts?.[0]?.annotations as Record<string, string> | undefined;
    });
    assert.equal(want.empty_matches, 'XbXcX');
    const ours = Object.fromEntries(
      Object.entries(ANNOTATIONS).map(([k, t]) => [
        k,
        new Template(t, k).expand({ labels: {}, externalLabels: {}, value: 1 }),
      ]),
    );
    assert.deepEqual(ours, want);
  },
);
