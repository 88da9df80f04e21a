// Parsing the Prometheus HTTP API's parameters with Prometheus's rules and error messages:
// times as RFC 3339 or Unix seconds (fractions allowed), steps and timeouts as durations or
// float seconds.
import { CanopyError } from '../errors.ts';
import { parseDurationMs } from '../config/duration.ts';

/** Prometheus's min/max time sentinels for absent start/end on metadata endpoints. */
export const MIN_TIME_MS = -9223372036854776 + 1;
export const MAX_TIME_MS = 9223372036854776 - 1;

function badParam(name: string, msg: string): CanopyError {
  return new CanopyError('bad_data', `invalid parameter "${name}": ${msg}`);
}

export function parseTimeMs(text: string): number | undefined {
  const s = text.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const secs = Number(s);
    if (!Number.isFinite(secs)) return undefined;
    return Math.round(secs * 1000);
  }
  if (/^\d{4}-\d\d-\d\dT/.test(s)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

export function timeParam(params: URLSearchParams, name: string, def: number): number {
  const v = params.get(name);
  if (v === null || v === '') return def;
  const ms = parseTimeMs(v);
  if (ms === undefined) throw badParam(name, `cannot parse "${v}" to a valid timestamp`);
  return ms;
}

/**
 * A start/end of the metadata endpoints and exemplars: Prometheus 2.42's parseTimeParam words
 * its error "Invalid time value for '<name>': …" inside the usual invalid-parameter text.
 */
export function rangeTimeParam(params: URLSearchParams, name: string, def: number): number {
  const v = params.get(name);
  if (v === null || v === '') return def;
  const ms = parseTimeMs(v);
  if (ms === undefined)
    throw badParam(name, `Invalid time value for '${name}': cannot parse "${v}" to a valid timestamp`);
  return ms;
}

/** Metadata's limit as 2.42 reads it (strconv.Atoi): negative means none, 0 an empty answer. */
export function metadataLimitParam(params: URLSearchParams): number | undefined {
  const v = params.get('limit');
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw new CanopyError('bad_data', 'limit must be a number');
  const n = Number(v);
  return n < 0 ? undefined : n;
}

export function durationParam(params: URLSearchParams, name: string): number | undefined {
  const v = params.get(name);
  if (v === null || v === '') return undefined;
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v)) {
    const secs = Number(v);
    if (!Number.isFinite(secs))
      throw badParam(name, `cannot parse "${v}" to a valid duration. It overflows int64`);
    return Math.round(secs * 1000);
  }
  const ms = parseDurationMs(v);
  if (ms === undefined) throw badParam(name, `cannot parse "${v}" to a valid duration`);
  return ms;
}

/**
 * Thanos's max_source_resolution: `auto` (default: the step / 5), `raw` or a duration (`0s`,
 * `5m`, `1h`): the coarsest rollup resolution the query may read, ms.
 */
export function maxSourceResolutionParam(params: URLSearchParams): number | 'auto' {
  const v = params.get('max_source_resolution');
  if (v === null || v === '' || v === 'auto') return 'auto';
  if (v === 'raw') return 0;
  const ms = durationParam(params, 'max_source_resolution');
  if (ms === undefined || ms < 0)
    throw badParam('max_source_resolution', `cannot parse "${v}": want auto, raw or a non-negative duration`);
  return ms;
}

/** max_source_resolution as a fragment carries it (QueryRequest.max_source_resolution). */
export function maxSourceResolutionText(v: number | 'auto' | undefined): string {
  return v === undefined || v === 'auto' ? '' : v === 0 ? 'raw' : `${v}ms`;
}

/** Parses QueryRequest.max_source_resolution ("" = auto). */
export function maxSourceResolutionFromText(text: string): number | 'auto' {
  return maxSourceResolutionParam(new URLSearchParams({ max_source_resolution: text }));
}

export function limitParam(params: URLSearchParams): number | undefined {
  const v = params.get('limit');
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new CanopyError(
      'bad_data',
      `invalid parameter "limit": cannot parse "${v}": must be a non-negative integer`,
    );
  return n === 0 ? undefined : n;
}
