// The `canopy` command: one executable, a subcommand per component (like `thanos query|sidecar`).
// This is the one module that reaches into every tier's main, to dispatch; tiers are loaded
// lazily so `canopy leaf` never loads the zone's code.
//
// Exit codes: 0 ok, 1 runtime failure (e.g. NATS unreachable), 2 bad flags or configuration.
import { CanopyError, errorMessage, isCanopyError } from '../shared/errors.ts';
import { flagsHelp, type FlagSpec } from '../shared/config/index.ts';
import { CANOPY_VERSION } from '../shared/version.ts';

interface Command {
  summary: string;
  flags?: () => Promise<Record<string, FlagSpec>>;
  run: (argv: string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  up: {
    summary: 'run a local tree (NATS, root, zones, leaves, demo workload) from a topology file',
    flags: async () => (await import('../topology/launcher.ts')).UP_FLAGS,
    run: async (argv) => (await import('../topology/launcher.ts')).main(argv),
  },
  root: {
    summary: 'the global root: Prometheus API across all zones, over NATS',
    flags: async () => (await import('../global/config.ts')).ROOT_FLAGS,
    run: async (argv) => (await import('../global/main.ts')).main(argv),
  },
  zone: {
    summary: 'a zone server: TSDB, ingest (gRPC, remote_write), PromQL, NATS responder',
    flags: async () => (await import('../zone/config.ts')).ZONE_FLAGS,
    run: async (argv) => (await import('../zone/main.ts')).main(argv),
  },
  leaf: {
    summary: 'the host agent: scrape, StatsD, push; ships batches to its zone',
    flags: async () => (await import('../leaf/config.ts')).LEAF_FLAGS,
    run: async (argv) => (await import('../leaf/main.ts')).main(argv),
  },
  import: {
    summary: 'backfill history into a zone data directory (import openmetrics FILE | prometheus-tsdb DIR)',
    flags: async () => (await import('../zone/import/main.ts')).IMPORT_FLAGS,
    run: async (argv) => (await import('../zone/import/main.ts')).main(argv),
  },
  'demo-exporter': {
    summary: 'a demo exporter serving node-exporter-like metrics (used by canopy up)',
    flags: async () => (await import('../topology/demo/exporter.ts')).DEMO_FLAGS,
    run: async (argv) => (await import('../topology/demo/exporter.ts')).main(argv),
  },
  'in-process': {
    summary: 'root and zones in one process on the in-process bus (used by canopy up without nats-server)',
    flags: async () => (await import('./in-process.ts')).IN_PROCESS_FLAGS,
    run: async (argv) => (await import('./in-process.ts')).main(argv),
  },
  version: {
    summary: 'print the version',
    run: async () => {
      console.log(`canopy ${CANOPY_VERSION} (node ${process.versions.node})`);
      return 0;
    },
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(16)}${c.summary}`);
  return `usage: canopy <command> [flags]\n\ncommands:\n${rows.join('\n')}\n\nRun 'canopy <command> --help' for a command's flags.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`canopy: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    const code = await cmd.run(rest);
    if (code === -1 && cmd.flags) {
      process.stdout.write(flagsHelp(name, cmd.summary, await cmd.flags()));
      return 0;
    }
    return code;
  } catch (e) {
    if (isCanopyError(e, 'config_invalid') || isCanopyError(e, 'flag_invalid')) {
      process.stderr.write(`canopy ${name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CanopyError) {
      process.stderr.write(`canopy ${name}: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`canopy ${name}: ${errorMessage(e)}\n${(e as Error)?.stack ?? ''}\n`);
    return 1;
  }
}
