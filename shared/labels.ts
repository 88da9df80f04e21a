// Labels: a series identity. Invariant: a Labels value is sorted by name, names are unique,
// no value is empty (an empty value means "label absent", as in Prometheus).
export interface Label {
  readonly name: string;
  readonly value: string;
}
export type Labels = readonly Label[];

export const METRIC_NAME = '__name__';
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export const EMPTY_LABELS: Labels = Object.freeze([]);

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Builds sorted Labels from a record, dropping empty values. */
export function labelsFromRecord(r: Readonly<Record<string, string>>): Labels {
  const out: Label[] = [];
  for (const name of Object.keys(r)) {
    const value = r[name];
    if (value !== undefined && value !== '') out.push({ name, value });
  }
  return out.sort(byName);
}

/** Sorts (copy) and drops empty values; the last of duplicate names wins. */
export function normalizeLabels(ls: readonly Label[]): Labels {
  const m = new Map<string, string>();
  for (const l of ls) m.set(l.name, l.value);
  const out: Label[] = [];
  for (const [name, value] of m) if (value !== '') out.push({ name, value });
  return out.sort(byName);
}

export function labelsToRecord(ls: Labels): Record<string, string> {
  const r: Record<string, string> = {};
  for (const l of ls) r[l.name] = l.value;
  return r;
}

export function getLabel(ls: Labels, name: string): string {
  for (const l of ls) if (l.name === name) return l.value;
  return '';
}

export function metricName(ls: Labels): string {
  return getLabel(ls, METRIC_NAME);
}

/** A canonical string for maps and dedup: names and values joined with control separators. */
export function labelsKey(ls: Labels): string {
  // join() builds one flat string; `s +=` would build a rope of 4 string objects per label,
  // which stays a rope (several times the memory) wherever the key is kept in a map.
  const parts = new Array<string>(ls.length * 4);
  for (let i = 0, j = 0; i < ls.length; i++) {
    const l = ls[i]!;
    parts[j++] = l.name;
    parts[j++] = '\xff';
    parts[j++] = l.value;
    parts[j++] = '\xfe';
  }
  return parts.join('');
}

export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!,
      y = b[i]!;
    if (x === y) continue; // shared Label objects (the head's label cache)
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
    if (x.value !== y.value) return x.value < y.value ? -1 : 1;
  }
  return a.length - b.length;
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  return a.length === b.length && compareLabels(a, b) === 0;
}

/** Returns a copy with `name` set to `value` (removed when value is ''). */
export function withLabel(ls: Labels, name: string, value: string): Labels {
  const out = ls.filter((l) => l.name !== name);
  if (value !== '') out.push({ name, value });
  return out.sort(byName);
}

export function withoutLabels(ls: Labels, names: ReadonlySet<string>): Labels {
  return ls.filter((l) => !names.has(l.name));
}

/** Adds labels that are not already set (Prometheus external-label semantics). */
export function withDefaults(ls: Labels, defaults: Labels): Labels {
  if (defaults.length === 0) return ls;
  const have = new Set(ls.map((l) => l.name));
  const extra = defaults.filter((l) => !have.has(l.name));
  return extra.length === 0 ? ls : [...ls, ...extra].sort(byName);
}

/** Prometheus text form: name{a="1", b="2"} with escaped values. */
export function formatLabels(ls: Labels): string {
  const name = metricName(ls);
  const rest = ls.filter((l) => l.name !== METRIC_NAME);
  const inner = rest.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ');
  return rest.length === 0 && name ? name : `${name}{${inner}}`;
}
