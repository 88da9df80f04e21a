// Parser for the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text.
//
// Grammar (one construct per line, lines separated by '\n'; a trailing '\r' is tolerated):
//   line     = comment | sample | blank
//   comment  = "#" ws ( "HELP" ws name ws text | "TYPE" ws name ws type | "UNIT" ws name ws text
//                      | "EOF" | any )                      -- other comments are ignored
//   sample   = name ws* [ "{" [ label { "," label } [","] ] "}" ] ws value [ ws timestamp ]
//              [ ws "#" ws exemplar ]                       -- exemplars are skipped
//   label    = lname ws* "=" ws* '"' escaped '"'           -- escapes: \\  \"  \n
//   name     = [a-zA-Z_:][a-zA-Z0-9_:]*     lname = [a-zA-Z_][a-zA-Z0-9_]*
//   value    = Go-ParseFloat float | NaN | [+-]Inf (case-insensitive)
//   timestamp= text 0.0.4: integer milliseconds; OpenMetrics: float seconds
// OpenMetrics additionally: types counter|gauge|histogram|gaugehistogram|summary|stateset|info|
// unknown; counters expose `<family>_total`; the input must end with "# EOF" and nothing may
// follow it; blank lines are errors (as in Prometheus's OpenMetrics parser).
//
// Output invariants: every sample's labels are sorted, include `__name__`, have unique names and
// no empty values (an empty label value means "absent", so it is dropped). `_created` samples
// (OpenMetrics creation timestamps of counters, histograms and summaries) are not emitted as
// series — Prometheus 2.x skips them by default too.
//
// Error policy (follows Prometheus, which fails the whole scrape on a syntax error): parsing
// stops at the first malformed line; `errors` holds "line N: …" for it and `samples` holds
// everything valid before it. Callers (the scrape loop) treat any error as a failed scrape.
// Never throws.
import { METRIC_NAME, metricName, type Label, type Labels } from './labels.ts';

/** Accept header sent by scrapes, in Prometheus's order of preference. */
export const SCRAPE_ACCEPT_HEADER =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
  'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'stateset'
  | 'info'
  | 'unknown'
  | 'untyped';

export interface MetricMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

export interface ExpositionSample {
  labels: Labels;
  tMs: number;
  value: number;
}

export interface ExpositionResult {
  samples: ExpositionSample[];
  metadata: Map<string, MetricMetadata>;
  errors: string[];
  /** The input held "# EOF" (OpenMetrics). */
  eof: boolean;
  /** Lines read (for parsing in pieces). */
  lines: number;
}

const TEXT_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES = new Set([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'stateset',
  'info',
  'unknown',
]);
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;

export function isOpenMetrics(contentType: string): boolean {
  return contentType.toLowerCase().includes('application/openmetrics-text');
}

/** Parses a float the way Go's strconv.ParseFloat does for exposition values (decimal forms); undefined on failure. */
export function parseExpositionFloat(s: string): number | undefined {
  if (s.length === 0) return undefined;
  const c = s.charCodeAt(0);
  if (
    (c >= 48 && c <= 57) ||
    c === 46 ||
    ((c === 43 || c === 45) && s.length > 1 && (s.charCodeAt(1) <= 57 || s.charCodeAt(1) === 46))
  ) {
    return FLOAT_RE.test(s) ? Number(s) : undefined;
  }
  switch (s.toLowerCase()) {
    case 'nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
  }
  return undefined;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

class LineError extends Error {}

/** Cursor over one line [pos, end) of the input. */
class Cursor {
  text = '';
  pos = 0;
  end = 0;

  skipBlanks(): void {
    while (this.pos < this.end && isBlank(this.text.charCodeAt(this.pos))) this.pos++;
  }
  atEnd(): boolean {
    return this.pos >= this.end;
  }
  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }
  /** Reads a metric name (allowColon) or label name. */
  name(allowColon: boolean, what: string): string {
    const start = this.pos;
    const t = this.text;
    let c = this.peek();
    if (!(isNameStart(c) && (allowColon || c !== 58)))
      throw new LineError(`expected ${what}, got ${this.describe()}`);
    this.pos++;
    while (this.pos < this.end) {
      c = t.charCodeAt(this.pos);
      if (!isNameChar(c) || (!allowColon && c === 58)) break;
      this.pos++;
    }
    return t.slice(start, this.pos);
  }
  /** Reads a non-blank token. */
  token(): string {
    const start = this.pos;
    while (this.pos < this.end && !isBlank(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }
  rest(): string {
    const s = this.text.slice(this.pos, this.end);
    this.pos = this.end;
    return s;
  }
  quoted(): string {
    if (this.peek() !== 34)
      throw new LineError(`expected '"' to start a label value, got ${this.describe()}`);
    this.pos++;
    const t = this.text;
    let start = this.pos;
    let out = '';
    while (this.pos < this.end) {
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        out += t.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c === 92) {
        out += t.slice(start, this.pos);
        const n = this.pos + 1 < this.end ? t.charCodeAt(this.pos + 1) : -1;
        if (n === 92) out += '\\';
        else if (n === 34) out += '"';
        else if (n === 110) out += '\n';
        else
          throw new LineError(
            `invalid escape sequence '\\${n < 0 ? '' : String.fromCharCode(n)}' in label value`,
          );
        this.pos += 2;
        start = this.pos;
        continue;
      }
      this.pos++;
    }
    throw new LineError('unterminated label value');
  }
  describe(): string {
    return this.atEnd() ? 'end of line' : JSON.stringify(this.text[this.pos]);
  }
}

function unescapeHelp(s: string, om: boolean): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/g, (m, ch: string) =>
    ch === 'n' ? '\n' : ch === '\\' ? '\\' : om && ch === '"' ? '"' : m,
  );
}

/** Family a sample name belongs to, given the TYPE lines seen. */
function familyOf(name: string, metadata: Map<string, MetricMetadata>): { family: string; suffix: string } {
  if (metadata.has(name)) return { family: name, suffix: '' };
  for (const suffix of ['_total', '_bucket', '_count', '_sum', '_created', '_gcount', '_gsum', '_info']) {
    if (name.endsWith(suffix)) {
      const f = name.slice(0, -suffix.length);
      if (metadata.has(f)) return { family: f, suffix };
    }
  }
  return { family: name, suffix: '' };
}

export interface ParseOptions {
  /**
   * Series text (`name{…}` exactly as written) → parsed Labels, shared across scrapes of one
   * target: a hit skips label parsing and reuses the Labels object (the scrape loop keeps only
   * the entries seen in the latest scrape). Prometheus's scrape cache does the same.
   */
  seriesCache?: Map<string, Labels>;
  /**
   * For input parsed in pieces split at line ends (a backfill file): metadata carried from the
   * earlier pieces, the number of lines before this piece (for error line numbers), and
   * `more: true` on every piece but the last (a missing "# EOF" is then not yet an error).
   */
  metadata?: Map<string, MetricMetadata>;
  linesBefore?: number;
  more?: boolean;
}

export function parseExposition(
  text: string,
  contentType: string,
  defaultTMs: number,
  opts: ParseOptions = {},
): ExpositionResult {
  const om = isOpenMetrics(contentType);
  const samples: ExpositionSample[] = [];
  const metadata = opts.metadata ?? new Map<string, MetricMetadata>();
  const errors: string[] = [];
  const cur = new Cursor();
  cur.text = text;
  const n = text.length;
  let lineNo = opts.linesBefore ?? 0;
  let pos = 0;
  let sawEOF = false;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    lineNo++;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    cur.pos = pos;
    cur.end = lineEnd;
    const next = end + 1;
    try {
      if (sawEOF) throw new LineError('unexpected content after "# EOF"');
      cur.skipBlanks();
      if (cur.atEnd()) {
        if (om) throw new LineError('blank lines are not allowed in OpenMetrics');
      } else if (cur.peek() === 35) {
        if (parseComment(cur, om, metadata)) sawEOF = true;
      } else {
        parseSample(cur, om, defaultTMs, samples, metadata, opts.seriesCache);
      }
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      errors.push(`line ${lineNo}: ${e.message}`);
      return { samples, metadata, errors, eof: sawEOF, lines: lineNo };
    }
    pos = next;
  }
  if (om && !sawEOF && !opts.more) errors.push(`line ${lineNo}: data does not end with "# EOF"`);
  return { samples, metadata, errors, eof: sawEOF, lines: lineNo };
}

/** Returns true for "# EOF". */
function parseComment(cur: Cursor, om: boolean, metadata: Map<string, MetricMetadata>): boolean {
  cur.pos++; // '#'
  const hadBlank = isBlank(cur.peek());
  cur.skipBlanks();
  const word = cur.token();
  if (om && word === 'EOF' && hadBlank) {
    cur.skipBlanks();
    if (!cur.atEnd()) throw new LineError('unexpected text after "# EOF"');
    return true;
  }
  if (!hadBlank || (word !== 'HELP' && word !== 'TYPE' && word !== 'UNIT') || (word === 'UNIT' && !om)) {
    if (om)
      throw new LineError(`invalid comment line (OpenMetrics allows only # HELP, # TYPE, # UNIT, # EOF)`);
    return false; // plain comment in the text format
  }
  if (!isBlank(cur.peek())) throw new LineError(`expected a metric name after "# ${word}"`);
  cur.skipBlanks();
  const name = cur.name(true, 'metric name');
  let arg = '';
  if (!cur.atEnd()) {
    if (!isBlank(cur.peek())) throw new LineError(`invalid character in metric name: ${cur.describe()}`);
    cur.pos++;
    if (word !== 'HELP') cur.skipBlanks();
    arg = cur.rest();
    if (word !== 'HELP') arg = arg.trimEnd();
  }
  let md = metadata.get(name);
  if (!md) {
    md = { type: om ? 'unknown' : 'untyped', help: '', unit: '' };
    metadata.set(name, md);
  }
  if (word === 'TYPE') {
    const t = arg.toLowerCase();
    if (!(om ? OM_TYPES : TEXT_TYPES).has(om ? arg : t))
      throw new LineError(`invalid metric type ${JSON.stringify(arg)}`);
    md.type = (om ? arg : t) as MetricType;
  } else if (word === 'HELP') md.help = unescapeHelp(arg, om);
  else {
    if (om && arg !== '' && !name.endsWith('_' + arg))
      throw new LineError(`unit ${JSON.stringify(arg)} is not a suffix of metric ${JSON.stringify(name)}`);
    md.unit = arg;
  }
  return false;
}

/**
 * End (exclusive) of the series text `name` or `name{…}` starting at `start`, found by a quick
 * scan that honours quoted label values; -1 when it is malformed (the full parser reports why).
 */
function seriesEnd(t: string, start: number, end: number, om: boolean): number {
  let i = start;
  while (i < end && isNameChar(t.charCodeAt(i))) i++;
  let j = i;
  if (!om) while (j < end && isBlank(t.charCodeAt(j))) j++;
  if (j >= end || t.charCodeAt(j) !== 123) return i;
  for (let k = j + 1; k < end; k++) {
    const c = t.charCodeAt(k);
    if (c === 125) return k + 1;
    if (c === 34) {
      for (k++; k < end; k++) {
        const q = t.charCodeAt(k);
        if (q === 92) k++;
        else if (q === 34) break;
      }
    }
  }
  return -1;
}

/**
 * A copy of `s` that does not keep the whole scrape body alive (V8 slices of ≥13 chars point
 * into their parent string); used for strings that outlive the parse in the series cache.
 */
function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function parseSeries(cur: Cursor, om: boolean, keep: boolean): Labels {
  let name = cur.name(true, 'metric name');
  if (keep) name = detach(name);
  let labels: Label[] = [{ name: METRIC_NAME, value: name }];
  let empties = 0;
  const afterName = cur.pos;
  if (!om) cur.skipBlanks(); // the text format allows `name {…}`
  if (cur.peek() === 123) {
    cur.pos++;
    const first = labels.length;
    for (;;) {
      cur.skipBlanks();
      if (cur.peek() === 125) break;
      const lname = cur.name(false, 'label name');
      if (lname === METRIC_NAME) throw new LineError(`duplicate label name ${JSON.stringify(lname)}`);
      for (let i = first; i < labels.length; i++)
        if (labels[i]!.name === lname) throw new LineError(`duplicate label name ${JSON.stringify(lname)}`);
      cur.skipBlanks();
      if (cur.peek() !== 61)
        throw new LineError(`expected '=' after label name ${JSON.stringify(lname)}, got ${cur.describe()}`);
      cur.pos++;
      cur.skipBlanks();
      const v = cur.quoted();
      // empty values stay until the duplicate check is done, then go (empty means absent)
      labels.push(keep && v !== '' ? { name: detach(lname), value: detach(v) } : { name: lname, value: v });
      if (v === '') empties++;
      cur.skipBlanks();
      const c = cur.peek();
      if (c === 44) {
        cur.pos++;
        continue;
      }
      if (c === 125) break;
      throw new LineError(`expected ',' or '}' after label value, got ${cur.describe()}`);
    }
    cur.pos++; // '}'
  } else if (cur.pos > afterName) cur.pos = afterName; // blanks before the value: re-checked below
  if (empties > 0) labels = labels.filter((l) => l.value !== '');
  if (labels.length > 2) labels.sort(byName);
  else if (labels.length === 2 && labels[1]!.name < METRIC_NAME) labels.reverse();
  return labels;
}

function parseSample(
  cur: Cursor,
  om: boolean,
  defaultTMs: number,
  out: ExpositionSample[],
  metadata: Map<string, MetricMetadata>,
  cache: Map<string, Labels> | undefined,
): void {
  let labels: Labels | undefined;
  if (cache !== undefined) {
    const start = cur.pos;
    const end = seriesEnd(cur.text, start, cur.end, om);
    if (end > start) {
      const key = cur.text.slice(start, end);
      labels = cache.get(key);
      if (labels !== undefined) cur.pos = end;
      else {
        labels = parseSeries(cur, om, true);
        if (cur.pos === end) cache.set(detach(key), labels);
      }
    }
  }
  if (labels === undefined) labels = parseSeries(cur, om, false);
  if (!isBlank(cur.peek()))
    throw new LineError(
      cur.atEnd()
        ? 'expected a value after the series'
        : `invalid character after the series: ${cur.describe()}`,
    );
  cur.skipBlanks();
  const vs = cur.token();
  const value = parseExpositionFloat(vs);
  if (value === undefined) throw new LineError(`invalid value ${JSON.stringify(vs)}`);
  let tMs = defaultTMs;
  cur.skipBlanks();
  if (!cur.atEnd() && cur.peek() !== 35) {
    const ts = cur.token();
    if (om) {
      const sec = parseExpositionFloat(ts);
      if (sec === undefined || !Number.isFinite(sec))
        throw new LineError(`invalid timestamp ${JSON.stringify(ts)}`);
      tMs = Math.trunc(sec * 1000); // as Prometheus: int64(ts * 1000)
    } else {
      if (!INT_RE.test(ts)) throw new LineError(`invalid timestamp ${JSON.stringify(ts)}`);
      tMs = Number(ts);
      if (!Number.isSafeInteger(tMs)) throw new LineError(`timestamp ${ts} out of range`);
    }
    cur.skipBlanks();
  }
  if (!cur.atEnd()) {
    if (cur.peek() !== 35) throw new LineError(`unexpected text after the value: ${cur.describe()}`);
    // exemplar: "# {labels} value [timestamp]" — validated loosely, then skipped
    cur.pos++;
    cur.skipBlanks();
    if (cur.peek() !== 123) throw new LineError('expected an exemplar label set after "#"');
  }
  const name = om ? metricName(labels) : '';
  if (name.endsWith('_created')) {
    const { suffix, family } = familyOf(name, metadata);
    const t = metadata.get(family)?.type;
    if (
      suffix === '_created' &&
      (t === 'counter' || t === 'histogram' || t === 'summary' || t === 'gaugehistogram')
    )
      return;
  }
  out.push({ labels, tMs, value });
}
