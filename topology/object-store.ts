// The zones' object store in `canopy up`: the topology's object_store written as a Thanos
// objstore YAML file in the state dir (<state>/objstore.yaml), passed to every zone with
// --object-store-config. The default (type: local) is a FILESYSTEM bucket under the state dir's
// parent (.canopy/objects), so the local tree shows the whole tier path: head → local blocks →
// bucket. S3 uses the AWS default credential chain (environment, profile); prefixes are not
// supported yet.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CanopyError } from '../shared/errors.ts';
import type { Topology } from '../shared/topology.ts';

export interface LaunchedObjectStore {
  /** The objstore YAML file handed to the zones. */
  configFile: string;
  /** Printable: "FILESYSTEM /abs/dir" or "S3 endpoint/bucket". */
  description: string;
}

export function writeObjectStoreConfig(topo: Topology, stateDir: string): LaunchedObjectStore {
  const os = topo.objectStore;
  const file = join(stateDir, 'objstore.yaml');
  let yaml: string, description: string;
  if (os.type === 'local') {
    const dir = resolve(stateDir, '..', os.dir);
    yaml = `type: FILESYSTEM\nconfig:\n  directory: ${JSON.stringify(dir)}\n`;
    description = `FILESYSTEM ${dir}`;
  } else {
    if (os.prefix !== '')
      throw new CanopyError(
        'config_invalid',
        `${topo.file}: key "object_store.prefix": a bucket prefix is not supported yet; use a bucket of its own`,
      );
    const endpoint = os.endpoint ?? `https://s3.${os.region}.amazonaws.com`;
    yaml = `type: S3\nconfig:\n  bucket: ${JSON.stringify(os.bucket)}\n  endpoint: ${JSON.stringify(endpoint)}\n  region: ${JSON.stringify(os.region)}\n`;
    description = `S3 ${endpoint}/${os.bucket}`;
  }
  writeFileSync(
    file,
    "# Written by `canopy up` from the topology's object_store (Thanos objstore format).\n" + yaml,
  );
  return { configFile: file, description };
}
