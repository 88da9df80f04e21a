// Calls to the server this page came from (relative URLs, same origin, same credentials).
// Prometheus API answers are { status, data, warnings?, error?, errorType? }; an error answer
// becomes an ApiError carrying the server's own text, shown as is.

/** Where the tenant chosen in the navigation bar is kept (per browser and origin). */
const TENANT_KEY = 'canopy.tenant';

/** The tenant the UI reads as ('' = none sent: the server's anonymous tenant). */
export function tenant(): string {
  return localStorage.getItem(TENANT_KEY) ?? '';
}

export function setTenant(t: string): void {
  if (t) localStorage.setItem(TENANT_KEY, t);
  else localStorage.removeItem(TENANT_KEY);
}

/** X-Scope-OrgID (the Cortex/Mimir convention Canopy follows) when a tenant is chosen. */
export function tenantHeaders(): Record<string, string> {
  const t = tenant();
  return t ? { 'X-Scope-OrgID': t } : {};
}

/** GET of a JSON endpoint outside the Prometheus envelope (status pages). */
export async function getJson<T>(path: string): Promise<T> {
  return jsonApi<T>('GET', path);
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorType?: string,
  ) {
    super(message);
  }
}

export interface ApiResult<T> {
  data: T;
  warnings: string[];
}

async function body(r: Response): Promise<unknown> {
  const text = await r.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function failure(r: Response, b: unknown): ApiError {
  if (b && typeof b === 'object' && 'error' in b) {
    const e = b as { error: string; errorType?: string };
    return new ApiError(e.errorType ? `${e.errorType}: ${e.error}` : e.error, r.status, e.errorType);
  }
  const text = typeof b === 'string' ? b.trim() : JSON.stringify(b);
  return new ApiError(`HTTP ${r.status}${text ? `: ${text}` : ''}`, r.status);
}

/** GETs URLs up to this long; longer ones (a long expression) are POSTed form-encoded. */
const MAX_GET_URL = 2000;

/** GET (or, when long, POST form-encoded: query endpoints take both) a Prometheus API path such as 'api/v1/query'. */
export async function promApi<T>(
  path: string,
  params: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<ApiResult<T>> {
  const form = new URLSearchParams(params).toString();
  const url = form ? `${path}?${form}` : path;
  const r =
    url.length <= MAX_GET_URL
      ? await fetch(url, { signal, headers: tenantHeaders() })
      : await fetch(path, {
          method: 'POST',
          body: form,
          signal,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...tenantHeaders() },
        });
  const b = (await body(r)) as { status?: string; data?: T; warnings?: string[] };
  if (!r.ok || b?.status !== 'success') throw failure(r, b);
  return { data: b.data as T, warnings: b.warnings ?? [] };
}

/** JSON over HTTP for the Alertmanager v2 API (no envelope). */
export async function jsonApi<T>(method: string, path: string, payload?: unknown): Promise<T> {
  const r = await fetch(path, {
    method,
    headers:
      payload === undefined ? tenantHeaders() : { 'content-type': 'application/json', ...tenantHeaders() },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  const b = await body(r);
  if (!r.ok) throw failure(r, b);
  return b as T;
}

export type Labels = Record<string, string>;

export interface InstantSample {
  metric: Labels;
  value?: [number, string];
  histogram?: [number, unknown];
}

export interface RangeSeries {
  metric: Labels;
  values?: [number, string][];
}

export type QueryData =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };
