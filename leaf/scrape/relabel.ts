// Relabeling with Prometheus relabel_config semantics (relabel_configs, metric_relabel_configs).
//
// Each rule reads `source_labels` joined by `separator` (default ";") and matches `regex`
// (RE2 syntax and semantics, fully anchored as ^(?:regex)$, "." stops at "\n"; default "(.*)"). Actions:
//   replace    (default) on match: target_label := expand(replacement) (default "$1"); an empty
//              result deletes the label; target_label may itself reference groups
//   lowercase / uppercase   target_label := case-mapped joined value
//   keep / drop             drop the series unless / if the joined value matches
//   keepequal / dropequal   drop the series unless / if the joined value == value of target_label
//   hashmod                 target_label := md5(joined value)[8:16] as big-endian uint64 % modulus
//   labelmap                for every label whose name matches: expand(replacement) := its value
//   labeldrop / labelkeep   remove labels whose name matches / does not match
// Expansion is Go's regexp.Expand (shared/regex expand): $1, ${1}, $name, ${name}; "$$" is a
// literal "$"; `$1x` names the group "1x" (so it expands to ""); an unknown group expands to "";
// a "$" starting no valid reference (a trailing one, "${1") stays literal.
// Rules run in order; a dropped series stops evaluation. Empty values mean "absent".
import { createHash } from 'node:crypto';
import { CanopyError } from '../../shared/errors.ts';
import { LABEL_NAME_RE, type Label, type Labels } from '../../shared/labels.ts';
import { compileAnchored, expand, type Regexp } from '../../shared/regex/index.ts';

export type RelabelAction =
  | 'replace'
  | 'keep'
  | 'drop'
  | 'keepequal'
  | 'dropequal'
  | 'hashmod'
  | 'labelmap'
  | 'labeldrop'
  | 'labelkeep'
  | 'lowercase'
  | 'uppercase';

const ACTIONS: ReadonlySet<string> = new Set([
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
]);
const KEYS: ReadonlySet<string> = new Set([
  'source_labels',
  'separator',
  'regex',
  'modulus',
  'target_label',
  'replacement',
  'action',
]);

export interface RelabelConfig {
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  /** The regex as configured (unanchored source text). */
  readonly regexSource: string;
  readonly regex: Regexp;
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly action: RelabelAction;
}

const DEFAULT_REGEX = '(.*)';

/** The regex as Prometheus compiles it: "^(?:" + src + ")$", RE2 (shared/regex). */
function compileRegex(src: string, where: string): Regexp {
  try {
    return compileAnchored(src);
  } catch (e) {
    throw new CanopyError('config_invalid', `${where}.regex: ${(e as Error).message}`, { cause: e });
  }
}

/** Parses and validates a relabel_configs list (YAML/JSON already decoded). `where` prefixes error paths. */
export function parseRelabelConfigs(raw: unknown, where = 'relabel_configs'): readonly RelabelConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw new CanopyError('config_invalid', `${where}: expected a list, got ${typeof raw}`);
  return raw.map((r, i) => parseRelabelConfig(r, `${where}[${i}]`));
}

export function parseRelabelConfig(raw: unknown, where = 'relabel_config'): RelabelConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new CanopyError('config_invalid', `${where}: expected a mapping`);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!KEYS.has(k))
      throw new CanopyError(
        'config_invalid',
        `${where}: unknown key ${JSON.stringify(k)} (expected one of ${[...KEYS].join(', ')})`,
      );
  const str = (k: string, dflt: string): string => {
    const v = o[k];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'string')
      throw new CanopyError('config_invalid', `${where}.${k}: expected a string, got ${typeof v}`);
    return v;
  };
  const action = str('action', 'replace').toLowerCase();
  if (!ACTIONS.has(action))
    throw new CanopyError(
      'config_invalid',
      `${where}.action: unknown action ${JSON.stringify(action)} (expected one of ${[...ACTIONS].join(', ')})`,
    );
  let sourceLabels: string[] = [];
  if (o.source_labels !== undefined && o.source_labels !== null) {
    if (!Array.isArray(o.source_labels) || o.source_labels.some((s) => typeof s !== 'string'))
      throw new CanopyError('config_invalid', `${where}.source_labels: expected a list of label names`);
    sourceLabels = o.source_labels as string[];
    for (const s of sourceLabels)
      if (!LABEL_NAME_RE.test(s))
        throw new CanopyError(
          'config_invalid',
          `${where}.source_labels: invalid label name ${JSON.stringify(s)}`,
        );
  }
  const regexSource = str('regex', DEFAULT_REGEX);
  const regex = compileRegex(regexSource, where);
  const targetLabel = str('target_label', '');
  const replacement = str('replacement', '$1');
  const separator = str('separator', ';');
  let modulus = 0;
  if (o.modulus !== undefined && o.modulus !== null) {
    if (typeof o.modulus !== 'number' || !Number.isInteger(o.modulus) || o.modulus < 0)
      throw new CanopyError('config_invalid', `${where}.modulus: expected a non-negative integer`);
    modulus = o.modulus;
  }
  const a = action as RelabelAction;
  const need = (cond: boolean, msg: string): void => {
    if (!cond) throw new CanopyError('config_invalid', `${where}: ${msg} for action ${a}`);
  };
  if (
    a === 'replace' ||
    a === 'hashmod' ||
    a === 'lowercase' ||
    a === 'uppercase' ||
    a === 'keepequal' ||
    a === 'dropequal'
  )
    need(targetLabel !== '', 'target_label is required');
  if (a === 'replace' && !targetLabel.includes('$'))
    need(
      LABEL_NAME_RE.test(targetLabel),
      `target_label ${JSON.stringify(targetLabel)} is not a valid label name`,
    );
  if (a === 'hashmod' || a === 'lowercase' || a === 'uppercase' || a === 'keepequal' || a === 'dropequal')
    need(
      LABEL_NAME_RE.test(targetLabel),
      `target_label ${JSON.stringify(targetLabel)} must be a plain label name`,
    );
  if (a === 'hashmod') need(modulus > 0, 'modulus must be > 0');
  if (a === 'keepequal' || a === 'dropequal')
    need(
      regexSource === DEFAULT_REGEX && o.replacement === undefined,
      'regex and replacement are not allowed',
    );
  if (a === 'labeldrop' || a === 'labelkeep')
    need(
      sourceLabels.length === 0 &&
        targetLabel === '' &&
        o.modulus === undefined &&
        o.replacement === undefined &&
        o.separator === undefined,
      'only regex is allowed',
    );
  if ((a === 'keep' || a === 'drop') && sourceLabels.length === 0) need(false, 'source_labels is required');
  return { sourceLabels, separator, regexSource, regex, modulus, targetLabel, replacement, action: a };
}

function hashmod(val: string, modulus: number): number {
  const h = createHash('md5').update(val).digest();
  return Number(h.readBigUInt64BE(8) % BigInt(modulus));
}

/**
 * Applies the rules to `ls` (sorted Labels). Returns the new sorted Labels, or null when the
 * series is dropped. `ls` is not modified.
 */
export function relabel(ls: Labels, cfgs: readonly RelabelConfig[]): Labels | null {
  if (cfgs.length === 0) return ls;
  const b = new Map<string, string>();
  for (const l of ls) b.set(l.name, l.value);
  for (const c of cfgs) {
    let val = '';
    for (let i = 0; i < c.sourceLabels.length; i++) {
      if (i > 0) val += c.separator;
      val += b.get(c.sourceLabels[i]!) ?? '';
    }
    switch (c.action) {
      case 'keep':
        if (!c.regex.matches(val)) return null;
        break;
      case 'drop':
        if (c.regex.matches(val)) return null;
        break;
      case 'keepequal':
        if (val !== (b.get(c.targetLabel) ?? '')) return null;
        break;
      case 'dropequal':
        if (val === (b.get(c.targetLabel) ?? '')) return null;
        break;
      case 'replace': {
        const m = c.regex.exec(val);
        if (!m) break;
        const target = expand(c.targetLabel, m, c.regex.names);
        if (!LABEL_NAME_RE.test(target)) break;
        const res = expand(c.replacement, m, c.regex.names);
        if (res === '') b.delete(target);
        else b.set(target, res);
        break;
      }
      case 'lowercase':
        setOrDelete(b, c.targetLabel, val.toLowerCase());
        break;
      case 'uppercase':
        setOrDelete(b, c.targetLabel, val.toUpperCase());
        break;
      case 'hashmod':
        b.set(c.targetLabel, String(hashmod(val, c.modulus)));
        break;
      case 'labelmap': {
        const add: [string, string][] = [];
        for (const [name, v] of b) {
          const m = c.regex.exec(name);
          if (m) add.push([expand(c.replacement, m, c.regex.names), v]);
        }
        for (const [name, v] of add) if (LABEL_NAME_RE.test(name)) b.set(name, v);
        break;
      }
      case 'labeldrop':
        for (const name of [...b.keys()]) if (c.regex.matches(name)) b.delete(name);
        break;
      case 'labelkeep':
        for (const name of [...b.keys()]) if (!c.regex.matches(name)) b.delete(name);
        break;
    }
  }
  const out: Label[] = [];
  for (const [name, value] of b) if (value !== '') out.push({ name, value });
  return out.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

function setOrDelete(b: Map<string, string>, k: string, v: string): void {
  if (v === '') b.delete(k);
  else b.set(k, v);
}
