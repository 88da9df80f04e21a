// Files a configuration names (certificates, keys, tokens, passwords): read at start, so a
// missing or unreadable one fails the start with one line naming it, not the first connection.
import { readFileSync } from 'node:fs';
import { CanopyError, errorMessage } from '../errors.ts';

/** The file's bytes, or CanopyError('config_invalid') "cannot read <what> <file>: <cause>". */
export function readConfigFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new CanopyError('config_invalid', `cannot read ${what} ${file}: ${errorMessage(e)}`, { cause: e });
  }
}

/** The file's text, trimmed; an empty file is an error too (a secret, a token). */
export function readSecretFile(file: string, what: string): string {
  const s = readConfigFile(file, what).toString('utf8').trim();
  if (!s) throw new CanopyError('config_invalid', `cannot read ${what} ${file}: the file is empty`);
  return s;
}
