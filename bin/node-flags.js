// Node/V8 options each component runs with, given at process start (never resized at run time):
// the launcher (bin/canopy.js) starts the component's process with them, and tools that spawn
// components themselves (test harness, topology launcher, benches) pass nodeFlagsFor(command)
// on the node command line, so the launcher has nothing to add and runs the component in place.
//
// zone: the heap is mostly the head (large, long-lived), tuned the way Prometheus tunes GOGC.
//   --heap-growing-percent=20: the old generation grows 20 % of the live heap between full GCs
//     instead of several times it (RSS per series 7.4 → 6.1 KB at 50k series, bench:tsdb:prom).
//   --min/--max-semi-space-size=8: young generation fixed at 8 MB semi-spaces: at V8's 16 MB
//     maximum it costs ~400 B per series at 100k; at the 1 MB start a query's working set
//     survives its scavenges, is promoted and pays for full GCs (docs/benchmarks.md).
// leaf: --max-semi-space-size=1: the young generation stays at its 1 MB start (a scrape's garbage
//   dies young, and every MB counts against the leaf's RSS budget).
// An operator's own value for a flag (node command line or NODE_OPTIONS) wins over these.
//
// Environment, read by the C library at process start (so also given by the launcher; tools
// pass nodeEnvFor(command)):
// zone: MALLOC_ARENA_MAX=2: the compaction worker and libuv's pool threads (async brotli, file
//   I/O) each got a glibc malloc arena of their own, whose freed memory stays mapped: RSS per
//   series 8.7 KB -> 5.6 KB at 10k series on bench:tsdb:prom (docs/benchmarks.md). Two arenas:
//   the request thread's, and one the other threads share.
export const NODE_FLAGS = {
  zone: ['--heap-growing-percent=20', '--min-semi-space-size=8', '--max-semi-space-size=8'],
  leaf: ['--max-semi-space-size=1'],
};

export const NODE_ENV = {
  zone: { MALLOC_ARENA_MAX: '2' },
};

/** The environment variables for `canopy <command>` (none for other commands). */
export function nodeEnvFor(command) {
  return NODE_ENV[command] ?? {};
}

/** The variables of `command` the environment lacks (an operator's own value wins). */
export function missingNodeEnv(command, env = process.env) {
  return Object.fromEntries(Object.entries(nodeEnvFor(command)).filter(([k]) => env[k] === undefined));
}

/** The flags for `canopy <command>` (none for other commands). */
export function nodeFlagsFor(command) {
  return NODE_FLAGS[command] ?? [];
}

const flagName = (a) => a.split('=')[0].replace(/_/g, '-');

/**
 * The flags of `command` the running process lacks: neither given on its node command line
 * (`execArgv`) nor in NODE_OPTIONS, by flag name (so an operator's value wins).
 */
export function missingNodeFlags(
  command,
  execArgv = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
) {
  const given = new Set(
    [...execArgv, ...nodeOptions.split(/\s+/)].filter((a) => a.startsWith('--')).map(flagName),
  );
  return nodeFlagsFor(command).filter((f) => !given.has(flagName(f)));
}
