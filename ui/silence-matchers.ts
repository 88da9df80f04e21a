// Silence matchers as people type them (`alertname="X", zone=~"eu.*"`, as amtool and the
// Alertmanager UI take them) and the Alertmanager v2 API's matcher objects.

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** `alertname="X", zone=~"eu.*"` (braces optional) → matchers; throws with the offending text. */
export function parseMatchers(text: string): Matcher[] {
  const s = text.trim().replace(/^\{|\}$/g, '');
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  const out: Matcher[] = [];
  while (re.lastIndex < s.length) {
    const at = re.lastIndex;
    const m = re.exec(s);
    if (!m)
      throw new Error(
        `cannot parse matchers at "${s.slice(at)}": expected name="value", name!="value", name=~"regex" or name!~"regex"`,
      );
    out.push({
      name: m[1]!,
      value: JSON.parse(`"${m[3]}"`) as string,
      isRegex: m[2]!.includes('~'),
      isEqual: !m[2]!.startsWith('!'),
    });
  }
  if (out.length === 0) throw new Error('a silence needs at least one matcher');
  return out;
}

export function matcherText(m: Matcher): string {
  const op = m.isEqual ? (m.isRegex ? '=~' : '=') : m.isRegex ? '!~' : '!=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}
