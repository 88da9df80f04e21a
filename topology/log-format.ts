// How `canopy up` shows its children's log lines (pino JSON on stdout/stderr, or plain text
// from nats-server):
//   pretty (default): `[zone eu-west-a] INFO  zone started http=127.0.0.1:9201 grpc=…` — level,
//     the logger's sub-component when it is not the process's own (`shipper: …`), the message,
//     then the remaining fields as key=value (values with spaces or quotes JSON-quoted, objects
//     as JSON). Fields that only repeat the prefix (pid, hostname, time, the process's own
//     name) are left out. Levels are coloured on a terminal.
//   json: the child's JSON line unchanged but for a leading "proc" field naming the process,
//     so the output stays one JSON object per line (plain text lines become {"proc","msg"}).
export type LogFormat = 'pretty' | 'json';

export const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const COLORS: Record<string, string> = {
  TRACE: '90',
  DEBUG: '36',
  INFO: '32',
  WARN: '33',
  ERROR: '31',
  FATAL: '35',
};
/** Fields never shown in pretty mode: the prefix and the line's position already say them. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'component']);

function showValue(v: unknown): string {
  if (typeof v === 'string') return v === '' || /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

/**
 * A formatter for one child's lines. `name` is the child's display name ("zone eu-west-a",
 * "leaf eu-west-a-host-1", "root", "nats").
 */
export function childLineFormatter(
  name: string,
  format: LogFormat,
  color: boolean,
): (line: string) => string {
  const prefix = `[${name}]`;
  const space = name.indexOf(' ');
  const kind = space < 0 ? name : name.slice(0, space);
  const instance = space < 0 ? undefined : name.slice(space + 1);
  if (format === 'json') {
    const head = `{"proc":${JSON.stringify(name)},`;
    return (line) =>
      line.startsWith('{') && line.endsWith('}') && line.length > 2
        ? head + line.slice(1)
        : JSON.stringify({ proc: name, msg: line });
  }
  return (line) => {
    if (!line.startsWith('{')) return `${prefix} ${line}`;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return `${prefix} ${line}`;
    }
    const lv = LEVELS[o.level as number] ?? String(o.level ?? '').toUpperCase();
    const level = color && COLORS[lv] ? `\x1b[${COLORS[lv]}m${lv.padEnd(5)}\x1b[0m` : lv.padEnd(5);
    const sub = typeof o.component === 'string' && o.component !== kind ? `${o.component}: ` : '';
    const fields: string[] = [];
    for (const [k, v] of Object.entries(o)) {
      if (HIDDEN.has(k) || v === undefined) continue;
      if (instance !== undefined && (k === kind || k === 'name') && v === instance) continue; // repeats the prefix
      fields.push(`${k}=${showValue(v)}`);
    }
    const msg = typeof o.msg === 'string' ? o.msg : '';
    return `${prefix} ${level} ${sub}${msg}${fields.length > 0 ? ' ' + fields.join(' ') : ''}`;
  };
}
