// File-name globs of the last path component (rule_files, file_sd_configs), as Go's
// filepath.Match reads them: * any run of non-"/" characters, ? one of them, [a-z] and [^a-z]
// classes, \x a literal x. Compiled to an anchored RE2 pattern (linear time like the rest).
import { CanopyError } from '../errors.ts';
import { compileAnchored, type Regexp } from './regexp.ts';

const escapeChar = (c: string): string =>
  /[A-Za-z0-9_]/.test(c) ? c : `\\x{${c.codePointAt(0)!.toString(16)}}`;

/** True when `name` holds glob syntax (else it is a plain path). */
export function isGlob(name: string): boolean {
  return /[*?[]/.test(name);
}

export function compileGlob(pattern: string): Regexp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeChar(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0)
        throw new CanopyError(
          'config_invalid',
          `bad glob pattern ${JSON.stringify(pattern)}: missing closing ]`,
        );
      let body = pattern.slice(i + 1, end);
      const neg = body.startsWith('^');
      if (neg) body = body.slice(1);
      re += `[${neg ? '^/' : ''}${[...body].map((x) => (x === '-' ? '-' : escapeChar(x))).join('')}]`;
      i = end;
    } else re += escapeChar(c);
  }
  try {
    return compileAnchored(re);
  } catch (e) {
    throw new CanopyError(
      'config_invalid',
      `bad glob pattern ${JSON.stringify(pattern)}: ${(e as Error).message}`,
      { cause: e },
    );
  }
}
