// label_replace and label_join: rewrite one label per series; the result keeps the metric name.
import { CanopyError } from '../../errors.ts';
import { LABEL_NAME_RE, getLabel, withLabel, type Labels } from '../../labels.ts';
import { compileAnchored, expand, type Regexp } from '../../regex/index.ts';

/** The regex as Prometheus 2.42 compiles it ("^(?:" + regex + ")$", RE2); its error text stays Prometheus's own. */
export function compileLabelReplace(dst: string, regex: string): Regexp {
  let re: Regexp;
  try {
    re = compileAnchored(regex);
  } catch (e) {
    throw new CanopyError('execution', `invalid regular expression in label_replace(): ${regex}`, {
      cause: e,
    });
  }
  if (!LABEL_NAME_RE.test(dst))
    throw new CanopyError('execution', `invalid destination label name in label_replace(): ${dst}`);
  return re;
}

export function labelReplace(ls: Labels, dst: string, replacement: string, src: string, re: Regexp): Labels {
  const m = re.exec(getLabel(ls, src));
  if (!m) return ls;
  return withLabel(ls, dst, expand(replacement, m, re.names));
}

export function checkLabelJoin(dst: string, srcs: string[]): void {
  if (!LABEL_NAME_RE.test(dst))
    throw new CanopyError('execution', `invalid destination label name in label_join(): ${dst}`);
  for (const s of srcs)
    if (!LABEL_NAME_RE.test(s))
      throw new CanopyError('execution', `invalid source label name in label_join(): ${s}`);
}

export function labelJoin(ls: Labels, dst: string, sep: string, srcs: string[]): Labels {
  return withLabel(ls, dst, srcs.map((s) => getLabel(ls, s)).join(sep));
}
