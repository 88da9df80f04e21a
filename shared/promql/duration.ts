// Prometheus duration strings (model.ParseDuration / model.Duration.String): units y w d h m s ms,
// largest first, each at most once; a year is 365 days.

const UNITS: [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses a duration to ms; throws Error("not a valid duration string: ...") on bad input. */
export function parseDurationMs(s: string): number {
  if (s === '0') return 0;
  const m = DURATION_RE.exec(s);
  if (s === '' || !m) throw new Error(`not a valid duration string: ${JSON.stringify(s)}`);
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const g = m[i + 1];
    if (g !== undefined) ms += Number(g) * UNITS[i]![1];
  }
  if (!Number.isSafeInteger(ms)) throw new Error(`duration out of range`);
  return ms;
}

export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  let out = '';
  let rest = ms;
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
