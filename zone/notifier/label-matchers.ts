// Alertmanager label matchers: `matchers: ['severity="page"', 'team=~"db|web"', 'env!=dev']`
// (values quoted or bare; a string may hold several comma-separated matchers, optionally in
// braces), plus the deprecated `match:` / `match_re:` maps. Regexes are anchored RE2 (shared Matcher, Alertmanager's checks).
import { Matcher, type MatchType } from '../../shared/matchers.ts';
import { CanopyError } from '../../shared/errors.ts';

const ONE =
  /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*|"(?:[^"\\]|\\.)*")\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^,"]*?)\s*$/;

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && q) {
      cur += c + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') q = !q;
    if (c === ',' && !q) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') out.push(cur);
  return out;
}

/**
 * A quoted value's escapes as Alertmanager 0.25 reads them: \n, \" and \\; any other escape
 * keeps its backslash, so regexes like "host\d+" or "\pL" need no doubling.
 */
function unquoteValue(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i === s.length - 1) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    out += n === 'n' ? '\n' : n === '"' || n === '\\' ? n : `\\${n}`;
  }
  return out;
}

export function parseMatchers(text: string, where: string): Matcher[] {
  let s = text.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  return splitTopLevel(s).map((part) => {
    const m = ONE.exec(part);
    if (!m) throw new CanopyError('config_invalid', `${where}: bad matcher format: ${part.trim()}`);
    const name = m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : m[1]!;
    const raw = m[3]!;
    const value = raw.startsWith('"') ? unquoteValue(raw.slice(1, -1)) : raw;
    try {
      return new Matcher(m[2] as MatchType, name, value, 'alertmanager');
    } catch (e) {
      throw new CanopyError('config_invalid', `${where}: ${(e as Error).message}`);
    }
  });
}

export function matchesAll(ms: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  for (const m of ms) if (!m.matches(labels[m.name] ?? '')) return false;
  return true;
}

export function formatMatchers(ms: readonly Matcher[]): string {
  return `{${ms.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(',')}}`;
}
