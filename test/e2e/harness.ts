// End-to-end harness: real processes on 127.0.0.1 with free ports, stopped by PID.
// ensureNatsServer() finds nats-server, installs it through apt-get when running as root, or
// stops the test run with a one-line instruction.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOnPath } from '../../topology/path.ts';
import { nodeEnvFor, nodeFlagsFor } from '../../bin/node-flags.js';
import { freePort, waitForHttp, waitForPort } from '../../topology/ports.ts';

export { freePort, waitForHttp };
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CANOPY = join(REPO, 'bin/canopy.js');

export function ensureNatsServer(): string {
  let bin = findOnPath('nats-server');
  if (bin) return bin;
  if (process.getuid?.() === 0) {
    process.stderr.write('nats-server not found; installing it with apt-get (Debian package nats-server)\n');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'nats-server'], { stdio: 'ignore' });
    bin = findOnPath('nats-server');
    if (bin) return bin;
  }
  throw new Error(
    'nats-server is required for end-to-end tests: install it with `sudo apt-get install -y nats-server`',
  );
}

export interface Proc {
  name: string;
  child: ChildProcess;
  output: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnProc(
  name: string,
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Proc {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
  });
  const output: string[] = [];
  const onData = (d: Buffer): void => {
    for (const l of d.toString('utf8').split('\n')) if (l) output.push(l);
    if (output.length > 2000) output.splice(0, output.length - 2000);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    name,
    child,
    output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      process.kill(child.pid!, signal);
      const t = setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** Starts `canopy args…`; nodeArgs go to node itself (V8 flags such as --trace-gc). */
export function spawnCanopy(name: string, args: string[], nodeArgs: string[] = []): Proc {
  // The component's node flags here (as the launcher would add them), so the process is the server itself.
  return spawnProc(name, process.execPath, [...nodeFlagsFor(args[0]), ...nodeArgs, CANOPY, ...args], {
    env: nodeEnvFor(args[0]),
  });
}

/** Runs `canopy args…` to completion. */
export function runCanopy(
  args: string[],
  timeoutMs = 30_000,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CANOPY, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function startNats(): Promise<{ proc: Proc; url: string }> {
  const bin = ensureNatsServer();
  const port = await freePort();
  const proc = spawnProc('nats', bin, ['-a', '127.0.0.1', '-p', String(port)]);
  if (!(await waitForPort('127.0.0.1', port, 15_000)))
    throw new Error(`nats-server did not start: ${proc.output.join('\n')}`);
  return { proc, url: `nats://127.0.0.1:${port}` };
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `canopy-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export async function getJson(url: string): Promise<any> {
  const r = await fetch(url);
  return { status: r.status, body: await r.json() };
}
