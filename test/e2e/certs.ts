// Test certificates in a temp dir, made by topology/certs.ts (openssl): a CA, a server
// certificate for 127.0.0.1 and localhost (server.crt/server.key next to ca.crt, so web config
// files in the same dir can name them relatively), a client certificate signed by the CA (CN
// test-client), and a client certificate signed by another CA the servers do not trust.
import { join } from 'node:path';
import { certAuthority } from '../../topology/certs.ts';

export interface TestCerts {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  strangerCert: string;
  strangerKey: string;
}

export function makeCerts(dir: string): TestCerts {
  const ca = certAuthority(dir, 'canopy test CA');
  const server = ca.server('server', ['127.0.0.1', 'localhost']);
  const client = ca.client('test-client');
  const stranger = certAuthority(join(dir, 'other-ca'), 'another CA').client('stranger');
  return {
    dir,
    caCert: ca.certFile,
    serverCert: server.certFile,
    serverKey: server.keyFile,
    clientCert: client.certFile,
    clientKey: client.keyFile,
    strangerCert: stranger.certFile,
    strangerKey: stranger.keyFile,
  };
}
