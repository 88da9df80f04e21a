// Test certificates: a throwaway CA in a temp dir (topology/certs.ts, openssl), a server
// certificate for 127.0.0.1/localhost and client certificates by identity. remove() deletes all.
import { certAuthority, type CertAuthority, type CertFiles } from '../../topology/certs.ts';
import { tempDir } from './harness.ts';

export type { CertAuthority, CertFiles };

export interface TestCerts {
  ca: CertAuthority;
  /** For servers on 127.0.0.1 / localhost. */
  server: CertFiles;
  dir: string;
  remove(): void;
}

export function makeTestCerts(prefix = 'tls'): TestCerts {
  const d = tempDir(prefix);
  const ca = certAuthority(d.path, `canopy test CA ${prefix}`);
  return { ca, server: ca.server('server', ['127.0.0.1', 'localhost']), dir: d.path, remove: d.remove };
}
