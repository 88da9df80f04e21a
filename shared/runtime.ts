// Process-level V8 tuning shared by the components' mains (called once at start, never by code
// that runs inside another process's tests).
//
// V8's young generation ("new space", two semi-spaces) starts at 1 MB semi-spaces and doubles,
// up to --max-semi-space-size (16 MB by default), after scavenges in which more than its size
// survived. The maximum is fixed when the process starts, but the growth factor
// (--semi-space-growth-factor) is read at every resize, so a running process can stop the growth
// at any size it has reached. `getHeapSpaceStatistics()` reports the new space as both
// semi-spaces together.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

const MB = 1 << 20;

/**
 * Keeps the young generation at its initial 1 MB semi-spaces (the leaf: its garbage dies within a
 * scrape, and every MB counts against its RSS budget).
 */
export function pinYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Holds the young generation at `semiSpaceMb` MB semi-spaces, neither the 1 MB start (a query's
 * working set would be promoted and collected by full GCs) nor the 16 MB maximum (memory per
 * series). Grows it now, synchronously, by keeping short-lived arrays alive across scavenges
 * with the growth factor at 2, checking the size after every few KB so it stops exactly at the
 * target, then pins it. V8's memory reducer shrinks an idle process's new space back to 1 MB;
 * a timer grows it again once the process is busy again (event loop utilization over
 * `busyAbove` since the last check: regrowing an idle process every few seconds would cost it
 * a quarter of a percent of a core). Returns what stops the timer.
 */
export function holdYoungGeneration(semiSpaceMb: number, checkEveryMs = 10_000, busyAbove = 0.05): () => void {
  const target = 2 * semiSpaceMb * MB;
  growNewSpace(target);
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization > busyAbove;
    last = now;
    if (busy && newSpaceSize() < target) growNewSpace(target);
  }, checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The semi-space size the operator gave node (`--max-semi-space-size=N` on its command line or in
 * NODE_OPTIONS), if any: the zone then holds that size instead of its default.
 */
export function semiSpaceFromCommandLine(): number | undefined {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.replace(/_/g, '-');
    if (a.startsWith('--max-semi-space-size=')) return positive(a.slice('--max-semi-space-size='.length));
    if (a === '--max-semi-space-size') return positive(args[i + 1] ?? '');
  }
  return undefined;
}

function positive(s: string): number | undefined {
  const n = Number(s);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function newSpaceSize(): number {
  for (const s of getHeapSpaceStatistics()) if (s.space_name === 'new_space') return s.space_size;
  return 0;
}

function growNewSpace(target: number): void {
  setFlagsFromString('--semi-space-growth-factor=2');
  try {
    const live: unknown[][] = [];
    // Each round allocates a few KB (far less than a 1 MB semi-space), so at most one scavenge,
    // and so one resize, happens between two checks. The bound stops the loop when V8's maximum
    // is below the target.
    for (let rounds = 0, limit = target / 256; newSpaceSize() < target && rounds < limit; rounds++) {
      const a = new Array<unknown>(256);
      for (let i = 0; i < 256; i++) a[i] = { i };
      live.push(a);
      if (live.length > 32) live.shift();
    }
  } finally {
    setFlagsFromString('--semi-space-growth-factor=1');
  }
}
