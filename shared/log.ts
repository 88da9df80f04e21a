// Logging: pino JSON to stdout, pretty-printed when stdout is a terminal. One root logger per
// process; each component takes a child logger with `component` set.
import { pino, type Logger } from 'pino';

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Force pretty (true) or JSON (false) output; default: pretty on a TTY. */
  pretty?: boolean;
}

let root: Logger | undefined;

export function rootLogger(opts: LogOptions = {}): Logger {
  if (root && opts.level === undefined && opts.pretty === undefined) return root;
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  const level = opts.level ?? 'info';
  root = pretty
    ? pino({
        level,
        transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } },
      })
    : pino({ level, base: { pid: process.pid } });
  return root;
}

export function componentLogger(component: string, fields: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ component, ...fields });
}

/** A logger that drops everything: for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
