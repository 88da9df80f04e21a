// Command-line flags: `--name value`, `--name=value`, boolean `--name`, repeatable flags.
// Unknown flags and missing values are CanopyError('flag_invalid') naming the flag.
import { CanopyError } from '../errors.ts';

export interface FlagSpec {
  type: 'string' | 'list' | 'bool';
  help: string;
  /** Placeholder shown in help, e.g. HOST:PORT. */
  arg?: string;
}

export type FlagValues = Record<string, string | string[] | boolean | undefined>;

export function parseFlags(
  argv: readonly string[],
  spec: Readonly<Record<string, FlagSpec>>,
  command: string,
): FlagValues {
  const out: FlagValues = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--'))
      throw new CanopyError(
        'flag_invalid',
        `canopy ${command}: unexpected argument "${arg}" (see canopy ${command} --help)`,
      );
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const s = spec[name];
    if (!s)
      throw new CanopyError(
        'flag_invalid',
        `canopy ${command}: unknown flag --${name} (see canopy ${command} --help)`,
      );
    if (s.type === 'bool') {
      out[name] = eq < 0 ? true : arg.slice(eq + 1) !== 'false';
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new CanopyError(
          'flag_invalid',
          `canopy ${command}: flag --${name} needs a value${s.arg ? ` (${s.arg})` : ''}`,
        );
      value = next;
      i++;
    }
    if (s.type === 'list') {
      const list = (out[name] as string[] | undefined) ?? [];
      list.push(value);
      out[name] = list;
    } else out[name] = value;
  }
  return out;
}

export function flagsHelp(
  command: string,
  summary: string,
  spec: Readonly<Record<string, FlagSpec>>,
): string {
  const rows = Object.entries(spec).map(([n, s]) => {
    const left = `  --${n}${s.type === 'bool' ? '' : ' ' + (s.arg ?? 'VALUE')}${s.type === 'list' ? ' (repeatable)' : ''}`;
    return left.padEnd(40) + s.help;
  });
  return `usage: canopy ${command} [flags]\n\n${summary}\n\nflags:\n${rows.join('\n')}\n`;
}
