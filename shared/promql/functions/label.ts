// label_replace and label_join: rewrite one label per series; the result keeps the metric name.
import { CanopyError } from '../../errors.ts';
import { LABEL_NAME_RE, getLabel, withLabel, type Labels } from '../../labels.ts';

/** Go regexp Expand: $1, ${1}, $name, ${name}, $$; an unknown or unmatched group expands to ''. */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$' || i + 1 >= template.length) {
      out += c;
      continue;
    }
    const next = template[i + 1]!;
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      name = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^[A-Za-z0-9_]+$/.test(name)) {
        out += c;
        continue;
      }
      end = close;
    } else {
      const r = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (!r) {
        out += c;
        continue;
      }
      name = r[0];
      end = i + name.length;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
    i = end;
  }
  return out;
}

export function compileLabelReplace(dst: string, regex: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${regex.replaceAll('(?P<', '(?<')})$`);
  } catch (e) {
    throw new CanopyError('execution', `invalid regular expression in label_replace(): ${regex}`, { cause: e });
  }
  if (!LABEL_NAME_RE.test(dst)) throw new CanopyError('execution', `invalid destination label name in label_replace(): ${dst}`);
  return re;
}

export function labelReplace(ls: Labels, dst: string, replacement: string, src: string, re: RegExp): Labels {
  const m = re.exec(getLabel(ls, src));
  if (!m) return ls;
  return withLabel(ls, dst, expandTemplate(replacement, m));
}

export function checkLabelJoin(dst: string, srcs: string[]): void {
  if (!LABEL_NAME_RE.test(dst)) throw new CanopyError('execution', `invalid destination label name in label_join(): ${dst}`);
  for (const s of srcs) if (!LABEL_NAME_RE.test(s)) throw new CanopyError('execution', `invalid source label name in label_join(): ${s}`);
}

export function labelJoin(ls: Labels, dst: string, sep: string, srcs: string[]): Labels {
  return withLabel(ls, dst, srcs.map((s) => getLabel(ls, s)).join(sep));
}
