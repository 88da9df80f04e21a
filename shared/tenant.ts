// Tenants (the Cortex/Mimir convention): every write and read names its tenant in the
// `X-Scope-OrgID` header; a request without it belongs to tenant `anonymous`. Tenant ids are
// validated as Mimir does: at most 150 characters from [A-Za-z0-9!-_.*'()], and not "." or
// "..". Mimir's multi-tenant federation syntax (`a|b`) is not supported and is refused.
//
// Storage isolation (zone): series of a tenant other than `anonymous` carry the reserved label
// TENANT_LABEL = the tenant id, set at ingest (a sender may not set it: refused) and
// enforced by every read (zone/tenant-view.ts); `anonymous` series carry no such label, so a
// single-tenant deployment stores exactly what it did before tenants existed.
import { CanopyError } from './errors.ts';

export const TENANT_HEADER = 'x-scope-orgid';
export const ANONYMOUS_TENANT = 'anonymous';
/** Reserved label holding the tenant of a stored series (absent for `anonymous`). */
export const TENANT_LABEL = '__tenant__';
export const MAX_TENANT_ID_LENGTH = 150;

const TENANT_CHAR_RE = /[^A-Za-z0-9!\-_.*'()]/;

/** Why `id` is not a valid tenant id, or '' when it is. */
export function tenantIdError(id: string): string {
  if (id === '') return 'tenant ID is empty';
  if (id.length > MAX_TENANT_ID_LENGTH)
    return `tenant ID is too long: max ${MAX_TENANT_ID_LENGTH} characters, got ${id.length}`;
  if (id === '.' || id === '..') return `tenant ID is '.' or '..'`;
  if (id.includes('|'))
    return `tenant ID ${JSON.stringify(id.slice(0, 160))} names several tenants ('|'): cross-tenant queries are not supported`;
  const bad = TENANT_CHAR_RE.exec(id);
  if (bad) return `tenant ID ${JSON.stringify(id)} contains unsupported character ${JSON.stringify(bad[0])}`;
  return '';
}

/** Throws CanopyError bad_data unless `id` is a valid tenant id. */
export function validateTenantId(id: string, where = 'tenant'): string {
  const err = tenantIdError(id);
  if (err) throw new CanopyError('bad_data', `${where}: ${err}`);
  return id;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The tenant of a request from its headers (node's lower-cased IncomingHttpHeaders or any
 * record): `X-Scope-OrgID`, `anonymous` when absent. Throws CanopyError bad_data for an
 * invalid id or a repeated header.
 */
export function tenantFromHeaders(headers: Headers): string {
  let v = headers[TENANT_HEADER];
  if (v === undefined) {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === TENANT_HEADER) v = headers[k];
  }
  if (Array.isArray(v)) {
    if (v.length > 1) throw new CanopyError('bad_data', 'X-Scope-OrgID: more than one header value');
    v = v[0];
  }
  if (v === undefined) return ANONYMOUS_TENANT;
  return validateTenantId(v.trim(), 'X-Scope-OrgID');
}
