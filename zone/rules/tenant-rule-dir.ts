// A rule directory per tenant, Grafana Mimir's ruler layout for its local rule storage
// (`-ruler-storage.local.directory`): <dir>/<tenant id>/<namespace>.yml — each subdirectory is a
// tenant, each YAML file in it (.yml / .yaml, not recursive) one of that tenant's rule files.
// Re-listed at every reload, so a tenant can be added or dropped by adding or removing its
// directory. A subdirectory whose name is not a valid tenant id is an error (config_invalid), as
// is a missing directory.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import { tenantIdError } from '../../shared/tenant.ts';

/** Rule files by tenant, in name order. */
export async function listTenantRuleDir(dir: string): Promise<Map<string, string[]>> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new CanopyError(
      'config_invalid',
      `cannot read the tenant rule directory ${dir}: ${errorMessage(e)}`,
      { cause: e },
    );
  }
  const out = new Map<string, string[]>();
  for (const d of entries.filter((x) => x.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const err = tenantIdError(d.name);
    if (err)
      throw new CanopyError(
        'config_invalid',
        `tenant rule directory ${dir}: subdirectory ${JSON.stringify(d.name)} is not a tenant id: ${err}`,
      );
    const files = (await readdir(join(dir, d.name), { withFileTypes: true }))
      .filter((f) => f.isFile() && /\.ya?ml$/.test(f.name))
      .map((f) => join(dir, d.name, f.name))
      .sort();
    out.set(d.name, files);
  }
  return out;
}
