// Certificates for a local secure tree (`canopy up --secure`) and for tests: a private CA and
// certificates it signs, made with the openssl command (no npm dependency). Keys are EC P-256,
// written with mode 0600; certificates last 30 days (a local tree, not a deployment's PKI).
// A server certificate names its hosts in subjectAltName (IP and DNS entries); a client
// certificate carries its identity as the CN and as a DNS SAN, which is what a zone logs as the
// leaf's identity under mTLS.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CertFiles {
  certFile: string;
  keyFile: string;
}

export interface CertAuthority extends CertFiles {
  dir: string;
  /** A certificate for servers at these hosts (IPs or DNS names), signed by this CA. */
  server(name: string, hosts: string[]): CertFiles;
  /** A client certificate whose CN (and DNS SAN) is `identity`. */
  client(identity: string): CertFiles;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString().trim() || err.message}`);
  }
}

const IP_RE = /^(\d{1,3}\.){3}\d{1,3}$|:/;

/** Creates (or reuses, when its files exist) a CA in `dir`. */
export function certAuthority(dir: string, cn = 'canopy local CA'): CertAuthority {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'ca.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyFile], dir);
    chmodSync(keyFile, 0o600);
    openssl(
      [
        'req',
        '-x509',
        '-new',
        '-key',
        keyFile,
        '-sha256',
        '-days',
        '30',
        '-subj',
        `/CN=${cn}`,
        '-out',
        certFile,
      ],
      dir,
    );
  }
  const sign = (name: string, cn: string, ext: string): CertFiles => {
    const key = join(dir, `${name}.key`);
    const csr = join(dir, `${name}.csr`);
    const crt = join(dir, `${name}.crt`);
    const extFile = join(dir, `${name}.ext`);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], dir);
    chmodSync(key, 0o600);
    openssl(['req', '-new', '-key', key, '-subj', `/CN=${cn}`, '-out', csr], dir);
    writeFileSync(extFile, ext);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        certFile,
        '-CAkey',
        keyFile,
        '-CAcreateserial',
        '-days',
        '30',
        '-sha256',
        '-extfile',
        extFile,
        '-out',
        crt,
      ],
      dir,
    );
    return { certFile: crt, keyFile: key };
  };
  return {
    dir,
    certFile,
    keyFile,
    server(name, hosts) {
      const san = hosts.map((h) => (IP_RE.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
      return sign(
        name,
        hosts[0] ?? name,
        `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
      );
    },
    client(identity) {
      return sign(
        `client-${identity}`,
        identity,
        `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:${identity}\n`,
      );
    },
  };
}
