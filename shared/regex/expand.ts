// Go's Regexp.Expand: the one `$` template expansion for label_replace, relabelling and
// reReplaceAll.
//   $1 ${1}        group 1 ("" when it did not take part or does not exist)
//   $name ${name}  the first group so named that took part
//   $$             a literal "$"
// A name is the longest run of letters, digits and "_" ("$1x" names the group "1x", so it
// expands to ""); a number has no leading zero ("$01" is the name "01"). A "$" not followed by a
// valid reference, including a trailing one and "${" without its "}", stays a literal "$".
import type { Submatches } from './regexp.ts';

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

function isNameChar(c: string): boolean {
  const x = c.charCodeAt(0);
  if ((x >= 48 && x <= 57) || (x >= 65 && x <= 90) || (x >= 97 && x <= 122) || x === 95) return true;
  return x >= 0x80 && NAME_CHAR.test(c);
}

export function expand(template: string, m: Submatches, names: readonly string[]): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  const n = template.length;
  while (i < n) {
    const d = template.indexOf('$', i);
    if (d < 0) break;
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const brace = template[i] === '{';
    let j = brace ? i + 1 : i;
    const nameStart = j;
    while (j < n) {
      const cp = template.codePointAt(j)!;
      const ch = String.fromCodePoint(cp);
      if (!isNameChar(ch)) break;
      j += ch.length;
    }
    const name = template.slice(nameStart, j);
    if (name === '' || (brace && template[j] !== '}')) {
      out += '$'; // malformed: the "$" is literal text
      continue;
    }
    i = brace ? j + 1 : j;
    out += lookup(name, m, names);
  }
  return out + template.slice(i);
}

function lookup(name: string, m: Submatches, names: readonly string[]): string {
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 48 || c > 57 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (c - 48);
  }
  if (name.length > 1 && name[0] === '0') num = -1;
  if (num >= 0) return num < m.length ? (m[num] ?? '') : '';
  for (let k = 1; k < names.length; k++) {
    if (names[k] === name && k < m.length && m[k] !== undefined) return m[k]!;
  }
  return '';
}
