// Child: one supervised child process of the launcher. Its stdout/stderr lines are forwarded
// with a component prefix (pino JSON lines are shown compactly when the launcher is on a
// terminal); stop() sends SIGTERM and, after a grace period, SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function formatLine(prefix: string, line: string, pretty: boolean): string {
  if (!pretty || !line.startsWith('{')) return `${prefix} ${line}`;
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const { level, time, msg, pid: _pid, hostname: _h, component: _c, ...rest } = o;
    const t = typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '';
    const extra = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    return `${prefix} ${t} ${LEVELS[level as number] ?? level} ${msg ?? ''}${extra ? ' ' + extra : ''}`;
  } catch {
    return `${prefix} ${line}`;
  }
}

export class Child {
  private proc: ChildProcess | undefined;
  exited: Promise<number | null> = Promise.resolve(null);
  stopping = false;

  constructor(
    readonly spec: ChildSpec,
    private readonly out: (line: string) => void,
    private readonly pretty: boolean,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  start(onExit: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    const p = spawn(this.spec.command, this.spec.args, { cwd: this.spec.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = p;
    const prefix = `[${this.spec.name}]`;
    for (const stream of [p.stdout!, p.stderr!]) {
      createInterface({ input: stream }).on('line', (l) => this.out(formatLine(prefix, l, this.pretty)));
    }
    this.exited = new Promise((resolve) => {
      p.once('exit', (code, signal) => {
        onExit(code, signal);
        resolve(code);
      });
      p.once('error', (e) => {
        this.out(`${prefix} cannot start ${this.spec.command}: ${e.message}`);
        resolve(null);
      });
    });
  }

  async stop(graceMs = 10_000): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    this.stopping = true;
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(t);
  }
}
