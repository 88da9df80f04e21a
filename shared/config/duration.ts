// Durations and sizes as operators write them: Prometheus durations ("1h30m", "15s", "100ms",
// "2d", "1w", "1y"; a bare number means seconds) and byte sizes ("100MB", "512KiB", "1GB").
import { formatDurationMs, parseDurationMs as parsePromDurationMs } from '../promql/duration.ts';

/** Parses a duration into ms (Prometheus syntax, or a bare number of seconds); undefined when the text is not one. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  try {
    return parsePromDurationMs(s);
  } catch {
    return undefined;
  }
}

export { formatDurationMs };

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|K|M|G|T)?$/i;
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  mb: 1e6,
  m: 1e6,
  gb: 1e9,
  g: 1e9,
  tb: 1e12,
  t: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

export function parseSizeBytes(text: string): number | undefined {
  const m = SIZE_RE.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]!);
}
