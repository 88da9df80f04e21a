// Template functions and value semantics (Go's text/template as Prometheus configures it):
// the function table, truthiness, comparison and printing of values.
import {
  formatValue,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
  sprintf,
} from './go-format.ts';
import { compileUnanchored, expand } from '../regex/index.ts';

export type Value = string | number | boolean | undefined | object;

export const FUNCS: Record<string, (...a: Value[]) => Value> = {
  humanize: (v) => humanize(num(v)),
  humanize1024: (v) => humanize1024(num(v)),
  humanizeDuration: (v) => humanizeDuration(num(v)),
  humanizePercentage: (v) => humanizePercentage(num(v)),
  humanizeTimestamp: (v) => humanizeTimestamp(num(v)),
  printf: (f, ...a) => sprintf(str(f), a),
  toUpper: (s) => str(s).toUpperCase(),
  toLower: (s) => str(s).toLowerCase(),
  title: (s) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  // Go's regexp, unanchored (regexp.MustCompile / regexp.MatchString): an invalid pattern fails
  // the template with Go's text.
  reReplaceAll: (re, repl, s) => compileUnanchored(str(re)).replaceAll(str(s), str(repl), expand),
  match: (re, s) => compileUnanchored(str(re)).matches(str(s)),
  stripPort: (s) =>
    str(s)
      .replace(/:\d+$/, '')
      .replace(/^\[(.*)\]$/, '$1'),
  eq: (a, ...b) => b.some((x) => x === a),
  ne: (a, b) => a !== b,
  lt: (a, b) => cmp(a, b) < 0,
  le: (a, b) => cmp(a, b) <= 0,
  gt: (a, b) => cmp(a, b) > 0,
  ge: (a, b) => cmp(a, b) >= 0,
  and: (...a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
  not: (a) => !truthy(a),
  len: (a) =>
    typeof a === 'string'
      ? a.length
      : Array.isArray(a)
        ? a.length
        : a && typeof a === 'object'
          ? Object.keys(a).length
          : 0,
  join: (sep, a) => (Array.isArray(a) ? a.map((x) => str(x as Value)).join(str(sep)) : str(a)),
  safeHtml: (s) => str(s),
  index: (m, k) => (m && typeof m === 'object' ? ((m as Record<string, string>)[str(k)] ?? '') : ''),
};

function num(v: Value): number {
  if (typeof v === 'number') return v;
  const n = Number(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(n)) return n;
  throw new Error(`cannot convert ${JSON.stringify(v)} to a number`);
}
export function str(v: Value): string {
  return typeof v === 'number'
    ? formatValue(v)
    : v === undefined
      ? ''
      : typeof v === 'object'
        ? print(v)
        : String(v);
}
function cmp(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = str(a);
  const y = str(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
export function truthy(v: Value): boolean {
  return !(
    v === undefined ||
    v === null ||
    v === false ||
    v === 0 ||
    v === '' ||
    (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0)
  );
}
export function print(v: Value): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return formatValue(v);
  if (Array.isArray(v)) return `[${v.map((x) => print(x as Value)).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${str((v as Record<string, Value>)[k])}`).join(' ')}]`;
  }
  return String(v);
}
