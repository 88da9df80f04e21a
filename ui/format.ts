// Text shown to people: label sets, durations (Prometheus syntax, shared with the server), ages and times.
import { formatDurationMs, parseDurationMs } from '../shared/promql/duration.ts';

export function labelsText(metric: Record<string, string>, withName = true): string {
  const name = metric.__name__ ?? '';
  const pairs = Object.entries(metric)
    .filter(([k]) => k !== '__name__')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${withName ? name : ''}{${pairs.join(', ')}}`;
}

/** Parses a Prometheus duration ("1h", "1h30m") or seconds ("1.5"); undefined when malformed or zero. */
export function parseDuration(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) > 0 ? Math.round(Number(t) * 1000) : undefined;
  try {
    const ms = parseDurationMs(t);
    return ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

export function formatDuration(ms: number): string {
  return ms <= 0 ? '0s' : formatDurationMs(Math.round(ms));
}

/** Prometheus's end_input format: "2024-01-31 13:45:00" in UTC. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function parseUtc(s: string): number | undefined {
  const t = s.trim();
  if (!t) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t.replace(' ', 'T') : `${t.replace(' ', 'T')}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}
