// Child: one supervised child process of the launcher. Its stdout/stderr lines are forwarded
// through a formatter (log-format.ts: a readable prefixed line, or JSON naming the process);
// stop() sends SIGTERM and, after a grace period, SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
}

export class Child {
  private proc: ChildProcess | undefined;
  exited: Promise<number | null> = Promise.resolve(null);
  stopping = false;

  constructor(
    readonly spec: ChildSpec,
    private readonly out: (line: string) => void,
    private readonly format: (line: string) => string,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  start(onExit: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    const p = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = p;
    for (const stream of [p.stdout!, p.stderr!]) {
      createInterface({ input: stream }).on('line', (l) => this.out(this.format(l)));
    }
    this.exited = new Promise((resolve) => {
      p.once('exit', (code, signal) => {
        onExit(code, signal);
        resolve(code);
      });
      p.once('error', (e) => {
        this.out(this.format(`cannot start ${this.spec.command}: ${e.message}`));
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
