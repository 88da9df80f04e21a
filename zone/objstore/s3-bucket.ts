// S3 bucket with @aws-sdk/client-s3 (Thanos's S3 objstore keys: bucket, endpoint, region,
// access_key, secret_key, insecure). Path-style addressing, so S3-compatible servers (MinIO,
// s3rver) work without DNS per bucket. Listings follow every page (ContinuationToken). The SDK
// is loaded on first use (a large module graph that a zone without S3 never needs).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type * as S3 from '@aws-sdk/client-s3';
import { CanopyError } from '../../shared/errors.ts';
import { ioError, type Bucket, type ObjectInfo } from './bucket.ts';
import type { ObjectStoreConfig } from './config.ts';

type S3Config = Extract<ObjectStoreConfig, { type: 'S3' }>;
type Sdk = { m: typeof S3; client: S3.S3Client };

function status(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function notFound(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || status(e) === 404;
}

export class S3Bucket implements Bucket {
  readonly description: string;
  private readonly bucket: string;
  private readonly endpoint: string;
  private sdk: Promise<Sdk> | null = null;
  private client: S3.S3Client | null = null;

  constructor(private readonly c: S3Config) {
    this.bucket = c.bucket;
    this.endpoint = /^https?:\/\//.test(c.endpoint)
      ? c.endpoint
      : `${c.insecure ? 'http' : 'https'}://${c.endpoint}`;
    this.description = `S3 ${this.endpoint}/${c.bucket}`;
  }

  private api(): Promise<Sdk> {
    this.sdk ??= import('@aws-sdk/client-s3').then((m) => {
      const c = this.c;
      this.client = new m.S3Client({
        endpoint: this.endpoint,
        region: c.region,
        forcePathStyle: true,
        // Checksums only where S3 requires them: the SDK's default (a CRC32 trailer in an
        // aws-chunked body) is not understood by every S3-compatible server (s3rver stores the
        // chunk framing as data); the block files carry their own CRC32C per chunk and index.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...(c.accessKey ? { credentials: { accessKeyId: c.accessKey, secretAccessKey: c.secretKey } } : {}),
      });
      return { m, client: this.client };
    });
    return this.sdk;
  }

  async get(name: string): Promise<Buffer | null> {
    const { m, client } = await this.api();
    try {
      const r = await client.send(new m.GetObjectCommand({ Bucket: this.bucket, Key: name }));
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (e) {
      if (notFound(e)) return null;
      throw ioError('get', name, e);
    }
  }

  async getRange(name: string, offset: number, length: number): Promise<Buffer> {
    if (length <= 0) return Buffer.alloc(0);
    const { m, client } = await this.api();
    try {
      const r = await client.send(
        new m.GetObjectCommand({
          Bucket: this.bucket,
          Key: name,
          Range: `bytes=${offset}-${offset + length - 1}`,
        }),
      );
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (e) {
      if (notFound(e)) throw new CanopyError('not_found', `cannot read object ${name}: not found`);
      if (status(e) === 416) return Buffer.alloc(0); // range starts at or past the end
      throw ioError('get', name, e);
    }
  }

  async upload(name: string, file: string): Promise<void> {
    const { m, client } = await this.api();
    try {
      const size = (await stat(file)).size;
      // Block files are at most 512 MiB (docs/format/block.md), under PutObject's 5 GiB limit.
      await client.send(
        new m.PutObjectCommand({
          Bucket: this.bucket,
          Key: name,
          Body: createReadStream(file),
          ContentLength: size,
        }),
      );
    } catch (e) {
      throw ioError('upload', name, e);
    }
  }

  async put(name: string, body: Uint8Array): Promise<void> {
    const { m, client } = await this.api();
    try {
      await client.send(
        new m.PutObjectCommand({ Bucket: this.bucket, Key: name, Body: body, ContentLength: body.length }),
      );
    } catch (e) {
      throw ioError('upload', name, e);
    }
  }

  async exists(name: string): Promise<boolean> {
    const { m, client } = await this.api();
    try {
      await client.send(new m.HeadObjectCommand({ Bucket: this.bucket, Key: name }));
      return true;
    } catch (e) {
      if (notFound(e)) return false;
      throw ioError('stat', name, e);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const { m, client } = await this.api();
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await client.send(
          new m.ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of r.Contents ?? []) if (o.Key) out.push({ name: o.Key, sizeBytes: o.Size ?? 0 });
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw ioError('list', prefix, e);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(name: string): Promise<void> {
    const { m, client } = await this.api();
    try {
      await client.send(new m.DeleteObjectCommand({ Bucket: this.bucket, Key: name }));
    } catch (e) {
      if (notFound(e)) return;
      throw ioError('delete', name, e);
    }
  }

  close(): void {
    this.client?.destroy();
  }
}
