// Starts a real s3rver process (the npm S3 API server) for tests, with one bucket.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

export interface S3rver {
  endpoint: string;
  bucket: string;
  dir: string;
  pid: number;
  /** objstore YAML for this server. */
  yaml: string;
  stop(): Promise<void>;
}

export async function startS3rver(bucket = 'canopy-test'): Promise<S3rver> {
  const dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  const port = await freePort();
  // --openssl-legacy-provider: s3rver encrypts ListObjectsV2 continuation tokens with DES, which
  // Node 20's OpenSSL 3 refuses by default (every second listing page would answer 500).
  const proc: ChildProcess = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      join(REPO, 'node_modules/s3rver/bin/s3rver.js'),
      '-d',
      dir,
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      '--configure-bucket',
      bucket,
      '--no-vhost-buckets',
      '--silent',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const endpoint = `127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`http://${endpoint}/${bucket}?list-type=2`);
      if (r.status === 200 || r.status === 403) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`s3rver did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const yaml = `type: S3\nconfig:\n  bucket: ${bucket}\n  endpoint: ${endpoint}\n  region: us-east-1\n  access_key: S3RVER\n  secret_key: S3RVER\n  insecure: true\n`;
  return {
    endpoint,
    bucket,
    dir,
    pid: proc.pid!,
    yaml,
    async stop() {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
