// Query limits shared by the zone and the root (Prometheus's --query.* flags): the config
// file's `query:` section and the flags, parsed once at start into EngineOptions.
//   query:
//     timeout: 2m            # --query.timeout (also the older top-level query_timeout)
//     max_samples: 50000000  # --query.max-samples
//     max_concurrency: 20    # --query.max-concurrency (0 = unlimited)
//     max_series: 1000000    # --query.max-series (0 = unlimited)
//     max_memory: 512MiB     # --query.max-memory (0 = unlimited)
//     max_subquery_steps: 300000  # --query.max-subquery-steps (0 = unlimited)
import { CanopyError } from '../errors.ts';
import { ConfigReader } from './reader.ts';
import type { FlagSpec, FlagValues } from './flags.ts';

export interface QueryLimits {
  timeoutMs: number;
  maxSamples: number;
  maxConcurrency: number;
  maxSeries: number;
  maxMemoryBytes: number;
  maxSubquerySteps: number;
}

export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = {
  timeoutMs: 120_000,
  maxSamples: 50_000_000,
  maxConcurrency: 20,
  maxSeries: 1_000_000,
  maxMemoryBytes: 512 * 1024 * 1024,
  maxSubquerySteps: 300_000,
};

export const QUERY_LIMIT_FLAGS: Record<string, FlagSpec> = {
  'query.timeout': {
    type: 'string',
    arg: 'DURATION',
    help: 'maximum time a query may take, queue included (default 2m)',
  },
  'query.max-samples': {
    type: 'string',
    arg: 'N',
    help: 'samples one query may hold in memory (default 50000000)',
  },
  'query.max-concurrency': {
    type: 'string',
    arg: 'N',
    help: 'queries evaluated at once, the rest wait in a queue (default 20, 0 = unlimited)',
  },
  'query.max-series': {
    type: 'string',
    arg: 'N',
    help: 'series one query may select and return (default 1000000, 0 = unlimited)',
  },
  'query.max-memory': {
    type: 'string',
    arg: 'SIZE',
    help: 'estimated memory one query may hold for values (default 512MiB, 0 = unlimited)',
  },
  'query.max-subquery-steps': {
    type: 'string',
    arg: 'N',
    help: 'steps of one subquery, range / step (default 300000, 0 = unlimited)',
  },
};

/** Reads the `query` section (and the legacy top-level `query_timeout`) of a config file. */
export function readQueryLimits(r: ConfigReader): QueryLimits {
  const legacyTimeout = r.durationMs('query_timeout', DEFAULT_QUERY_LIMITS.timeoutMs, { min: 1 });
  const q = r.object('query');
  const out: QueryLimits = {
    timeoutMs: q.durationMs('timeout', legacyTimeout, { min: 1 }),
    maxSamples: q.number('max_samples', DEFAULT_QUERY_LIMITS.maxSamples, { min: 1, integer: true }),
    maxConcurrency: q.number('max_concurrency', DEFAULT_QUERY_LIMITS.maxConcurrency, {
      min: 0,
      integer: true,
    }),
    maxSeries: q.number('max_series', DEFAULT_QUERY_LIMITS.maxSeries, { min: 0, integer: true }),
    maxMemoryBytes: q.sizeBytes('max_memory', DEFAULT_QUERY_LIMITS.maxMemoryBytes),
    maxSubquerySteps: q.number('max_subquery_steps', DEFAULT_QUERY_LIMITS.maxSubquerySteps, {
      min: 0,
      integer: true,
    }),
  };
  q.done();
  return out;
}

/** Applies the --query.* flags over `base`; a bad value is CanopyError('flag_invalid'). */
export function applyQueryLimitFlags(base: QueryLimits, f: FlagValues, command: string): QueryLimits {
  const out = { ...base };
  const get = (name: string): string | undefined => f[name] as string | undefined;
  const reader = (name: string, v: unknown): ConfigReader =>
    new ConfigReader(`canopy ${command}: flag --${name}`, { v });
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw new CanopyError('flag_invalid', (e as Error).message.replace(/: key "v"/, ''), { cause: e });
    }
  };
  const int = (name: string, min: number): number | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    return wrap(() =>
      reader(name, /^\d+$/.test(v) ? Number(v) : v).number('v', undefined, { min, integer: true }),
    );
  };
  const t = get('query.timeout');
  if (t !== undefined) out.timeoutMs = wrap(() => reader('query.timeout', t).durationMs('v', 0, { min: 1 }));
  out.maxSamples = int('query.max-samples', 1) ?? out.maxSamples;
  out.maxConcurrency = int('query.max-concurrency', 0) ?? out.maxConcurrency;
  out.maxSeries = int('query.max-series', 0) ?? out.maxSeries;
  out.maxSubquerySteps = int('query.max-subquery-steps', 0) ?? out.maxSubquerySteps;
  const m = get('query.max-memory');
  if (m !== undefined)
    out.maxMemoryBytes = wrap(() =>
      reader('query.max-memory', /^\d+$/.test(m) ? Number(m) : m).sizeBytes('v', 0),
    );
  return out;
}
