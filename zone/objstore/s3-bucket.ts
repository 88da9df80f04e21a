// S3 bucket with @aws-sdk/client-s3 (Thanos's S3 objstore keys: bucket, endpoint, region,
// access_key, secret_key, insecure). Path-style addressing, so S3-compatible servers (MinIO,
// s3rver) work without DNS per bucket. Listings follow every page (ContinuationToken).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CanopyError } from '../../shared/errors.ts';
import { ioError, type Bucket, type ObjectInfo } from './bucket.ts';
import type { ObjectStoreConfig } from './config.ts';

type S3Config = Extract<ObjectStoreConfig, { type: 'S3' }>;

function notFound(e: unknown): boolean {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return x?.name === 'NoSuchKey' || x?.name === 'NotFound' || x?.$metadata?.httpStatusCode === 404;
}

export class S3Bucket implements Bucket {
  readonly description: string;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(c: S3Config) {
    const endpoint = /^https?:\/\//.test(c.endpoint) ? c.endpoint : `${c.insecure ? 'http' : 'https'}://${c.endpoint}`;
    this.bucket = c.bucket;
    this.description = `S3 ${endpoint}/${c.bucket}`;
    this.client = new S3Client({
      endpoint,
      region: c.region,
      forcePathStyle: true,
      // Checksums only where S3 requires them: the SDK's default (a CRC32 trailer in an
      // aws-chunked body) is not understood by every S3-compatible server (s3rver stores the
      // chunk framing as data); the block files carry their own CRC32C per chunk and index.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(c.accessKey ? { credentials: { accessKeyId: c.accessKey, secretAccessKey: c.secretKey } } : {}),
    });
  }

  async get(name: string): Promise<Buffer | null> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name }));
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (e) {
      if (notFound(e)) return null;
      throw ioError('get', name, e);
    }
  }

  async getRange(name: string, offset: number, length: number): Promise<Buffer> {
    if (length <= 0) return Buffer.alloc(0);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name, Range: `bytes=${offset}-${offset + length - 1}` }));
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (e) {
      if (notFound(e)) throw new CanopyError('not_found', `cannot read object ${name}: not found`);
      // Range starting at or past the end: S3 answers 416.
      if ((e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 416) return Buffer.alloc(0);
      throw ioError('get', name, e);
    }
  }

  async upload(name: string, file: string): Promise<void> {
    try {
      const size = (await stat(file)).size;
      // Block files are at most 512 MiB (docs/format/block.md), under PutObject's 5 GiB limit.
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: name, Body: createReadStream(file), ContentLength: size }));
    } catch (e) {
      throw ioError('upload', name, e);
    }
  }

  async put(name: string, body: Uint8Array): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: name, Body: body, ContentLength: body.length }));
    } catch (e) {
      throw ioError('upload', name, e);
    }
  }

  async exists(name: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: name }));
      return true;
    } catch (e) {
      if (notFound(e)) return false;
      throw ioError('stat', name, e);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of r.Contents ?? []) if (o.Key) out.push({ name: o.Key, sizeBytes: o.Size ?? 0 });
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw ioError('list', prefix, e);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: name }));
    } catch (e) {
      if (notFound(e)) return;
      throw ioError('delete', name, e);
    }
  }

  close(): void {
    this.client.destroy();
  }
}
