// The Prometheus HTTP API (query, query_range, series, labels, label values, metadata, status
// and the endpoints Grafana's Prometheus data source calls on connect), served identically by
// a zone and by the root over a PromApiBackend. Response shapes, errorTypes and status codes
// are Prometheus's: 400 bad_data, 422 execution, 503 timeout/canceled/unavailable, 500 internal.
import { CanopyError, isCanopyError } from '../errors.ts';
import { LABEL_NAME_RE, type Labels } from '../labels.ts';
import type { QueryResult } from '../value.ts';
import { json, type HttpRequest, type HttpResponse, type HttpServer } from '../http/server.ts';
import { apiError, apiErrorResponse } from '../http/api-error.ts';
import { formatQueryData, formatSeries } from './format.ts';
import { tenantFromHeaders } from '../tenant.ts';
import {
  durationParam,
  limitParam,
  maxSourceResolutionParam,
  MAX_TIME_MS,
  metadataLimitParam,
  MIN_TIME_MS,
  rangeTimeParam,
  timeParam,
} from './params.ts';
import { formatExpr, parseExpr } from '../promql/index.ts';

export interface QueryOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** Thanos's switch: false turns a missing zone into an error instead of a warning. */
  partialResponse: boolean;
  /** The tenant (X-Scope-OrgID) whose data the request reads; absent means anonymous. */
  tenant?: string;
  /** Coarsest rollup resolution to read, ms, or 'auto' (step / 5); unset = 'auto'. */
  maxSourceResolution?: number | 'auto';
}

export interface MetricMetadata {
  type: string;
  help: string;
  unit: string;
}

export interface Listing<T> {
  data: T;
  warnings: string[];
}

export interface PromApiBackend {
  query(expr: string, tMs: number, opts: QueryOptions): Promise<QueryResult>;
  queryRange(
    expr: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions,
  ): Promise<QueryResult>;
  /** selectors: match[] values, PromQL series selectors (may be empty for labels/values). */
  series(
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    opts: QueryOptions,
  ): Promise<Listing<Labels[]>>;
  labelNames(
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    opts: QueryOptions,
  ): Promise<Listing<string[]>>;
  labelValues(
    name: string,
    selectors: string[],
    startMs: number,
    endMs: number,
    limit: number | undefined,
    opts: QueryOptions,
  ): Promise<Listing<string[]>>;
  metadata(
    metric: string | undefined,
    limit: number | undefined,
    opts: QueryOptions,
  ): Promise<Listing<Record<string, MetricMetadata[]>>>;
}

export interface PromApiOptions {
  defaultTimeoutMs: number;
  /** Prometheus's limit on points per series in a range query. */
  maxPointsPerSeries?: number;
  buildInfo: Record<string, string>;
  /** Flags/config shown by the status endpoints. */
  flags?: Record<string, string>;
  configYaml?: string;
  now?: () => number;
  /** Extra routes' owners may add; the default for alerts/rules is an empty list. */
  rules?: (tenant: string) => Promise<unknown>;
  alerts?: (tenant: string) => Promise<unknown>;
}

// apiError lives in shared/http/api-error.ts (every tier's error bodies); re-exported here.
export { apiError } from '../http/api-error.ts';

/** "raw", "5m", "1h" (or a duration) for a resolution in ms. */
export function formatResolution(ms: number): string {
  if (ms === 0) return 'raw';
  if (ms % 3600_000 === 0) return `${ms / 3600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/**
 * Adds `resolution` (the coarsest rollup resolution the answer read: "raw", "5m", "1h") to a
 * query's data when the query was allowed to read rollups; Prometheus-shaped otherwise.
 */
function withResolution(data: unknown, res: QueryResult): unknown {
  if (!res.resolution || res.resolution.maxMs <= 0) return data;
  return { ...(data as Record<string, unknown>), resolution: formatResolution(res.resolution.usedMs) };
}

export function apiSuccess(data: unknown, warnings: readonly string[] = []): HttpResponse {
  const body: Record<string, unknown> = { status: 'success', data };
  if (warnings.length > 0) body.warnings = warnings;
  return json(200, body);
}

function partialResponseParam(params: URLSearchParams): boolean {
  const v = params.get('partial_response');
  return v === null || v === '' ? true : v !== 'false' && v !== '0';
}

export function mountPromApi(server: HttpServer, backend: PromApiBackend, opts: PromApiOptions): void {
  const now = opts.now ?? Date.now;
  const maxPoints = opts.maxPointsPerSeries ?? 11_000;
  const queryOpts = (req: HttpRequest): QueryOptions => {
    const t = durationParam(req.params, 'timeout');
    return {
      // Prometheus: `timeout` shortens the query's deadline (0: timed out in the queue), never lengthens it.
      timeoutMs: t !== undefined ? Math.max(0, Math.min(t, opts.defaultTimeoutMs)) : opts.defaultTimeoutMs,
      signal: req.signal,
      partialResponse: partialResponseParam(req.params),
      tenant: tenantFromHeaders(req.headers),
      maxSourceResolution: maxSourceResolutionParam(req.params),
    };
  };
  const handle = (fn: (req: HttpRequest) => Promise<HttpResponse>) => async (req: HttpRequest) => {
    try {
      return await fn(req);
    } catch (e) {
      return apiError(e);
    }
  };
  const both = ['GET', 'POST'] as const;

  server.route(
    both,
    '/api/v1/query',
    handle(async (req) => {
      const query = req.params.get('query') ?? '';
      const t = timeParam(req.params, 'time', now());
      let res: QueryResult;
      try {
        res = await backend.query(query, t, queryOpts(req));
      } catch (e) {
        // Prometheus 2.42 reports an instant query's parse error as a bad "query" parameter.
        if (isCanopyError(e, 'parse_error'))
          throw new CanopyError('bad_data', `invalid parameter "query": ${e.message}`, { cause: e });
        throw e;
      }
      return apiSuccess(withResolution(formatQueryData(res.value), res), res.warnings);
    }),
  );

  server.route(
    both,
    '/api/v1/query_range',
    handle(async (req) => {
      const p = req.params;
      const query = p.get('query') ?? '';
      if (p.get('start') === null)
        throw new CanopyError('bad_data', 'invalid parameter "start": cannot parse "" to a valid timestamp');
      if (p.get('end') === null)
        throw new CanopyError('bad_data', 'invalid parameter "end": cannot parse "" to a valid timestamp');
      const start = timeParam(p, 'start', 0);
      const end = timeParam(p, 'end', 0);
      if (end < start)
        throw new CanopyError(
          'bad_data',
          'invalid parameter "end": end timestamp must not be before start time',
        );
      const step = durationParam(p, 'step');
      if (step === undefined)
        throw new CanopyError('bad_data', 'invalid parameter "step": cannot parse "" to a valid duration');
      if (step <= 0)
        throw new CanopyError(
          'bad_data',
          'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
        );
      if ((end - start) / step > maxPoints) {
        throw new CanopyError(
          'bad_data',
          `exceeded maximum resolution of ${maxPoints.toLocaleString('en-US')} points per timeseries. Try decreasing the query resolution (?step=XX)`,
        );
      }
      const res = await backend.queryRange(query, start, end, step, queryOpts(req));
      return apiSuccess(withResolution(formatQueryData(res.value), res), res.warnings);
    }),
  );

  const range = (p: URLSearchParams): [number, number] => [
    rangeTimeParam(p, 'start', MIN_TIME_MS),
    rangeTimeParam(p, 'end', MAX_TIME_MS),
  ];

  server.route(
    both,
    '/api/v1/series',
    handle(async (req) => {
      const sel = req.params.getAll('match[]');
      if (sel.length === 0) throw new CanopyError('bad_data', 'no match[] parameter provided');
      const [s, e] = range(req.params);
      const r = await backend.series(sel, s, e, limitParam(req.params), queryOpts(req));
      return apiSuccess(formatSeries(r.data), r.warnings);
    }),
  );

  server.route(
    both,
    '/api/v1/labels',
    handle(async (req) => {
      const [s, e] = range(req.params);
      const r = await backend.labelNames(
        req.params.getAll('match[]'),
        s,
        e,
        limitParam(req.params),
        queryOpts(req),
      );
      return apiSuccess(r.data, r.warnings);
    }),
  );

  server.get(
    '/api/v1/label/*',
    handle(async (req) => {
      const m = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(req.path);
      if (!m) return apiErrorResponse(404, 'not_found', 'not found');
      let name = decodeURIComponent(m[1]!);
      if (name.startsWith('U__')) name = decodeUtf8Escapes(name);
      if (!LABEL_NAME_RE.test(name)) throw new CanopyError('bad_data', `invalid label name: "${name}"`);
      const [s, e] = range(req.params);
      const r = await backend.labelValues(
        name,
        req.params.getAll('match[]'),
        s,
        e,
        limitParam(req.params),
        queryOpts(req),
      );
      return apiSuccess(r.data, r.warnings);
    }),
  );

  server.get(
    '/api/v1/metadata',
    handle(async (req) => {
      const metric = req.params.get('metric') || undefined;
      const limit = metadataLimitParam(req.params);
      if (limit === 0) return apiSuccess({});
      const r = await backend.metadata(metric, limit, queryOpts(req));
      return apiSuccess(r.data, r.warnings);
    }),
  );

  // Canopy stores no exemplars: a valid request gets 2.42's empty answer, a bad one its error.
  server.route(
    both,
    '/api/v1/query_exemplars',
    handle(async (req) => {
      const [s, e] = range(req.params);
      if (e < s) throw new CanopyError('bad_data', 'end timestamp must not be before start timestamp');
      parseQueryParam(req.params, '');
      return apiSuccess([]);
    }),
  );
  server.get(
    '/api/v1/rules',
    handle(async (req) =>
      apiSuccess(opts.rules ? await opts.rules(tenantFromHeaders(req.headers)) : { groups: [] }),
    ),
  );
  server.get(
    '/api/v1/alerts',
    handle(async (req) =>
      apiSuccess(opts.alerts ? await opts.alerts(tenantFromHeaders(req.headers)) : { alerts: [] }),
    ),
  );
  server.get('/api/v1/status/buildinfo', () => apiSuccess(opts.buildInfo));
  server.get('/api/v1/status/flags', () => apiSuccess(opts.flags ?? {}));
  server.get('/api/v1/status/config', () => apiSuccess({ yaml: opts.configYaml ?? '' }));
  server.get('/api/v1/status/runtimeinfo', () =>
    apiSuccess({
      startTime: new Date(Date.now() - process.uptime() * 1000).toISOString(),
      CWD: process.cwd(),
      reloadConfigSuccess: true,
      lastConfigTime: new Date(Date.now() - process.uptime() * 1000).toISOString(),
      goroutineCount: 0,
      GOMAXPROCS: 0,
      GOGC: '',
      GODEBUG: '',
      storageRetention: '',
    }),
  );
  server.route(
    both,
    '/api/v1/format_query',
    handle(async (req) => apiSuccess(formatExpr(parseQueryParam(req.params, 'invalid parameter "query": ')))),
  );
}

/** Parses the query parameter; a parse error is bad_data with the prefix Prometheus puts before it. */
function parseQueryParam(params: URLSearchParams, prefix: string): ReturnType<typeof parseExpr> {
  try {
    return parseExpr(params.get('query') ?? '');
  } catch (e) {
    if (isCanopyError(e, 'parse_error'))
      throw new CanopyError('bad_data', `${prefix}${e.message}`, { cause: e });
    throw e;
  }
}

function decodeUtf8Escapes(name: string): string {
  // Prometheus 3 escaping for non-legacy names (U__ prefix); kept for forward compatibility.
  return name
    .slice(3)
    .replace(/_([0-9a-fA-F]+)_/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}
