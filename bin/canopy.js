#!/usr/bin/env node
// The `canopy` executable. Runs the production bundle (dist/, built by `npm run build`, which
// `npm ci` runs through `prepare`) while it is at least as new as every source it was built
// from; otherwise (an edited checkout, no build) registers the TypeScript loader in this
// process and runs the sources. Either way one Node process per component, so signals and
// memory figures are the server's own. CANOPY_RUN=src|dist forces one or the other.
// An installed package (`npm install -g canopy-*.tgz`) ships dist/ without the sources or the
// TypeScript loader (a devDependency), so there the bundle always runs.
//
// Node/V8 options and C-library environment (bin/node-flags.js) are given at process start: when
// this process lacks the component's flags or variables, it starts the component as a child with them (stdio shared, SIGINT, SIGTERM,
// SIGHUP and SIGUSR2 passed on, its exit status returned). The child never outlives this
// launcher: it holds an IPC pipe to it and stops (as on SIGTERM; exits after 10 s regardless)
// when the pipe closes, which the kernel does even when the launcher is killed with SIGKILL.
// Tools that spawn components pass the flags on the node command line themselves
// (nodeFlagsFor), so the component then runs in this process and its pid is the server's.
// CANOPY_NODE_FLAGS=off runs without them.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { missingNodeEnv, missingNodeFlags } from './node-flags.js';

/** Grace period between the launcher's pipe closing and a forced exit, ms. */
const ORPHAN_EXIT_MS = 10_000;

if (process.env.CANOPY_LAUNCHER_PIPE === '1' && process.channel) {
  // Started by a launcher: die with it. The pipe must not keep this process alive by itself.
  delete process.env.CANOPY_LAUNCHER_PIPE;
  process.channel.unref();
  process.once('disconnect', () => {
    setTimeout(() => process.exit(1), ORPHAN_EXIT_MS).unref();
    process.kill(process.pid, 'SIGTERM');
  });
} else {
  const off = process.env.CANOPY_NODE_FLAGS === 'off';
  const missing = off ? [] : missingNodeFlags(process.argv[2]);
  const env = off ? {} : missingNodeEnv(process.argv[2]);
  if (missing.length > 0 || Object.keys(env).length > 0) {
    const child = spawn(
      process.execPath,
      [...missing, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      {
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, ...env, CANOPY_LAUNCHER_PIPE: '1' },
      },
    );
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR2']) process.on(sig, () => child.kill(sig));
    const [code, signal] = await new Promise((r) => child.once('exit', (c, s) => r([c, s])));
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  }
}

const root = new URL('../', import.meta.url);
const bundle = new URL('dist/cli.js', root);

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL('dist/inputs.json', root), 'utf8'));
    return inputs.every((p) => statSync(new URL(p, root)).mtimeMs <= built);
  } catch {
    return false; // no bundle, or a source was removed: run the sources
  }
}

const installed = !existsSync(new URL('bin/cli.ts', root));
const mode = process.env.CANOPY_RUN ?? (installed || bundleIsFresh() ? 'dist' : 'src');
let main;
if (mode === 'dist' && existsSync(bundle)) {
  ({ main } = await import(bundle.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./cli.ts'));
}
const code = await main(process.argv.slice(2));
process.exit(code);
