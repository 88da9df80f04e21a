// Binding leaves to tenants: an authenticated leaf (client certificate CN or token name,
// zone/grpc-auth.ts) may be pinned to one tenant, so it cannot write into another by setting the
// `x-scope-orgid` call metadata. Configured as a map identity → tenant:
//
//   grpc_identity_tenants: { leaf-a: team-a, leaf-b: team-b }   # or --grpc-identity-tenant leaf-a=team-a
//   grpc_unbound_identities: refuse                              # or claim (default refuse)
//
// A bound leaf's calls are its tenant's: without metadata they are written as that tenant; with
// metadata naming another tenant they are refused (PERMISSION_DENIED, counted in
// canopy_zone_grpc_requests_refused_total{reason="tenant_not_allowed"}). With a binding map, a
// leaf whose identity is not in it (or that authenticated with no identity) is refused by
// default (`refuse`) or may claim any tenant as before (`claim`). Without a map nothing changes:
// the tenant is what the call claims.
import { CanopyError } from '../shared/errors.ts';
import type { ConfigReader, FlagSpec, FlagValues } from '../shared/config/index.ts';
import { ANONYMOUS_TENANT, tenantIdError } from '../shared/tenant.ts';

export interface TenantBindingConfig {
  /** identity → tenant. */
  byIdentity: Readonly<Record<string, string>>;
  unbound: 'refuse' | 'claim';
}

export const TENANT_BINDING_FLAGS: Record<string, FlagSpec> = {
  'grpc-identity-tenant': {
    type: 'list',
    arg: 'IDENTITY=TENANT',
    help: 'pin an authenticated leaf (certificate CN or token name) to a tenant',
  },
  'grpc-unbound-identities': {
    type: 'string',
    arg: 'MODE',
    help: 'with pinned leaves, what other leaves may do: refuse (default) or claim any tenant',
  },
};

/** Reads grpc_identity_tenants / grpc_unbound_identities and the flags; undefined when no map is configured. */
export function parseTenantBinding(
  r: ConfigReader,
  flags: FlagValues,
  where: string,
): TenantBindingConfig | undefined {
  const byIdentity: Record<string, string> = { ...r.stringMap('grpc_identity_tenants') };
  for (const kv of (flags['grpc-identity-tenant'] as string[] | undefined) ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(kv);
    if (!m)
      throw new CanopyError(
        'flag_invalid',
        `canopy zone: flag --grpc-identity-tenant: expected IDENTITY=TENANT, got "${kv}"`,
      );
    byIdentity[m[1]!] = m[2]!;
  }
  const unbound =
    (flags['grpc-unbound-identities'] as string | undefined) ?? r.optionalString('grpc_unbound_identities');
  if (unbound !== undefined && unbound !== 'refuse' && unbound !== 'claim')
    throw new CanopyError(
      'config_invalid',
      `${where}: grpc_unbound_identities / --grpc-unbound-identities: expected refuse or claim, got "${unbound}"`,
    );
  if (Object.keys(byIdentity).length === 0) {
    if (unbound !== undefined)
      throw new CanopyError(
        'config_invalid',
        `${where}: grpc_unbound_identities needs grpc_identity_tenants`,
      );
    return undefined;
  }
  for (const [id, t] of Object.entries(byIdentity)) {
    const err = tenantIdError(t);
    if (err) throw new CanopyError('config_invalid', `${where}: grpc_identity_tenants.${id}: ${err}`);
  }
  return { byIdentity, unbound: (unbound as 'refuse' | 'claim' | undefined) ?? 'refuse' };
}

export type TenantDecision = { ok: true; tenant: string } | { ok: false; message: string };

/**
 * The tenant a call is written as, from the leaf's authenticated identity ('' = none) and the
 * tenant its metadata claims (undefined = none).
 */
export function decideTenant(
  b: TenantBindingConfig | undefined,
  identity: string,
  claimed: string | undefined,
): TenantDecision {
  const bound = b && identity ? b.byIdentity[identity] : undefined;
  if (!b || (bound === undefined && b.unbound === 'claim'))
    return { ok: true, tenant: claimed ?? ANONYMOUS_TENANT };
  if (bound === undefined)
    return {
      ok: false,
      message: identity
        ? `leaf ${JSON.stringify(identity)} is not bound to a tenant (grpc_identity_tenants) and unbound leaves are refused`
        : 'a leaf without an identity cannot be bound to a tenant (grpc_identity_tenants) and unbound leaves are refused',
    };
  if (claimed !== undefined && claimed !== bound)
    return {
      ok: false,
      message: `leaf ${JSON.stringify(identity)} is bound to tenant ${JSON.stringify(bound)} and cannot write as ${JSON.stringify(claimed)}`,
    };
  return { ok: true, tenant: bound };
}
