// Parse errors formatted like Prometheus's ParseErr: "<line>:<col>: parse error: <msg>".
import { CanopyError } from '../errors.ts';

export function parseError(input: string, pos: number, msg: string): CanopyError {
  let line = 1;
  let lastBreak = -1;
  const p = Math.max(0, Math.min(pos, input.length));
  for (let i = 0; i < p; i++) {
    if (input[i] === '\n') {
      line++;
      lastBreak = i;
    }
  }
  const col = p - lastBreak;
  return new CanopyError('parse_error', `${line}:${col}: parse error: ${msg}`, {
    fields: { position: pos, line, column: col },
  });
}
