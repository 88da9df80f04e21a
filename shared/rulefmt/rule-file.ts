// Prometheus rule files (rulefmt, Prometheus 2.42): groups of recording and alerting rules.
//   groups:
//     - name: <string, unique in the file>
//       interval: <duration, default: the evaluator's global interval>
//       limit: <int, default 0 = no limit>
//       rules:
//         - record: <metric name>            | - alert: <alert name>
//           expr: <PromQL>                   |   expr: <PromQL>
//           labels: {<name>: <template>}     |   for: <duration>
//                                            |   keep_firing_for: <duration>
//                                            |   labels: {<name>: <template>}
//                                            |   annotations: {<name>: <template>}
// Parsed and validated once, at load; every error names the file, the group, the rule and the
// key. Unknown keys are rejected, exactly as promtool does, so any file Canopy accepts promtool
// accepts too.
//
// Global groups: a group whose name starts with "global:" (e.g. `name: global:slo`) is evaluated
// by the root over the whole hierarchy instead of by each zone. A name prefix rather than a new
// key, because promtool rejects unknown group keys.
import { CanopyError } from '../errors.ts';
import { parseYaml } from '../config/index.ts';
import { parseDurationMs } from '../config/index.ts';
import { LABEL_NAME_RE, METRIC_NAME_RE } from '../labels.ts';
import { parseExpr, type Expr } from '../promql/index.ts';
import { compileGlob, isGlob } from '../regex/index.ts';
import { Template } from './template.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const GLOBAL_GROUP_PREFIX = 'global:';

export interface RuleSpec {
  kind: 'alerting' | 'recording';
  /** Alert name or recorded metric name. */
  name: string;
  expr: string;
  parsed: Expr;
  forMs: number;
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  labelTemplates: Map<string, Template>;
  annotationTemplates: Map<string, Template>;
}

export interface RuleGroupSpec {
  file: string;
  name: string;
  /** 0 = use the default interval. */
  intervalMs: number;
  limit: number;
  global: boolean;
  rules: RuleSpec[];
}

function fail(msg: string): never {
  throw new CanopyError('config_invalid', msg);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

function mapping(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    fail(`${where}: expected a mapping, got ${describe(v)}`);
  return v as Record<string, unknown>;
}

function stringMap(v: unknown, where: string, what: 'labels' | 'annotations'): Record<string, string> {
  if (v === undefined || v === null) return {};
  const m = mapping(v, where);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(m)) {
    if (what === 'labels' && (!LABEL_NAME_RE.test(k) || k === '__name__'))
      fail(`${where}: invalid label name "${k}"`);
    if (what === 'annotations' && !LABEL_NAME_RE.test(k)) fail(`${where}: invalid annotation name "${k}"`);
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean')
      fail(`${where}.${k}: expected a string, got ${describe(x)}`);
    out[k] = String(x);
  }
  return out;
}

function duration(v: unknown, where: string): number {
  if (v === undefined || v === null) return 0;
  const ms = typeof v === 'string' ? parseDurationMs(v) : undefined;
  if (ms === undefined) fail(`${where}: expected a duration such as 30s, 5m or 1h, got ${describe(v)}`);
  return ms;
}

const GROUP_KEYS = new Set(['name', 'interval', 'limit', 'rules']);
const RULE_KEYS = new Set(['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);

/** Parses one rule file's text; `file` names it in errors. */
export function parseRuleFile(file: string, text: string): RuleGroupSpec[] {
  const doc = parseYaml(file, text);
  const top = mapping(doc, `${file}: top level`);
  for (const k of Object.keys(top))
    if (k !== 'groups') fail(`${file}: key "${k}": unknown key (a rule file has only "groups")`);
  const groups = top.groups ?? [];
  if (!Array.isArray(groups)) fail(`${file}: key "groups": expected a list, got ${describe(groups)}`);
  const names = new Set<string>();
  return groups.map((g, gi) => {
    const gm = mapping(g, `${file}: groups[${gi}]`);
    const gname = gm.name;
    if (typeof gname !== 'string' || gname === '')
      fail(
        `${file}: groups[${gi}]: key "name": expected a non-empty string (required), got ${describe(gname)}`,
      );
    const gw = `${file}: group "${gname}"`;
    if (names.has(gname)) fail(`${gw}: repeated group name`);
    names.add(gname);
    for (const k of Object.keys(gm))
      if (!GROUP_KEYS.has(k)) fail(`${gw}: key "${k}": unknown key (known: interval, limit, name, rules)`);
    const intervalMs = duration(gm.interval, `${gw}: key "interval"`);
    if (gm.interval !== undefined && intervalMs <= 0) fail(`${gw}: key "interval": must be greater than 0`);
    const limit = gm.limit ?? 0;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)
      fail(`${gw}: key "limit": expected a non-negative integer, got ${describe(limit)}`);
    const rawRules = gm.rules ?? [];
    if (!Array.isArray(rawRules)) fail(`${gw}: key "rules": expected a list, got ${describe(rawRules)}`);
    const rules = rawRules.map((r, ri) => parseRule(r, `${gw}: rules[${ri}]`));
    return { file, name: gname, intervalMs, limit, global: gname.startsWith(GLOBAL_GROUP_PREFIX), rules };
  });
}

function parseRule(r: unknown, at: string): RuleSpec {
  const m = mapping(r, at);
  for (const k of Object.keys(m)) if (!RULE_KEYS.has(k)) fail(`${at}: key "${k}": unknown key`);
  const rec = m.record;
  const alert = m.alert;
  if ((rec === undefined) === (alert === undefined))
    fail(`${at}: exactly one of "record" or "alert" must be set`);
  const kind = alert !== undefined ? 'alerting' : 'recording';
  const name = alert ?? rec;
  if (typeof name !== 'string' || name === '')
    fail(
      `${at}: key "${kind === 'alerting' ? 'alert' : 'record'}": expected a non-empty string, got ${describe(name)}`,
    );
  const where = `${at} (${kind === 'alerting' ? 'alert' : 'record'} "${name}")`;
  if (kind === 'recording' && !METRIC_NAME_RE.test(name))
    fail(`${where}: key "record": invalid recording rule name "${name}"`);
  if (typeof m.expr !== 'string' && typeof m.expr !== 'number')
    fail(`${where}: key "expr": expected a PromQL expression (required), got ${describe(m.expr)}`);
  const expr = String(m.expr);
  let parsed: Expr;
  try {
    parsed = parseExpr(expr);
  } catch (e) {
    fail(`${where}: key "expr": ${(e as Error).message}`);
  }
  if (kind === 'recording') {
    if (m.for !== undefined) fail(`${where}: key "for": invalid field 'for' in recording rule`);
    if (m.keep_firing_for !== undefined)
      fail(`${where}: key "keep_firing_for": invalid field 'keep_firing_for' in recording rule`);
    if (m.annotations !== undefined)
      fail(`${where}: key "annotations": invalid field 'annotations' in recording rule`);
  }
  const labels = stringMap(m.labels, `${where}: key "labels"`, 'labels');
  const annotations = stringMap(m.annotations, `${where}: key "annotations"`, 'annotations');
  const labelTemplates = new Map<string, Template>();
  const annotationTemplates = new Map<string, Template>();
  for (const [k, v] of Object.entries(labels))
    labelTemplates.set(k, new Template(v, `${where}: labels.${k}`));
  for (const [k, v] of Object.entries(annotations))
    annotationTemplates.set(k, new Template(v, `${where}: annotations.${k}`));
  return {
    kind,
    name,
    expr,
    parsed,
    forMs: duration(m.for, `${where}: key "for"`),
    keepFiringForMs: duration(m.keep_firing_for, `${where}: key "keep_firing_for"`),
    labels,
    annotations,
    labelTemplates,
    annotationTemplates,
  };
}

export function loadRuleFile(file: string): RuleGroupSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CanopyError(
      'config_invalid',
      `cannot read rule file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return parseRuleFile(file, text);
}

/**
 * Expands glob patterns in the last path component (`rules/*.yml`, as Prometheus's rule_files
 * allow); a pattern matching nothing yields nothing. Plain paths pass through.
 */
export function expandRuleFiles(patterns: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const base = basename(p);
    if (!isGlob(base)) {
      out.push(p);
      continue;
    }
    const re = compileGlob(base);
    let names: string[] = [];
    try {
      names = readdirSync(dirname(p));
    } catch {
      names = [];
    }
    out.push(
      ...names
        .filter((n) => re.matches(n))
        .sort()
        .map((n) => join(dirname(p), n)),
    );
  }
  return out;
}

/** Loads every file (globs expanded); group names must be unique per file (as in Prometheus). */
export function loadRuleFiles(files: readonly string[]): RuleGroupSpec[] {
  return expandRuleFiles(files).flatMap((f) => loadRuleFile(f));
}
