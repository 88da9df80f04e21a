// Object store configuration in Thanos's objstore YAML (--object-store-config FILE):
//
//   type: S3                      type: FILESYSTEM
//   config:                       config:
//     bucket: canopy                directory: /var/lib/canopy/bucket
//     endpoint: 127.0.0.1:9000
//     region: us-east-1
//     access_key: …
//     secret_key: …
//     insecure: true              # http instead of https
//
// Parsed and validated once at start; errors name the file and the key. Secrets are never
// logged: describeObjectStore() is the only printable form.
import { isAbsolute, join, dirname } from 'node:path';
import { ConfigReader } from '../../shared/config/index.ts';

export type ObjectStoreConfig =
  | {
      type: 'S3';
      bucket: string;
      endpoint: string;
      region: string;
      accessKey: string;
      secretKey: string;
      insecure: boolean;
    }
  | { type: 'FILESYSTEM'; directory: string };

export function parseObjectStoreConfig(r: ConfigReader): ObjectStoreConfig {
  const type = r.string('type', undefined, { oneOf: ['S3', 'FILESYSTEM'] }) as 'S3' | 'FILESYSTEM';
  const c = r.object('config');
  let out: ObjectStoreConfig;
  if (type === 'FILESYSTEM') {
    const d = c.string('directory', undefined, { pattern: /./, what: 'a directory path' });
    out = { type, directory: r.file && !isAbsolute(d) ? join(dirname(r.file), d) : d };
  } else {
    const endpoint = c.string('endpoint', undefined, {
      pattern: /^(https?:\/\/)?[^/\s]+(\/.*)?$/,
      what: 'a host:port or URL',
    });
    out = {
      type,
      bucket: c.string('bucket', undefined, {
        pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        what: 'an S3 bucket name (3-63 lower-case letters, digits, . and -)',
      }),
      endpoint,
      region: c.string('region', 'us-east-1', { pattern: /./, what: 'a region name' }),
      accessKey: c.string('access_key', ''),
      secretKey: c.string('secret_key', ''),
      insecure: c.bool('insecure', false),
    };
    if ((out.accessKey === '') !== (out.secretKey === ''))
      c.fail(
        out.accessKey === '' ? 'access_key' : 'secret_key',
        'both access_key and secret_key, or neither (then the AWS default credential chain)',
        '<set>',
      );
  }
  c.done();
  r.done();
  return out;
}

export function loadObjectStoreConfig(file: string): ObjectStoreConfig {
  return parseObjectStoreConfig(ConfigReader.fromFile(file));
}

/** A printable description without secrets. */
export function describeObjectStore(c: ObjectStoreConfig): Record<string, unknown> {
  return c.type === 'FILESYSTEM'
    ? { type: c.type, directory: c.directory }
    : { type: c.type, bucket: c.bucket, endpoint: c.endpoint, region: c.region, insecure: c.insecure };
}
