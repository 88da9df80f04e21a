// The zone config's per-tenant alerting (docs/tenants.md, "Rules, alerts and silences"):
//
//   tenants:
//     team-a:
//       rule_files: [rules/team-a/*.yml]      # globs, relative to the config file
//       notifier_config: alertmanager-team-a.yml
//       alertmanager_urls: [http://am:9093]    # receive team-a's alerts with X-Scope-OrgID: team-a
//   tenant_rule_dir: rules-by-tenant          # Mimir's local ruler layout: <dir>/<tenant>/*.yml
//
// Validated once at start: tenant ids as X-Scope-OrgID (shared/tenant.ts), anonymous not allowed
// in `tenants:` (its rules are the top-level rule_files / notifier_config / alertmanager_urls).
import { ConfigReader } from '../../shared/config/index.ts';
import { ANONYMOUS_TENANT, tenantIdError } from '../../shared/tenant.ts';
import type { TenantAlertingSpec } from './tenant-alerting.ts';

export interface TenantAlertingConfig {
  tenants: Record<string, TenantAlertingSpec>;
  ruleDir?: string;
}

export function parseTenantAlertingConfig(
  r: ConfigReader,
  resolve: (p: string) => string,
): TenantAlertingConfig {
  const out: TenantAlertingConfig = { tenants: {} };
  const raw = r.raw('tenants');
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) r.fail('tenants', 'a mapping of tenant ids');
    for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
      const err =
        id === ANONYMOUS_TENANT
          ? "anonymous's rules are the top-level rule_files, notifier_config and alertmanager_urls"
          : tenantIdError(id);
      if (err) r.fail(`tenants.${id}`, `a tenant id (${err})`);
      const t = new ConfigReader(r.file, v, r.keyPath(`tenants.${id}`));
      const spec: TenantAlertingSpec = {
        ruleFiles: t.strings('rule_files').map(resolve),
        notifierConfig: t.has('notifier_config')
          ? resolve(t.string('notifier_config'))
          : (t.raw('notifier_config'), undefined),
        alertmanagerUrls: t.strings('alertmanager_urls'),
      };
      for (const [i, u] of spec.alertmanagerUrls.entries())
        if (!/^https?:\/\/[^/]/.test(u)) t.fail(`alertmanager_urls[${i}]`, 'an http(s) URL', u);
      t.done();
      out.tenants[id] = spec;
    }
  }
  if (r.has('tenant_rule_dir')) out.ruleDir = resolve(r.string('tenant_rule_dir'));
  else r.raw('tenant_rule_dir');
  return out;
}
