// The notifier's alert: what rules (and POST /api/v2/alerts) hand in, keyed by fingerprint.
// An alert is resolved once endsAt is in the past. Fingerprints are Alertmanager's: FNV-1a 64
// over the label names and values sorted by name, each followed by the 0xff separator, printed
// as 16 hex digits.
export interface NotifierAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAtMs: number;
  endsAtMs: number;
  updatedAtMs: number;
  generatorURL: string;
  fingerprint: string;
  /** endsAt was set by the sender (false: the notifier applied resolve_timeout). */
  timeout: boolean;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

export function fingerprint(labels: Readonly<Record<string, string>>): string {
  let h = FNV_OFFSET;
  const enc = new TextEncoder();
  const add = (s: string): void => {
    for (const b of enc.encode(s)) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
    h = ((h ^ 0xffn) * FNV_PRIME) & MASK;
  };
  for (const k of Object.keys(labels).sort()) {
    add(k);
    add(labels[k]!);
  }
  return h.toString(16).padStart(16, '0');
}

export function isResolved(a: NotifierAlert, nowMs: number): boolean {
  return a.endsAtMs > 0 && a.endsAtMs <= nowMs;
}

export function iso(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString() : '0001-01-01T00:00:00Z';
}
