// OTLP → Prometheus metric and label names, as the OpenTelemetry collector's Prometheus
// translator does it with its NormalizeName feature (pkg/translator/prometheus,
// normalize_name.go and normalize_label.go), which Prometheus's OTLP receiver follows:
//   - the name is split into tokens at every rune that is neither a letter nor a digit;
//   - the unit's main part (before '/') is mapped (s→seconds, By→bytes, …; unknown units are
//     kept, cleaned), and appended unless empty, containing '{…}' or already a name token;
//   - the unit's per part (after '/') is mapped (s→second, h→hour, …) and appended as
//     "per_<unit>" under the same conditions;
//   - monotonic sums get "total" (moved to the end if already a token); gauges with unit "1"
//     get "ratio" (likewise);
//   - tokens join with '_'; a leading digit gets a '_' prefix.
// Label names: every rune that is not a letter, digit or '_' becomes '_'; a leading digit gets
// "key_" and a leading single '_' gets "key" (so "_x" → "key_x"; "__x" stays).
// Go's unicode.IsLetter/IsDigit are approximated by \p{L} and \p{Nd}.

/** The kind of OTLP metric a name is built for (only monotonic sums and gauges differ). */
export type OtlpNameKind = 'gauge' | 'monotonic_sum' | 'sum' | 'histogram' | 'summary';

const UNIT: Readonly<Record<string, string>> = {
  // Time
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  // Bytes
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  // SI
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  // Misc
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
  $: 'dollars',
};

const PER_UNIT: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

const SEPARATORS = /[^\p{L}\p{Nd}]+/u;
const NOT_LABEL_RUNE = /[^\p{L}\p{Nd}_]/gu;
const LEADING_DIGIT = /^\p{Nd}/u;

function tokens(s: string): string[] {
  return s.split(SEPARATORS).filter((t) => t !== '');
}

/** The string's letter/digit runs joined with '_' (the translator's CleanUpString). */
export function cleanUpString(s: string): string {
  return tokens(s).join('_');
}

function mapped(table: Readonly<Record<string, string>>, unit: string): string {
  return Object.prototype.hasOwnProperty.call(table, unit) ? table[unit]! : unit;
}

function appendUnit(
  nameTokens: string[],
  unit: string,
  table: Readonly<Record<string, string>>,
  per: boolean,
): void {
  const u = unit.trim();
  if (u === '' || u.includes('{') || u.includes('}')) return;
  const prom = cleanUpString(mapped(table, u));
  if (prom === '' || nameTokens.includes(prom)) return;
  if (per) nameTokens.push('per');
  nameTokens.push(prom);
}

function moveToEnd(ts: string[], token: string): string[] {
  const out = ts.filter((t) => t !== token);
  out.push(token);
  return out;
}

/** The Prometheus metric name for an OTLP metric (namespace, if any, is prefixed as is). */
export function normalizeMetricName(name: string, unit: string, kind: OtlpNameKind, namespace = ''): string {
  let ts = tokens(name);
  const slash = unit.indexOf('/');
  const main = slash < 0 ? unit : unit.slice(0, slash);
  appendUnit(ts, main, UNIT, false);
  if (slash >= 0 && unit.length > slash + 1) appendUnit(ts, unit.slice(slash + 1), PER_UNIT, true);
  if (kind === 'monotonic_sum') ts = moveToEnd(ts, 'total');
  if (unit === '1' && kind === 'gauge') ts = moveToEnd(ts, 'ratio');
  if (namespace !== '') ts.unshift(namespace);
  const out = ts.join('_');
  return LEADING_DIGIT.test(out) ? `_${out}` : out;
}

/** The Prometheus label name for an OTLP attribute key. */
export function normalizeLabelName(key: string): string {
  if (key === '') return key;
  const s = key.replace(NOT_LABEL_RUNE, '_');
  if (LEADING_DIGIT.test(s)) return `key_${s}`;
  if (s.startsWith('_') && !s.startsWith('__')) return `key${s}`;
  return s;
}
